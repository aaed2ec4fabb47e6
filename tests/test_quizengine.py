"""The quiz engine: lint for guessable answers, misconceptions, stable option ids, course-wide ids."""
from __future__ import annotations

import textwrap

import pytest

from textbook.check import check
from textbook.errors import ContentError
from textbook.facts import load_facts
from textbook.glossary import load_glossary
from textbook.misconceptions import load_misconceptions
from textbook.quizlint import lint_quiz, plain_text
from textbook.quizzes import find_quizzes
from textbook.render import PageRenderer, Site

from conftest import ROOT, glossary_without_chapters


@pytest.fixture(scope="module")
def facts():
    return load_facts(ROOT / "docs" / "facts.yml")


def question(qid: str, options: list[tuple[bool, str]], kind: str = "") -> str:
    lines = [f"<!-- question: {qid}{' ' + kind if kind else ''} -->", f"Question {qid}?", ""]
    for correct, text in options:
        lines += [f"- [{'x' if correct else ' '}] {text}",
                  f"  > {'Correct' if correct else 'Not quite'} — because."]
    return "\n".join(lines) + "\n"


def quiz(*questions: str, quiz_id: str = "demo") -> str:
    return f"<!-- quiz: {quiz_id} -->\n\n" + "\n".join(questions) + "\n<!-- /quiz -->\n"


def parse(text: str, file: str = "docs/page.md"):
    [(_, _, found)] = find_quizzes(text.split("\n"), 1, file)
    return found


def lint(text: str, facts=None) -> list[str]:
    return [str(problem) for problem in lint_quiz(parse(text), "docs/page.md", facts)]


# Four single-answer questions whose keys sit in different places and are not the longest.
GOOD = [
    question("demo-a", [(True, "A short key."), (False, "A rather longer wrong option."), (False, "Another wrong one here.")]),
    question("demo-b", [(False, "A rather longer wrong option."), (True, "A short key."), (False, "Wrong again, at length.")]),
    question("demo-c", [(False, "A rather longer wrong option."), (False, "Another wrong one here."), (True, "Key three.")]),
    question("demo-d", [(False, "A rather longer wrong option."), (False, "Another wrong one here."),
                        (False, "A third wrong one, quite long."), (True, "The fourth key.")]),
]


def test_a_balanced_quiz_passes():
    assert lint(quiz(*GOOD)) == []


def test_small_quizzes_are_not_linted():
    always_long = question("demo-x", [(False, "No."), (True, "The long correct answer here.")])
    assert lint(quiz(always_long)) == []


def test_keys_that_are_mostly_the_longest_option_fail():
    long_keys = [question(f"demo-l{n}", [(False, "Short."), (True, "The much longer correct option."), (False, "Brief.")][::(1 if n % 2 else -1)])
                 for n in range(4)]
    [problem] = [p for p in lint(quiz(*long_keys)) if "longest" in p]
    assert problem.startswith("docs/page.md:1: quiz 'demo': the correct option is the longest in 4 of 4")
    assert "'demo-l0' (line 3)" in problem and "trim" in problem


def test_length_is_measured_on_the_text_a_reader_sees(facts):
    # ":fact[gpt3.params short]" is long in the source but reads "175B": the key is not the longest.
    assert plain_text("It has :fact[gpt3.params short] and **bold**.", facts) == "It has 175B and bold."
    key = "GPT-3 has :fact[gpt3.params short]."
    questions = [question(f"demo-f{n}", [(False, "GPT-3 has a few thousand."), (True, key), (False, "GPT-3 has one dozen.")])
                 for n in range(4)]
    assert not [p for p in lint(quiz(*questions), facts) if "longest" in p]
    assert len(key) > len("GPT-3 has a few thousand.")                 # longest in the source, not on the page


def test_keys_clustered_in_one_position_fail():
    second = [question(f"demo-p{n}", [(False, "A rather long wrong option."), (True, "Key."), (False, "Another long wrong option.")])
              for n in range(3)] + [GOOD[0]]
    [problem] = [p for p in lint(quiz(*second)) if "position" in p or "option:" in p]
    assert "3 of 4 single-answer keys are the second option" in problem and "Spread the keys" in problem


def test_select_all_questions_that_always_start_correct_fail():
    multiple = [question(f"demo-m{n}", [(True, "Right one."), (False, "Wrong one."), (True, "Right two.")], "multiple")
                for n in range(2)]
    [problem] = lint(quiz(*GOOD[:2], *multiple))
    assert "all 2 select-all questions start with a correct option" in problem
    varied = [multiple[0], question("demo-m9", [(False, "Wrong one."), (True, "Right one.")], "multiple")]
    assert lint(quiz(*GOOD[:2], *varied)) == []


