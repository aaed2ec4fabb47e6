"""Internal links, anchors and images, checked the way MkDocs' own validation checks them, with file:line.

MkDocs validates links while it renders each page: it reads the ``<a href>`` and ``<img src>`` of
the page's element tree (after every Markdown extension has run), resolves each relative target
against the page's path, and looks the anchor up among the ids the target page really has. The
build reports what is wrong but not where. The fast check (``python -m textbook.check``) renders
every page with the same Markdown extensions from ``mkdocs.yml``, collects the same links and ids
with the same rules, and adds the line each link is written on. Because both read the same
rendered tree, they do not disagree (``tests/test_links.py`` keeps a corpus of link forms built
both ways). What the check adds beyond MkDocs: images must have alt text, and links in the labs'
text cells, which MkDocs does not validate, are checked too.
"""
from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import yaml
from markdown import Markdown
from markdown.htmlparser import htmlparser
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from .errors import ContentError
from .markdown_scan import strip_code


@dataclass
class RenderedLinks:
    """What one rendered page links to, and the ids it has (``None``: the page did not render)."""
    links: list[tuple[str, str, str]] = field(default_factory=list)    # (tag, url, alt text of an image)
    ids: set[str] | None = field(default_factory=set)


class _Ids(Treeprocessor):
    """Every id in the element tree, and ``<a name>``: run where MkDocs collects them (with toc, 5)."""

    def __init__(self, found: RenderedLinks) -> None:
        super().__init__()
        self.found = found

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            if anchor := element.get("id"):
                self.found.ids.add(anchor)
            if element.tag == "a" and (anchor := element.get("name")):
                self.found.ids.add(anchor)


class _Links(Treeprocessor):
    """Every ``<a href>`` and ``<img src>``: run last, where MkDocs rewrites and validates them (0)."""

    def __init__(self, found: RenderedLinks) -> None:
        super().__init__()
        self.found = found

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self.found.links.append(("a", element.get("href"), ""))
            elif element.tag == "img" and element.get("src") is not None:
                self.found.links.append(("img", element.get("src"), element.get("alt") or ""))


class _IdParser(htmlparser.HTMLParser):
    def __init__(self, found: RenderedLinks) -> None:
        super().__init__()
        self.found = found

    def handle_starttag(self, tag, attrs) -> None:
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.found.ids.add(value)


class _RawHtmlIds(Preprocessor):
    """Ids written as HTML in the Markdown (the course's rendered blocks): right before raw HTML is stashed (21)."""

    def __init__(self, found: RenderedLinks) -> None:
        super().__init__()
        self.found = found

    def run(self, lines: list[str]) -> list[str]:
        parser = _IdParser(self.found)
        parser.feed("\n".join(lines))
        parser.close()
        return lines


MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")    # MkDocs always adds these three


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml with its tags (``!ENV``, ``tag:…``) left as None."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:", lambda loader, suffix, node: None)


def mkdocs_settings(config: Path) -> dict:
    """mkdocs.yml as a mapping, with ``!ENV`` and other tags left unresolved (None)."""
    return yaml.load(config.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}


def markdown_settings(config: Path | dict) -> tuple[list[str], dict]:
    """The Markdown extensions MkDocs would load for mkdocs.yml (a path, or ``mkdocs_settings`` of it),
    as (names, configs)."""
    settings = mkdocs_settings(config) if isinstance(config, Path) else config
    names, configs = list(MKDOCS_BUILTINS), {}
    for item in settings.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, options in item.items():
                names.append(name)
                configs[name] = options or {}
        elif isinstance(item, str):
            names.append(item)
    return list(dict.fromkeys(names)), configs


def render_links(md: Markdown, markdown: str) -> RenderedLinks:
    """Render ``markdown`` with ``md`` (its extensions already loaded) and collect its links and ids."""
    found = RenderedLinks()
    md.reset()
    md.preprocessors.register(_RawHtmlIds(found), "textbook_raw_html_ids", 21)
    md.treeprocessors.register(_Ids(found), "textbook_ids", 5)
    md.treeprocessors.register(_Links(found), "textbook_links", 0)
    try:
        md.convert(markdown)
    finally:
        for name in ("textbook_raw_html_ids",):
            md.preprocessors.deregister(name, strict=False)
        for name in ("textbook_ids", "textbook_links"):
            md.treeprocessors.deregister(name, strict=False)
    return found


def link_line(prose: list[tuple[int, str]], url: str) -> int | None:
    """The line a rendered link's URL is written on, from the page's ``strip_code`` lines (outside code)."""
    spellings = [spelling for spelling in dict.fromkeys([url, html.unescape(url), unquote(url)]) if spelling]
    for number, line in prose:
        if any(spelling in line for spelling in spellings):
            return number
    return None


def check_rendered_links(pages: dict[str, tuple[str, str, RenderedLinks]], files: set[str]) -> list[ContentError]:
    """MkDocs' link rules over rendered pages, each problem at its file:line.

    ``pages`` maps a page's path under docs/ to (its name for messages, its source, what it links
    to); ``files`` is every file under docs/ (pages, pictures, data).
    """
    problems = []
    for src, (name, source, rendered) in pages.items():
        prose = [(number, line) for number, line in strip_code(source) if line.strip()] if rendered.links else []
        for tag, url, alt in rendered.links:
            where = link_line(prose, url)
            if tag == "img" and not alt.strip():
                problems.append(ContentError(name, where, f"the image '{url}' has no alt text",
                                             "Describe what the image shows in a full sentence: ![A chart of …](…)."))
            problems.extend(_check_link(src, name, where, tag, url, pages, files))
    return problems


def _check_link(src: str, name: str, where: int | None, tag: str, url: str, pages: dict, files: set[str]) -> list[ContentError]:
    scheme, netloc, path, _query, anchor = urlsplit(url)
    if scheme or netloc or AMP_SUBSTITUTE in url:
        return []                                          # another site, or an e-mail address
    if url.startswith(("/", "\\")):
        return [ContentError(name, where, f"an absolute link '{url}'",
                             "Link to the page's .md file by a relative path, e.g. (pretraining.md) or (../index.md).")]
    if not path:                                           # an anchor on this page
        target = src
    else:
        path = unquote(path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path).lstrip("/"))
        if target not in files:
            if tag == "img":
                return [ContentError(name, where, f"the image '{url}' does not exist",
                                     "Check the file name and its folder under docs/.")]
            if not posixpath.splitext(path)[-1]:
                return [ContentError(name, where, f"a link to '{url}', which is not a file",
                                     "Link to the page's .md file, e.g. (labs/index.md) rather than (labs/).")]
            return [ContentError(name, where, f"a link to '{url}', but there is no file '{target}' under docs/",
                                 "Check the path; links between lessons point at their .md files, e.g. (pretraining.md).")]
    if anchor and target in pages:
        ids = pages[target][2].ids
        if ids is not None and anchor not in ids:
            return [ContentError(name, where, f"a link to '{url}', but '{target}' has no heading or id '{anchor}'",
                                 "Use the anchor of an existing heading: lower case, spaces as hyphens, "
                                 "e.g. #key-takeaways.")]
    return []
