"""Do the quizzes measure understanding, or can a test-wise guesser pass them?

Everything here reads the built site (the `built_site` fixture): option texts are taken from the
quiz markup as a reader sees them, with facts rendered, so a `:fact[...]` marker counts as the words it
becomes. The small "reported" / "estimated" label after a fact is a marker, not wording, and is left out.

Run with `-s` to see the figures:

    .venv/bin/python -m pytest -q -s tests/test_quiz_fairness.py
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# The writing rules in the quiz brief (CONTRIBUTING.md, "Add or fix a quiz question").
COURSE_LONGEST_KEY_MAX = 0.30          # share of single-answer keys that are the longest option
COURSE_POSITION_MAX = 0.35             # share of single-answer keys in any one position
LONGEST_STRATEGY_MARGIN = 25           # "always pick the longest" must score this many points below the pass mark
ABSOLUTE_WORDS = ("always", "never", "only", "guarantees", "guarantee", "all", "none", "completely")


@dataclass
class Question:
    id: str
    kind: str                # "single" or "multiple"
    options: list[str]       # plain text as a reader sees it
    correct: list[bool]

    @property
    def lengths(self) -> list[int]:
        return [len(text) for text in self.options]

    def key_is_longest(self) -> bool:
        """The (single) key is at least as long as every other option: ties count against the quiz."""
        key = self.correct.index(True)
        return self.lengths[key] == max(self.lengths)

    def key_is_shortest(self) -> bool:
        key = self.correct.index(True)
        return self.lengths[key] == min(self.lengths)


@dataclass
class Quiz:
    id: str
    page: str
    exam: bool
    pass_mark: int
    questions: list[Question]

    @property
    def single(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "single"]

    @property
    def multiple(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "multiple"]


def _plain(element) -> str:
    """The text a reader sees in an option label, without the qualifier marker after each fact."""
    for marker in element.select("sup.fd-fact__q"):
        marker.decompose()
    return " ".join(element.get_text("").split())


def read_quizzes(site: Path) -> list[Quiz]:
    quizzes = []
    for page in sorted(site.rglob("index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for block in soup.select("div.fd-quiz"):
            questions = []
            for fieldset in block.select("fieldset.fd-q"):
                options, correct = [], []
                for item in fieldset.select("ul.fd-q__options > li.fd-opt"):
                    options.append(_plain(item.find("label")))
                    correct.append(item.get("data-correct") == "true")
                questions.append(Question(fieldset["data-question"], fieldset.get("data-kind", "single"),
                                          options, correct))
            quizzes.append(Quiz(block["data-quiz"], str(page.relative_to(site)), block.get("data-mode") == "exam",
                                int(block.get("data-pass") or 80), questions))
    return quizzes


def longest_key_share(questions: list[Question]) -> float:
    return sum(q.key_is_longest() for q in questions) / len(questions)


def key_positions(questions: list[Question]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for question in questions:
        position = question.correct.index(True) + 1
        counts[position] = counts.get(position, 0) + 1
    return counts


def longest_option_score(quiz: Quiz, pick=max) -> float:
    """Percent scored by picking only the longest option of every question (ties: the first one).

    A select-all question then counts as right only if its one correct option is that longest option.
    With pick=min, the same for a guesser who always picks the shortest option.
    """
    right = 0
    for question in quiz.questions:
        choice = question.lengths.index(pick(question.lengths))
        right += question.correct == [index == choice for index in range(len(question.options))]
    return 100 * right / len(quiz.questions)


def absolute_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if word in ABSOLUTE_WORDS}


@pytest.fixture(scope="module")
def quizzes(built_site) -> list[Quiz]:
    found = read_quizzes(built_site)
    assert len(found) >= 7, f"expected the six lesson quizzes and the module test, found {[q.id for q in found]}"
    assert any(q.exam for q in found), "no module test (a quiz marked exam) in the built site"
    return found


def _correct_counts(questions: list[Question]) -> dict:
    counts: dict = {}
    for question in questions:
        n = "all" if all(question.correct) else sum(question.correct)
        counts[n] = counts.get(n, 0) + 1
    return counts


def _figures(quizzes: list[Quiz]) -> str:
    single = [q for quiz in quizzes for q in quiz.single]
    multiple = [q for quiz in quizzes for q in quiz.multiple]
    positions = key_positions(single)
    exam = next(quiz for quiz in quizzes if quiz.exam)
    lines = [
        f"quizzes: {len(quizzes)}; single-answer questions: {len(single)}; select-all questions: {len(multiple)}",
        f"single-answer keys that are the longest option: {sum(q.key_is_longest() for q in single)} of "
        f"{len(single)} ({longest_key_share(single):.0%}; limit {COURSE_LONGEST_KEY_MAX:.0%})",
        "single-answer keys by position: " + ", ".join(
            f"{p}: {positions.get(p, 0)} ({positions.get(p, 0) / len(single):.0%})" for p in range(1, 5))
        + f" (limit {COURSE_POSITION_MAX:.0%} each)",
        f"select-all questions starting with a correct option: {sum(q.correct[0] for q in multiple)} of "
        f"{len(multiple)} ({sum(q.correct[0] for q in multiple) / len(multiple):.0%})",
        "select-all questions by number of correct options: " + ", ".join(
            f"{'all' if n == 'all' else n}: {c}" for n, c in sorted(
                _correct_counts(multiple).items(), key=lambda item: (item[0] == "all", str(item[0])))),
        f"'always pick the longest option' on {exam.id}: {longest_option_score(exam):.0f}% "
        f"against a pass mark of {exam.pass_mark}% (must be at most {exam.pass_mark - LONGEST_STRATEGY_MARGIN}%)",
        f"for comparison, single-answer keys that are the shortest option: {sum(q.key_is_shortest() for q in single)} "
        f"of {len(single)}; 'always pick the shortest' on {exam.id}: {longest_option_score(exam, min):.0f}%",
    ]
    for quiz in quizzes:
        lines.append(f"  {quiz.id}: longest key {sum(q.key_is_longest() for q in quiz.single)}/{len(quiz.single)}, "
                     f"positions {dict(sorted(key_positions(quiz.single).items()))}, "
                     f"select-all starting correct {sum(q.correct[0] for q in quiz.multiple)}/{len(quiz.multiple)}, "
                     f"longest-option score {longest_option_score(quiz):.0f}%")
    return "\n".join(lines)


def test_course_wide_figures(quizzes):
    figures = _figures(quizzes)
    print("\n" + figures)
    single = [q for quiz in quizzes for q in quiz.single]
    multiple = [q for quiz in quizzes for q in quiz.multiple]
    assert longest_key_share(single) <= COURSE_LONGEST_KEY_MAX, figures
    assert max(key_positions(single).values()) / len(single) <= COURSE_POSITION_MAX, figures
    assert sum(q.correct[0] for q in multiple) < len(multiple), figures
    exam = next(quiz for quiz in quizzes if quiz.exam)
    assert longest_option_score(exam) <= exam.pass_mark - LONGEST_STRATEGY_MARGIN, figures
    # Overcorrecting would only move the tell: the shortest option must not give the key away either.
    assert sum(q.key_is_shortest() for q in single) / len(single) <= COURSE_LONGEST_KEY_MAX, figures
    assert longest_option_score(exam, min) <= exam.pass_mark - LONGEST_STRATEGY_MARGIN, figures


def source_line(kind: str, name: str) -> str:
    """Where a quiz or a question starts in the Markdown sources, as file:line for messages."""
    pattern = re.compile(rf"^\s*<!--\s*{kind}:\s*{re.escape(name)}[\s>-]")
    for path in sorted(DOCS.rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.match(line):
                return f"{path.relative_to(ROOT)}:{number}"
    return f"docs ({kind} '{name}')"


def test_each_quiz_keeps_length_and_position_neutral(quizzes):
    problems = []
    for quiz in quizzes:
        single = quiz.single
        where = f"{source_line('quiz', quiz.id)}: quiz '{quiz.id}'"
        longest = [q.id for q in single if q.key_is_longest()]
        if len(longest) > len(single) / 4:
            problems.append(f"{where}: the key is the longest option in {len(longest)} of {len(single)} "
                            f"single-answer questions (at most 1 in 4): {', '.join(longest)}. "
                            "Trim those keys or write fuller distractors.")
        right = [n for q in quiz.questions for n, ok in zip(q.lengths, q.correct) if ok]
        wrong = [n for q in quiz.questions for n, ok in zip(q.lengths, q.correct) if not ok]
        if sum(right) / len(right) > sum(wrong) / len(wrong):
            problems.append(f"{where}: correct options average {sum(right) / len(right):.0f} characters, "
                            f"longer than the wrong ones ({sum(wrong) / len(wrong):.0f}); trim the keys")
        for position, count in key_positions(single).items():
            if count > len(single) / 3:
                problems.append(f"{where}: {count} of {len(single)} single-answer keys sit in position {position} "
                                "(at most a third); move some keys to other positions")
        multiple = quiz.multiple
        if multiple and all(q.correct[0] for q in multiple):
            problems.append(f"{where}: every select-all question starts with a correct option; reorder one")
        if len(multiple) >= 2 and len({sum(q.correct) for q in multiple}) == 1:
            problems.append(f"{where}: every select-all question has {sum(multiple[0].correct)} correct options; "
                            "vary how many are right")
    assert not problems, "\n".join(problems)


def test_absolute_words_are_not_only_in_wrong_options(quizzes):
    problems = []
    for quiz in quizzes:
        for question in quiz.questions:
            in_right = set().union(*(absolute_words(t) for t, ok in zip(question.options, question.correct) if ok))
            for text, ok in zip(question.options, question.correct):
                only_wrong = absolute_words(text) - in_right if not ok else set()
                if only_wrong:
                    problems.append(f"{source_line('question', question.id)}: question '{question.id}': "
                                    f"'{', '.join(sorted(only_wrong))}' is in a wrong option but in no correct one: "
                                    f"{text[:70]!r}. Reword it, or use the word in a correct option too.")
    assert not problems, "\n".join(problems)


# Misconceptions: each named once in docs/misconceptions.yml, each named by at least one wrong option.
MISCONCEPTION = re.compile(r"^\s+>\s*Misconception:\s*(?P<id>\S+)\s*$")
OPTION = re.compile(r"^\s*[-*+]\s+\[(?P<mark>[ xX])\]")


def _named_misconceptions() -> list[tuple[str, int, str, bool]]:
    """(file, line, misconception id, whether the option it follows is correct) for every quiz source."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        correct = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if match := OPTION.match(line):
                correct = match["mark"] != " "
            elif match := MISCONCEPTION.match(line):
                found.append((str(path.relative_to(ROOT)), number, match["id"], bool(correct)))
    return found


