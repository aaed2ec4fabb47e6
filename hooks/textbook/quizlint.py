"""Quiz lint: patterns that let a reader guess the answer without knowing it.

Test-wise readers pick the longest option, the usual position, the option without "always" or
"never", or the first box of a select-all question. Each rule below looks for one of these patterns
in a whole quiz (never in a single question, where any pattern can happen by chance) and reports it
with the quiz's ``file:line`` and how to fix it. Thresholds are documented in CONTRIBUTING.md.
"""
from __future__ import annotations

import html
import re
from collections import Counter

from .errors import ContentError
from .facts import Facts, format_fact
from .inline import render_inline
from .markdown_scan import FACT_MARKER
from .quizzes import Option, Quiz

MIN_QUESTIONS = 4              # smaller quizzes are not linted: too few questions for a pattern
LONGEST_KEY_SHARE = 0.40       # single-answer keys that are the longest option: at most this share
POSITION_SHARE = 0.50          # single-answer keys in one position: at most this share
SELECT_ALL_FIRST = 2           # this many select-all questions or more, all starting with a correct option
ABSOLUTE_WRONG = 2             # absolute words in this many wrong options, and in no correct one
ABSOLUTE = re.compile(r"\b(always|never|only|guarantees?|guaranteed|all|none|completely)\b", re.I)
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def plain_text(text: str, facts: Facts | None = None) -> str:
    """The option as a reader sees it: Markdown rendered, tags dropped, facts as their rendered text."""
    def fact(match: re.Match) -> str:
        style = (match[2] or "long").strip()
        if facts is not None and match[1] in facts.facts:
            try:
                return format_fact(facts.facts[match[1]], style if style in ("long", "short", "value") else "long")
            except Exception:                       # an unknown style is reported by the renderer
                pass
        return match[1]
    rendered = render_inline(FACT_MARKER.sub(fact, text))
    return " ".join(html.unescape(re.sub(r"<[^<>]+>", "", rendered)).split())


def _ids(questions) -> str:
    return ", ".join(f"'{question.id}' (line {question.line})" for question in questions)


def lint_quiz(quiz: Quiz, file: str, facts: Facts | None = None) -> list[ContentError]:
    """Problems with how guessable a quiz is, each naming the quiz's file:line."""
    if len(quiz.questions) < MIN_QUESTIONS:
        return []
    problems: list[ContentError] = []

    def report(message: str, hint: str) -> None:
        problems.append(ContentError(file, quiz.line, f"quiz '{quiz.id}': {message}", hint))

    singles = [question for question in quiz.questions if question.kind == "single"]
    if singles:
        longest = []
        positions: Counter[int] = Counter()
        for question in singles:
            lengths = [len(plain_text(option.text, facts)) for option in question.options]
            key = next(index for index, option in enumerate(question.options) if option.correct)
            positions[key] += 1
            if lengths[key] == max(lengths):
                longest.append(question)
        if len(longest) / len(singles) > LONGEST_KEY_SHARE:
            report(f"the correct option is the longest in {len(longest)} of {len(singles)} single-answer "
                   f"questions: {_ids(longest)}",
                   f"Keep it to at most {int(LONGEST_KEY_SHARE * 100)}% (aim for one in four): trim "
                   "over-qualified keys and write distractors as complete, specific statements of similar "
                   "length (measured as the text a reader sees).")
        position, count = positions.most_common(1)[0]
        if count / len(singles) > POSITION_SHARE:
            where = [question for question in singles
                     if next(i for i, o in enumerate(question.options) if o.correct) == position]
            report(f"{count} of {len(singles)} single-answer keys are the {ORDINALS[position]} option: {_ids(where)}",
                   f"Spread the keys over every position; no position should hold more than "
                   f"{int(POSITION_SHARE * 100)}% of them (aim for a third at most).")

    multiples = [question for question in quiz.questions if question.kind == "multiple"]
    if len(multiples) >= SELECT_ALL_FIRST and all(question.options[0].correct for question in multiples):
        report(f"all {len(multiples)} select-all questions start with a correct option: {_ids(multiples)}",
               "Vary where the correct options sit and how many there are; start some with a wrong option.")

    def absolute(option: Option) -> list[str]:
        return [word.lower() for word in ABSOLUTE.findall(plain_text(option.text, facts))]

    options = [(question, option) for question in quiz.questions for option in question.options]
    wrong = [(question, option) for question, option in options if not option.correct and absolute(option)]
    right = [option for _question, option in options if option.correct and absolute(option)]
    if len(wrong) >= ABSOLUTE_WRONG and not right:
        words = sorted({word for _question, option in wrong for word in absolute(option)})
        lines = ", ".join(str(option.line) for _question, option in wrong)
        report(f"absolute words ({', '.join(repr(word) for word in words)}) appear only in wrong options "
               f"(lines {lines})",
               "Readers learn that 'always' and 'never' mark a wrong answer: reword those options without "
               "them, or use such words in correct options too where they are true.")
    return problems
