"""Misconceptions: wrong ideas a newcomer holds, defined once and named by the quiz options that show them.

``docs/misconceptions.yml`` (optional) holds::

    misconceptions:
      cai-removes-humans:
        statement: "Constitutional AI takes people out of training altogether."
        section: rlhf.md#constitutional-ai-feedback-from-an-ai

A wrong option names one with ``  > Misconception: cai-removes-humans`` after its feedback. After a
quiz, the learner sees the statements their wrong answers showed, each linking to its section.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ContentErrors, did_you_mean
from .links import HEADING_HINT, not_a_heading
from .quizzes import ID
from .yamlfile import LineDict, load_yaml

FILE = "misconceptions.yml"


@dataclass
class Misconception:
    id: str
    statement: str
    section: str        # "page.md#anchor"
    line: int

    @property
    def page(self) -> str:
        return self.section.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.section.partition("#")[2]


def load_misconceptions(path: Path, name: str) -> dict[str, Misconception]:
    """Read the misconceptions file; a course without one has none."""
    if not Path(path).exists():
        return {}
    data = load_yaml(path, name)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("misconceptions"), LineDict):
        raise ContentError(name, getattr(data, "line", None) or 1, "the file has no 'misconceptions:' mapping",
                           "Start it with 'misconceptions:' and list each one under it by id.")
    found: dict[str, Misconception] = {}
    problems: list[ContentError] = []
    entries: LineDict = data["misconceptions"]
    for key, entry in entries.items():
        line = entries.line_of(key)
        if not isinstance(key, str) or not ID.match(key):
            problems.append(ContentError(name, line, f"'{key}' is not a valid misconception id",
                                         "Use lower-case words joined by hyphens, such as 'cai-removes-humans'."))
            continue
        if not isinstance(entry, LineDict):
            problems.append(ContentError(name, line, f"misconception '{key}' needs 'statement' and 'section'",
                                         "Indent them under the id."))
            continue
        statement, section = entry.get("statement"), entry.get("section")
        if not isinstance(statement, str) or not statement.strip():
            problems.append(ContentError(name, line, f"misconception '{key}' has no statement",
                                         "Add 'statement:' with the wrong idea in one plain sentence."))
            continue
        if not isinstance(section, str) or not section.endswith(tuple("abcdefghijklmnopqrstuvwxyz0123456789")) \
                or ".md#" not in section:
            problems.append(ContentError(name, entry.line_of("section") if "section" in entry else line,
                                         f"misconception '{key}' needs a section like 'rlhf.md#reward-models'",
                                         "Give the page and the anchor of the heading that corrects it."))
            continue
        for other in set(entry) - {"statement", "section"}:
            problems.append(ContentError(name, entry.line_of(other), f"unknown field '{other}' in misconception '{key}'",
                                         "A misconception has only 'statement' and 'section'."))
        found[key] = Misconception(key, " ".join(statement.split()), section.strip(), line)
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    return found


def check_sections(misconceptions: dict[str, Misconception], anchors: dict[str, set[str]],
                   name: str) -> list[ContentError]:
    """Each section must be a page of the course and one of its headings."""
    problems = []
    for item in misconceptions.values():
        if item.page not in anchors:
            problems.append(ContentError(name, item.line, f"misconception '{item.id}' points at page '{item.page}', "
                                         f"which does not exist.{did_you_mean(item.page, anchors)}",
                                         "Use a page path under docs/, such as 'rlhf.md#reward-models'."))
        elif item.anchor not in anchors[item.page]:
            problems.append(ContentError(name, item.line, f"misconception '{item.id}' points at "
                                         f"{not_a_heading(item.anchor, item.page, anchors)}", HEADING_HINT))
    return problems


def unknown(misconception_id: str, known: dict[str, Misconception], file: str, line: int) -> ContentError:
    if not known:
        hint = f"The course has no docs/{FILE}: create it and define '{misconception_id}' there."
    else:
        hint = f"Misconceptions live in docs/{FILE}; add it there with a statement and section, or fix the id."
    return ContentError(file, line, f"unknown misconception '{misconception_id}'.{did_you_mean(misconception_id, known)}",
                        hint)
