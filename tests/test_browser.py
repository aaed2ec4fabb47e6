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
