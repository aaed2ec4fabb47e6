"""A lab's page: its notebook as Markdown, with the outputs it printed and drew.

A lab's page (``docs/labs/<name>.md``) holds one block, ```` ```lab <name> ````. The renderer
replaces it with the lab's text cells as Markdown (headings, links and lists go through the same
Markdown as any lesson, on MkDocs and on Zensical alike), its code cells as fenced Python, and its
outputs as HTML kept aside until the page is assembled: printed text as a preformatted block,
figures as pictures of the cleaned SVG or image the lab drew. No MkDocs import.
"""
from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable

from .labs import ANSI

BACKTICK_RUN = re.compile(r"`{3,}")
ALT = "A figure drawn by the code above."     # what it shows is in the lab's text around it


def fence_for(code: str) -> str:
    """A backtick fence longer than any run of backticks in the code, so the code cannot close it."""
    longest = max((len(run) for run in BACKTICK_RUN.findall(code)), default=2)
    return "`" * max(3, longest + 1)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_html(output: dict) -> str:
    """One output of a code cell as HTML. The cached notebook holds only the kinds ``labs.KEPT_OUTPUTS``
    allows, already cleaned; plain text is escaped here."""
    kind = output.get("output_type")
    if kind == "stream":
        text = ANSI.sub("", _text(output.get("text", "")))
        css = "fd-lab-output fd-lab-output--stderr" if output.get("name") == "stderr" else "fd-lab-output"
        return f'<pre class="{css}"><code>{html.escape(text.rstrip(chr(10)))}</code></pre>'
    data = output.get("data") or {}
    if "image/svg+xml" in data:          # a picture, as the charts are: its ids cannot clash with the page's
        encoded = base64.b64encode(_text(data["image/svg+xml"]).encode("utf-8")).decode("ascii")
        return f'<figure class="fd-lab-figure"><img src="data:image/svg+xml;base64,{encoded}" alt="{ALT}"></figure>'
    for image in ("image/png", "image/jpeg", "image/gif"):
        if image in data:
            encoded = "".join(_text(data[image]).split())
            try:
                base64.b64decode(encoded, validate=True)      # never write anything but base64 into src=
            except ValueError:
                return ""
            return f'<figure class="fd-lab-figure"><img src="data:{image};base64,{encoded}" alt="{ALT}"></figure>'
    if "text/html" in data:
        return f'<div class="fd-lab-html">{_text(data["text/html"])}</div>'
    if "text/plain" in data:
        return f'<pre class="fd-lab-output"><code>{html.escape(_text(data["text/plain"]).rstrip(chr(10)))}</code></pre>'
    return ""


def lab_markdown(notebook, download: str, keep: Callable[[str], str], indent: str = "") -> list[str]:
    """The lab as Markdown lines: text cells as written, code cells fenced, outputs as kept HTML.

    ``download`` is a Markdown paragraph put under the lab's title; ``keep`` stores HTML and returns
    the line that stands for it in the Markdown (``PageRenderer._slot``).
    """
    lines: list[str] = []
    for number, cell in enumerate(notebook.cells):
        source = cell.source.rstrip("\n")
        if cell.cell_type == "markdown":
            text = source.split("\n")
            if number == 0:                      # its first line is the lab's '# Title'
                text = [text[0], "", download, "", *text[1:]]
            lines += [*text, ""]
        elif cell.cell_type == "code" and source.strip():
            fence = fence_for(source)
            lines += [f"{fence}python", *source.split("\n"), fence, ""]
            for output in cell.get("outputs", []):
                if shown := output_html(output):
                    lines += [keep(shown), ""]
    return [indent + line if line else line for line in lines]
