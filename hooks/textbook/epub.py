"""Export the whole course as an EPUB 3 book, from the built site and the build's records.

    python -m textbook.epub [-f mkdocs.yml] [-d site] [--no-build] [-o NAME]

The chapters are the PDF book's (``textbook.pdf.prepare``): the pages in the navigation's order,
each prepared for reading away from the site (folds open, tabs one after another, quizzes with their
questions and options but no answers, interactive parts left out, labs as a summary), then the
answer key made from the quizzes as the build rendered them, then the glossary and sources. Each
chapter is one XHTML file; charts are SVG files with their alt text; the table of contents follows
the navigation's parts. Reading systems reflow the text, so the book has no page numbers. The file
is reproducible: its date is the edition's (``SOURCE_DATE_EPOCH`` or the last commit).
"""
from __future__ import annotations

import base64
import html
import re
import sys
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag

from . import pdf
from .errors import ContentError, ContentErrors

EPUB_NAME = "from-data-to-assistant.epub"
STYLESHEET = Path(__file__).with_name("epub.css")
XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
         '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">\n'
         '<head><meta charset="utf-8"/><title>{title}</title>'
         '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n<body{body_attrs}>\n{body}\n</body>\n</html>\n')
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
               "gif": "image/gif", "webp": "image/webp"}
DATA_URI = re.compile(r"data:(image/[a-z+.-]+)(;base64)?,(.*)", re.S)
# Attributes that only the site's scripts read, and HTML attributes XHTML does not allow.
SCREEN_ATTRIBUTES = ("data-md-component", "tabindex", "aria-describedby", "hidden", "title", "rel",
                     "data-correct", "data-option", "data-misconception", "data-misconception-href",
                     "data-misconception-statement", "onclick")


@dataclass
class Part:
    """One XHTML file of the book."""
    name: str                      # e.g. "c03-pretraining.xhtml"
    title: str
    body: Tag
    section: str = ""
    kind: str = "chapter"
    svg: bool = False


@dataclass
class Images:
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)   # name in the book -> (media type, bytes)
    by_source: dict[str, str] = field(default_factory=dict)             # data URI or site path -> name

    def add(self, key: str, media_type: str, data: bytes) -> str:
        if key not in self.by_source:
            extension = next((ext for ext, kind in MEDIA_TYPES.items() if kind == media_type), "bin")
            name = f"images/figure-{len(self.files) + 1:03d}.{extension}"
            self.files[name] = (media_type, data)
            self.by_source[key] = name
        return self.by_source[key]


def _images(part: Part, site: Path, images: Images, where: str) -> None:
    """Charts carried in the page as data: URIs, and images from the site, become files of the book."""
    for image in part.body.find_all("img"):
        src = image.get("src", "")
        match = DATA_URI.match(src)
        if match:
            media_type, is_base64, payload = match.groups()
            data = base64.b64decode(payload) if is_base64 else unquote(payload).encode("utf-8")
            image["src"] = images.add(src, media_type, data)
        else:
            path = site / unquote(src)
            kind = MEDIA_TYPES.get(path.suffix.lower().lstrip("."))
            if not path.is_file() or kind is None:
                raise ContentError(where, None, f"image '{src}' cannot go into the EPUB (missing, or not SVG, "
                                   "PNG, JPEG, GIF or WebP)", pdf.HINT_IMAGE)
            image["src"] = images.add(src, kind, path.read_bytes())
        if not image.get("alt"):
            image["alt"] = ""


def _strip_screen_attributes(body: Tag) -> None:
    for element in body.find_all(True):
        for attribute in SCREEN_ATTRIBUTES:
            element.attrs.pop(attribute, None)
        if element.name == "ol" and element.get("type") == "a":
            element["style"] = "list-style-type: lower-alpha"        # XHTML keeps type, EPUB readers prefer CSS
            del element["type"]


def _caption_last(body: Tag) -> None:
    """A figure's caption must be its first or last child: what follows it (a chart's data table) moves
    to just after the figure, so the picture, its caption and then its data read in that order."""
    for figure in body.find_all("figure"):
        caption = figure.find("figcaption", recursive=False)
        if caption is None:
            continue
        after = [node for node in caption.find_next_siblings()]
        for node in reversed(after):
            figure.insert_after(node.extract())


def _link_across_files(parts: list[Part]) -> None:
    """Links inside the book ("#pretraining--scaling-laws") point at the file that holds the id."""
    home = {element["id"]: part.name for part in parts for element in part.body.find_all(id=True)}
    for part in parts:
        for link in part.body.find_all("a", href=True):
            href = link["href"]
            if href.startswith("#"):
                target = home.get(href[1:])
                if target is None:
                    del link["href"]
                elif target != part.name:
                    link["href"] = f"{target}{href}"


def _xhtml(part: Part) -> str:
    body = part.body.decode(formatter="minimal")
    text = XHTML.format(title=html.escape(part.title), body_attrs=f' epub:type="{_epub_type(part)}"', body=body)
    return text


def _epub_type(part: Part) -> str:
    return {"cover": "cover", "key": "backmatter", "back": "backmatter"}.get(part.kind, "bodymatter")


def _cover(edition: pdf.Edition) -> Part:
    soup = BeautifulSoup(pdf.cover(edition), "html.parser")
    return Part("cover.xhtml", edition.title, soup, kind="cover")


