"""The glossary: each term defined once, marked where lessons use it, in key-terms boxes and on its own page."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, ContentErrors, did_you_mean
from .yamlfile import LineDict, load_yaml

TERM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Term:
    id: str
    term: str
    definition: str
    chapter: str = ""
    aliases: list[str] = field(default_factory=list)
    line: int = 0
    chapter_line: int = 0
    asked_as: list[str] = field(default_factory=list)   # everyday words for it, for the Ask box only

    @property
    def spellings(self) -> list[str]:
        """Every spelling that should show the definition on hover, capitalised forms included."""
        found: list[str] = []
        for word in [self.term, *self.aliases]:
            for variant in (word, word[:1].upper() + word[1:]):
                if variant not in found:
                    found.append(variant)
        return found


def load_glossary(path: str | Path, display_name: str | None = None) -> dict[str, Term]:
    """Load and check the glossary file; report every problem with its line."""
    name = display_name or str(path)
    data = load_yaml(path, name)
    if not isinstance(data, LineDict):
        raise ContentError(name, 1, "the glossary must map term ids to their entries",
                           "Each entry has term, definition and optionally aliases and chapter.")
    terms: dict[str, Term] = {}
    errors: list[ContentError] = []
    spelled: dict[str, str] = {}
    asked_by: dict[str, str] = {}
    for term_id, entry in data.items():
        at = data.line_of(term_id)
        if not TERM_ID.match(str(term_id)):
            errors.append(ContentError(name, at, f"'{term_id}' is not a valid term id",
                                       "Use lower-case words joined by hyphens, such as 'reward-model'."))
            continue
        if not isinstance(entry, LineDict) or not entry.get("term") or not entry.get("definition"):
            errors.append(ContentError(name, at, f"term '{term_id}' needs a 'term' and a 'definition'"))
            continue
        definition = " ".join(str(entry["definition"]).split())
        if re.search(r"[*_`\[\]<>]", definition):
            errors.append(ContentError(name, entry.line_of("definition"),
                                       f"term '{term_id}' has Markdown or HTML in its definition",
                                       "Definitions are shown as plain-text tooltips; write plain sentences."))
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            errors.append(ContentError(name, entry.line_of("aliases"), f"term '{term_id}': aliases must be a list"))
            aliases = []
        spellings = [("term", entry["term"], entry.line_of("term"))] + \
            [("alias", alias, entry.line_of("aliases")) for alias in aliases]
        bad = [(kind, spelling, line) for kind, spelling, line in spellings
               if not isinstance(spelling, (str, int, float)) or not SPELLING.match(str(spelling))
               or "_" in str(spelling)]
        if bad:
            kind, spelling, line = bad[0]
            errors.append(ContentError(name, line, f"term '{term_id}' has {'an' if kind == 'alias' else 'a'} {kind} "
                                       f"{_shown(spelling)} that is not one line of plain words",
                                       "Terms and aliases are a few words as a lesson writes them (up to 80 "
                                       "characters): letters, digits, spaces and - ' ( ) . , / + & @ only, on one "
                                       "line, never empty. Each becomes a '*[term]: definition' line under every "
                                       "page."))
            continue
        unknown = [key for key in entry if key not in ENTRY_KEYS]
        for key in unknown:
            errors.append(ContentError(name, entry.line_of(key), f"term '{term_id}' has an unknown field '{key}'."
                                       f"{did_you_mean(str(key), sorted(ENTRY_KEYS))}",
                                       f"A term has {', '.join(sorted(ENTRY_KEYS))}; anything else is ignored."))
        asked = entry.get("asked_as") or []
        if not isinstance(asked, list):
            errors.append(ContentError(name, entry.line_of("asked_as"), f"term '{term_id}': asked_as must be a list "
                                       "of everyday phrasings", 'For example: asked_as: ["make things up", "fake sources"]'))
            asked = []
        kept = []
        for words in asked:
            if problem := _phrasing_problem(words):
                errors.append(ContentError(name, entry.line_of("asked_as"), f"term '{term_id}': the asked_as phrasing "
                                           f"{_shown(words)} {problem}", ASKED_HINT))
            else:
                kept.append(words)
        asked = kept
        term = Term(str(term_id), str(entry["term"]), definition, str(entry.get("chapter") or ""),
                    [str(alias) for alias in aliases], at, entry.line_of("chapter"), [str(words) for words in asked])
        for words in term.asked_as:
            if words.lower() in asked_by and asked_by[words.lower()] != term.id:
                errors.append(ContentError(name, entry.line_of("asked_as"), f"the phrasing '{words}' is asked as both "
                                           f"'{asked_by[words.lower()]}' and '{term.id}'",
                                           "A phrasing can stand for one term only; keep it where it fits best."))
            asked_by[words.lower()] = term.id
        for spelling in term.spellings:
            if spelling in spelled and spelled[spelling] != term.id:
                errors.append(ContentError(name, at, f"'{spelling}' is used by both '{spelled[spelling]}' "
                                           f"and '{term.id}'", "A spelling can point at one term only."))
            spelled[spelling] = term.id
        terms[term.id] = term
    for term in terms.values():
        for words in term.asked_as:
            owner = spelled.get(words) or spelled.get(words[:1].upper() + words[1:])
            if owner:
                errors.append(ContentError(name, term.line, f"term '{term.id}': the asked_as phrasing '{words}' is a "
                                           f"spelling of '{owner}'", "Spellings are matched already; remove it."))
    if errors:
        raise errors[0] if len(errors) == 1 else ContentErrors(errors)
    return terms


ENTRY_KEYS = frozenset({"term", "aliases", "definition", "chapter", "asked_as"})
ASKED_HINT = ("A phrasing is two or more plain words a learner would type for the term, as \"make things up\" for "
              "hallucination: one word matches too many questions (\"invented\" is also in \"who invented attention\"). "
              "Letters, digits, spaces and - ' ( ) . , / + & @ only.")


def _phrasing_problem(words) -> str:
    """What is wrong with an asked_as phrasing, or "" (see ASKED_HINT)."""
    if not isinstance(words, str) or not SPELLING.match(words) or "_" in words:
        return "is not one line of plain words"
    if len(re.findall(r"[^\W_]+", words)) < 2:
        return "is a single word"
    return ""


# A term or alias becomes '*[spelling]: definition' under every page, and is matched in its text:
# plain words on one line, nothing that could end the brackets or start Markdown or HTML.
SPELLING = re.compile(r"[^\W_](?:[\w '’().,/+&@-]{0,78}[\w).’'])?\Z")


def _shown(value) -> str:
    text = repr(str(value)) if isinstance(value, (str, int, float)) else f"of type {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "…'"


def check_chapters(terms: dict[str, Term], pages: set[str], name: str) -> list[ContentError]:
    """Each term's chapter must be a lesson: 'pretraining' for docs/pretraining.md."""
    lessons = sorted(page[:-3] for page in pages if page.endswith(".md"))
    return [ContentError(name, term.chapter_line, f"term '{term.id}' names an unknown chapter "
                         f"'{term.chapter}'.{did_you_mean(term.chapter, lessons)}",
                         "chapter is a lesson's file name without .md, such as 'pretraining'.")
            for term in terms.values() if term.chapter and term.chapter not in lessons]