def test_misconceptions_are_defined_used_and_point_at_real_headings(built_site):
    source = DOCS / "misconceptions.yml"
    defined = yaml.safe_load(source.read_text(encoding="utf-8"))["misconceptions"]
    lines = source.read_text(encoding="utf-8").splitlines()
    at = {mid: f"docs/misconceptions.yml:{next((n for n, line in enumerate(lines, 1) if line.strip() == mid + ':'), 1)}"
          for mid in defined}
    named = _named_misconceptions()
    print(f"\nmisconceptions defined: {len(defined)}; named by wrong options: {len(named)}")
    assert len(defined) >= 15, f"docs/misconceptions.yml defines {len(defined)} misconceptions (at least 15)"
    problems = [f"{file}:{line}: unknown misconception '{mid}'; define it in docs/misconceptions.yml or fix the id"
                for file, line, mid, _ in named if mid not in defined]
    problems += [f"{file}:{line}: misconception '{mid}' is on a correct option; name it on a wrong one"
                 for file, line, mid, ok in named if ok]
    used = {mid for _, _, mid, _ in named}
    problems += [f"{at[mid]}: '{mid}' is named by no option; name it on the wrong option that embodies it, or drop it"
                 for mid in defined if mid not in used]
    for mid, entry in defined.items():
        page, _, anchor = str(entry.get("section", "")).partition("#")
        html = built_site / page.removesuffix(".md") / "index.html"
        if not anchor or not html.exists() or f'id="{anchor}"' not in html.read_text(encoding="utf-8"):
            problems.append(f"{at[mid]}: '{mid}' points at {entry.get('section')!r}, which is not a heading in the "
                            "built site; give a page and a heading anchor, such as rlhf.md#who-the-raters-are")
    assert not problems, "\n".join(problems)


def test_the_site_search_does_not_give_the_answers_away(built_site):
    """The theme's search indexes every page's text. A quiz's feedback, its explanation and the written-out
    answer ("Right: …") stay out of it, so searching a question's words does not show which option is right."""
    import json

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = " ".join(" ".join(BeautifulSoup(doc["text"], "html.parser").get_text(" ").split())
                        for doc in index["docs"])
    answers = []
    for page in built_site.rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select(".fd-quiz .fd-opt__feedback, .fd-quiz .fd-q__explanation, .fd-quiz .fd-q__answer li"):
            text = " ".join(element.get_text(" ").split())
            if len(text) > 30:
                answers.append(text[:80])
    assert len(answers) > 100                       # every quiz's feedback and written-out answers were found
    given_away = [text for text in answers if text in searched]
    assert not given_away, given_away[:3]
