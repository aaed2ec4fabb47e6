"""Export the whole course as one PDF book, from the built site.

    python -m textbook.pdf [-f mkdocs.yml] [-d site]

Builds the site (with a "Download PDF" link on its pages), then reads the built pages in the order
of the site's navigation, takes each page's article, prepares it for paper (tabs printed one after
another, folds printed open, quizzes without their answers, interactive parts dropped, links turned
into links inside the book) and adds a cover, a table of contents, an answer key made from the
quizzes as the build rendered them (``textbook.manifest``), and the glossary and sources as back
matter. WeasyPrint lays it out with CSS paged media (``book.css`` beside this file): page numbers in
the contents, running chapter heads and PDF bookmarks. Nothing is fetched from another host.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import html
import logging
import multiprocessing
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from .errors import ContentError, ContentErrors
from . import manifest
from .extension import page_file
from .render import SCREEN_ONLY

STYLESHEET = Path(__file__).with_name("book.css")
PDF_NAME = "from-data-to-assistant.pdf"
ENV_LINK = "TEXTBOOK_PDF"          # read by mkdocs.yml: the built pages link to the PDF when it is set
BASE = "http://book.invalid/"      # stands for the site root while resolving relative links
DOWNLOADS = (".py",)               # a lab's source, offered for download on its page
LABS = "labs"                      # pages in a nav section of this name are printed as summaries
BACK_MATTER = "reference"          # pages in this section come after the answer key
CHAPTER_NUMBER = re.compile(r"^\s*(\d+)\.\s")
LESSON_PDFS = "pdf"                # folder of the site with one PDF per lesson, each with its answer key
WIDE_TABLE = 8                     # columns: a table this wide is printed on a landscape page

HINT_IMAGE = ("Every image must exist in the built site: put the file under docs/ and link it with a "
              "relative path (a chart's SVG is written when the site is built).")


# -- reading the built site ----------------------------------------------------------------------------
@dataclass
class NavEntry:
    url: str            # from the site root, e.g. "pretraining/" ("" for the home page)
    section: str        # the top-level nav section it sits in ("" for none)


@dataclass
class Chapter:
    key: str                     # unique prefix for ids inside the book, e.g. "pretraining"
    url: str
    section: str
    title: str
    number: str                  # "2" for "2. Pretraining", "" for unnumbered pages
    article: Tag
    source: Path | None          # the Markdown source, when there is one
    kind: str = "chapter"        # chapter, lab, back
    quiz: KeyQuiz | None = None


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def read_nav(site: Path, root: Path) -> list[NavEntry]:
    """The pages in the order of the site's navigation, as the build recorded it (``hooks/book_nav.py``)."""
    recorded = manifest.read_nav(root)
    if recorded is None:
        raise ContentError(_relative(manifest.nav_path(root), root), None, "the build recorded no navigation",
                           "Build the site with the course's mkdocs.yml, whose hooks include hooks/book_nav.py "
                           "(python -m textbook.pdf builds it for you).")
    entries: list[NavEntry] = []
    seen: set[str] = set()
    for entry in recorded:
        url = entry["url"]
        if url in seen or not page_file(site, url).exists():
            continue
        seen.add(url)
        entries.append(NavEntry(url, entry["section"]))
    return entries


def source_for(docs: Path, url: str) -> Path | None:
    stem = unquote(url).strip("/")
    for candidate in ([docs / "index.md"] if not stem else [docs / f"{stem}.md", docs / stem / "index.md"]):
        if candidate.exists():
            return candidate
    return None


def _key(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unquote(url).lower()).strip("-") or "home"


# -- preparing one page for print ---------------------------------------------------------------------
@dataclass
class Book:
    site: Path
    docs: Path
    root: Path                                     # the course folder, for messages
    site_url: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    by_url: dict[str, Chapter] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)   # image path in the site -> the page using it
    unnumbered_figures: int = 0

    def where(self, chapter: Chapter) -> str:
        if chapter.source is not None:
            return _relative(chapter.source, self.root)
        return f"{_relative(page_file(self.site, chapter.url), self.root)} (built page)"

    def online(self, path: str) -> str:
        return self.site_url + path if self.site_url else ""


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


DROP = ", ".join([*SCREEN_ONLY, "link", "a.anchor-link", ".zeroclipboard-container", "clipboard-copy"])


