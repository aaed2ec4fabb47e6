"""The quiz engine in a real browser, on a small fixture course: the module test's result, "What to
revisit", the Review page's Leitner schedule under a faked clock, and answers restored by option id."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import threading

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from conftest import Project, _QuietHandler

MISCONCEPTIONS = """\
misconceptions:
  rewards-are-labels:
    statement: "A reward model only stores the labels people gave."
    section: lesson.md#reward-models
  more-data-fixes-all:
    statement: "More data fixes every problem a model has."
    section: lesson.md#more-data
"""

LESSON = """\
# 1. Lesson

## Reward models

A reward model predicts which answer people would prefer.

## More data

More data helps with some problems and not others.

## Check your understanding

<!-- quiz: lesson -->

<!-- question: lesson-one -->
What does a reward model do?

- [ ] It stores the labels people gave.
  > Not quite — it generalises from comparisons to new answers.
  > Misconception: rewards-are-labels
- [ ] It writes the answers itself.
  > Not quite — the policy model writes them.
- [x] It scores answers by predicted preference.
  > Correct — it is trained on people's comparisons.

<!-- question: lesson-two multiple -->
Which help with bias?

- [ ] Doubling the data, whatever it is.
  > Not quite — more of the same data repeats the same skew.
  > Misconception: more-data-fixes-all
- [x] Auditing who is in the data.
  > Correct — you cannot fix what you have not measured.

<!-- /quiz -->
"""

TEST = """\
# Test

<!-- quiz: test exam pass=60 -->

<!-- question: test-one -->
What does a reward model do?

- [ ] It keeps a list of labels.
  > Not quite — it predicts preferences for answers it has never seen.
  > Misconception: rewards-are-labels
- [x] It predicts which answer people prefer.
  > Correct — that is what it is trained to do.

<!-- question: test-two -->
Will ten times the data remove a bias?

- [x] Not by itself.
  > Correct — what the data holds matters more than how much there is.
- [ ] Yes, with enough of it.
  > Not quite — a bigger copy of a skewed source keeps the skew.
  > Misconception: more-data-fixes-all

<!-- question: test-three -->
Which step comes first?

- [x] Pretraining.
  > Correct — fine-tuning starts from a pretrained model.
- [ ] Fine-tuning.
  > Not quite — it needs a pretrained model to start from.