def test_absolute_words_only_in_wrong_options_fail():
    questions = [
        question("demo-w1", [(True, "Short key."), (False, "It always works, whatever the data."), (False, "Wrong, and long too.")]),
        question("demo-w2", [(False, "It never happens in practice, they say."), (True, "A short key."), (False, "Wrong, plain.")]),
        *GOOD[2:],
    ]
    [problem] = lint(quiz(*questions))
    assert "absolute words ('always', 'never') appear only in wrong options (lines 8, 16)" in problem
    # The same words in a correct option too: readers cannot use them as a tell.
    fixed = [questions[0].replace("Short key.", "Short key, always."), *questions[1:]]
    assert lint(quiz(*fixed)) == []


def test_misconception_is_parsed_into_the_option_not_the_feedback():
    text = quiz(question("demo-a", [(True, "Right."), (False, "Wrong.")]).replace(
        "  > Not quite — because.", "  > Not quite — because.\n  > Misconception: some-idea"))
    [q] = parse(text).questions
    wrong = q.options[1]
    assert wrong.misconception == "some-idea" and wrong.misconception_line == 10
    assert wrong.feedback == "Not quite — because." and "Misconception" not in wrong.feedback


def test_misconception_on_a_correct_option_is_an_error():
    text = quiz(question("demo-a", [(True, "Right."), (False, "Wrong.")]).replace(
        "  > Correct — because.", "  > Correct — because.\n  > Misconception: some-idea"))
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert str(caught.value).startswith("docs/page.md:8: the correct option 'Right.' in question 'demo-a' "
                                        "names misconception 'some-idea'")


def test_a_select_all_question_that_says_so_itself_is_an_error():
    text = quiz(question("demo-a", [(True, "Right."), (True, "Also right."), (False, "Wrong.")], "multiple")
                .replace("Question demo-a?", "Question demo-a? (Select all that apply.)"))
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert "question 'demo-a' says 'select all that apply', which the quiz already shows beside the " \
           "question's number\n  Remove it from the question." in str(caught.value)


def test_option_ids_follow_the_text_not_the_position():
    first = parse(quiz(question("demo-a", [(True, "Right."), (False, "Wrong.")]))).questions[0]
    swapped = parse(quiz(question("demo-a", [(False, "Wrong."), (True, "Right.")]))).questions[0]
    assert first.options[0].id == swapped.options[1].id != first.options[1].id
    assert first.options[0].id.startswith("o") and len(first.options[0].id) == 8


def write_course(tmp_path, pages: dict[str, str], misconceptions: str | None = None):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "facts.yml").write_text((ROOT / "docs" / "facts.yml").read_text())
    (docs / "glossary.yml").write_text(glossary_without_chapters())
    (docs / "sources.md").write_text("# Sources\n\n```sources\n# Every source\n```\n")
    for name, text in pages.items():
        (docs / name).write_text(textwrap.dedent(text))
    if misconceptions is not None:
        (docs / "misconceptions.yml").write_text(textwrap.dedent(misconceptions))
    return tmp_path


LESSON = """\
# Lesson

## Reward models

Text.

<!-- quiz: lesson -->

<!-- question: lesson-one -->
Which is right?

- [x] Right one.
  > Correct — because.
- [ ] Wrong one.
  > Not quite — because.
  > Misconception: MISCONCEPTION

<!-- /quiz -->
"""

MISCONCEPTIONS = """\
misconceptions:
  rewards-are-labels:
    statement: "A reward model just stores labels."
    section: lesson.md#reward-models
"""


def problems(root) -> list[str]:
    return [str(problem) for problem in check(root)]


def test_known_misconception_passes_the_check_and_renders(tmp_path):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("MISCONCEPTION", "rewards-are-labels")}, MISCONCEPTIONS)
    assert problems(root) == []
    site = Site(load_facts(root / "docs" / "facts.yml"), load_glossary(root / "docs" / "glossary.yml"),
                misconceptions=load_misconceptions(root / "docs" / "misconceptions.yml", "docs/misconceptions.yml"))
    site.add_page("lesson.md", "lesson/", LESSON)
    renderer = PageRenderer(site, "docs/lesson.md", "../")
    renderer.render(LESSON.replace("MISCONCEPTION", "rewards-are-labels"))
    html = "".join(renderer.slots.values())
    assert 'data-misconception="rewards-are-labels"' in html
    assert 'data-misconception-href="../lesson/#reward-models"' in html
    assert "A reward model just stores labels." in html