def clean(article: Tag, soup: BeautifulSoup) -> None:
    """Drop what only works on screen and rewrite widgets into static print equivalents."""
    for element in article.select(DROP):
        element.decompose()
    for comment in article.find_all(string=lambda text: type(text).__name__ == "Comment"):
        comment.extract()
    for mark in article.select("abbr, a.fd-term"):
        mark.unwrap()                              # hover definitions mean nothing on paper
    for wrapper in article.select(".md-typeset__scrollwrap, .md-typeset__table"):
        wrapper.unwrap()
    # Code: plain text in a <pre>, without the line anchors the site uses.
    for pre in article.select("div.highlight pre, .highlight-ipynb pre"):
        text = pre.get_text()
        pre.clear()
        code = soup.new_tag("code")
        code.string = text.rstrip("\n")
        pre.append(code)
    # Tabs: every tab printed, each under its own label.
    for tabs in article.select("div.tabbed-set"):
        labels = [" ".join(label.get_text("").split()) for label in tabs.select("div.tabbed-labels > label")]
        blocks = tabs.select("div.tabbed-content > div.tabbed-block")
        printed = soup.new_tag("div", attrs={"class": "fd-print-tabs"})
        for label, block in zip(labels, blocks):
            title = soup.new_tag("p", attrs={"class": "fd-print-tab__label"})
            title.string = label
            block.name, block["class"] = "div", ["fd-print-tab"]
            printed.append(title)
            printed.append(block.extract())
        tabs.replace_with(printed)
    # Folds (??? and <details>) print open, as admonitions with their summary as title.
    for details in article.find_all("details"):
        details.name = "div"
        details["class"] = ["admonition", "fd-fold", *details.get("class", [])]
        details.attrs.pop("open", None)
        summary = details.find("summary")
        if summary is not None:
            summary.name = "p"
            summary["class"] = ["admonition-title"]
    # Quizzes: questions and options only; the answers are in the answer key.
    for fieldset in article.select("fieldset.fd-q"):
        fieldset.name = "div"
        legend = fieldset.find("legend")
        if legend is not None:
            legend.name = "p"
        for option in fieldset.select("li.fd-opt"):
            label = option.find("label")
            if label is not None:
                label.unwrap()
        options = fieldset.find("ul", class_="fd-q__options")
        if options is not None:
            options.name = "ol"
            options["type"] = "a"
    for element in article.find_all(True):
        for attribute in ("data-md-component", "tabindex", "aria-describedby", "hidden", "title", "rel"):
            element.attrs.pop(attribute, None)


def number_figures(book: Book, chapter: Chapter, soup: BeautifulSoup) -> None:
    """Number figures (with a caption) and tables in a chapter: "Figure 2.1", "Table 2.3"."""
    figures = 0
    for figure in chapter.article.find_all("figure"):
        caption = figure.find("figcaption")
        if caption is None:
            continue
        if chapter.number:
            figures += 1
            label = f"Figure {chapter.number}.{figures}"
        else:
            book.unnumbered_figures += 1
            label = f"Figure {book.unnumbered_figures}"
        prefix = soup.new_tag("span", attrs={"class": "fd-fig-label"})
        prefix.string = label + " "
        caption.insert(0, prefix)
        figure["data-label"] = label
    if not chapter.number or chapter.kind != "chapter":
        return
    count = 0
    for table in chapter.article.find_all("table"):
        if table.find_parent(class_="fd-q") or table.find_parent("figure") or table.find_parent(class_="fd-chart"):
            continue
        count += 1
        caption = table.find("caption")
        if caption is None:
            caption = soup.new_tag("caption")
            table.insert(0, caption)
        prefix = soup.new_tag("span", attrs={"class": "fd-fig-label"})
        prefix.string = f"Table {chapter.number}.{count} "
        caption.insert(0, prefix)
        # A table of many columns gets a landscape page of its own, where its cells have room.
        if max((len(row.find_all(["th", "td"])) for row in table.find_all("tr")), default=0) >= WIDE_TABLE:
            wrapper = table.find_parent(class_="fd-table-wrap") or table
            wrapper["class"] = [*wrapper.get("class", []), "fd-landscape"]
            wrapper["data-label"] = f"Table {chapter.number}.{count}"


def key_terms_on_paper(chapter: Chapter, soup: BeautifulSoup) -> None:
    """On paper the key-terms box lists the terms alone, small enough to stay whole on its page; their
    definitions follow at the end of the chapter, where a list running over a page break is ordinary."""
    for box in chapter.article.select(".fd-key-terms"):
        terms = box.find("dl")
        if terms is None:
            continue
        names = soup.new_tag("p", attrs={"class": "fd-key-terms__names"})
        for number, term in enumerate(terms.find_all("dt")):
            if number:
                names.append(" · ")
            name = soup.new_tag("span")
            name.string = term.get_text(" ", strip=True)
            names.append(name)
        pointer = soup.new_tag("p", attrs={"class": "fd-key-terms__pointer"})
        link = soup.new_tag("a", href="#key-terms-defined", attrs={"class": "fd-xref"})
        link.string = "Key terms, defined"
        pointer.append("Each is defined in ")
        pointer.append(link)
        pointer.append(", at the end of this chapter.")
        for link in terms.select("dt a"):            # the definition is right here: no page number needed
            link.unwrap()
        terms.replace_with(names)
        names.insert_after(pointer)
        section = soup.new_tag("section", attrs={"class": "fd-terms-defined"})
        heading = soup.new_tag("h2", id="key-terms-defined")
        heading.string = "Key terms, defined"
        section.append(heading)
        section.append(terms)
        onward = chapter.article.find("h2", id="where-next")
        if onward is not None:
            onward.insert_before(section)
        else:
            chapter.article.append(section)


