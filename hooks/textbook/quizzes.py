"""Quizzes written in Markdown: parse, check and render them as widgets.

A quiz reads as plain Markdown on GitHub: task-list options, each followed by its feedback as an
indented quote line. HTML comments (invisible on GitHub) mark where quizzes and questions start.

    <!-- quiz: pretraining -->
    <!-- question: pretraining-loss -->
    What does the loss measure?

    - [ ] How many tokens the model has read.
      > Not quite — that is a count of data, not an error.
    - [x] How surprised the model is by the real next token.
      > Correct — ...

    Explanation: optional, shown after answering.
    <!-- /quiz -->
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .errors import ContentError

# Linear on a long line: no two quantifiers here can take the same run of characters.
QUIZ_START = re.compile(r"^\s*<!--\s*quiz:\s*(?P<id>[^\s>]+)(?P<options>(?:\s[^>]*)?)-->\s*$")
QUIZ_END = re.compile(r"^\s*<!--\s*/quiz\s*-->\s*$")
QUESTION = re.compile(r"^\s*<!--\s*question:\s*(?P<id>\S+)(?:\s+(?P<kind>\S+))?\s*-->\s*$")
OPTION = re.compile(r"^\s*[-*+]\s+\[(?P<mark>[ xX])\]\s*(?P<text>.*)$")
FEEDBACK = re.compile(r"^\s+>\s?(?P<text>.*)$")
MISCONCEPTION = re.compile(r"^\s+>\s*Misconception:\s*(?P<id>.*)$")
EXPLANATION = re.compile(r"^\s*Explanation:\s*(?P<text>.*)$")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("single", "multiple")
SAYS_SELECT_ALL = re.compile(r"\(?\s*select all that apply\W*\)?", re.IGNORECASE)


@dataclass
class Option:
    text: str
    correct: bool
    line: int
    feedback: str = ""
    misconception: str = ""      # the id of a misconception in docs/misconceptions.yml this option shows
    misconception_line: int = 0

    @property
    def id(self) -> str:
        """A stable id from the option's source text: saved answers survive options being reordered."""
        return "o" + hashlib.sha1(" ".join(self.text.split()).encode("utf-8")).hexdigest()[:7]


@dataclass
class Question:
    id: str
    kind: str
    line: int
    text: str = ""
    options: list[Option] = field(default_factory=list)
    explanation: str = ""


@dataclass
class Quiz:
    id: str
    line: int
    questions: list[Question] = field(default_factory=list)
    exam: bool = False
    pass_mark: int = 80


def _options(raw: str, file: str, line: int) -> tuple[bool, int]:
    exam, pass_mark = False, 80
    for word in raw.split():
        if word == "exam":
            exam = True
        elif word.startswith("pass="):
            value = word[5:].rstrip("%")
            if not value.isdigit() or not 1 <= int(value) <= 100:
                raise ContentError(file, line, f"the quiz's pass mark '{word}' is not a whole percentage",
                                   "Write it like pass=80.")
            pass_mark = int(value)
        else:
            raise ContentError(file, line, f"unknown quiz option '{word}'",
                               "A quiz line takes an id, then optionally 'exam' and 'pass=80'.")
    return exam, pass_mark


def parse_quiz(lines: list[str], first_line: int, file: str) -> Quiz:
    """Parse the lines of one quiz block, from its start marker to its end marker inclusive."""
    start = QUIZ_START.match(lines[0])
    quiz_id = start["id"]
    if not ID.match(quiz_id):
        raise ContentError(file, first_line, f"'{quiz_id}' is not a valid quiz id",
                           "Use lower-case words joined by hyphens, such as 'pretraining'.")
    exam, pass_mark = _options(start["options"], file, first_line)
    quiz = Quiz(quiz_id, first_line, exam=exam, pass_mark=pass_mark)
    question: Question | None = None
    target: str | None = None          # what a continuation line extends: text, option, feedback, explanation
    for offset, line in enumerate(lines[1:-1], start=1):
        number = first_line + offset
        if not line.strip():
            if target in ("option", "feedback"):
                target = "between-options"
            elif target == "explanation":
                target = "after-explanation"
            continue
        if match := QUESTION.match(line):
            kind = match["kind"] or "single"
            if kind not in KINDS:
                raise ContentError(file, number, f"unknown question kind '{kind}'",
                                   "Write 'multiple' after the id for select-all questions, or nothing.")
            if not ID.match(match["id"]):
                raise ContentError(file, number, f"'{match['id']}' is not a valid question id",
                                   "Use lower-case words joined by hyphens, such as 'pretraining-loss'.")
            question = Question(match["id"], kind, number)
            quiz.questions.append(question)
            target = "text"
            continue
        if question is None:
            raise ContentError(file, number, "text in a quiz before its first question",
                               "Start each question with <!-- question: some-id -->.")
        if match := OPTION.match(line):
            question.options.append(Option(match["text"].strip(), match["mark"] != " ", number))
            target = "option"
            continue
        if (match := MISCONCEPTION.match(line)) and question.options and target == "feedback":
            option, misconception = question.options[-1], match["id"].rstrip()
            if option.misconception:
                raise ContentError(file, number, f"a second misconception for option '{option.text[:40]}'",
                                   f"An option names at most one misconception (it already names "
                                   f"'{option.misconception}' on line {option.misconception_line}).")
            if not ID.match(misconception):
                raise ContentError(file, number, f"'{misconception}' is not a valid misconception id",
                                   "Write '  > Misconception: some-id', with an id from docs/misconceptions.yml "
                                   "(lower-case words joined by hyphens).")
            option.misconception, option.misconception_line = misconception, number
            target = "feedback"
            continue
        if (match := FEEDBACK.match(line)) and question.options and target in ("option", "feedback"):
            option = question.options[-1]
            option.feedback = f"{option.feedback} {match['text'].strip()}".strip()
            target = "feedback"
            continue
        if match := EXPLANATION.match(line):
            question.explanation = match["text"].strip()
            target = "explanation"
            continue
        if target == "text":
            question.text = f"{question.text} {line.strip()}".strip()
        elif target == "option" and line.startswith((" ", "\t")):
            question.options[-1].text += " " + line.strip()
        elif target == "explanation":
            question.explanation += " " + line.strip()
        else:
            raise ContentError(file, number, f"unexpected text in question '{question.id}': {line.strip()[:60]!r}",
                               "Options start with '- [ ]' or '- [x]', feedback lines with an indented '>', "
                               "and an explanation with 'Explanation:'.")
    _validate(quiz, file)
    return quiz


