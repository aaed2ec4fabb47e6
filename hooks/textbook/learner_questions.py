"""Learner questions: what a newcomer might ask, in their own words, filed under the section that answers it.

``docs/learner-questions.yml`` (optional) holds::

    sections:
      training-data.md#the-model-does-not-look-things-up:
        - "does chatgpt google stuff when i ask it something?"
        - "so it just memorises everything it read?"

A lesson and its learners rarely use the same words ("look things up" against "google stuff"). "Ask
this lesson" counts these questions among their section's words, and each among the words of the
passage of that section that matches it best (``ask.js``), so a learner's question meets the passage
that answers it. They are never shown. A key is a lesson page and the anchor of one of its headings, as
the built site spells it; ``page.md#`` is the lesson's opening, before its first heading.
"""
from __future__ import annotations

from pathlib import Path

from .errors import ContentError, ContentErrors, did_you_mean
from .links import HEADING_HINT, not_a_heading
from .yamlfile import LineDict, load_yaml

FILE = "learner-questions.yml"


def load_learner_questions(path: Path, name: str) -> dict[str, tuple[int, list[str]]]:
    """Section ("page.md#anchor") -> (its line in the file, its questions). A course without the file has none."""
    if not Path(path).exists():
        return {}
    data = load_yaml(path, name)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("sections"), LineDict):
        raise ContentError(name, getattr(data, "line", None) or 1, "the file has no 'sections:' mapping",
                           "Start it with 'sections:' and list questions under each 'page.md#anchor'.")
    found: dict[str, tuple[int, list[str]]] = {}
    problems: list[ContentError] = []
    sections: LineDict = data["sections"]
    for key, questions in sections.items():
        line = sections.line_of(key)
        if not isinstance(key, str) or ".md#" not in key or key.startswith("#"):
            problems.append(ContentError(name, line, f"'{key}' is not a lesson section",
                                         "Write the page and the heading's anchor, such as 'rlhf.md#reward-models' "
                                         "('rlhf.md#' for the lesson's opening)."))
            continue
        if not isinstance(questions, list) or not questions:
            problems.append(ContentError(name, line, f"section '{key}' has no list of questions",
                                         "List its questions under it, one per line, each starting with '- '."))
            continue
        bad = [question for question in questions if not isinstance(question, str) or not question.strip()]
        if bad:
            problems.append(ContentError(name, line, f"section '{key}' has a question that is not text: {bad[0]!r}",
                                         "Write each question as text in double quotes."))
            continue
        found[key] = (line, [" ".join(question.split()) for question in questions])
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    return found


def check_sections(questions: dict[str, tuple[int, list[str]]], anchors: dict[str, set[str]],
                   lessons: set[str], name: str) -> list[ContentError]:
    """Each key must be a lesson of the nav and, after '#', one of its headings (or nothing: its opening),
    in a part of the lesson the box searches."""
    from .ask import FRAMING

    problems = []
    for key, (line, _questions) in questions.items():
        page, _, anchor = key.partition("#")
        if page not in lessons:
            problems.append(ContentError(name, line, f"section '{key}' is not in a lesson: '{page}' is not a lesson "
                                         f"of the nav.{did_you_mean(page, lessons)}",
                                         "Use the page path of a lesson under docs/, such as 'rlhf.md#reward-models'."))
        elif anchor and anchor not in anchors.get(page, set()):
            problems.append(ContentError(name, line, f"section '{key}' points at {not_a_heading(anchor, page, anchors)}",
                                         HEADING_HINT))
        elif anchor in FRAMING:
            problems.append(ContentError(name, line, f"section '{key}' frames the lesson and is not searched, so its "
                                         "questions would never be used",
                                         "File each question under the section whose text answers it."))
    return problems