def plates(chapter: Chapter, soup: BeautifulSoup) -> None:
    """Print a landscape table at the end of its chapter, with a pointer where it stood.

    A page turned sideways always starts a new page, so a table printed where it stands leaves the
    page before it part empty in the middle of a chapter; at the chapter's end it costs nothing."""
    for count, wrapper in enumerate(chapter.article.select(".fd-landscape"), start=1):
        anchor = wrapper.get("id") or f"plate-{count}"
        wrapper["id"] = anchor
        pointer = soup.new_tag("p", attrs={"class": "fd-plate-pointer"})
        link = soup.new_tag("a", href=f"#{anchor}", attrs={"class": "fd-xref"})
        link.string = wrapper.get("data-label", "The table")
        pointer.append(link)
        pointer.append(" is printed sideways at the end of this chapter.")
        note = wrapper.find_next_sibling()
        wrapper.replace_with(pointer)
        chapter.article.append(wrapper)
        if note is not None and "fd-table-note" in note.get("class", []):     # the table's note goes with it
            wrapper.append(note.extract())


def check_images(book: Book, chapter: Chapter) -> list[ContentError]:
    """Every image exists in the built site and is served from it; src becomes site-relative."""
    problems = []
    for image in chapter.article.find_all("img"):
        src = image.get("src", "")
        if src.startswith("data:"):
            image["src"] = src.split("#", 1)[0]     # a chart's "#only-light" mark is not part of its data
            continue
        absolute = urljoin(BASE + chapter.url, src)
        if not absolute.startswith(BASE):
            problems.append(ContentError(book.where(chapter), None,
                                         f"image '{src}' comes from another host; the PDF export never "
                                         "fetches anything from the network", HINT_IMAGE))
            continue
        path = unquote(urlsplit(absolute).path.lstrip("/"))
        target = book.site / path
        if not src or not target.is_file():
            problems.append(ContentError(book.where(chapter), None,
                                         f"image '{src}' is missing from the built site (looked for {path})",
                                         HINT_IMAGE))
            continue
        if target.suffix.lower() == ".svg":
            try:
                ElementTree.parse(target)
            except ElementTree.ParseError as error:
                problems.append(ContentError(book.where(chapter), None,
                                             f"image '{src}' is not a valid SVG file ({error})", HINT_IMAGE))
                continue
        image["src"] = path
        book.images[path] = book.where(chapter)
    return problems


def rewrite_links(book: Book, chapter: Chapter, ids: set[str]) -> None:
    """Ids get the chapter's prefix; links to pages in the book point inside the book."""
    for element in chapter.article.find_all(id=True):
        anchor = f"{chapter.key}--{element['id']}"
        if anchor in ids:                   # a page with a repeated id: the first keeps it, links go there
            anchor += f"--{sum(1 for used in ids if used.startswith(anchor))}"
        ids.add(anchor)
        element["id"] = anchor
    for element in chapter.article.find_all(attrs={"name": True}):
        if element.name == "a":
            del element["name"]
    for link in chapter.article.find_all("a", href=True):
        href = link["href"]
        absolute = urljoin(BASE + chapter.url, href)
        if book.site_url and href.startswith(book.site_url):
            absolute = BASE + href[len(book.site_url):]
        if not absolute.startswith(BASE):              # another site, mailto:, …: keep it, and on paper
            if href.startswith(("http://", "https://")) and link.get_text(strip=True) != href:
                link["class"] = [*link.get("class", []), "fd-ext"]       # print the address after the text
            continue
        parts = urlsplit(absolute)
        path = unquote(parts.path.lstrip("/"))
        target = book.by_url.get(path) or book.by_url.get(path + "/" if path and not path.endswith("/") else path)
        if target is not None:
            anchor = f"{target.key}--{parts.fragment}" if parts.fragment else target.key
            link["href"] = "#" + anchor
            if target is not chapter and not link.find_parent(class_=["fd-fact__q", "fd-key-terms"]):
                link["class"] = [*link.get("class", []), "fd-xref"]
            continue
        online = book.online(path) + (f"#{parts.fragment}" if parts.fragment else "")
        if online:
            link["href"] = online
        else:
            del link["href"]


def fix_dangling(book: Book, body: Tag) -> None:
    """A link to an anchor the book does not have (a removed widget, a typo) becomes plain text."""
    ids = {element["id"] for element in body.find_all(id=True)}
    for link in body.find_all("a", href=True):
        if link["href"].startswith("#") and link["href"][1:] not in ids:
            del link["href"]
            link["class"] = [c for c in link.get("class", []) if c != "fd-xref"]


