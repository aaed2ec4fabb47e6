"""The passages the "Ask this lesson" box searches, cut from the built lesson pages.

A passage is what a teacher would point to: a paragraph (short ones packed together up to about a
hundred words), a list item, a table row, a stat card or a whole box (a worked example, a note), with
the heading it sits under, that heading's link and the lesson it belongs to. ``textbook.publish``
writes them, for the whole course, to ``assets/ask/index.json`` in the site, together with the
glossary's terms, their other spellings and everyday phrasings (the search counts them as one word)
and each term's definition, and the wrong beliefs each section corrects. The ranking runs in the learner's
browser (``overrides/assets/javascripts/ask.js``, BM25 with light stemming): nothing they type
leaves their machine.

The passages come from the built pages, so facts read as the reader sees them ("175 billion
parameters"), and what is not teaching text is left out: quizzes (their options are wrong on
purpose and their feedback gives the answers away), an exercise's folded answer, charts, code, the
qualifier marks of facts, a lesson's framing sections (objectives, key terms, further reading) and the
box itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

FORMAT = 2
INDEX_PATH = "assets/ask/index.json"

# Never a passage, and never part of one.
SKIP = ", ".join([
    "script", "style", "button", "input", "form", "a.headerlink", "sup.fd-fact__q", ".fd-screen-only",
    ".fd-quiz", ".fd-ask", ".fd-chart", ".fd-lab-download", ".md-content__button", "pre",
    ".fd-progress", ".fd-review", "div.footnote", "sup[id^='fnref']", ".md-source-file",
])
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# A lesson's framing sections (its shape, textbook.lessonshape) point at the teaching instead of
# doing it: a learner asking a question wants the passage that teaches, not the objective naming it.
FRAMING = {"learning-objectives", "key-terms", "check-your-understanding", "further-reading", "where-next"}
SUMMARY = "key-takeaways"
EXERCISE = "try-it"     # the "Try it: …" section, whose worked answer is folded on the page
LONG_BOX = 220          # words: a longer box is cut into its paragraphs, each labelled with the box's title
SHORT_LIST = 120        # words: a shorter list or table is one passage, a longer one a passage per item or row
SHORT = 30              # words: a shorter paragraph always joins the next one in its section
PACKED = 110            # words: paragraphs of a section are packed into passages up to this long


@dataclass
class Passage:
    heading: str        # the text of the heading it sits under (the lesson title before the first one)
    anchor: str         # that heading's id ("" before the first heading)
    text: str
    label: str = ""     # the box it is in ("Worked example: …"), shown before the heading
    extra: str = ""     # words that describe it without being shown: a table's column headings
    summary: bool = False   # in the lesson's takeaways, which restate the teaching in short


def text_of(element: Tag) -> str:
    """The text a reader sees, on one line, with block boundaries kept as spaces (and none before a
    comma or full stop that followed a mark or a link)."""
    text = " ".join(element.get_text(" ").split())
    return re.sub(r"\( ", "(", re.sub(r" ([.,;:!?)])", r"\1", text))


def heading_text(heading: Tag) -> str:
    """A heading's words, without its permalink sign."""
    return " ".join(part for part in (text_of(child) if isinstance(child, Tag) else " ".join(str(child).split())
                                      for child in heading.children
                                      if not (isinstance(child, Tag) and "headerlink" in (child.get("class") or [])))
                    if part)


def _box_title(box: Tag) -> str:
    title = box.find(class_="admonition-title") or box.find("summary")
    return text_of(title) if title is not None else ""


