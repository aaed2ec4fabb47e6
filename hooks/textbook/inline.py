"""Render short Markdown (quiz questions, options, feedback) to HTML with raw HTML switched off.

Contributors' text may contain '<' or even '<script>': it must show as text, never run. The result
also goes through the course's sanitising policy (``textbook.sanitize``), so a ``javascript:`` link
never becomes clickable.
"""
from __future__ import annotations

import functools

import markdown

from .sanitize import clean

_md = markdown.Markdown(extensions=["pymdownx.inlinehilite"], output_format="html")
_md.preprocessors.deregister("html_block")
_md.inlinePatterns.deregister("html")


@functools.lru_cache(maxsize=65536)
def render_inline(text: str) -> str:
    """Markdown to HTML for one short paragraph, without the wrapping <p>.

    Cached: the Review page shows every question of the course again, with the same texts.
    """
    html = _md.reset().convert(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return clean(html)