def lab_summary(book: Book, chapter: Chapter, soup: BeautifulSoup) -> Tag:
    """A lab printed as one page: its title, its opening paragraphs and where to run it."""
    summary = soup.new_tag("article", attrs={"class": "fd-lab"})
    heading = soup.new_tag("h1")
    heading.string = chapter.title
    summary.append(heading)
    paragraphs = []
    for element in chapter.article.find_all(["p", "h1", "h2", "h3"]):
        if element.name in ("h2", "h3") and paragraphs:
            break
        if element.name == "p" and element.get_text(strip=True) and not element.find_parent(class_="admonition") \
                and "fd-lab-download" not in element.get("class", []):      # the box below says where to get it
            paragraphs.append(element)
        if len(paragraphs) == 3:
            break
    for paragraph in paragraphs:
        summary.append(copy.copy(paragraph))
    box = soup.new_tag("div", attrs={"class": "admonition fd-lab__run"})
    title = soup.new_tag("p", attrs={"class": "admonition-title"})
    title.string = "Run this lab"
    box.append(title)
    files = sorted({urlsplit(urljoin(BASE + chapter.url, a["href"])).path.lstrip("/")
                    for a in chapter.article.find_all("a", href=True) if a["href"].split("#")[0].endswith(DOWNLOADS)})
    online = book.online(chapter.url)
    text = soup.new_tag("p")
    text.append("This lab is interactive: it runs code, so the book gives only its opening. ")
    if online:
        text.append("Open it online at ")
        text.append(_link(soup, online))
        text.append(".")
    else:
        text.append(f"Open it on the course website, at {chapter.url}.")
    box.append(text)
    for path in files:
        line = soup.new_tag("p")
        line.append("Download its source: ")
        line.append(_link(soup, book.online(path)) if online else path)
        box.append(line)
    summary.append(box)
    return summary


def _link(soup: BeautifulSoup, url: str) -> Tag:
    link = soup.new_tag("a", href=url, attrs={"class": "fd-url"})
    link.string = url
    return link


# -- the answer key ------------------------------------------------------------------------------------
LETTERS = "abcdefghijklmnopqrstuvwxyz"
FEEDBACK_PREFIX = re.compile(r"^\s*Correct\s*[—–-]+\s*")


@dataclass
class KeyQuiz:
    """A page's quiz as the build rendered it (``textbook.manifest``): questions, options, feedback in HTML."""
    id: str
    questions: list[dict]


def quiz_of(book: Book, chapter: Chapter) -> KeyQuiz | None:
    """The chapter's first quiz, from the record the build wrote while rendering the page."""
    if chapter.source is None:
        return None
    src = chapter.source.relative_to(book.docs).as_posix()
    quizzes = manifest.read_page(book.root, src)
    if quizzes is None:
        article_has_quiz = chapter.article.select_one("div.fd-quiz") is not None
        if article_has_quiz:
            raise ContentError(book.where(chapter), None, "the build left no record of this page's quiz",
                               "Build the site again (python -m textbook.pdf builds it for you).")
        return None
    return KeyQuiz(quizzes[0]["id"], quizzes[0]["questions"]) if quizzes else None


def _plain_facts(fragment: str) -> str:
    """Rendered quiz HTML with each fact as its text: its source is cited in the lesson, not in the key."""
    soup = BeautifulSoup(fragment, "html.parser")
    for mark in soup.select("span.fd-fact sup.fd-fact__q"):
        mark.decompose()
    for fact in soup.select("span.fd-fact"):
        fact.replace_with(fact.get_text())
    return str(soup)


KEY_INTRO = ("The right answers to every question in the lessons' quizzes and the module test, each with "
             "the reason it is right. Letters match the options as printed with the question.")


def answer_key(book: Book, intro: str = KEY_INTRO) -> str:
    parts = ['<section class="fd-book-chapter fd-book-key" id="answer-key">',
             '<h1 id="answer-key-title">Answer key</h1>', f"<p>{html.escape(intro)}</p>"]
    for chapter in book.chapters:
        quiz = chapter.quiz
        if quiz is None:
            continue
        parts.append(f'<section class="fd-key" id="key-quiz-{quiz.id}">')
        parts.append(f'<h2><a href="#{chapter.key}--quiz-{quiz.id}">{html.escape(chapter.title)}</a></h2>')
        parts.append("<ol class=\"fd-key__list\">")
        for question in quiz.questions:
            parts.append(f'<li class="fd-key__entry" id="key-q-{question["id"]}">')
            parts.append(f'<p class="fd-key__question"><a href="#{chapter.key}--q-{question["id"]}">'
                         f'{_plain_facts(question["html"])}</a></p>')
            for letter, option in zip(LETTERS, question["options"]):
                if option["correct"]:
                    why = FEEDBACK_PREFIX.sub("", option["feedback_html"])
                    parts.append(f'<p class="fd-key__answer"><strong>{letter})</strong> '
                                 f'{_plain_facts(option["html"])} — '
                                 f'<span class="fd-key__why">{_plain_facts(why)}</span></p>')
            if question["explanation_html"]:
                parts.append(f'<p class="fd-key__why">{_plain_facts(question["explanation_html"])}</p>')
            parts.append("</li>")
        parts.append("</ol></section>")
    parts.append("</section>")
    return "\n".join(parts)


