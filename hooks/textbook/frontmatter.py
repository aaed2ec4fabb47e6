"""A page's front matter: the YAML block between '---' lines at the top of a lesson.

MkDocs reads a block it cannot parse, or one never closed, as ordinary page text: the YAML would
show on the page and the title would be lost. The check and the build refuse both instead.
"""
from __future__ import annotations

import re

from .errors import ContentError
from .yamlfile import LineDict, parse_yaml

OPENING = re.compile(r"^---[ \t]*$")
CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


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
    return []
