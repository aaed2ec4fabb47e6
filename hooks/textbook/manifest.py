"""What the build records for the PDF book: the navigation, and each page's quizzes as they were rendered.

The Markdown extension renders every page once. For a page with quizzes it writes, under
``.cache/book/`` in the course folder, the questions, options, right answers and feedback as the HTML
the page shows (facts included, formatted by the same renderer). ``textbook.pdf`` builds the answer
key from these records, so the book never parses a lesson's Markdown or formats a fact a second way.
The MkDocs hook ``hooks/current_page.py`` records the navigation (each page's URL and its top-level
section, in order), so the book follows the site's order without reading the theme's HTML.
The folder is outside the site on purpose: Zensical deletes files written into the site while it builds.
"""
from __future__ import annotations

import json
from pathlib import Path

FOLDER = Path(".cache") / "book"
FORMAT = 1


def record_path(project: Path, src: str) -> Path:
    """Where the record of the page ``src`` (its path under docs/) is kept."""
    return project / FOLDER / (src.replace("/", "__") + ".json")


def write_page(project: Path, src: str, quizzes: list[dict]) -> None:
    """Record a rendered page's quizzes (an empty list removes an old record)."""
    path = record_path(project, src)
    if not quizzes:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": FORMAT, "src": src, "quizzes": quizzes}, ensure_ascii=False, indent=1)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def read_page(project: Path, src: str) -> list[dict] | None:
    """The quizzes recorded for a page, or None if the build recorded none (or in an older format)."""
    path = record_path(project, src)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record["quizzes"] if record.get("format") == FORMAT else None


def nav_path(project: Path) -> Path:
    return project / FOLDER / "nav.json"


def write_nav(project: Path, entries: list[dict]) -> None:
    """Record the navigation: ``{"url": "pretraining/", "section": "Lessons"}`` per page, in order."""
    path = nav_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": FORMAT, "pages": entries}, ensure_ascii=False, indent=1), encoding="utf-8")


def read_nav(project: Path) -> list[dict] | None:
    """The recorded navigation, or None if no build recorded one (in this format)."""
    try:
        record = json.loads(nav_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record["pages"] if record.get("format") == FORMAT else None