# -- assembling the book -----------------------------------------------------------------------------
@dataclass
class Edition:
    title: str
    description: str
    licence: str
    author: str
    date: dt.datetime
    site_url: str


def edition_date(root: Path) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the last commit, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        try:
            result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                    text=True, timeout=10)
            epoch = result.stdout.strip() if result.returncode == 0 else ""
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def read_edition(site: Path, root: Path) -> Edition:
    home = _soup(site / "index.html")

    def meta(name: str) -> str:
        tag = home.find("meta", attrs={"name": name})
        return tag.get("content", "") if tag else ""

    title_tag = home.select_one(".md-header__topic .md-ellipsis") or home.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else "Course"
    licence = home.select_one(".md-copyright__highlight")
    canonical = home.find("link", rel="canonical")
    site_url = canonical["href"] if canonical and canonical.get("href", "").startswith("http") else ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return Edition(title, meta("description"), licence.get_text(" ", strip=True) if licence else "",
                   meta("author"), edition_date(root), site_url)


def load_book(site: Path, docs: Path, root: Path, site_url: str,
              only: str | None = None) -> tuple[Book, list[ContentError]]:
    """The book's chapters in the navigation's order; ``only``: the one page with this URL."""
    book = Book(site, docs, root, site_url)
    problems: list[ContentError] = []
    for entry in read_nav(site, root):
        if only is not None and entry.url != only:
            continue
        page = _soup(page_file(site, entry.url))
        article = page.select_one("article.md-content__inner") or page.find("article")
        if article is None:
            continue
        heading = article.find("h1")
        title = " ".join(heading.get_text("").replace("¶", "").split()) if heading else entry.url
        section = entry.section.strip()
        kind = "lab" if section.lower() == LABS else "back" if section.lower() == BACK_MATTER else "chapter"
        if entry.url == "":
            title = "Introduction"
        match = CHAPTER_NUMBER.match(title)
        chapter = Chapter(_key(entry.url), entry.url, section, title, match[1] if match else "", article,
                          source_for(docs, entry.url), kind)
        try:
            chapter.quiz = quiz_of(book, chapter)
        except ContentError as error:
            problems.append(error)
        book.chapters.append(chapter)
        book.by_url[entry.url] = chapter
    return book, problems


def prepare(book: Book, paper: bool = True) -> list[tuple[Chapter, Tag]]:
    """Each chapter's article made ready for a book, in order: cleaned for print, figures numbered,
    the quiz pointing at the answer key, ids and links made unique inside the book. The PDF and the
    EPUB (``textbook.epub``) are laid out from these. On ``paper`` (the PDF), the key-terms box lists the
    terms alone with their definitions at the chapter's end, and wide tables go to the chapter's end."""
    soup = BeautifulSoup("", "html.parser")
    problems: list[ContentError] = []
    bodies: list[tuple[Chapter, Tag]] = []
    ids: set[str] = set()
    for chapter in book.chapters:
        if chapter.kind == "lab":                 # before cleaning, which takes out the download line
            chapter.article = lab_summary(book, chapter, soup)
        clean(chapter.article, soup)
        problems.extend(check_images(book, chapter))
        number_figures(book, chapter, soup)
        if paper:
            key_terms_on_paper(chapter, soup)
            plates(chapter, soup)
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    for chapter in book.chapters:
        heading = chapter.article.find("h1")
        if heading is not None:
            heading.clear()
            heading.append(chapter.title)
        quiz = chapter.article.select_one("div.fd-quiz")
        if quiz is not None and chapter.quiz is not None:
            note = soup.new_tag("p", attrs={"class": "fd-quiz__key"})
            link = soup.new_tag("a", href=f"#key-quiz-{chapter.quiz.id}", attrs={"class": "fd-xref"})
            link.string = "the answer key"
            note.append("Answers and explanations are in ")
            note.append(link)
            note.append(".")
            quiz.append(note)
        rewrite_links(book, chapter, ids)
        bodies.append((chapter, chapter.article))
    return bodies