def _validate(quiz: Quiz, file: str) -> None:
    if not quiz.questions:
        raise ContentError(file, quiz.line, f"quiz '{quiz.id}' has no questions",
                           "Add at least one <!-- question: id --> with its options.")
    seen: dict[str, int] = {}
    for question in quiz.questions:
        where = f"question '{question.id}'"
        if question.id in seen:
            raise ContentError(file, question.line, f"duplicate question id '{question.id}' "
                               f"(also on line {seen[question.id]})", "Give each question its own id.")
        seen[question.id] = question.line
        if not question.text:
            raise ContentError(file, question.line, f"{where} has no question text",
                               "Write the question on the line after its <!-- question: --> marker.")
        if len(question.options) < 2:
            raise ContentError(file, question.line, f"{where} needs at least two options",
                               "List options as '- [ ] wrong' and '- [x] right'.")
        correct = [option for option in question.options if option.correct]
        if not correct:
            raise ContentError(file, question.line, f"{where} has no correct option",
                               "Mark the right answer with '- [x]'.")
        if question.kind == "single" and len(correct) > 1:
            raise ContentError(file, correct[1].line, f"{where} has {len(correct)} correct options but is "
                               "single-choice", "Mark exactly one '- [x]', or write 'multiple' after the "
                               "question id to make it select-all-that-apply.")
        if question.kind == "multiple" and SAYS_SELECT_ALL.search(question.text):
            raise ContentError(file, question.line, f"{where} says 'select all that apply', which the quiz "
                               "already shows beside the question's number", "Remove it from the question.")
        ids: dict[str, int] = {}
        for option in question.options:
            if option.id in ids:
                raise ContentError(file, option.line, f"{where} has the same option twice (also on line "
                                   f"{ids[option.id]})", "Give every option its own wording.")
            ids[option.id] = option.line
            if option.misconception and option.correct:
                raise ContentError(file, option.misconception_line, f"the correct option '{option.text[:40]}' in "
                                   f"{where} names misconception '{option.misconception}'",
                                   "Misconceptions belong to wrong options: remove the line, or move it to the "
                                   "wrong option that shows the misconception.")
            if not option.text:
                raise ContentError(file, option.line, f"{where} has an empty option")
            if not option.feedback:
                raise ContentError(file, option.line, f"option '{option.text[:40]}' in {where} has no feedback",
                                   "Add an indented line under it: '  > Correct — why' or '  > Not quite — why'.")


def find_quizzes(lines: list[str], first_line: int, file: str) -> list[tuple[int, int, Quiz]]:
    """Find quiz blocks in a run of Markdown lines: (start index, end index, quiz)."""
    found = []
    index = 0
    while index < len(lines):
        if QUIZ_START.match(lines[index]):
            if lines[index][:1].isspace():
                raise ContentError(file, first_line + index, "a quiz inside an admonition, tab or list",
                                   "A quiz renders only at the top level of a page: start <!-- quiz: id --> "
                                   "at the beginning of its line, outside any indented block.")
            end = index + 1
            while end < len(lines) and not QUIZ_END.match(lines[end]):
                if QUIZ_START.match(lines[end]):
                    raise ContentError(file, first_line + end, "a quiz starts inside another quiz",
                                       f"Close the quiz on line {first_line + index} with <!-- /quiz --> first.")
                end += 1
            if end == len(lines):
                raise ContentError(file, first_line + index, "this quiz is never closed",
                                   "End it with <!-- /quiz --> on a line of its own (and keep code fences out of quizzes).")
            found.append((index, end, parse_quiz(lines[index:end + 1], first_line + index, file)))
            index = end + 1
        elif QUESTION.match(lines[index]):
            raise ContentError(file, first_line + index, "a question outside any quiz",
                               "Put questions between <!-- quiz: id --> and <!-- /quiz -->.")
        else:
            index += 1
    return found