<!-- /quiz -->
"""


@pytest.fixture(scope="module")
def course_url(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("quizcourse") / "course")
    with open(project.path / "mkdocs.yml", "a") as config:
        config.write("extra_css: [assets/stylesheets/textbook.css]\nextra_javascript: [assets/javascripts/quiz.js]\n")
    project.write("docs/index.md", "# Home\n\n```progress\n```\n")
    project.write("docs/lesson.md", LESSON)
    project.write("docs/test.md", TEST)
    project.write("docs/review.md", "# Review\n\n```review\n```\n")
    project.write("docs/misconceptions.yml", MISCONCEPTIONS)
    result = project.build()
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(project.path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", project.path / "site"
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


def pick(page, question: str, text: str) -> None:
    page.locator(f"#q-{question} .fd-opt", has_text=text).locator("label").click()


def stored(page) -> dict:
    return page.evaluate("JSON.parse(localStorage.getItem('fdta.progress.v1'))")


def test_module_test_result_comes_first_then_every_answer_then_what_to_revisit(page, course_url):
    url, _site = course_url
    page.goto(url + "test/", wait_until="networkidle")
    pick(page, "test-one", "list of labels")            # wrong, names rewards-are-labels
    pick(page, "test-two", "Yes, with enough")          # wrong, names more-data-fixes-all
    pick(page, "test-three", "Pretraining.")            # right
    page.locator(".fd-exam__submit").click()
    quiz = page.locator("[data-quiz=test]")
    result = quiz.locator(".fd-exam__result")
    expect(result).to_contain_text("You scored 1 of 3 (33%). Not passed yet: the pass mark is 60%.")
    assert page.evaluate("document.querySelector('[data-quiz=test]').firstElementChild.classList"
                         ".contains('fd-exam__result')"), "the score is not at the top"
    assert page.evaluate("document.activeElement.classList.contains('fd-exam__result')")
    assert result.get_attribute("role") == "status"
    # Every option's feedback is shown and every correct option is marked in words.
    options = quiz.locator(".fd-opt")
    assert quiz.locator(".fd-opt__feedback:visible").count() == options.count() == 6
    for option in quiz.locator(".fd-opt[data-correct=true]").all():
        assert "Correct" in option.locator(".fd-opt__tag").inner_text()
    assert "Your answer" in quiz.locator("#q-test-one .fd-opt[data-correct=false] .fd-opt__tag").inner_text()
    # Then "What to revisit" (after the questions), then "Retake".
    order = page.evaluate("""Array.from(document.querySelector('[data-quiz=test]').children)
        .map(element => element.className.split(' ')[0])""")
    assert order.index("fd-revisit") > max(i for i, name in enumerate(order) if name == "fd-q")
    assert order.index("fd-q__actions") > order.index("fd-revisit")
    revisit = quiz.locator(".fd-revisit")
    assert revisit.locator("h2").inner_text() == "What to revisit"
    links = revisit.locator("a")
    assert links.all_inner_texts() == ["A reward model only stores the labels people gave.",
                                       "More data fixes every problem a model has."]
    assert links.first.get_attribute("href") == "../lesson/#reward-models"
    expect(page.locator(".fd-exam__retake")).to_be_visible()
    page.locator(".fd-exam__retake").click()
    assert quiz.locator(".fd-revisit").count() == 0 and result.inner_text() == ""


def test_module_test_answer_folds_work_without_javascript(browser, course_url):
    url, _site = course_url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "test/")
    answer = page.locator("#q-test-one .fd-q__answer")
    answer.locator("summary").click()
    assert "Right:" in answer.inner_text() and "A common misconception" in answer.inner_text()
    context.close()


def test_lesson_quiz_lists_only_the_misconceptions_of_wrong_answers(page, course_url):
    url, _site = course_url
    page.goto(url + "lesson/", wait_until="networkidle")
    pick(page, "lesson-one", "stores the labels")
    page.locator("#q-lesson-one .fd-q__check").click()
    pick(page, "lesson-two", "Auditing")                # right: no misconception to show
    page.locator("#q-lesson-two .fd-q__check").click()
    revisit = page.locator("[data-quiz=lesson] .fd-revisit")
    assert revisit.locator("a").all_inner_texts() == ["A reward model only stores the labels people gave."]
    assert revisit.locator("a").get_attribute("href") == "../lesson/#reward-models"
    page.locator("#q-lesson-one .fd-q__retry").click()
    assert revisit.count() == 0


T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def at(page, days: float) -> None:
    page.clock.set_fixed_time(T0 + dt.timedelta(days=days))


def test_review_brings_back_a_missed_question_and_moves_a_right_one_out(page, course_url, tmp_path):
    url, _site = course_url
    at(page, 0)
    page.goto(url + "lesson/", wait_until="networkidle")
    pick(page, "lesson-one", "writes the answers")      # wrong: box 1, due tomorrow
    page.locator("#q-lesson-one .fd-q__check").click()
    pick(page, "lesson-two", "Auditing")                # right: box 2, due in two days
    page.locator("#q-lesson-two .fd-q__check").click()
    review = stored(page)["review"]
    assert review["lesson-one"]["box"] == 1 and review["lesson-two"]["box"] == 2
    assert stored(page)["version"] == 2

    page.goto(url + "review/", wait_until="networkidle")
    expect(page.locator(".fd-review__status")).to_contain_text("Nothing is due now")
    assert page.locator(".fd-review .fd-q:visible").count() == 0

    at(page, 1.01)                                      # a day later: the missed question is due
    page.goto(url, wait_until="networkidle")
    expect(page.locator(".fd-progress__due")).to_have_text("1 question due")
    page.goto(url + "review/", wait_until="networkidle")
    expect(page.locator(".fd-review__status")).to_have_text("1 question due for review.")
    current = page.locator(".fd-review .fd-q:visible")
    assert current.count() == 1 and current.get_attribute("data-question") == "lesson-one"
    current.locator(".fd-opt", has_text="scores answers").locator("label").click()
    current.locator(".fd-q__check").click()
    assert "Correct" in current.locator(".fd-opt__feedback:visible").inner_text()   # the lesson's own feedback
    expect(page.locator(".fd-review__status")).to_contain_text("comes back in 2 days")
    assert stored(page)["review"]["lesson-one"]["box"] == 2
    page.locator(".fd-review__next").click()
    expect(page.locator(".fd-review__status")).to_contain_text("Done: you reviewed 1 question. Nothing is due now.")

    at(page, 2.05)                                      # the one answered right two days ago is due; the reviewed one is not
    page.goto(url + "review/", wait_until="networkidle")
    current = page.locator(".fd-review .fd-q:visible")
    assert current.get_attribute("data-question") == "lesson-two"
    current.locator(".fd-opt", has_text="Doubling").locator("label").click()
    current.locator(".fd-q__check").click()
    revisit = page.locator(".fd-review .fd-revisit a")
    assert revisit.all_inner_texts() == ["More data fixes every problem a model has."]
    assert stored(page)["review"]["lesson-two"]["box"] == 1

    # Export, reset, import: the schedule comes back unchanged.
    before = stored(page)["review"]
    page.goto(url, wait_until="networkidle")
    with page.expect_download() as download:
        page.locator(".fd-progress__export").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["review"] == before
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".fd-progress__reset").click()
    expect(page.locator(".fd-progress__due")).to_have_text("no questions due")
    page.locator(".fd-progress__import input").set_input_files(str(saved))
    expect(page.locator(".fd-progress__summary")).to_contain_text("Progress imported")
    assert stored(page)["review"] == before
    at(page, 3.1)
    page.reload(wait_until="networkidle")
    # lesson-one (right in review on day 1: box 2, due day 3) and lesson-two (missed on day 2: due day 3).
    expect(page.locator(".fd-progress__due")).to_have_text("2 questions due")


def test_version_1_records_and_corrupted_schedules_are_upgraded(page, course_url):
    url, _site = course_url
    at(page, 0)
    page.goto(url + "lesson/", wait_until="networkidle")
    old = {"version": 1, "questions": {"lesson-one": {"answer": ["1"], "right": False, "quiz": "lesson",
                                                       "at": T0.isoformat()}},
           "tests": {}, "pages": {}, "quizzes": {}}
    page.evaluate("data => localStorage.setItem('fdta.progress.v1', JSON.stringify(data))", old)
    page.reload(wait_until="networkidle")
    first = page.locator("#q-lesson-one .fd-opt").first          # version 1 saved positions
    assert first.locator("input").is_checked() and "stores the labels" in first.inner_text()
    at(page, 1.01)
    page.goto(url + "review/", wait_until="networkidle")
    assert page.locator(".fd-review .fd-q:visible").get_attribute("data-question") == "lesson-one"
    page.evaluate("""() => { const data = JSON.parse(localStorage.getItem('fdta.progress.v1'))
        data.review = {"lesson-one": {box: 99, due: "soon"}, "lesson-two": "broken"}
        localStorage.setItem('fdta.progress.v1', JSON.stringify(data)) }""")
    page.reload(wait_until="networkidle")
    expect(page.locator(".fd-review__status")).to_contain_text("Nothing to review yet")


def test_answers_are_restored_by_option_identity_not_position(page, course_url):
    url, site = course_url
    page.goto(url + "lesson/", wait_until="networkidle")
    pick(page, "lesson-one", "stores the labels")       # the first option
    page.locator("#q-lesson-one .fd-q__check").click()
    assert stored(page)["questions"]["lesson-one"]["answer"][0].startswith("o")
    # The site is updated with the options in another order (as a rebuild after reordering would be).
    path = site / "lesson" / "index.html"
    original = path.read_text()
    soup = BeautifulSoup(original, "html.parser")
    options = soup.select_one("#q-lesson-one ul.fd-q__options")
    items = options.find_all("li", recursive=False)
    for item in items:
        item.extract()
    for item in reversed(items):
        options.append(item)
    try:
        path.write_text(str(soup))
        page.reload(wait_until="networkidle")
        checked = page.locator("#q-lesson-one .fd-opt:has(input:checked)")
        assert checked.count() == 1 and "stores the labels" in checked.inner_text()
        assert page.locator("#q-lesson-one .fd-opt").last.locator("input").is_checked()   # now third, not first
    finally:
        path.write_text(original)


def test_result_revisit_and_review_have_no_accessibility_violations(page, course_url):
    from axe_playwright_python.sync_playwright import Axe

    url, _site = course_url
    at(page, 0)
    page.goto(url + "test/", wait_until="networkidle")
    for question in ("test-one", "test-two", "test-three"):
        page.locator(f"#q-{question} .fd-opt").first.locator("label").click()
    page.locator(".fd-exam__submit").click()
    expect(page.locator(".fd-revisit")).to_be_visible()
    violations = Axe().run(page, context={"include": [[".md-content"]]}).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    at(page, 1.01)
    page.goto(url + "review/", wait_until="networkidle")
    current = page.locator(".fd-review .fd-q:visible")
    current.locator(".fd-opt").first.locator("label").click()
    current.locator(".fd-q__check").click()
    violations = Axe().run(page, context={"include": [[".md-content"]]}).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