def _head(edition: Edition, title: str) -> list[str]:
    out = [f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>']
    stamp = edition.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, value in (("author", edition.author), ("description", edition.description),
                        ("dcterms.created", stamp), ("dcterms.modified", stamp)):
        if value:
            out.append(f'<meta name="{name}" content="{html.escape(value)}">')
    out.append("</head><body>")
    return out


def _section(chapter: Chapter, article: Tag) -> str:
    classes = f"fd-book-chapter fd-book-chapter--{chapter.kind}"
    inner = "".join(str(child) for child in article.contents)
    return (f'<section class="{classes}" id="{chapter.key}" data-section="{html.escape(chapter.section)}">'
            f"{inner}</section>")


def assemble_lesson(book: Book, edition: Edition) -> str:
    """One lesson on its own: the chapter, then its answer key (no cover, no contents)."""
    bodies = prepare(book)
    chapter = bodies[0][0]
    out = _head(edition, f"{chapter.title} ({edition.title})")
    out += [_section(chapter, article) for chapter, article in bodies]
    out.append(answer_key(book, intro="The right answers to this lesson's questions, each with the reason it is "
                                      "right. Letters match the options as printed with the question."))
    out.append("</body></html>")
    document = BeautifulSoup("".join(out), "html.parser")
    fix_dangling(book, document.body)
    return str(document)


def assemble(book: Book, edition: Edition) -> str:
    bodies = prepare(book)
    out = _head(edition, edition.title)
    out.append(cover(edition))
    out.append(contents(book))
    key_written = False
    for chapter, article in bodies:
        if chapter.kind == "back" and not key_written:
            out.append(answer_key(book))
            key_written = True
        out.append(_section(chapter, article))
    if not key_written:
        out.append(answer_key(book))
    out.append("</body></html>")
    document = BeautifulSoup("".join(out), "html.parser")
    fix_dangling(book, document.body)
    return str(document)


def cover(edition: Edition) -> str:
    date = f"{edition.date.day} {edition.date:%B %Y}"
    online = (f'<p class="fd-cover__online">Read it online, with its quizzes and labs: '
              f'<a href="{html.escape(edition.site_url)}">{html.escape(edition.site_url)}</a></p>'
              if edition.site_url else "")
    return (f'<section class="fd-cover"><p class="fd-cover__kind">An open textbook</p>'
            f'<h1 class="fd-cover__title">{html.escape(edition.title)}</h1>'
            f'<p class="fd-cover__subtitle">{html.escape(edition.description)}</p>'
            f'<p class="fd-cover__edition">Edition of {date}</p>'
            f'<div class="fd-cover__foot">{online}'
            f'<p class="fd-cover__licence">{html.escape(edition.licence)}</p>'
            f'<p class="fd-cover__licence-text">You may copy, share and adapt the text, for any purpose, as long as '
            f'you credit the authors and say what you changed (Creative Commons Attribution 4.0).</p></div>'
            f"</section>")


def contents(book: Book) -> str:
    lines = ['<nav class="fd-toc"><h1 class="fd-toc__title">Contents</h1><ul>']
    section = None
    key_written = False

    def entry(anchor: str, title: str, css: str = "") -> str:
        return f'<li class="fd-toc__entry {css}"><a href="#{anchor}">{html.escape(title)}</a></li>'

    for chapter in book.chapters:
        if chapter.section != section:
            if section and not chapter.section:           # back out of a part: leave a gap
                lines.append('<li class="fd-toc__part fd-toc__part--none"></li>')
            section = chapter.section
            if section:
                lines.append(f'<li class="fd-toc__part">{html.escape(section)}</li>')
        if chapter.kind == "back" and not key_written:
            lines.append(entry("answer-key", "Answer key", "fd-toc__entry--back"))
            key_written = True
        lines.append(entry(chapter.key, chapter.title, f"fd-toc__entry--{chapter.kind}"))
    if not key_written:
        lines.append(entry("answer-key", "Answer key", "fd-toc__entry--back"))
    lines.append("</ul></nav>")
    return "".join(lines)


# -- rendering ------------------------------------------------------------------------------------------
def local_fetcher(site: Path):
    """A WeasyPrint URL fetcher that serves files from the built site and refuses everything else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    root = site.resolve()

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path == root or root in path.parents:
                    return super().fetch(url.split("#")[0], headers)
            raise FatalURLFetchingError(f"the PDF export refused to fetch {url}: it only reads files from the "
                                        f"built site ({root}) and never uses the network")

    return LocalOnly()


class _Messages(logging.Handler):
    """Collects what WeasyPrint reports: failed images stop the export, the rest is shown."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def render(document: str, site: Path, output: Path, edition: Edition, book: Book) -> int:
    """Lay the book out and write the PDF; returns the number of pages."""
    try:
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError
    except (ImportError, OSError) as error:       # OSError: the system's Pango library is missing
        raise ContentError("PDF export", None, f"WeasyPrint cannot start: {error}",
                           "Install the course's dependencies (.venv/bin/pip install -e .) and, on Debian or "
                           "Ubuntu, the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0") from None

    logger = logging.getLogger("weasyprint")
    handler = _Messages()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        fetcher = local_fetcher(site)
        stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher,
                                    base_url=site.resolve().as_uri() + "/")
        html_doc = weasyprint.HTML(string=document, base_url=site.resolve().as_uri() + "/", url_fetcher=fetcher)
        rendered = html_doc.render(stylesheets=[stylesheet])
    except FatalURLFetchingError as error:
        raise ContentError("PDF export", None, str(error),
                           "Keep every image, font and stylesheet inside the course.") from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    failed = [record.getMessage() for record in handler.records
              if record.levelno >= logging.ERROR and "image" in record.getMessage().lower()]
    for record in handler.records:
        if record.getMessage() not in failed:
            print(f"note (WeasyPrint): {record.getMessage()}", file=sys.stderr)
    if failed:
        problems = []
        for message in failed:
            page = next((where for path, where in book.images.items() if path in unquote(message)), "PDF export")
            problems.append(ContentError(page, None, f"an image could not be drawn: {message}", HINT_IMAGE))
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    for note in layout_notes(rendered.pages):
        print(f"{LAYOUT_NOTE}: {note}", file=sys.stderr)
    output.parent.mkdir(parents=True, exist_ok=True)
    # PDF/UA-1: a tagged PDF (headings, paragraphs, lists, tables, figures with their alt text, in reading
    # order), with its language and title, so screen readers and reflowing readers can use it.
    rendered.write_pdf(output, pdf_identifier=f"{edition.title} {edition.date:%Y%m%d%H%M%S}".encode(),
                       pdf_variant="pdf/ua-1")
    return len(rendered.pages)


