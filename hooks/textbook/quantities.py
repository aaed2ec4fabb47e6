"""Find quantities written straight into the prose instead of coming from the facts file."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .markdown_scan import strip_code

_SCALE = r"(?:thousand|million|billion|trillion|quadrillion)"
# A number starts only where no digit, comma or point comes before it: each scan stays linear on a
# long line of digits (a pattern free to start inside a number retries the whole run from every digit).
PATTERNS = [
    (re.compile(r"[$€£]\s?\d"), "a money amount"),
    (re.compile(r"(?<![\d,.])\d(?:[\d,.]*\d)?\s?(?:%|percent\b|per cent\b)"), "a percentage"),
    (re.compile(rf"(?<![\d,.])\b\d(?:[\d,.]*\d)?\s?{_SCALE}\b", re.I), "a scaled number"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?[KMBT]\b(?!-)"), "an abbreviated number"),
    (re.compile(r"\b\d{1,3}(?:,\d{3})+\b"), "a large number"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:×|x)(?=\s|$|[.,;)])"), "a multiplier"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:×|x)\s?10\s?(?:\^|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻])"), "a number in scientific notation"),
    (re.compile(r"\b\d+(?:\.\d+)?e[+-]?\d+\b"), "a number in scientific notation"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:KB|MB|GB|TB|PB|FLOPs?|PF-days|GPU-hours)\b"), "a size or amount of compute"),
]
# Links, images and HTML attributes carry addresses with digits in them, not claims.
# Each alternative stops at the next opening bracket, so the scan stays linear on a long line.
_NOT_PROSE = re.compile(r"\]\([^()]*(?:\([^()]*\)[^()]*)*\)|https?://\S+|<[^<>]+>|:fact\[[^\[\]]*\]"
                        r"|\{[#.][^{}]*\}")


def bare_quantities(markdown: str, first_line: int = 1) -> Iterator[tuple[int, str, str]]:
    """Yield (line, text, kind) for each quantity written outside code and outside fact markers."""
    in_front_matter = markdown.startswith("---\n")
    for number, line in strip_code(markdown):
        if in_front_matter:
            if number > 1 and line.strip() == "---":
                in_front_matter = False
            continue
        prose = _NOT_PROSE.sub(" ", line)
        taken = bytearray(len(prose))                  # 1 where an earlier pattern already matched
        for pattern, kind in PATTERNS:
            for match in pattern.finditer(prose):
                if taken[match.start()] or taken[match.end() - 1]:
                    continue
                taken[match.start():match.end()] = b"\1" * (match.end() - match.start())
                yield number + first_line - 1, match.group(0).strip(), kind
