"""Heading anchors as the toc extension makes them, read from the Markdown (lesson shape, misconceptions).

Links themselves are checked on the rendered pages, as MkDocs checks them: see ``linkcheck``.
"""
from __future__ import annotations

import re

from markdown.extensions.toc import slugify, unique

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