# -- looking at the laid-out pages as a reader would --------------------------------------------------
LAYOUT_NOTE = "note (layout)"   # how the export prints what it found on its pages
MOST_BLANK = 0.40        # a page may be this much empty, except where a chapter ends
HEADINGS = ("h1", "h2", "h3", "h4")


def layout_notes(pages) -> list[str]:
    """What a reader would object to on WeasyPrint's laid-out ``pages``: a page more than MOST_BLANK empty
    that does not end a chapter, a heading left at the foot of a page, a key-terms box split in two."""
    from weasyprint.formatting_structure import boxes

    def content(page):
        return [box for child in page._page_box.children if not isinstance(child, boxes.MarginBox)
                for box in child.descendants()]

    def bottom(box) -> float:
        return box.border_box_y() + box.border_height()

    def starts_chapter(page) -> bool:
        top = page._page_box.content_box_y()
        return any(level == 1 and y <= top + 60 for level, _label, (_x, y), _state in page.bookmarks)

    notes: list[str] = []
    chapter = ""
    key_terms: dict[int, int] = {}
    last = len(pages) - 1
    for index, page in enumerate(pages):
        chapter = next((label for level, label, _at, _state in reversed(page.bookmarks) if level == 1), chapter)
        where = f"p. {index + 1} ({chapter})" if chapter else f"p. {index + 1}"
        page_box = page._page_box
        laid_out = content(page)
        ink = [box for box in laid_out if isinstance(box, (boxes.LineBox, boxes.ReplacedBox))]
        lowest = max((bottom(box) for box in ink), default=page_box.content_box_y())
        empty = 1 - (lowest - page_box.content_box_y()) / page_box.height
        following = index + 1
        while following <= last and pages[following]._page_box.page_type.name == "landscape":
            following += 1                           # the chapter's sideways tables close it
        ends_chapter = (following > last or starts_chapter(pages[following])
                        or pages[following]._page_box.page_type.name != page_box.page_type.name
                        and page_box.page_type.name != "landscape")
        if empty > MOST_BLANK and not ends_chapter:
            notes.append(f"{where}: {empty:.0%} of the page is empty")
        for box in laid_out:
            if isinstance(box, boxes.BlockBox) and box.element_tag in HEADINGS and index < last:
                own = {id(line) for line in box.descendants()}
                if not any(bottom(line) > bottom(box) + 0.5 for line in ink if id(line) not in own):
                    title = " ".join(
                        "".join(getattr(text, "text", "") for text in box.descendants()).split())
                    notes.append(f"{where}: the heading \"{title}\" is left alone at the foot of the page")
            if (isinstance(box, boxes.BlockBox) and box.element is not None
                    and "fd-key-terms" in (box.element.get("class") or "").split()):
                key_terms.setdefault(id(box.element), index)
                if key_terms[id(box.element)] != index:
                    notes.append(f"{where}: the key-terms box begun on p. {key_terms[id(box.element)] + 1} "
                                 "runs onto this page")
    return notes


def reachable(site_url: str) -> bool:
    """Whether readers of a book could open this address: not empty, not this machine's own."""
    host = (urlsplit(site_url).hostname or "").lower()
    return bool(host) and host not in ("localhost", "0.0.0.0", "::1") and not host.startswith("127.")


