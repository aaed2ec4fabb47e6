"""Find the course's own syntax in Markdown while leaving code alone.

Two kinds of syntax are ours: inline markers such as ``:fact[gpt3.params]``, and directive fences
such as a fenced block whose info string is ``key-terms``. Both stay literal inside ordinary code
fences and inline code spans, so the course can document its own syntax.

Inside a directive fence, a line starting with ``#`` is a comment for people reading the Markdown
(GitHub shows a fence's lines but not its info string): the renderer never sees it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .errors import ContentError

# Every pattern here scans contributor text, so each runs in linear time on a long line: no two
# quantifiers compete for the same characters, and no match can extend past the next opening bracket.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
BACKTICKS = re.compile(r"`+")
FACT_MARKER = re.compile(r":fact\[([^\[\]\s]*)(?:\s+([^\[\]]*))?\]")   # :fact[id] or :fact[id style]


# The course's directive blocks, by their info string (```chart, ```lab …).
DIRECTIVES = ("stat-cards", "key-terms", "glossary", "sources", "progress", "review", "fact-table", "chart", "lab")

MAX_LINE = 2000     # characters; the course's longest line is a fifth of this


def long_lines(markdown: str, file: str, first_line: int = 1) -> list[ContentError]:
    """Lines too long to be prose. Markdown's own link parser slows down with the square of a
    paragraph's brackets, so a line of thousands of them could stall the build; such lines are refused."""
    return [ContentError(file, number, f"a line of {len(line):,} characters (the limit is {MAX_LINE:,})",
                         "Break it into sentences on lines of their own; put data in docs/facts.yml.")
            for number, line in enumerate(markdown.split("\n"), first_line) if len(line) > MAX_LINE]


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span: a run of backticks closed by the next run of the same length."""
    runs = [(match.start(), match.end()) for match in BACKTICKS.finditer(line)]
    later: dict[int, list[int]] = {}                 # run length -> indexes of runs, last first
    for index in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[index][1] - runs[index][0], []).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        same = later[end - start]
        while same and same[-1] <= index:
            same.pop()
        if same and runs[same[-1]][0] > end:         # a closing run, with something in between
            close = same.pop()
            spans.append((start, runs[close][1]))
            index = close + 1
        else:
            index += 1
    return spans


def comment_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each complete HTML comment on a line."""
    spans, start = [], line.find("<!--")
    while start != -1:
        end = line.find("-->", start + 4)
        if end == -1:
            break
        spans.append((start, end + 3))
        start = line.find("<!--", end + 3)
    return spans


def _cut(line: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(line[last:start])
        last = end
    out.append(line[last:])
    return "".join(out)


@dataclass
class Directive:
    """A fenced block that names one of our directives, e.g. ```key-terms."""

    name: str
    argument: str
    body: list[str]
    line: int           # 1-based line of the opening fence
    indent: str
    comments: list[tuple[int, str]] = field(default_factory=list)   # (line, text) of its '#' lines


@dataclass
class Segment:
    """A run of Markdown lines outside any code fence, or a directive or code block."""

    kind: str            # "text", "code" or "directive"
    lines: list[str]
    line: int
    directive: Directive | None = None


def segments(markdown: str, directives: set[str], first_line: int = 1) -> Iterator[Segment]:
    """Split Markdown into text, code fences and directive fences, keeping line numbers.

    ``first_line`` is the source line of the Markdown's first line (after any front matter).
    """
    for segment in _segments(markdown, directives):
        segment.line += first_line - 1
        if segment.directive:
            segment.directive.line += first_line - 1
            segment.directive.comments = [(line + first_line - 1, text) for line, text in segment.directive.comments]
        yield segment


def _segments(markdown: str, directives: set[str]) -> Iterator[Segment]:
    lines = markdown.split("\n")
    index = 0
    text: list[str] = []
    text_start = 1
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            if not text:
                text_start = index + 1
            text.append(lines[index])
            index += 1
            continue
        fence = match["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        block = lines[index:end + 1]
        if text:
            yield Segment("text", text, text_start)
            text = []
        info = match["info"].split(None, 1)
        name = info[0] if info else ""
        if name in directives:
            indent = match["indent"]
            body = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                    for line in lines[index + 1:end]]
            comments = [(index + 2 + offset, line.strip()) for offset, line in enumerate(body)
                        if line.lstrip().startswith("#")]
            body = ["" if line.lstrip().startswith("#") else line for line in body]   # keeps line numbers
            argument = info[1].strip() if len(info) > 1 else ""
            yield Segment("directive", block, index + 1,
                          Directive(name, argument, body, index + 1, indent, comments))
        else:
            yield Segment("code", block, index + 1)
        index = end + 1
    if text:
        yield Segment("text", text, text_start)


def replace_inline(line: str, pattern: re.Pattern, replace: Callable[[re.Match], str]) -> str:
    """Apply ``replace`` to matches of ``pattern`` outside inline code spans and HTML comments."""
    out, last = [], 0
    protected = sorted([*code_spans(line), *comment_spans(line)])
    for start, end in protected:
        if start < last:
            continue
        out.append(pattern.sub(replace, line[last:start]))
        out.append(line[start:end])
        last = end
    out.append(pattern.sub(replace, line[last:]))
    return "".join(out)


def strip_code(markdown: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for prose lines, with code fences, code spans and comments removed."""
    in_comment = False
    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        for offset, line in enumerate(segment.lines):
            if in_comment:
                if "-->" not in line:
                    continue
                line = line.split("-->", 1)[1]
                in_comment = False
            line = _cut(line, comment_spans(line))
            if "<!--" in line:
                line, in_comment = line.split("<!--", 1)[0], True
            yield segment.line + offset, _cut(line, code_spans(line))