def _nav(parts: list[Part], title: str) -> str:
    lines = ['<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>']
    section = None
    for part in parts:
        if part.kind == "cover":
            continue
        if part.section != section:
            if section:
                lines.append("</ol></li>")
            section = part.section
            if section:
                lines.append(f'<li><span>{html.escape(section)}</span><ol>')
        lines.append(f'<li><a href="{part.name}">{html.escape(part.title)}</a></li>')
    if section:
        lines.append("</ol></li>")
    lines.append("</ol></nav>")
    first = next(part.name for part in parts if part.kind not in ("cover",))
    lines.append('<nav epub:type="landmarks" id="landmarks" hidden=""><h2>Landmarks</h2><ol>'
                 f'<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
                 f'<li><a epub:type="bodymatter" href="{first}">Start of the book</a></li></ol></nav>')
    return XHTML.format(title=html.escape(title), body_attrs="", body="".join(lines))


def _opf(edition: pdf.Edition, parts: list[Part], images: Images, identifier: str) -> str:
    modified = edition.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="style" href="style.css" media-type="text/css"/>']
    for number, part in enumerate(parts):
        properties = ' properties="svg"' if part.svg else ""
        items.append(f'<item id="part-{number}" href="{part.name}" media-type="application/xhtml+xml"{properties}/>')
    for number, (name, (media_type, _data)) in enumerate(images.files.items()):
        items.append(f'<item id="image-{number}" href="{name}" media-type="{media_type}"/>')
    spine = "".join(f'<itemref idref="part-{number}"/>' for number in range(len(parts)))
    metadata = [f'<dc:identifier id="book-id">{identifier}</dc:identifier>',
                f"<dc:title>{html.escape(edition.title)}</dc:title>",
                "<dc:language>en</dc:language>",
                f'<meta property="dcterms:modified">{modified}</meta>',
                f"<dc:date>{edition.date:%Y-%m-%d}</dc:date>"]
    if edition.author:
        metadata.append(f"<dc:creator>{html.escape(edition.author)}</dc:creator>")
    if edition.description:
        metadata.append(f"<dc:description>{html.escape(edition.description)}</dc:description>")
    if edition.licence:
        metadata.append(f"<dc:rights>{html.escape(edition.licence)}</dc:rights>")
    # What the book offers a reader who uses assistive technology (schema.org accessibility metadata).
    metadata += ['<meta property="schema:accessMode">textual</meta>',
                 '<meta property="schema:accessMode">visual</meta>',
                 '<meta property="schema:accessModeSufficient">textual</meta>',
                 '<meta property="schema:accessibilityFeature">alternativeText</meta>',
                 '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
                 '<meta property="schema:accessibilityFeature">tableOfContents</meta>',
                 '<meta property="schema:accessibilityHazard">none</meta>',
                 '<meta property="schema:accessibilitySummary">Headings, lists and tables are marked up; '
                 'every chart has a text description and its data as a table.</meta>']
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="en">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">' + "".join(metadata) + "</metadata>\n"
            "<manifest>" + "".join(items) + "</manifest>\n"
            f"<spine>{spine}</spine>\n</package>\n")


CONTAINER = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
             "</rootfiles></container>\n")


def book_parts(book: pdf.Book, edition: pdf.Edition) -> list[Part]:
    """The cover, each chapter and the answer key, in reading order."""
    parts = [_cover(edition)]
    key_written = False

    def key() -> Part:
        soup = BeautifulSoup(pdf.answer_key(book), "html.parser")
        return Part("answer-key.xhtml", "Answer key", soup, kind="key")

    for number, (chapter, article) in enumerate(pdf.prepare(book, paper=False), start=1):
        if chapter.kind == "back" and not key_written:
            parts.append(key())
            key_written = True
        soup = BeautifulSoup("", "html.parser")
        section = soup.new_tag("section", attrs={"class": f"fd-book-chapter fd-book-chapter--{chapter.kind}",
                                                 "id": chapter.key})
        for child in list(article.contents):
            section.append(child)
        soup.append(section)
        parts.append(Part(f"c{number:02d}-{chapter.key}.xhtml", chapter.title, soup,
                          "" if chapter.kind == "back" else chapter.section, chapter.kind))
    if not key_written:
        parts.append(key())
    return parts


def export(site: Path, output: Path, root: Path, docs: Path | None = None) -> int:
    """Make the EPUB from an already built site; returns the number of chapters (cover and key included)."""
    docs = docs or root / "docs"
    edition = pdf.read_edition(site, root)
    if not pdf.reachable(edition.site_url):
        edition.site_url = ""                     # a preview's loopback address means nothing to a reader
    book, problems = pdf.load_book(site, docs, root, edition.site_url)
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    parts = book_parts(book, edition)
    images = Images()
    for part in parts:
        _strip_screen_attributes(part.body)
        _caption_last(part.body)
        _images(part, site, images, part.name)
        part.svg = part.body.find("svg") is not None
    _link_across_files(parts)
    identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, edition.site_url or edition.title)}"
    stamp = edition.date.timetuple()[:6]

    def entry(archive: zipfile.ZipFile, name: str, data: str | bytes, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)

    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w") as archive:
        entry(archive, "mimetype", "application/epub+zip", compress=False)     # first, stored: the format's rule
        entry(archive, "META-INF/container.xml", CONTAINER)
        entry(archive, "OEBPS/content.opf", _opf(edition, parts, images, identifier))
        entry(archive, "OEBPS/nav.xhtml", _nav(parts, edition.title))
        entry(archive, "OEBPS/style.css", STYLESHEET.read_text(encoding="utf-8"))
        for part in parts:
            entry(archive, f"OEBPS/{part.name}", _xhtml(part))
        for name, (_media_type, data) in images.files.items():
            entry(archive, f"OEBPS/{name}", data)
    return len(parts)


def main(argv: list[str] | None = None) -> int:
    args = pdf.book_arguments("python -m textbook.epub", __doc__.split("\n\n")[0], EPUB_NAME).parse_args(argv)
    return pdf.run_book(args, "EPUB", export, "files of text")


if __name__ == "__main__":
    sys.exit(main())