def export(site: Path, output: Path, root: Path, docs: Path | None = None, for_deployment: bool = False) -> int:
    """Make the book from an already built site. Raises ContentError on a problem a contributor can fix.

    The book prints the site's address (cover, lab pages, links out) only when readers can reach it:
    a preview built with the default ``http://127.0.0.1:8000/`` prints none, and a book made
    ``for_deployment`` refuses such an address instead.
    """
    docs = docs or root / "docs"
    edition = read_edition(site, root)
    if not reachable(edition.site_url):
        if for_deployment:
            raise ContentError("mkdocs.yml", None, f"the site URL is '{edition.site_url or 'not set'}', which "
                               "readers of the book cannot open",
                               "Set SITE_URL to the address the course is published at, e.g. "
                               "SITE_URL=https://example.org/course/ (the deploy workflow does).")
        edition.site_url = ""
    book, problems = load_book(site, docs, root, edition.site_url)
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    lessons = [chapter.url for chapter in book.chapters if chapter.kind == "chapter" and chapter.number]
    # The lessons' own PDFs are laid out in a second process while this one lays out the book: layout is
    # the slow part, and the two share nothing but the built site they read.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        lesson_pdfs = pool.submit(export_lessons, site, docs, root, edition, lessons)
        pages = render(assemble(book, edition), site, output, edition, book)
        lesson_pdfs.result()
    return pages


def export_lessons(site: Path, docs: Path, root: Path, edition: Edition, lessons: list[str]) -> None:
    """Write each lesson's own PDF, with its own answer key."""
    for url in lessons:                 # each lesson alone, read afresh: preparing a chapter changes it
        lesson, _problems = load_book(site, docs, root, edition.site_url, only=url)
        render(assemble_lesson(lesson, edition), site, lesson_pdf(site, url), edition, lesson)


def lesson_pdf(site: Path, url: str) -> Path:
    """Where a lesson's own PDF is written: ``pdf/pretraining.pdf`` for ``pretraining/``."""
    return site / LESSON_PDFS / f"{_key(url)}.pdf"


def build_site(config: Path, site: Path, pdf_name: str) -> int:
    """Build the site with the "Download PDF" link switched on."""
    env = {**os.environ, ENV_LINK: pdf_name, "NO_MKDOCS_2_WARNING": os.environ.get("NO_MKDOCS_2_WARNING", "1")}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site)]
    return subprocess.run(command, cwd=config.parent, env=env).returncode


def missing_tools() -> list[str]:
    """The PDF's own dependencies (the 'pdf' extra) that are not installed."""
    import importlib.util

    return [name for name, module in (("WeasyPrint", "weasyprint"),) if importlib.util.find_spec(module) is None]


def book_arguments(prog: str, description: str, default_name: str) -> argparse.ArgumentParser:
    """The options the book commands share (this one and ``textbook.epub``)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="the course's mkdocs.yml")
    parser.add_argument("-d", "--site-dir", type=Path, default=None, help="where to build the site (default: site/)")
    parser.add_argument("--no-build", action="store_true", help="use the site already built in --site-dir")
    parser.add_argument("-o", "--output", default=default_name, help=f"file name inside the site (default: {default_name})")
    return parser


def run_book(args: argparse.Namespace, kind: str, write, unit: str, link: str = "") -> int:
    """Build the site (unless --no-build), then ``write(site, output, root)``, which returns a count of
    ``unit``; a contributor's mistake is printed with its file and line, and nothing is left half-written."""
    config = args.config_file.resolve()
    if not config.exists():
        print(f"{args.config_file}: no such file; run this in the course folder or pass -f mkdocs.yml", file=sys.stderr)
        return 2
    root = config.parent
    site = (args.site_dir or root / "site").resolve()
    start = time.perf_counter()
    if not args.no_build:
        print(f"Building the site in {site} …", file=sys.stderr)
        if build_site(config, site, link) != 0:
            print("The site did not build; fix the errors above first.", file=sys.stderr)
            return 1
    output = site / args.output
    print("Laying out the book …", file=sys.stderr)
    try:
        count = write(site, output, root)
    except ContentError as error:
        print(error, file=sys.stderr)
        print(f"\nThe {kind} was not written.", file=sys.stderr)
        output.unlink(missing_ok=True)
        return 1
    print(f"Wrote {output} ({count} {unit}) in {time.perf_counter() - start:.1f} s.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = book_arguments("python -m textbook.pdf", __doc__.split("\n\n")[0], PDF_NAME)
    parser.add_argument("--for-deployment", action="store_true",
                        help="refuse a site URL readers cannot open (unset, or this machine's own)")
    args = parser.parse_args(argv)
    if missing := missing_tools():
        print(f"The PDF book needs {' and '.join(missing)}, which a plain install leaves out.\n"
              "  Install with: .venv/bin/pip install -e '.[pdf]'", file=sys.stderr)
        return 2
    return run_book(args, "PDF", lambda site, output, root: export(site, output, root, for_deployment=args.for_deployment),
                    "pages", link=args.output)


if __name__ == "__main__":
    sys.exit(main())
