"""The course's own Markdown syntax: fact markers, directives, quizzes, and the quantity scanner."""
from __future__ import annotations

import pytest

from textbook.errors import ContentError
from textbook.facts import load_facts
from textbook.glossary import load_glossary
from textbook.quantities import bare_quantities
from textbook.quizzes import find_quizzes
from textbook.render import PageRenderer, Site

from conftest import ROOT


@pytest.fixture(scope="module")
def site():
    return Site(load_facts(ROOT / "docs" / "facts.yml"), load_glossary(ROOT / "docs" / "glossary.yml"))


def render(site, markdown: str, first_line: int = 1):
    renderer = PageRenderer(site, "docs/page.md", "../")
    return renderer, renderer.render(markdown, first_line)


def test_fact_marker_renders_value_qualifier_and_source_link(site):
    _, out = render(site, "GPT-3 has :fact[gpt3.params].")
    assert "175 billion parameters" in out
    assert 'href="../sources/#src-brown2020"' in out and ">reported</a>" in out


def test_markers_inside_code_stay_literal(site):
    markdown = "Write `:fact[gpt3.params]` like this:\n\n```markdown\n:fact[gpt3.params]\n:fact[no.such]\n```\n"
    _, out = render(site, markdown)
    assert out.count(":fact[gpt3.params]") == 2 and ":fact[no.such]" in out
    assert "fd-fact" not in out


def test_unknown_fact_names_file_line_and_closest_id(site):
    with pytest.raises(ContentError) as caught:
        render(site, "intro\n\nGPT-3 has :fact[gpt3.paramz].", first_line=5)
    assert str(caught.value).startswith("docs/page.md:7: unknown fact 'gpt3.paramz'. Did you mean 'gpt3.params'?")


def test_unknown_glossary_term_in_key_terms(site):
    with pytest.raises(ContentError) as caught:
        render(site, "```key-terms\ntokn\n```\n")
    assert str(caught.value).startswith("docs/page.md:2: unknown glossary term 'tokn'. Did you mean 'token'?")


def test_stat_cards_show_short_values_with_sources(site):
    renderer, _ = render(site, "```stat-cards\ngpt3.params: GPT-3 parameters\ngpt3.compute: Compute\n```\n")
    html = "".join(renderer.slots.values())
    assert "175B" in html and "GPT-3 parameters" in html and "3.14 × 10²³" in html
    assert html.count('class="fd-stat"') == 2


QUIZ = """\
<!-- quiz: demo -->

<!-- question: demo-one -->
Which is right?

- [ ] Wrong one.
  > Not quite — because.
- [x] Right one.
  > Correct — because.

<!-- /quiz -->
"""


def quiz_error(text: str) -> str:
    with pytest.raises(ContentError) as caught:
        find_quizzes(text.split("\n"), 10, "docs/page.md")
    return str(caught.value)


def test_quiz_parses():
    [(_, _, quiz)] = find_quizzes(QUIZ.split("\n"), 1, "docs/page.md")
    [question] = quiz.questions
    assert question.text == "Which is right?" and [o.correct for o in question.options] == [False, True]
    assert question.options[1].feedback == "Correct — because."


@pytest.mark.parametrize("change, expected", [
    (("- [x] Right one.", "- [ ] Right one."), "docs/page.md:12: question 'demo-one' has no correct option"),
    (("- [ ] Wrong one.", "- [x] Wrong one."), "docs/page.md:17: question 'demo-one' has 2 correct options but is single-choice"),
    (("  > Not quite — because.\n", ""), "docs/page.md:15: option 'Wrong one.' in question 'demo-one' has no feedback"),
    (("Which is right?\n", ""), "docs/page.md:12: question 'demo-one' has no question text"),
    (("<!-- /quiz -->", ""), "docs/page.md:10: this quiz is never closed"),
])
def test_quiz_errors(change, expected):
    assert quiz_error(QUIZ.replace(*change)).startswith(expected)


def test_duplicate_question_id_in_one_quiz():
    text = QUIZ.replace("<!-- /quiz -->", QUIZ.split("\n", 2)[2].replace("<!-- /quiz -->\n", "") + "<!-- /quiz -->")
    assert "duplicate question id 'demo-one'" in quiz_error(text)


def test_quiz_text_is_escaped_not_executed(site):
    renderer, _ = render(site, QUIZ.replace("Which is right?", "Is <script>alert(1)</script> <b>bold</b>?"))
    html = "".join(renderer.slots.values())
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


@pytest.mark.parametrize("text", ["175 billion parameters", "$100 million", "1.4T tokens", "about 60% of it",
                                  "12,725 prompts", "10,000× fewer", "570 GB of text", "3 × 10²³ FLOP"])
def test_bare_quantities_are_found(text):
    assert list(bare_quantities(f"Some prose: {text}.\n"))


@pytest.mark.parametrize("text", ["In 2017, three models", "`175B` in code", ":fact[gpt3.params] cited",
                                  "[a link](https://example.org/1,000,000)", "a vocabulary of 5 words"])
def test_allowed_text_is_not_flagged(text):
    assert not list(bare_quantities(f"Some prose: {text}.\n"))


def test_the_course_has_no_bare_quantities_and_passes_the_check():
    from textbook.check import check
    problems = check(ROOT)
    assert not problems, "\n".join(map(str, problems))
