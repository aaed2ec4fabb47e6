"""Turn the course's own Markdown syntax into HTML: facts, stat cards, key terms, glossary, sources."""
from __future__ import annotations

import base64
import functools
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .charts import DRAWINGS
from .errors import ContentError, ContentErrors, did_you_mean
from .facts import STYLES, Facts, describe, format_fact
from .glossary import Term, term_pattern
from .inline import render_inline
from .labs import LabFolder
from .labpage import lab_markdown
from .links import HEADING, anchors
from .markdown_scan import FACT_MARKER, Directive, long_lines, replace_inline, segments
from .misconceptions import Misconception, check_sections, unknown
from .quizzes import Quiz, find_quizzes
from .tables import Cell

TEMPLATES = Path(__file__).with_name("templates")      # inside the package: works installed without -e


def template_env(directory: Path = TEMPLATES) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(directory)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


SLOT_ID = re.compile(r'\sid="([^"<>]+)"')       # in the course's own templates' HTML
SLOT = re.compile(r"<p>(<!-- fd-slot \d+ -->)</p>|(<!-- fd-slot \d+ -->)")   # where a rendered block goes

@dataclass
class PageLink:
    title: str
    href: str           # from the site root, e.g. "pretraining/"
    quiz: str = ""      # the id of the page's quiz, if it has one
    questions: int = 0  # how many questions that quiz has
    exam: bool = False


@dataclass
class Site:
    """Everything the renderer knows about the whole course, built once per build."""

    facts: Facts
    glossary: dict[str, Term]
    pages: dict[str, PageLink] = field(default_factory=dict)       # src path -> link
    fact_pages: dict[str, list[str]] = field(default_factory=dict)  # fact id -> src paths using it
    questions: dict[str, str] = field(default_factory=dict)        # question id -> "file:line"
    quiz_ids: dict[str, str] = field(default_factory=dict)         # quiz id -> "file:line"
    quizzes: dict[str, list[Quiz]] = field(default_factory=dict)   # src path -> its quizzes, for the review page
    anchors: dict[str, set[str]] = field(default_factory=dict)     # src path -> its heading anchors
    misconceptions: dict[str, Misconception] = field(default_factory=dict)
    review: str = ""                                               # href of the page with the review block
    review_pages: set[str] = field(default_factory=set)            # src of each page with a review block
    glossary_page: str = ""                                        # src of the page with the glossary block
    lessons: set[str] = field(default_factory=set)                 # src of every lesson: they get "Ask this lesson"
    charts: dict = field(default_factory=dict)                     # chart name -> charts.Chart
    labs: LabFolder | None = None                                  # where labs are read (and run) from
    env: jinja2.Environment = field(default_factory=template_env)

    def add_page(self, src: str, url: str, markdown: str, scan: PageScan | None = None) -> None:
        """Note a page's title, the facts it cites and its quiz, before any page renders.

        ``scan``: what ``scan_page`` found in ``markdown``, if the caller kept it from an earlier build.
        """
        scan = scan or scan_page(src, markdown)
        link = PageLink(scan.title, url)
        if scan.quizzes:
            first = scan.quizzes[0]
            link.quiz, link.questions, link.exam = first.id, len(first.questions), first.exam
            self.quizzes.setdefault(src, []).extend(scan.quizzes)
        if scan.review:
            self.review = url
            self.review_pages.add(src)
        if scan.glossary:
            self.glossary_page = src
        self.pages[src] = link
        self.anchors[src] = scan.anchors
        for fact_id in scan.facts + self._block_facts(scan.blocks):
            users = self.fact_pages.setdefault(fact_id, [])
            if src not in users:
                users.append(src)

    def _block_facts(self, blocks: list[tuple[str, str, list[str]]]) -> list[str]:
        """Facts shown by a page's tables, charts and stat cards (unknown names are reported later)."""
        found: list[str] = []
        for directive, name, body in blocks:
            if directive == "chart" and name in self.charts:
                found += self.charts[name].facts
            elif directive == "fact-table" and name in self.facts.tables:
                for row in self.facts.tables[name].rows.values():
                    for cell in row.values():
                        found += cell.facts + [m[1] for m in FACT_MARKER.finditer(cell.text)]
            elif directive == "stat-cards":
                found += [line.partition(":")[0].strip() for line in body if line.strip()]
        return found

    def check_misconceptions(self, name: str) -> list[ContentError]:
        """Every misconception's section must be a real page and heading."""
        return check_sections(self.misconceptions, self.anchors, name)

    @functools.cached_property
    def term_pattern(self):
        """Every spelling of every glossary term, for marking them in pages (``glossary.mark_terms``)."""
        return term_pattern(self.glossary)

    @property
    def macros(self):
        return self.env.get_template("facts.html").module

    @property
    def table_macros(self):
        return self.env.get_template("tables.html").module