# --- Marking terms in a page ----------------------------------------------------------------------
# A term is marked where a reader meets it: its first use in each section (a section starts at each
# second-level heading), never in a heading, a box's title, a table header, a link, code or a fact's label. The mark is a link to the
# term's entry on the glossary page, with the definition as its title: tips.js shows it as a tooltip
# on hover and on keyboard focus, and following the link opens the entry.

SECTION_TAGS = frozenset({"h1", "h2"})
SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "code", "pre", "kbd", "sup", "script",
                       "style", "svg", "button", "label", "summary", "dt", "th"})
TERM_CLASS = "fd-term"
SKIP_CLASSES = frozenset({TERM_CLASS, "admonition-title"})      # a box's title reads as a heading


def term_pattern(terms: dict[str, Term]) -> tuple[re.Pattern | None, dict[str, Term]]:
    """One pattern for every spelling of every term (longest first), and which term each spelling is."""
    by_spelling = {spelling: term for term in terms.values() for spelling in term.spellings}
    if not by_spelling:
        return None, {}
    return re.compile(r"(?<![\w-])(?:" + trie_alternation(by_spelling) + r")(?![\w-])"), by_spelling


def trie_alternation(words) -> str:
    """A regular expression matching any of ``words``, with shared beginnings written once.

    Python's ``re`` tries each branch of a plain alternation in turn at every position of the text;
    hundreds of spellings made marking terms the slowest part of rendering a page. In this form each
    character of the text picks one branch. A longer spelling is tried before a shorter one it begins
    with, and the engine backtracks to the shorter one when what follows the longer one does not fit,
    so it matches exactly what the longest-first alternation matched.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        choices = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not choices:
            return ""
        body = choices[0] if len(choices) == 1 else "(?:" + "|".join(choices) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


def mark_terms(root, pattern: re.Pattern | None, by_spelling: dict[str, Term], attributes) -> int:
    """Wrap the first use of each term in each section of an element tree; returns how many were marked.
    Only a term's first mark on the page is a Tab stop.

    ``attributes(term)`` gives the mark's attributes (href and title). Works on any ElementTree-like
    tree (Python-Markdown's), in document order.
    """
    if pattern is None:
        return 0
    seen: set[str] = set()
    marked = 0

    def split(text: str, make_mark):
        """Marks in ``text``: (text before the first mark, [mark elements, each with its tail])."""
        nonlocal marked
        marks = []
        head, rest = text, ""
        position = 0
        while True:
            match = None
            for candidate in pattern.finditer(text, position):
                if by_spelling[candidate[0]].id not in seen:
                    match = candidate
                    break
            if match is None:
                break
            term = by_spelling[match[0]]
            seen.add(term.id)
            marked += 1
            if marks:
                marks[-1].tail = text[position:match.start()]
            else:
                head = text[:match.start()]
            mark = make_mark(term, match[0])
            marks.append(mark)
            position = match.end()
        if marks:
            marks[-1].tail = text[position:]
            return head, marks
        return text, marks

    def walk(element, make_mark) -> None:
        index = 0
        if element.text:
            element.text, marks = split(element.text, make_mark)
            for offset, mark in enumerate(marks):
                element.insert(offset, mark)
            index = len(marks)                       # the marks' tails have been looked at already
        while index < len(element):
            child = element[index]
            if child.tag in SECTION_TAGS:
                seen.clear()
            if child.tag not in SKIP_TAGS and not SKIP_CLASSES & set((child.get("class") or "").split()):
                walk(child, make_mark)
            if child.tail:
                child.tail, marks = split(child.tail, make_mark)
                for offset, mark in enumerate(marks, 1):
                    element.insert(index + offset, mark)
                index += len(marks)
            index += 1

    reached: set[str] = set()          # terms whose definition the Tab key already reaches on this page

    def make_mark(term: Term, text: str):
        # The Tab key stops at a term's first mark on the page; its later marks (one a section) show the
        # same definition on hover and stay links, without adding stops.
        found = attributes(term)                     # without a glossary page to link to: a focusable abbr
        focus = {"tabindex": "-1"} if term.id in reached else {} if "href" in found else {"tabindex": "0"}
        reached.add(term.id)
        mark = root.makeelement("a" if "href" in found else "abbr", {"class": TERM_CLASS, **found, **focus})
        mark.text = text
        return mark

    walk(root, make_mark)
    return marked
