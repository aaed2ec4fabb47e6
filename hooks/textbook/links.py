"""Heading anchors as the toc extension makes them, read from the Markdown (lesson shape, misconceptions).

Links themselves are checked on the rendered pages, as MkDocs checks them: see ``linkcheck``.
"""
from __future__ import annotations

import re

from markdown.extensions.toc import slugify, unique

from .errors import did_you_mean
from .markdown_scan import strip_code

HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*)$")
ATTRIBUTES = re.compile(r"\{[^{}]*\}$")           # a heading's trailing attribute list: {#id .class}
EXPLICIT_ID = re.compile(r"""\bid=["']([^"']+)["']|\{#([^{}\s]+)""")


def heading_anchor(text: str) -> str:
    """The anchor a heading gets: its explicit {#id}, or the toc extension's slug of its text."""
    text = text.rstrip()
    if attributes := ATTRIBUTES.search(text):
        text = text[:attributes.start()].rstrip()
        if explicit := EXPLICIT_ID.search(attributes[0]):
            return explicit[2]
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):   # a closing sequence: ## Title ##
        text = stripped.rstrip()
    return slugify(re.sub(r"[*_`]|:fact\[[^\[\]]*\]", "", text), "-")


def anchors(markdown: str) -> set[str]:
    """Anchors a page will have: heading slugs (as the toc extension makes them) and explicit ids."""
    found: set[str] = set()
    for _line, text in strip_code(markdown):
        if heading := HEADING.match(text):
            found.add(unique(heading_anchor(heading["text"]), found))    # a repeated heading: 'slug_1', 'slug_2'…
        for match in EXPLICIT_ID.finditer(text):
            found.add(match[1] or match[2])
    return found


def not_a_heading(anchor: str, page: str, anchors: dict[str, set[str]]) -> str:
    """What is wrong with a 'page.md#anchor' whose anchor names no heading of the page, with the closest one."""
    return f"'#{anchor}', which is not a heading in {page}.{did_you_mean(anchor, anchors.get(page, set()))}"


HEADING_HINT = "Use the anchor of an existing heading: lower case, spaces as hyphens (a renamed heading changes its anchor)."