@dataclass
class PageScan:
    """What the whole course needs to know of one page, read from its Markdown alone (``scan_page``)."""

    title: str
    quizzes: list[Quiz]
    review: bool                            # holds the review block
    glossary: bool                          # holds the glossary block
    anchors: set[str]
    facts: list[str]                        # ids of the facts its prose cites
    blocks: list[tuple[str, str, list[str]]]    # its tables, charts and stat cards: (directive, argument, body)


def scan_page(src: str, markdown: str) -> PageScan:
    """A page's title, quizzes, heading anchors and cited facts. Depends on nothing but ``markdown``
    (and ``src``, which quizzes name in messages), so a build may keep it while the file is unchanged."""
    quizzes: list[Quiz] = []
    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        try:
            found = find_quizzes(segment.lines, segment.line, src)
        except ContentError:
            continue                     # reported with file:line when the page renders
        quizzes.extend(quiz for _start, _end, quiz in found)
    directives = [segment.directive for segment in segments(markdown, {"review", "glossary", "fact-table", "chart",
                                                                       "stat-cards"}) if segment.directive]
    return PageScan(
        title=page_title(markdown, Path(src).stem), quizzes=quizzes,
        review=any(directive.name == "review" for directive in directives),
        glossary=any(directive.name == "glossary" for directive in directives),
        anchors=anchors(markdown), facts=[fact_id for fact_id, _line in fact_uses(markdown)],
        blocks=[(directive.name, directive.argument.strip(), list(directive.body)) for directive in directives
                if directive.name in ("fact-table", "chart", "stat-cards")])


def fact_uses(markdown: str) -> list[tuple[str, int]]:
    """(fact id, line) for each inline fact marker outside code."""
    found = []
    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        for offset, line in enumerate(segment.lines):
            replace_inline(line, FACT_MARKER,
                           lambda m, n=segment.line + offset: found.append((m[1], n)) or m[0])
    return found


def chart_images(chart) -> dict[str, str]:
    """The chart's pictures (light and dark theme, wide and narrow) as data: URLs, so the page carries them itself.

    Zensical copies only the docs folder and the theme into the site and keeps each page's HTML
    between builds, so a file made during the build would not reach it; a picture inside the
    page reaches the site on MkDocs and Zensical alike. As an image, an SVG never runs scripts.
    """
    return {drawing.replace("-", "_"): "data:image/svg+xml;base64," + base64.b64encode(chart.svg.get(drawing, "").encode("utf-8")).decode("ascii")
            for drawing in DRAWINGS}


# Parts of a built page that only work on screen (buttons, quiz answers and feedback, progress, the Ask
# box, the dark and the phone drawings of a chart, the theme's links): the PDF book and the lessons' Markdown leave them out.
SCREEN_ONLY = (
    "script", "style", "noscript", "button", "input", "form", "a.headerlink", ".md-content__button",
    ".md-source-file", ".fd-ask", ".fd-progress", ".fd-review", ".fd-nav-mark", ".fd-q__actions", ".fd-q__status",
    ".fd-quiz__score", ".fd-exam__result", "details.fd-q__answer", ".fd-opt__feedback", ".fd-q__explanation",
    ".fd-screen-only", ".fd-pdf-link", ".fd-lab-download", "img[src*='#only-dark']", ".fd-chart__img--dark",
    ".fd-chart__frame--narrow",
)


