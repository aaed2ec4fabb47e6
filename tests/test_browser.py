"""The built site in a real browser: it must never reach another host."""
from __future__ import annotations

from urllib.parse import urlsplit

PAGES = ["", "training-data/", "pretraining/", "fine-tuning/", "rlhf/", "failure-modes/", "bias/",
         "glossary/", "sources/"]


def test_no_request_leaves_the_machine(browser, site_url):
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:")
            else None)
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
    # Instant navigation fetches pages with JavaScript: follow a link the way a reader would.
    page.goto(site_url, wait_until="networkidle")
    page.locator("article a[href$='/training-data/']").first.click()
    page.wait_for_load_state("networkidle")
    page.close()
    assert not outside, outside


def test_dark_mode_toggle_and_search_exist(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "pretraining/")
    assert page.locator("form[data-md-component=palette]").count() == 1
    assert page.locator("input[data-md-component=search-query]").count() == 1
    page.close()


def test_quiz_gives_feedback_and_keeps_the_answer_after_reload(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "rlhf/", wait_until="networkidle")
    question = page.locator(".fd-q").first
    wrong = question.locator(".fd-opt[data-correct=false]").first
    wrong.locator("label").click()
    question.locator(".fd-q__check").click()
    feedback = wrong.locator(".fd-opt__feedback")
    assert feedback.is_visible() and feedback.inner_text().startswith("Not quite")
    assert question.get_attribute("data-state") == "wrong"
    assert "Not quite" in question.locator("[role=status]").inner_text()
    page.reload(wait_until="networkidle")
    question = page.locator(".fd-q").first
    assert question.get_attribute("data-state") == "wrong"
    assert question.locator(".fd-opt[data-correct=false] input").first.is_checked()
    question.locator(".fd-q__retry").click()
    right = question.locator(".fd-opt[data-correct=true]").first
    right.locator("label").click()
    question.locator(".fd-q__check").click()
    assert question.get_attribute("data-state") == "right"
    assert "1 of" in page.locator(".fd-quiz__score").first.inner_text()
    page.close()


def test_quiz_survives_corrupted_storage_and_reads_without_javascript(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "bias/", wait_until="networkidle")
    page.evaluate("localStorage.setItem('fdta.progress.v1', '{not json')")
    page.reload(wait_until="networkidle")
    question = page.locator(".fd-q").first
    question.locator("label").first.click()
    question.locator(".fd-q__check").click()
    assert question.get_attribute("data-state") in ("right", "wrong")
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "bias/")
    answer = page.locator(".fd-q__answer").first
    answer.locator("summary").click()
    assert "Right:" in answer.inner_text()
    context.close()


def answer_test(page, right: bool) -> None:
    for question in page.locator(".fd-q").all():
        wanted = "true" if right else "false"
        for option in question.locator(f".fd-opt[data-correct={wanted}]").all()[: None if right else 1]:
            option.locator("label").click()


def test_module_test_passes_fails_and_retakes(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "module-test/", wait_until="networkidle")
    questions = page.locator(".fd-q")
    assert questions.count() == 15
    page.locator(".fd-exam__submit").click()
    assert "Answer every question first: 15" in page.locator(".fd-exam__result").inner_text()
    answer_test(page, right=True)
    page.locator(".fd-exam__submit").click()
    result = page.locator(".fd-exam__result").inner_text()
    assert "You scored 15 of 15 (100%). Passed" in result
    stored = page.evaluate("JSON.parse(localStorage.getItem('fdta.progress.v1')).tests['module-test']")
    assert stored["passed"] is True and stored["right"] == 15
    page.locator(".fd-exam__retake").click()
    answer_test(page, right=False)
    page.locator(".fd-exam__submit").click()
    result = page.locator(".fd-exam__result")
    assert "You scored 0 of 15 (0%). Not passed yet: the pass mark is 80%." in result.inner_text()
    assert result.locator("li").count() == 15
    assert page.locator(".fd-opt__feedback:visible").count() >= 15
    page.close()


def test_buttons_show_only_when_they_can_be_used(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    question = page.locator(".fd-q").first
    assert question.locator(".fd-q__check").is_visible()
    assert not question.locator(".fd-q__retry").is_visible()
    assert not question.locator(".fd-q__answer").is_visible()
    page.goto(site_url + "module-test/", wait_until="networkidle")
    assert not page.locator(".fd-exam__retake").is_visible()
    page.close()
