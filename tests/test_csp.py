"""The Content-Security-Policy on the real built site: it is on every page, allows only the site's own
scripts and the hashed inline ones, the site works under it, and an injected script does not run."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup
from playwright.sync_api import expect

from textbook.csp import MARKER, inline_script_hashes

PAGES = ["", "pretraining/", "rlhf/", "module-test/", "review/", "glossary/", "sources/", "labs/scaling/",
         "labs/next-token/"]


def policy_of(html: str) -> str:
    head = BeautifulSoup(html, "html.parser").head
    meta = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy meta"
    first_script = head.find("script")
    assert first_script is None or meta.sourceline < first_script.sourceline, "the policy comes after a script"
    return meta["content"]


def test_every_page_has_a_strict_policy_with_its_inline_scripts_hashed(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        html = path.read_text(encoding="utf-8")
        policy = policy_of(html)
        script_src = re.search(r"script-src ([^;]*)", policy)[1].split()
        assert script_src[0] == "'self'" and "'unsafe-inline'" not in script_src, (path, script_src)
        assert "'unsafe-eval'" not in script_src and MARKER not in policy, (path, policy)
        assert "object-src 'none'" in policy and "base-uri 'self'" in policy
        missing = inline_script_hashes(html) - set(script_src)
        assert not missing, (path, missing)
    lab = (built_site / "labs" / "scaling" / "index.html").read_text(encoding="utf-8")
    lesson = (built_site / "pretraining" / "index.html").read_text(encoding="utf-8")
    assert inline_script_hashes(lab) - inline_script_hashes(lesson), "the lab's own inline scripts are not hashed"


def violations_of(page) -> list[str]:
    """Console messages about the policy, and uncaught errors, from now on."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_the_site_works_under_the_policy_without_a_violation(browser, site_url, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    found = violations_of(page)
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
    # A quiz answers.
    page.goto(site_url + "rlhf/", wait_until="networkidle")
    question = page.locator(".fd-q").first
    question.locator(".fd-opt[data-correct=true] label").first.click()
    question.locator(".fd-q__check").click()
    assert question.get_attribute("data-state") == "right"
    # A table sorts.
    header = page.locator(".fd-table-wrap[data-fd-sortable] th[data-sort] button").first
    header.click()
    expect(page.locator(".fd-table-wrap[data-fd-sortable] th[aria-sort=ascending]").first).to_be_visible()
    # Search finds a word (its index is read by a web worker, which the policy must allow).
    search = page.locator("input[data-md-component=search-query]")
    search.click()
    search.press_sequentially("tokenizer", delay=30)       # the theme searches on key presses
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching document", timeout=10000)
    page.keyboard.press("Escape")
    # Instant navigation: no full page load, and the next page's quiz mounts.
    page.evaluate("window.__sameDocument = true")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_selector("[data-quiz][data-mounted]")
    assert page.evaluate("window.__sameDocument === true"), "the click reloaded the page"
    # Progress exports and imports.
    page.goto(site_url, wait_until="networkidle")
    page.wait_for_selector("[data-progress] .fd-progress__actions:not([hidden])")
    with page.expect_download() as download:
        page.locator(".fd-progress__export").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    page.locator(".fd-progress__import input").set_input_files(str(saved))
    expect(page.locator(".fd-progress__summary")).to_contain_text("Progress imported")
    context.close()
    assert not found, found


def test_an_injected_inline_script_is_blocked(browser, site_url):
    """As if an injection had slipped past the sanitiser: the served page carries a script and a handler."""
    page = browser.new_page()
    found = violations_of(page)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attack = ('<script>window.__injected = 1; alert("inline")</script>'
              '<img src="missing.png" onerror="window.__handler = 1; alert(\'handler\')">'
              '<a id="fd-attack" href="javascript:window.__link = 1">link</a>')

    def inject(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</article>", attack + "</article>", 1))

    page.route(re.compile(r".*/pretraining/$"), inject)
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    assert page.locator("#fd-attack").count() == 1, "the injection did not reach the page"
    page.locator("#fd-attack").click()
    page.wait_for_timeout(300)
    assert page.evaluate("[window.__injected, window.__handler, window.__link]") == [None, None, None]
    assert not dialogs, dialogs
    assert any("Content Security Policy" in message for message in found), found
    # The site's own scripts still run on the same page.
    assert page.locator(".fd-q__check").first.is_visible()
    page.close()