def markdown_path(url: str) -> str:
    """Where a page's Markdown is published, from the site root: ``pretraining/`` -> ``pretraining.md``."""
    if url in ("", "/"):
        return "index.md"
    if url.endswith("/"):
        return url.rstrip("/") + ".md"
    return re.sub(r"\.html$", "", url) + ".md"


def page_title(markdown: str, fallback: str) -> str:
    """The page's first '# Heading' outside code and course blocks (a lab's page has its title in its lab)."""
    for segment in segments(markdown, set()):
        if segment.kind == "text":
            for line in segment.lines:
                if match := re.match(r"#[ \t]+(.*\S)", line):
                    return match[1]
    return fallback


class PageRenderer:
    """Renders one page. Directive blocks become slots that are filled into the final HTML."""

    def __init__(self, site: Site, src: str, root: str, page: str = "") -> None:
        self.site = site
        self.src = src            # e.g. "docs/pretraining.md", for messages and usage
        self.page = page or src   # its path under the docs folder, e.g. "pretraining.md"
        self.url = ""             # its URL from the site root, e.g. "pretraining/" (set by the extension)
        self.root = root          # relative path from this page to the site root, e.g. "../"
        self.slots: dict[str, str] = {}
        self._slot_ids: list[str] | None = None     # found once, when first asked for (slot_ids)
        self.downloads: set[str] = set()    # links to a lab's file (CourseAnchors marks them as downloads)
        self.quizzes: list[dict] = []       # as rendered, for the PDF book's answer key (textbook.manifest)
        self.anchors: dict[str, int] = {}   # ids given to tables and charts on this page, to keep them unique
        self.errors: list[ContentError] = []
        self.ids: list[tuple[str, str, int]] = []   # ("quiz" or "question", id, line): ids this page claims
        # Whether what render() returns depends only on the page's Markdown, the course (Site) and the
        # labs it shows (``lab_runs``), so a build may keep it: not when labs are read without their runs.
        self.keepable = True
        self.lab_runs: list[tuple[str, str]] = []   # (lab, LabFolder.version) of each lab the page shows
        self.handlers = {
            "lab": self._lab,
            "stat-cards": self._stat_cards,
            "key-terms": self._key_terms,
            "glossary": self._glossary,
            "sources": self._sources,
            "progress": self._progress,
            "review": self._review,
            "fact-table": self._fact_table,
            "chart": self._chart,
        }

    # -- helpers shared with other directive handlers ---------------------------------------------
    def href(self, path: str) -> str:
        return self.root + path

    def source_href(self, fact) -> str:
        """Link to the fact's source on the Sources page (a derived fact: its first input's source)."""
        sources = self.site.facts.sources_of(fact)
        return self.href(f"sources/#src-{sources[0].id}" if sources else "sources/#illustrative")

    def fact_html(self, fact_id: str, line: int, style: str = "long") -> str:
        fact = self.site.facts.get(fact_id, self.src, line)
        text = format_fact(fact, style)
        return str(self.site.macros.fact(text, fact.id, fact.qualifier, self.source_href(fact),
                                         describe(fact, self.site.facts)))

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.errors.append(ContentError(self.src, line, message, hint))

    # -- the page --------------------------------------------------------------------------------
    def render(self, markdown: str, first_line: int = 1) -> str:
        """Render our syntax; ``first_line`` is the source line where ``markdown`` starts."""
        if too_long := long_lines(markdown, self.src, first_line):
            raise too_long[0] if len(too_long) == 1 else ContentErrors(too_long)
        out: list[str] = []
        for segment in segments(markdown, set(self.handlers), first_line):
            if segment.kind == "code":
                out.extend(segment.lines)
            elif segment.kind == "directive" and segment.directive.name == "lab":
                try:                      # a lab is Markdown, read by the same Markdown as the page
                    out.extend(self._lab(segment.directive))
                except ContentError as error:
                    self.errors.append(error)
            elif segment.kind == "directive":
                directive = segment.directive
                try:
                    html = self.handlers[directive.name](directive)
                except ContentError as error:
                    self.errors.append(error)
                    html = ""
                out.append(directive.indent + self._slot(html))
            else:
                out.extend(self._text(segment.lines, segment.line))
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else ContentErrors(self.errors)
        return "\n".join(out)

    def _slot(self, html: str) -> str:
        """Keep rendered HTML aside; Markdown sees only a comment that fill() replaces afterwards."""
        key = f"<!-- fd-slot {len(self.slots)} -->"
        self.slots[key] = html
        return key

    def _text(self, lines: list[str], first_line: int) -> list[str]:
        """Prose lines: quizzes become slots, fact markers become HTML."""
        out: list[str] = []
        try:
            quizzes = find_quizzes(lines, first_line, self.src)
        except ContentError as error:
            self.errors.append(error)
            quizzes = []
        index = 0
        for start, end, quiz in quizzes + [(len(lines), len(lines), None)]:
            for offset in range(index, start):
                if HEADING.match(lines[offset]) and "\0" in replace_inline(lines[offset], FACT_MARKER, lambda m: "\0"):
                    # A heading's anchor is made from its text: with a figure in it, the anchor (and every
                    # link to it) would change whenever the figure is updated.
                    self.error(first_line + offset, "a fact in a heading",
                               "Headings stay free of figures, so their anchors never change: move the "
                               ":fact[…] into the text below the heading.")
                out.append(replace_inline(lines[offset], FACT_MARKER,
                                          lambda m, n=first_line + offset: self._fact(m, n)))
            if quiz is not None:
                out.extend(["", self._slot(self._quiz(quiz)), ""])
            index = end + 1
        return out

    def _claim(self, kind: str, ident: str, line: int) -> None:
        """Note that this page's quiz or question at ``line`` has the id ``ident``: ids are unique in the course."""
        where = f"{self.src}:{line}"
        known = self.site.quiz_ids if kind == "quiz" else self.site.questions
        if known.get(ident, where) != where:
            self.error(line, f"duplicate {kind} id '{ident}' (also at {known[ident]})",
                       "Quiz ids must be unique across the course: rename one of the two." if kind == "quiz"
                       else "Question ids must be unique across the course.")
        known[ident] = where
        self.ids.append((kind, ident, line))

    def _quiz(self, quiz: Quiz) -> str:
        self._claim("quiz", quiz.id, quiz.line)
        for question in quiz.questions:
            self._claim("question", question.id, question.line)
        questions = self._questions(quiz)
        self.quizzes.append({"id": quiz.id, "line": quiz.line, "questions": questions})
        return str(self.site.env.get_template("quiz.html").module.quiz(quiz, questions))

    def _questions(self, quiz: Quiz) -> list[dict]:
        """A quiz's questions as the template needs them: text, options and feedback as HTML."""
        questions = []
        for question in quiz.questions:
            def html(text: str, line: int = question.line) -> str:
                return FACT_MARKER.sub(lambda m: self._fact(m, line), render_inline(text)) if text else ""

            options = []
            for option in question.options:
                misconception = None
                if option.misconception:
                    item = self.site.misconceptions.get(option.misconception)
                    if item is None:
                        self.errors.append(unknown(option.misconception, self.site.misconceptions,
                                                   self.src, option.misconception_line))
                    else:
                        page = self.site.pages.get(item.page)
                        misconception = {"id": item.id, "statement": item.statement,
                                         "href": self.href(f"{page.href if page else item.page}#{item.anchor}")}
                options.append({"id": option.id, "correct": option.correct, "html": html(option.text, option.line),
                                "feedback_html": html(option.feedback, option.line), "misconception": misconception})
            questions.append({
                "id": question.id, "kind": question.kind, "html": html(question.text),
                "explanation_html": html(question.explanation), "options": options,
            })
        return questions

    def term_attributes(self, term) -> dict[str, str]:
        """A marked term's link to its glossary entry (relative to this page's file) and its definition."""
        found = {"title": term.definition}
        if self.site.glossary_page:
            target = posixpath.relpath(self.site.glossary_page, posixpath.dirname(self.page) or ".")
            found["href"] = f"{target}#term-{term.id}"
        return found

    def ask_box(self) -> str:
        """This lesson's "Ask this lesson" box."""
        return str(self.site.env.get_template("ask.html").module.box(
            self.href("assets/ask/index.json"), self.page, self.href(markdown_path(self.url)), self.root))

    def slot_ids(self) -> list[str]:
        """The ids the rendered blocks give the page (glossary terms, sources, tables, charts, quizzes)."""
        if self._slot_ids is None:
            self._slot_ids = [anchor for value in self.slots.values() for anchor in SLOT_ID.findall(value)]
        return self._slot_ids

    def state(self) -> dict:
        """What render() left besides its text, for a build to keep with it (see ``restore``)."""
        return {"slots": self.slots, "downloads": self.downloads, "quizzes": self.quizzes, "ids": self.ids,
                "labs": self.lab_runs, "slot_ids": self.slot_ids()}

    def restore(self, state: dict) -> bool:
        """Take up a kept render's state instead of rendering again. Its quiz and question ids are claimed
        again; False (and nothing taken) if one now clashes with another page's, which render() then reports,
        or if a lab it shows has another run now."""
        folder = self.site.labs
        labs = folder.labs() if folder and state["labs"] else {}
        for name, version in state["labs"]:
            if name not in labs or folder.version(labs[name]) != version:
                return False
        for kind, ident, line in state["ids"]:
            known = self.site.quiz_ids if kind == "quiz" else self.site.questions
            if known.get(ident, f"{self.src}:{line}") != f"{self.src}:{line}":
                return False
        for kind, ident, line in state["ids"]:
            self._claim(kind, ident, line)
        self.slots, self.downloads, self.quizzes, self.ids, self.lab_runs = (
            dict(state["slots"]), set(state["downloads"]), list(state["quizzes"]), list(state["ids"]),
            list(state["labs"]))
        self._slot_ids = list(state["slot_ids"])
        return True

    def fill(self, html: str) -> str:
        """Put the rendered directive blocks into the page's HTML, in one pass (a slot alone in a paragraph
        replaces the paragraph)."""
        if not self.slots:
            return html
        return SLOT.sub(lambda match: self.slots.get(match[1] or match[2], match[0]), html)

    def _fact(self, match: re.Match, line: int) -> str:
        fact_id, style = match[1], (match[2] or "long").strip()
        if style not in STYLES:
            self.error(line, f"unknown fact style '{style}' in '{match[0]}'.{did_you_mean(style, STYLES)}",
                       "Write :fact[id], :fact[id short] or :fact[id value].")
            return match[0]
        try:
            return self.fact_html(fact_id, line, style)
        except ContentError as error:
            self.errors.append(error)
            return match[0]

    # -- directives --------------------------------------------------------------------------------
    def _stat_cards(self, directive: Directive) -> str:
        cards = []
        for offset, raw in enumerate(directive.body, start=1):
            if not raw.strip():
                continue
            line = directive.line + offset
            fact_id, _, label = raw.partition(":")
            fact = self.site.facts.get(fact_id.strip(), self.src, line)
            sources = self.site.facts.sources_of(fact)
            cards.append({
                "id": fact.id, "value": format_fact(fact, "short"),
                "label": label.strip() or fact.measures, "qualifier": fact.qualifier,
                "source": sources[0].label if sources else "no source",
                "href": self.source_href(fact), "title": describe(fact, self.site.facts),
            })
        if not cards:
            raise ContentError(self.src, directive.line, "the stat-cards block is empty",
                               "List one fact per line as 'fact.id: Label'.")
        return str(self.site.macros.stat_cards(cards))

    def _key_terms(self, directive: Directive) -> str:
        terms = []
        for offset, raw in enumerate(directive.body, start=1):
            term_id = raw.strip().lstrip("- ").strip()
            if not term_id:
                continue
            if term_id not in self.site.glossary:
                raise ContentError(self.src, directive.line + offset,
                                   f"unknown glossary term '{term_id}'.{did_you_mean(term_id, self.site.glossary)}",
                                   "Terms live in docs/glossary.yml; add it there or fix the id.")
            terms.append(self.site.glossary[term_id])
        return str(self.site.macros.key_terms(terms, self.href("glossary/")))

    def _glossary(self, directive: Directive) -> str:
        groups: dict[str, list[Term]] = defaultdict(list)
        for term in sorted(self.site.glossary.values(), key=lambda t: t.term.lower()):
            groups[term.term[0].upper()].append(term)
        chapters = {Path(src).stem: {"title": link.title, "href": self.href(link.href)}
                    for src, link in self.site.pages.items()}
        return str(self.site.macros.glossary(sorted(groups.items()), chapters))

    def _sources(self, directive: Directive) -> str:
        facts = self.site.facts

        def row(fact) -> dict:
            pages = sorted(({"title": self.site.pages[src].title, "href": self.href(self.site.pages[src].href)}
                            for src in self.site.fact_pages.get(fact.id, []) if src in self.site.pages),
                           key=lambda page: page["title"])
            return {"id": fact.id, "value": format_fact(fact, "short"), "measures": fact.measures,
                    "qualifier": fact.qualifier, "as_of": fact.as_of.isoformat(), "pages": pages,
                    "note": fact.note if not facts.sources_of(fact) else ""}

        entries = []
        for source in sorted(facts.sources.values(), key=lambda s: (s.authors.lower(), s.year)):
            entries.append({"id": f"src-{source.id}", "title": source.title, "authors": source.authors,
                            "year": source.year, "url": source.url, "accessed": source.accessed.isoformat(),
                            "facts": [row(fact) for fact in facts.facts.values()
                                      if source in facts.sources_of(fact)]})
        unsourced = [row(fact) for fact in facts.facts.values() if not facts.sources_of(fact)]
        if unsourced:
            entries.append({"id": "illustrative", "title": "Illustrative figures", "authors": "",
                            "year": "", "url": "", "accessed": "", "facts": unsourced,
                            "intro": "No source measured these. They were chosen to make a picture readable, "
                                     "and each says how."})
        return str(self.site.macros.sources(entries))

    def _options(self, directive: Directive, allowed: tuple[str, ...]) -> dict[str, tuple[list[str], int]]:
        """Read 'key: a, b, c' lines from a directive's body."""
        options = {}
        for offset, raw in enumerate(directive.body, start=1):
            if not raw.strip():
                continue
            key, sep, value = raw.partition(":")
            key = key.strip()
            if not sep or key not in allowed:
                raise ContentError(self.src, directive.line + offset,
                                   f"unknown option '{key}' in the {directive.name} block.{did_you_mean(key, allowed)}",
                                   f"Options: {', '.join(allowed)}, each as 'name: a, b, c'.")
            options[key] = ([item.strip() for item in value.split(",") if item.strip()], directive.line + offset)
        return options

    def _fact_table(self, directive: Directive) -> str:
        table = self.site.facts.table(directive.argument.strip(), self.src, directive.line)
        options = self._options(directive, ("columns", "rows"))
        keys, line = options.get("columns", (list(table.columns), directive.line))
        columns = [table.column(key, self.src, line) for key in keys]
        keys, line = options.get("rows", (list(table.rows), directive.line))
        rows = [(key, table.row(key, self.src, line)) for key in keys]
        body = [{"id": key, "cells": [self._cell(row.get(column.key, Cell("missing")), column) for column in columns]}
                for key, row in rows]
        sortable = len(rows) > 3 and any(column.sort for column in columns)
        return str(self.site.table_macros.fact_table(
            table, self._anchor(f"table-{table.id}"), columns, body, sortable, self.href("sources/")))

    def _anchor(self, base: str) -> str:
        """An id for a table or chart, unique on the page even when one is shown twice."""
        self.anchors[base] = self.anchors.get(base, 0) + 1
        return base if self.anchors[base] == 1 else f"{base}-{self.anchors[base]}"

    def _cell(self, cell: Cell, column) -> dict:
        """One table cell as HTML, with the value it sorts by."""
        facts = self.site.facts
        if cell.kind == "missing":
            return {"html": Markup('<span class="fd-missing">{}</span>').format(column.missing),
                    "sort": "", "kind": "missing"}
        if cell.kind == "facts":
            items = []
            for index, fact_id in enumerate(cell.facts):
                fact = facts.facts[fact_id]
                label = cell.labels[index] if cell.labels else ""
                if not label and column.who:
                    sources = facts.sources_of(fact)
                    label = sources[0].label if sources else ""
                items.append(self.site.table_macros.fact_item(Markup(self.fact_html(fact_id, cell.line, "short")), label))
            first = facts.facts[cell.facts[0]]
            return {"html": Markup("").join(items), "sort": repr(first.value), "kind": "facts"}
        link = ""
        if cell.source:
            source = facts.sources[cell.source]
            link = self.site.table_macros.source_link(self.href(f"sources/#src-{source.id}"), source.label)
        if cell.kind == "date":
            return {"html": Markup("{}{}").format(cell.date_text, link),
                    "sort": cell.date.isoformat(), "kind": "date"}
        html = FACT_MARKER.sub(lambda m: self._fact(m, cell.line), render_inline(cell.text))
        plain = re.sub(r"<[^<>]+>", "", html)
        return {"html": Markup(html) + link, "sort": plain.strip().lower(), "kind": "text"}

    def _chart(self, directive: Directive) -> str:
        name = directive.argument.strip()
        if name not in self.site.charts:
            raise ContentError(self.src, directive.line, f"unknown chart '{name}'.{did_you_mean(name, self.site.charts)}",
                               "Write ```chart <name>, where charts/<name>.py defines the chart.")
        chart = self.site.charts[name]
        facts = self.site.facts
        sources = [{"href": self.href(f"sources/#src-{source_id}"), "label": facts.sources[source_id].label,
                    "title": facts.sources[source_id].title} for source_id in chart.sources]
        kinds = sorted({facts.facts[fact_id].qualifier for fact_id in chart.facts} - {"reported"})
        qualifiers = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else "".join(kinds)
        return str(self.site.table_macros.chart(
            chart, self._anchor(f"chart-{name}"), chart_images(chart), sources, qualifiers, self.href("sources/#illustrative")))

    def _lab(self, directive: Directive) -> list[str]:
        name = directive.argument.strip()
        folder = self.site.labs
        labs = folder.labs() if folder else {}
        if name not in labs:
            raise ContentError(self.src, directive.line, f"unknown lab '{name}'.{did_you_mean(name, labs)}",
                               "Write ```lab <name>, where docs/labs/<name>.py is the lab.")
        if written := [offset for offset, line in enumerate(directive.body, 1) if line.strip()]:
            raise ContentError(self.src, directive.line + written[0], "a ```lab block holds only '#' comment lines",
                               f"The lab's text and code are written in {labs[name].display}.")
        lab = labs[name]
        # A Markdown link, relative to this page's file: MkDocs and Zensical point it at the copied file.
        target = posixpath.relpath(lab.display, posixpath.dirname(self.src))
        self.downloads.add(target)
        download = (f"[Download this lab ({lab.path.name})]({target}): its text and code in one Python file. "
                    f"To run it, put it in `docs/labs/` of the course folder, then either run "
                    f"`python {lab.path.name}` there, or after `pip install -e . jupyterlab` open it in "
                    f"JupyterLab as a notebook (right-click, *Open With*, *Notebook*).")
        version = folder.version(lab)
        if version is None:
            self.keepable = False
        else:
            self.lab_runs.append((name, version))
        return lab_markdown(folder.notebook(lab), download, self._slot, directive.indent)

    def _progress(self, directive: Directive) -> str:
        lessons = [{"title": link.title, "href": self.href(link.href), "path": link.href, "quiz": link.quiz,
                    "questions": link.questions, "exam": link.exam}
                   for link in sorted(self.site.pages.values(), key=lambda link: (link.exam, link.title))
                   if link.quiz]
        review = self.href(self.site.review) if self.site.review else ""
        return str(self.site.env.get_template("quiz.html").module.progress(lessons, review))

    def _review(self, directive: Directive) -> str:
        """Every question of the course, hidden: quiz.js shows the ones due for review, one at a time."""
        sources = []
        for src, link in sorted(self.site.pages.items(), key=lambda item: (item[1].exam, item[1].title)):
            for quiz in self.site.quizzes.get(src, []):
                errors = len(self.errors)
                sources.append({"quiz": quiz, "title": link.title, "href": self.href(link.href),
                                "questions": self._questions(quiz)})
                del self.errors[errors:]       # a quiz's mistakes are reported on its own page, with its lines
        return str(self.site.env.get_template("quiz.html").module.review(sources))
