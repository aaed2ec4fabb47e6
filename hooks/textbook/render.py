"""Turn the course's own Markdown syntax into HTML: facts, stat cards, key terms, glossary, sources."""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .errors import ContentError, ContentErrors, did_you_mean
from .facts import STYLES, Facts, describe, format_fact
from .glossary import Term, abbreviations
from .inline import render_inline
from .markdown_scan import Directive, replace_inline, segments
from .quizzes import Quiz, find_quizzes

FACT_MARKER = re.compile(r":fact\[([^\]\s]*)(?:\s+([^\]]*))?\]")
TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "components"


def template_env(directory: Path = TEMPLATES) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(directory)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


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
    env: jinja2.Environment = field(default_factory=template_env)

    def add_page(self, src: str, url: str, markdown: str) -> None:
        """Note a page's title, the facts it cites and its quiz, before any page renders."""
        link = PageLink(page_title(markdown, Path(src).stem), url)
        for segment in segments(markdown, set()):
            if segment.kind != "text":
                continue
            try:
                found = find_quizzes(segment.lines, segment.line, src)
            except ContentError:
                continue                     # reported with file:line when the page renders
            for _start, _end, quiz in found[:1]:
                link.quiz, link.questions, link.exam = quiz.id, len(quiz.questions), quiz.exam
        self.pages[src] = link
        for fact_id, _line in fact_uses(markdown):
            users = self.fact_pages.setdefault(fact_id, [])
            if src not in users:
                users.append(src)

    @functools.cached_property
    def abbreviations(self) -> str:
        """Hover definitions appended to every page: the same for all, so built once."""
        return abbreviations(self.glossary)

    @property
    def macros(self):
        return self.env.get_template("facts.html").module


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


def page_title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*$", markdown, re.M)
    return match[1] if match else fallback


class PageRenderer:
    """Renders one page. Directive blocks become slots that are filled into the final HTML."""

    def __init__(self, site: Site, src: str, root: str) -> None:
        self.site = site
        self.src = src            # e.g. "pretraining.md", for messages and usage
        self.root = root          # relative path from this page to the site root, e.g. "../"
        self.slots: dict[str, str] = {}
        self.errors: list[ContentError] = []
        self.handlers = {
            "stat-cards": self._stat_cards,
            "key-terms": self._key_terms,
            "glossary": self._glossary,
            "sources": self._sources,
            "progress": self._progress,
        }

    # -- helpers shared with other directive handlers ---------------------------------------------
    def href(self, path: str) -> str:
        return self.root + path

    def source_href(self, fact) -> str:
        """Link to the fact's source on the Sources page (a derived fact: its first input's source)."""
        return self.href(f"sources/#src-{self.site.facts.sources_of(fact)[0].id}")

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
        out: list[str] = []
        for segment in segments(markdown, set(self.handlers), first_line):
            if segment.kind == "code":
                out.extend(segment.lines)
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
        glossary = self.site.abbreviations
        return "\n".join(out) + ("\n\n" + glossary + "\n" if glossary else "")

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
                out.append(replace_inline(lines[offset], FACT_MARKER,
                                          lambda m, n=first_line + offset: self._fact(m, n)))
            if quiz is not None:
                out.extend(["", self._slot(self._quiz(quiz)), ""])
            index = end + 1
        return out

    def _quiz(self, quiz: Quiz) -> str:
        questions = []
        for question in quiz.questions:
            where = f"{self.src}:{question.line}"
            if question.id in self.site.questions and self.site.questions[question.id] != where:
                self.error(question.line, f"duplicate question id '{question.id}' (also at "
                           f"{self.site.questions[question.id]})", "Question ids must be unique across the course.")
            self.site.questions[question.id] = where

            def html(text: str, line: int = question.line) -> str:
                return FACT_MARKER.sub(lambda m: self._fact(m, line), render_inline(text)) if text else ""

            questions.append({
                "id": question.id, "kind": question.kind, "html": html(question.text),
                "explanation_html": html(question.explanation),
                "options": [{"correct": option.correct, "html": html(option.text, option.line),
                             "feedback_html": html(option.feedback, option.line)}
                            for option in question.options],
            })
        return str(self.site.env.get_template("quiz.html").module.quiz(quiz, questions))

    def fill(self, html: str) -> str:
        """Put the rendered directive blocks into the page's HTML."""
        for key, value in self.slots.items():
            html = html.replace(f"<p>{key}</p>", value).replace(key, value)
        return html

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
            source = self.site.facts.sources_of(fact)[0]
            cards.append({
                "id": fact.id, "value": format_fact(fact, "short"),
                "label": label.strip() or fact.measures, "qualifier": fact.qualifier,
                "source": f"{source.authors.split(',')[0].split(' (')[0]} {source.year}",
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
        entries = []
        for source in sorted(facts.sources.values(), key=lambda s: (s.authors.lower(), s.year)):
            rows = []
            for fact in facts.facts.values():
                if source not in facts.sources_of(fact):
                    continue
                pages = sorted(({"title": self.site.pages[src].title, "href": self.href(self.site.pages[src].href)}
                                for src in self.site.fact_pages.get(fact.id, []) if src in self.site.pages),
                               key=lambda page: page["title"])
                rows.append({"id": fact.id, "value": format_fact(fact, "short"), "measures": fact.measures,
                             "qualifier": fact.qualifier, "as_of": fact.as_of.isoformat(), "pages": pages})
            entries.append({"id": source.id, "title": source.title, "authors": source.authors,
                            "year": source.year, "url": source.url, "accessed": source.accessed.isoformat(),
                            "facts": rows})
        return str(self.site.macros.sources(entries))

    def _progress(self, directive: Directive) -> str:
        lessons = [{"title": link.title, "href": self.href(link.href), "path": link.href, "quiz": link.quiz,
                    "questions": link.questions, "exam": link.exam}
                   for link in sorted(self.site.pages.values(), key=lambda link: (link.exam, link.title))
                   if link.quiz]
        return str(self.site.env.get_template("quiz.html").module.progress(lessons))