class _Cutter:
    def __init__(self, title: str) -> None:
        self.heading, self.anchor, self.section, self.found = title, "", "", []

    def add(self, element_or_text, label: str = "", extra: str = "") -> None:
        if self.section in FRAMING:
            return
        text = element_or_text if isinstance(element_or_text, str) else text_of(element_or_text)
        if len(text.split()) >= 4:                 # "See below." is not an answer to anything
            self.found.append(Passage(self.heading, self.anchor, text, label, extra, self.section == SUMMARY))

    def walk(self, children, label: str = "") -> None:
        """Cut these elements (a container's ``.children``, or a box's body) into passages."""
        for child in children:
            if not isinstance(child, Tag):
                continue
            name, classes = child.name, set(child.get("class") or [])
            if name in HEADINGS:
                if name in ("h2", "h3") and child.get("id"):
                    self.heading, self.anchor, label = text_of(child), child["id"], ""
                    if name == "h2":
                        self.section = child["id"]
                elif name != "h1":
                    label = text_of(child)          # a minor heading labels what follows, until the next heading
            elif name == "p":
                self.add(child, label)
            elif name in ("ul", "ol"):
                if len(text_of(child).split()) <= SHORT_LIST:       # a short list answers as a whole
                    self.add(child, label)
                else:
                    for item in child.find_all("li", recursive=False):
                        self.add(item, label)
            elif name == "table":
                self.table(child, label)
            elif name == "dl":
                self.terms(child, label)
            elif name == "blockquote":
                self.add(child, label)
            elif name == "details" and self.section.startswith(EXERCISE):
                continue                            # an exercise's folded answer: the learner should try first
            elif "admonition" in classes or name == "details":
                self.box(child)
            elif "fd-stats" in classes:
                for card in child.select(".fd-stat"):
                    self.add(card, label)
            elif name in ("div", "section", "article"):
                self.walk(child.children, label)       # wrappers: tables' scroll boxes, tabs, md_in_html blocks

    def box(self, box: Tag) -> None:
        title = _box_title(box)
        body = [child for child in box.children
                if isinstance(child, Tag) and "admonition-title" not in (child.get("class") or [])
                and child.name != "summary"]
        if self.section.startswith(EXERCISE):
            body = [child for child in body if child.name != "details"]
        if sum(len(text_of(child).split()) for child in body) > LONG_BOX:
            self.walk(body, title)
        else:
            self.add(" ".join(text_of(child) for child in body), title)

    def table(self, table: Tag, label: str) -> None:
        head = table.find("thead")
        columns = text_of(head) if head is not None else ""
        rows = [" · ".join(text_of(cell) for cell in row.find_all(["th", "td"]))
                for row in table.find_all("tr") if row.parent is not head and row.find("td") is not None]
        if sum(len(row.split()) for row in rows) <= SHORT_LIST:         # a small table answers as a whole
            self.add(" ".join(f"{row}." for row in rows), label, columns)
            return
        for row in rows:
            self.add(row, label, columns)

    def terms(self, listing: Tag, label: str) -> None:
        for term in listing.find_all("dt", recursive=False):
            definition = term.find_next_sibling("dd")
            if definition is not None:
                self.add(f"{text_of(term)}: {text_of(definition)}", label)


def passages(article: Tag, title: str) -> list[Passage]:
    """The passages of one built lesson's ``<article>`` (which is left unchanged)."""
    copy = BeautifulSoup(str(article), "html.parser")
    for element in copy.select(SKIP):
        element.decompose()
    cutter = _Cutter(title)
    root = copy.find("article") or copy
    cutter.walk(root.children)
    return _join_short(cutter.found)


def _join_short(found: list[Passage]) -> list[Passage]:
    """Blocks packed into passages of about a hundred words, as retrieval usually cuts text: a short
    paragraph ("A base model is:") says little alone. A passage never crosses a heading or a box's
    edge, and a block is never split."""
    out: list[Passage] = []
    for passage in found:
        last = out[-1] if out else None
        words = len(passage.text.split())
        if (last is not None and last.anchor == passage.anchor and last.label == passage.label
                and last.summary == passage.summary and not passage.label
                and (len(last.text.split()) < SHORT or len(last.text.split()) + words <= PACKED)):
            out[-1] = Passage(last.heading, last.anchor, f"{last.text} {passage.text}", last.label,
                              " ".join(filter(None, [last.extra, passage.extra])), last.summary)
        else:
            out.append(passage)
    return out


def synonym_groups(glossary: dict, glossary_href: str) -> list[dict]:
    """Each glossary term with its other spellings, the everyday words a learner may use for it
    (``asked_as`` in the glossary), its definition and its link."""
    groups = []
    for term_id, term in glossary.items():
        spellings = list(dict.fromkeys([term.term, *term.aliases]))
        groups.append({"id": term_id, "term": term.term, "spellings": spellings, "asked": list(term.asked_as),
                       "definition": " ".join(term.definition.split()),
                       "href": f"{glossary_href}#term-{term_id}" if glossary_href else ""})
    return groups


def build_index(lessons: list[dict], cut: dict[str, list[Passage]], groups: list[dict],
                beliefs: dict[str, list[str]] | None = None, questions: dict[str, list[str]] | None = None) -> dict:
    """The index the browser searches: ``lessons`` as ``{"src", "title", "url", "markdown"}``, in order.

    ``beliefs`` maps a section ("pretraining.md#anchor") to the wrong beliefs it corrects (the
    misconceptions file), ``questions`` to what learners ask that it answers (the learner questions file):
    both are how learners ask, so they count among the section's words; the browser also gives each
    question to the passage of its section that matches it best.
    """
    beliefs, questions = beliefs or {}, questions or {}
    sections: list[list] = []          # [lesson number, heading, anchor, beliefs it corrects, questions], each once
    rows = []                          # [section number, box label, text, words not shown, 1 if a takeaway]
    for number, lesson in enumerate(lessons):
        for passage in cut[lesson["src"]]:
            section = [number, passage.heading, passage.anchor]
            if not sections or sections[-1][:3] != section:
                key = f"{lesson['src']}#{passage.anchor}"
                sections.append(section + [" ".join(beliefs.get(key, [])), list(questions.get(key, []))])
            rows.append([len(sections) - 1, passage.label, passage.text, passage.extra, int(passage.summary)])
    return {"format": FORMAT, "lessons": lessons, "sections": sections, "passages": rows, "glossary": groups}

