"""The shape every lesson shares, checked on its Markdown: lessons are the pages listed under
"Lessons" in the nav of mkdocs.yml.

A lesson has these ``##`` sections, in this order, with teaching sections between "Key terms" and
"Try it": Learning objectives, Key terms (holding a ``key-terms`` block), Try it: … (holding an
``!!! example`` box), Key takeaways, Check your understanding (a quiz of at least five questions),
Further reading and Where next; and at least 1,800 words of teaching before the quiz.
CONTRIBUTING.md, "Write or restructure a lesson", has the template. No MkDocs import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ContentError
from .links import HEADING, heading_anchor
from .markdown_scan import segments, strip_code
from .quizzes import find_quizzes

TEMPLATE = "See the lesson template in CONTRIBUTING.md, \"Write or restructure a lesson\"."
MIN_QUESTIONS = 5
MIN_WORDS = 1800


@dataclass(frozen=True)
class Section:
    anchor: str          # the heading's anchor, or its start for "Try it: …"
    heading: str         # what to write
    prefix: bool = False


SECTIONS = (
    Section("learning-objectives", "## Learning objectives"),
    Section("key-terms", "## Key terms"),
    Section("try-it", "## Try it: a short name", prefix=True),
    Section("key-takeaways", "## Key takeaways"),
    Section("check-your-understanding", "## Check your understanding"),
    Section("further-reading", "## Further reading"),
    Section("where-next", "## Where next"),
)
QUIZ_SECTION = "check-your-understanding"


# --- The nav ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    src: str            # the page's path under docs/, e.g. "pretraining.md"
    line: int           # its line in mkdocs.yml


def lessons_in_nav(config: Path, name: str = "mkdocs.yml") -> list[NavEntry]:
    """The pages under the nav's "Lessons" section, in order, with their lines in mkdocs.yml;
    none if the nav has no such section."""
    try:
        # Composed, never constructed: tags such as !ENV stay unresolved.
        root = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ContentError(name, mark.line + 1 if mark else None,
                           f"couldn't parse the YAML: {getattr(error, 'problem', None) or error}",
                           "Fix the YAML at this line; MkDocs cannot read the file either.") from None
    nav = _value(root, "nav")
    for item in nav.value if isinstance(nav, yaml.SequenceNode) else []:
        lessons = _value(item, "Lessons")
        if isinstance(lessons, yaml.SequenceNode):
            return list(_pages(lessons))
    return []           # a course without a "Lessons" section (a small test course) has no lessons


def _value(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value
    return None


def _pages(node: yaml.Node):
    """Every page path under a nav node (a path, 'Title: path', or a nested section)."""
    if isinstance(node, yaml.ScalarNode):
        if node.value.endswith(".md"):
            yield NavEntry(node.value, node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _pages(item)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _pages(value)


# --- One lesson --------------------------------------------------------------------------------------


@dataclass
class _Heading:
    line: int
    level: int
    anchor: str


def _headings(markdown: str) -> list[_Heading]:
    found = []
    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        for offset, text in enumerate(segment.lines):
            if match := HEADING.match(text):
                level = len(text.strip()) - len(text.strip().lstrip("#"))
                found.append(_Heading(segment.line + offset, level, heading_anchor(match["text"].strip())))
    return found


def _matches(section: Section, anchor: str) -> bool:
    return anchor.startswith(section.anchor) if section.prefix else anchor == section.anchor


def teaching_words(markdown: str, end: int) -> int:
    """Words a reader sees before line ``end``: prose outside code, blocks, comments and front matter,
    with link targets and Markdown punctuation left out."""
    lines = markdown.split("\n")
    front = 0
    if lines and lines[0].strip() == "---":
        front = next((number for number, line in enumerate(lines[1:], 2) if line.strip() == "---"), 0)
    words = 0
    for number, text in strip_code(markdown):
        if front < number < end:
            text = re.sub(r"\]\([^)\s]*\)", "]", text)           # [text](target): the target is not read
            words += len(re.findall(r"\S*\w\S*", text))
    return words


def check_lesson(markdown: str, name: str) -> list[ContentError]:
    """Each part of the lesson shape this Markdown lacks, at the line where it belongs."""
    headings = _headings(markdown)
    h2 = [heading for heading in headings if heading.level == 2]
    last_line = markdown.count("\n") + (0 if markdown.endswith("\n") else 1)
    found: dict[str, _Heading] = {}
    for section in SECTIONS:
        found[section.anchor] = next((h for h in h2 if _matches(section, h.anchor)), None)
    problems: list[ContentError] = []

    def where(index: int) -> tuple[int, str]:
        """The line a missing section belongs before, and how to say so."""
        later = next((found[s.anchor] for s in SECTIONS[index + 1:] if found[s.anchor]), None)
        if later:
            return later.line, "before this heading"
        return last_line, "at the end of the lesson"

    previous: tuple[Section, _Heading] | None = None
    for index, section in enumerate(SECTIONS):
        heading = found[section.anchor]
        if heading is None:
            line, place = where(index)
            other = next((h for h in headings if _matches(section, h.anchor)), None)
            wrong_level = f" (line {other.line} has it as a level-{other.level} heading)" if other else ""
            problems.append(ContentError(
                name, line, f"the lesson has no '{section.heading.split(':')[0][3:]}' section{wrong_level}",
                f"Add the heading '{section.heading}' {place}. {TEMPLATE}"))
            continue
        if previous and heading.line < previous[1].line:
            problems.append(ContentError(
                name, heading.line,
                f"'{section.heading.split(':')[0][3:]}' comes before '{previous[0].heading.split(':')[0][3:]}' "
                f"(line {previous[1].line})",
                f"Lesson sections go in this order: {', '.join(s.heading.split(':')[0][3:] for s in SECTIONS)}. "
                + TEMPLATE))
        previous = (section, heading)

    problems += _blocks(markdown, name, found, h2, last_line)
    quiz_heading = found[QUIZ_SECTION]
    end = quiz_heading.line if quiz_heading else last_line + 1
    words = teaching_words(markdown, end)
    if words < MIN_WORDS:
        problems.append(ContentError(
            name, quiz_heading.line if quiz_heading else 1,
            f"{words:,} words of teaching before 'Check your understanding', fewer than {MIN_WORDS:,}",
            "A lesson teaches its topic in full: expand the teaching sections (prose, examples, tables)."))
    return problems


def _section_lines(heading: _Heading | None, h2: list[_Heading], last_line: int) -> range:
    if heading is None:
        return range(0)
    end = next((h.line for h in h2 if h.line > heading.line), last_line + 1)
    return range(heading.line, end)


def _blocks(markdown: str, name: str, found: dict[str, _Heading | None], h2: list[_Heading],
            last_line: int) -> list[ContentError]:
    """The key-terms block, the exercise box and the quiz, each in its section."""
    problems = []
    key_terms, try_it, quiz = (found["key-terms"], found["try-it"], found[QUIZ_SECTION])
    blocks = [segment.directive.line for segment in segments(markdown, {"key-terms"}) if segment.directive]
    if key_terms and not any(line in _section_lines(key_terms, h2, last_line) for line in blocks):
        problems.append(ContentError(
            name, key_terms.line, "the 'Key terms' section has no key-terms block",
            "Under the heading, add a fenced block with the info string key-terms listing glossary ids, "
            f"one per line. {TEMPLATE}"))

    lines = markdown.split("\n")
    examples = [number for number, text in strip_code(markdown)
                if re.match(r"^\s*(?:!!!|\?\?\?\+?)\s*example\b", lines[number - 1])]
    if try_it and not any(line in _section_lines(try_it, h2, last_line) for line in examples):
        problems.append(ContentError(
            name, try_it.line, "the 'Try it' section has no exercise box",
            "Under the heading, add '!!! example \"\"' (the heading names it) with a goal, steps and a folded worked "
            f"answer. {TEMPLATE}"))

    questions, first_quiz = 0, None
    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        try:
            quizzes = find_quizzes(segment.lines, segment.line, name)
        except ContentError:
            return problems                  # the renderer reports the broken quiz with its line
        for _start, _end, found_quiz in quizzes:
            first_quiz = first_quiz or found_quiz
            questions += len(found_quiz.questions)
    if questions < MIN_QUESTIONS:
        line = first_quiz.line if first_quiz else (quiz.line if quiz else 1)
        what = f"the lesson's quiz has {questions} question(s)" if first_quiz else "the lesson has no quiz"
        problems.append(ContentError(
            name, line, f"{what}; a lesson needs at least {MIN_QUESTIONS}",
            "Under 'Check your understanding', write questions between <!-- quiz: slug --> and "
            "<!-- /quiz -->; CONTRIBUTING.md, \"Add or fix a quiz question\", shows how."))
    return problems


def check_lessons(root: Path) -> list[ContentError]:
    """The lesson shape of every page under "Lessons" in the nav."""
    config = root / "mkdocs.yml"
    if not config.exists():
        return []
    try:
        entries = lessons_in_nav(config)
    except ContentError as error:
        return [error]
    problems = []
    for entry in entries:
        path = root / "docs" / entry.src
        if not path.is_file():
            problems.append(ContentError("mkdocs.yml", entry.line, f"the nav lists the lesson '{entry.src}', "
                                         f"but docs/{entry.src} does not exist",
                                         "Fix the path, or add the lesson (see CONTRIBUTING.md, "
                                         "\"Write or restructure a lesson\")."))
            continue
        problems += check_lesson(path.read_text(encoding="utf-8"), f"docs/{entry.src}")
    return problems
