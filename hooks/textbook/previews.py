"""Blocks stay readable where the Markdown is read as it is, such as GitHub's preview of a lesson.

GitHub shows a fenced block's lines but not its info string, so ```` ```chart compute-over-time ````
with nothing inside shows as an empty grey box. Inside a course block, a line starting with ``#``
is a comment the site never shows (``markdown_scan`` drops it before rendering). A block whose body
is optional (a chart, a table, a lab, the progress and review views, the glossary, the sources) must carry
one that says what it shows; a chart's, table's or lab's comment names it, so the comment cannot quietly
go on describing another chart after the block is changed. No MkDocs import.
"""
from __future__ import annotations

from .errors import ContentError
from .markdown_scan import DIRECTIVES, Directive, segments
from .render import Site

# Blocks whose body lists what they show need no comment; on GitHub the list says it.
LISTING = {"key-terms", "stat-cards"}

FIXED = {
    "progress": "# Your progress: each lesson and its quiz, as recorded in your browser",
    "review": "# Review: the quiz questions due again, one at a time",
    "glossary": "# Glossary: every term in docs/glossary.yml, A to Z",
    "sources": "# Sources: every source in docs/facts.yml, with the facts it supports",
}


def suggested_comment(directive: Directive, site: Site) -> str:
    """The comment line that tells a reader of the Markdown what the block shows."""
    name = directive.argument.strip()
    if directive.name == "chart":
        chart = site.charts.get(name)
        return f"# Chart: {chart.title if chart else 'what it shows'} (charts/{name}.py)"
    if directive.name == "fact-table":
        table = site.facts.tables.get(name)
        return f"# Table: {table.caption if table else 'what it compares'} ('{name}' in docs/facts.yml)"
    if directive.name == "lab":
        return f"# Lab: what it teaches (docs/labs/{name}.py, run by the build)"
    return FIXED[directive.name]


def check_previews(markdown: str, file: str, site: Site) -> list[ContentError]:
    """Blocks that would show nothing on GitHub, and comments that name another chart or table."""
    problems = []
    for segment in segments(markdown, set(DIRECTIVES) - LISTING):
        directive = segment.directive
        if directive is None:
            continue
        name = directive.argument.strip()
        suggestion = suggested_comment(directive, site)
        block = f"```{directive.name}{' ' + name if name else ''}"
        if not directive.comments and not any(line.strip() for line in directive.body):
            problems.append(ContentError(
                file, directive.line, f"the {block} block shows as an empty box on GitHub",
                f"Under its opening fence, add the line `{suggestion}` "
                "(lines starting with # are for readers of the Markdown; the site leaves them out)."))
        elif name and directive.comments and not any(name in text for _line, text in directive.comments):
            line, text = directive.comments[0]
            problems.append(ContentError(
                file, line, f"the comment '{text}' does not name the {directive.name} '{name}' that the "
                f"{block} block shows", f"Describe this block, e.g. `{suggestion}`."))
    return problems
