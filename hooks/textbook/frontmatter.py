"""A page's front matter: the YAML block between '---' lines at the top of a lesson.

MkDocs reads a block it cannot parse, or one never closed, as ordinary page text: the YAML would
show on the page and the title would be lost. The check and the build refuse both instead.
"""
from __future__ import annotations

import re

from .errors import ContentError
from .sanitize import TITLE_MARKUP
from .yamlfile import LineDict, parse_yaml

OPENING = re.compile(r"^---[ \t]*$")
CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def without_front_matter(markdown: str) -> str:
    """The Markdown a builder renders: the front matter block, if any, left out."""
    lines = markdown.split("\n")
    if lines and OPENING.match(lines[0]):
        end = next((index for index in range(1, len(lines)) if CLOSING.match(lines[index])), None)
        if end is not None:
            return "\n".join(lines[end + 1:])
    return markdown


def check_front_matter(markdown: str, name: str) -> list[ContentError]:
    """Problems with the page's front matter block, if it has one; each at its line."""
    lines = markdown.split("\n")
    if not lines or not OPENING.match(lines[0]):
        return []
    end = next((index for index in range(1, len(lines)) if CLOSING.match(lines[index])), None)
    if end is None:
        return [ContentError(name, 1, "the front matter block is never closed",
                             "End it with a line of three dashes (---) after its last field.")]
    try:
        data = parse_yaml("\n".join(lines[1:end]), name, first_line=2)
    except ContentError as error:
        return [error]
    if data is not None and not isinstance(data, LineDict):
        return [ContentError(name, 2, "the front matter must be 'field: value' lines, such as 'title: Pretraining'")]
    return _field_problems(data or LineDict(), name, offset=1)     # the block starts on line 2


# The fields a page may set, and what each may hold. Anything else would reach the theme: 'template'
# can swap in a page that has no Content-Security-Policy (a redirect page runs script) or blank a chapter,
# 'icon', 'status' and 'author' are written into the page unescaped or crash the theme when wrong.
FIELDS = {
    "title": "a line of text, the page's title in the browser tab and the menu",
    "description": "a sentence of text, for search engines and link previews",
    "search": "'exclude: true' to leave the page out of search, or 'boost: 2' to rank it higher",
}
HOW_TO_FIX_FIELDS = ("A page's front matter may set only " + ", ".join(f"'{key}' ({what})" for key, what in FIELDS.items())
                     + ". How pages look is set once for the whole course in mkdocs.yml and overrides/.")


def _field_problems(data: LineDict, name: str, offset: int) -> list[ContentError]:
    problems = []
    for key, value in data.items():
        line = data.line_of(key) + offset
        if key not in FIELDS:
            problems.append(ContentError(name, line, f"the front matter sets '{key}', which a page may not set",
                                         HOW_TO_FIX_FIELDS))
        elif key in ("title", "description") and (not isinstance(value, str) or "\n" in value.strip()):
            problems.append(ContentError(name, line, f"the front matter's '{key}' must be one line of text",
                                         f"Write '{key}: ' followed by the text on the same line."))
        elif key in ("title", "description") and TITLE_MARKUP.search(value):
            problems.append(ContentError(name, line, f"the front matter's '{key}' has '<' or '>' in it",
                                         "It is written into the page's head and the menu: write it in words, "
                                         "without angle brackets or HTML entities."))
        elif key == "search" and not (
                isinstance(value, dict) and value and set(value) <= {"exclude", "boost"}
                and isinstance(value.get("exclude", False), bool)
                and isinstance(value.get("boost", 1), (int, float)) and not isinstance(value.get("boost", 1), bool)):
            problems.append(ContentError(name, line, "the front matter's 'search' must be 'exclude: true' "
                                         "or 'boost: <a number>'", FIELDS["search"]))
    return problems