def test_unknown_misconception_names_file_line(tmp_path):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("MISCONCEPTION", "rewards-are-label")}, MISCONCEPTIONS)
    [problem] = problems(root)
    assert problem.startswith("docs/lesson.md:16: unknown misconception 'rewards-are-label'. "
                              "Did you mean 'rewards-are-labels'?")


def test_a_quiz_mistake_is_reported_once_on_its_own_page_not_on_the_review_page(tmp_path):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("MISCONCEPTION", "rewards-are-label"),
                                   "review.md": "# Review\n\n```review\n# Questions due\n```\n"}, MISCONCEPTIONS)
    [problem] = problems(root)
    assert problem.startswith("docs/lesson.md:16: unknown misconception")


def test_misconception_without_the_file_says_to_create_it(tmp_path):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("MISCONCEPTION", "rewards-are-labels")})
    [problem] = problems(root)
    assert "docs/lesson.md:16: unknown misconception" in problem and "create it" in problem


def test_a_course_without_misconceptions_still_checks(tmp_path):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("  > Misconception: MISCONCEPTION\n", "")})
    assert problems(root) == []


@pytest.mark.parametrize("section, expected", [
    ("lessons.md#reward-models", "docs/misconceptions.yml:2: misconception 'rewards-are-labels' points at page "
                                 "'lessons.md', which does not exist. Did you mean 'lesson.md'?"),
    ("lesson.md#reward-model", "docs/misconceptions.yml:2: misconception 'rewards-are-labels' points at "
                               "'#reward-model', which is not a heading in lesson.md. Did you mean 'reward-models'?"),
])
def test_misconception_sections_must_exist(tmp_path, section, expected):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("MISCONCEPTION", "rewards-are-labels")},
                        MISCONCEPTIONS.replace("lesson.md#reward-models", section))
    [problem] = problems(root)
    assert problem.startswith(expected)


def test_same_quiz_or_question_id_on_two_pages_names_both(tmp_path):
    lesson = LESSON.replace("  > Misconception: MISCONCEPTION\n", "")
    other = lesson.replace("lesson-one", "other-one")
    root = write_course(tmp_path, {"lesson.md": lesson, "other.md": other, "third.md": lesson.replace("quiz: lesson", "quiz: third")})
    found = problems(root)
    assert any(p.startswith("docs/other.md:7: duplicate quiz id 'lesson' (also at docs/lesson.md:7)") for p in found)
    assert any(p.startswith("docs/third.md:9: duplicate question id 'lesson-one' (also at docs/lesson.md:9)")
               for p in found)


def test_the_review_block_holds_every_question_once(tmp_path):
    root = write_course(tmp_path, {"lesson.md": LESSON.replace("  > Misconception: MISCONCEPTION\n", ""),
                                   "review.md": "# Review\n\n```review\n# Questions due\n```\n"})
    site = Site(load_facts(root / "docs" / "facts.yml"), load_glossary(root / "docs" / "glossary.yml"))
    for name in ("lesson.md", "review.md"):
        site.add_page(name, name[:-3] + "/", (root / "docs" / name).read_text())
    renderer = PageRenderer(site, "docs/review.md", "../")
    renderer.render((root / "docs" / "review.md").read_text())
    html = "".join(renderer.slots.values())
    assert html.count('data-question="lesson-one"') == 1 and "From Lesson" in html
    assert site.review == "review/" and "data-quiz=" not in html     # not mounted as a lesson quiz


@pytest.mark.build
def test_the_build_refuses_an_unknown_misconception(project):
    project.write("docs/lesson.md", LESSON.replace("MISCONCEPTION", "rewards-are-labels"))
    result = project.build()
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/lesson.md:16: unknown misconception 'rewards-are-labels'" in result.stderr


@pytest.mark.build
def test_the_build_refuses_a_quiz_id_used_on_two_pages(project):
    lesson = LESSON.replace("  > Misconception: MISCONCEPTION\n", "")
    project.write("docs/lesson.md", lesson)
    project.write("docs/other.md", lesson.replace("lesson-one", "other-one"))
    result = project.build()
    assert result.returncode != 0
    assert "duplicate quiz id 'lesson'" in result.stderr and "docs/lesson.md:7" in result.stderr \
        and "docs/other.md:7" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.build
def test_the_build_refuses_a_misconception_pointing_at_a_missing_heading(project):
    project.write("docs/lesson.md", LESSON.replace("MISCONCEPTION", "rewards-are-labels"))
    project.write("docs/misconceptions.yml", MISCONCEPTIONS.replace("#reward-models", "#rewards"))
    result = project.build()
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/misconceptions.yml:2: misconception 'rewards-are-labels' points at '#rewards'" in result.stderr
    project.write("docs/misconceptions.yml", MISCONCEPTIONS)
    assert project.build().returncode == 0
