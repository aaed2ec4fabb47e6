"""The built site in a real browser: it must never reach another host."""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

PAGES = ["", "training-data/", "pretraining/", "fine-tuning/", "rlhf/", "reasoning-models/", "failure-modes/", "bias/",
         "glossary/", "sources/", "labs/next-token/", "labs/scaling/", "labs/fine-tuning/", "labs/rlhf/", "labs/reasoning/", "labs/bias/"]


# Material's script has run on the page: it wraps each table, and the lessons have several. It can run
# after the network is idle.
MATERIAL_READY = "() => document.querySelectorAll('.md-typeset__scrollwrap').length > 3"


def wait_until(page, predicate: str, timeout: float = 5.0) -> bool:
    """Polls a JavaScript function until it returns true or `timeout` seconds have passed; returns its
    last answer, for the caller to assert."""
    deadline = time.monotonic() + timeout
    while not (done := page.evaluate(predicate)) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return bool(done)


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


def answer_all(page, right: bool = True, check: bool = False) -> None:
    """Pick every right option (or one wrong one) in each question; press "Check answer" if asked."""
    for question in page.locator(".fd-q").all():
        wanted = "true" if right else "false"
        for option in question.locator(f".fd-opt[data-correct={wanted}]").all()[: None if right else 1]:
            option.locator("label").click()
        if check:
            question.locator(".fd-q__check").click()


def test_module_test_passes_fails_and_retakes(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "module-test/", wait_until="networkidle")
    questions = page.locator(".fd-q")
    assert questions.count() == 15
    page.locator(".fd-exam__submit").click()
    assert "Answer every question first: 15" in page.locator(".fd-exam__message").inner_text()
    answer_all(page, right=True)
    page.locator(".fd-exam__submit").click()
    result = page.locator(".fd-exam__result").inner_text()
    assert "You scored 15 of 15 (100%). Passed" in result
    stored = page.evaluate("JSON.parse(localStorage.getItem('fdta.progress.v1')).tests['module-test']")
    assert stored["passed"] is True and stored["right"] == 15
    page.locator(".fd-exam__retake").click()
    answer_all(page, right=False)
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


def test_a_begun_quiz_shows_a_bar_in_the_menu_and_on_the_home_page(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    first = page.locator(".fd-q").first
    for option in first.locator(".fd-opt[data-correct=true]").all():
        option.locator("label").click()
    first.locator(".fd-q__check").click()
    mark = page.locator(".md-nav--primary .md-nav__link[href$='/pretraining/'] .fd-nav-mark").first
    assert "1 of 9 quiz questions right" in mark.inner_text()           # the words a screen reader hears
    fill = mark.locator(".fd-bar__fill")
    width = fill.evaluate("e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width")
    assert 0.05 < width < 0.2                                             # one ninth of the bar
    page.locator("a.md-logo").first.click()
    page.wait_for_selector("[data-progress] .fd-progress__actions:not([hidden])")
    row = page.locator("tr[data-path='pretraining/']")
    expect(row).to_contain_text("1 of 9 right")
    assert row.locator(".fd-progress__score .fd-bar__fill").count() == 1
    context.close()


def test_progress_view_navigation_marks_export_reset_import(browser, site_url, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    answer_all(page, check=True)
    mark = page.locator(".md-nav--primary .md-nav__link[href$='/pretraining/'] .fd-nav-mark")
    assert "quiz done" in mark.first.inner_text()
    # Instant navigation to the home page: the progress view and the marks follow.
    page.locator("a.md-logo").first.click()
    page.wait_for_selector("[data-progress] .fd-progress__actions:not([hidden])")
    row = page.locator("tr[data-path='pretraining/']")
    expect(row).to_contain_text("9 of 9 right")
    expect(row).to_contain_text("read")
    with page.expect_download() as download:
        page.locator(".fd-progress__export").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert '"pretraining-loss"' in saved.read_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".fd-progress__reset").click()
    assert "not started" in row.inner_text()
    assert page.locator(".fd-nav-mark").count() == 0
    page.locator(".fd-progress__import input").set_input_files(str(saved))
    expect(page.locator(".fd-progress__summary")).to_contain_text("Progress imported")   # reading a file is async
    expect(row).to_contain_text("9 of 9 right")
    bad = tmp_path / "bad.json"
    bad.write_text('["not", "progress"]')
    page.locator(".fd-progress__import input").set_input_files(str(bad))
    expect(page.locator(".fd-progress__summary")).to_contain_text("nothing was changed")
    context.close()


def test_a_quiz_can_be_answered_with_the_keyboard_only(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "fine-tuning/", wait_until="networkidle")
    question = page.locator(".fd-q").first
    first_input = question.locator("input").first
    first_input.focus()
    page.keyboard.press("Space")                       # select the focused option
    assert first_input.is_checked()
    for _ in range(question.locator("input").count() - 1):
        page.keyboard.press("ArrowDown")               # radio groups move with the arrow keys
    page.keyboard.press("Tab")                         # on to "Check answer"
    assert page.evaluate("document.activeElement.classList.contains('fd-q__check')")
    page.keyboard.press("Enter")
    assert question.get_attribute("data-state") in ("right", "wrong")
    assert question.locator("[role=status]").inner_text().strip()
    page.close()


def built_pages(site) -> list[str]:
    """Every page of a built site but the home page, as paths from the site root ("labs/rlhf/")."""
    return sorted(path.parent.relative_to(site).as_posix() + "/" for path in site.rglob("index.html")
                  if path.parent != site)


def axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    # Off screen, tables, charts and quizzes are not laid out (content-visibility: auto), and axe cannot
    # tell the colours of text that has no box: lay out everything first, as scrolling through would.
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
            for v in Axe().run(page).response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_accessibility_violations(browser, site_url, built_site, scheme):
    """axe-core (WCAG 2.2 AA rules) on every whole page, theme included, then with quizzes answered."""
    pages = built_pages(built_site)
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in ["", *pages]:
        page.goto(site_url + path, wait_until="networkidle")
        if violations := axe_violations(page):
            found[path or "home"] = violations
    page.goto(site_url + "rlhf/", wait_until="networkidle")           # answered, wrong: feedback and Try again
    answer_all(page, right=False, check=True)
    if violations := axe_violations(page):
        found["rlhf/ answered"] = violations
    page.goto(site_url + "module-test/", wait_until="networkidle")    # submitted: the result and Retake
    answer_all(page, right=False)
    page.locator(".fd-exam__submit").click()
    page.wait_for_timeout(600)                     # the theme's "Back to top" button has faded in
    if violations := axe_violations(page):
        found["module-test/ submitted"] = violations
    context.close()
    assert len(pages) >= 17 and not found, found


def test_next_page_quiz_works_after_instant_navigation(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")       # survives only if no full page load happens
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url(re.compile(r".*/fine-tuning/(#.*)?$"), wait_until="commit")
    page.wait_for_selector("[data-quiz='fine-tuning'][data-mounted]")
    assert page.evaluate("window.__sameDocument === true"), "the click reloaded the page"
    question = page.locator(".fd-q").first
    question.locator(".fd-opt[data-correct=true] label").first.click()
    question.locator(".fd-q__check").click()
    assert question.get_attribute("data-state") == "right"
    assert question.locator(".fd-q__check").count() == 1, "the quiz was mounted twice"
    page.close()


def test_no_page_is_wider_than_a_phone(browser, site_url, built_site):
    """At 390 px nothing makes the page scroll sideways: wide tables and code scroll inside their own box."""
    pages = built_pages(built_site)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = {}
    for path in ["", *pages]:
        page.goto(site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path or "home"] = width
    context.close()
    assert len(pages) >= 17 and not wide, wide


# The ring's colour against the first opaque background behind the focused element, by WCAG's formula.
FOCUS_RING = """() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number)
  const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4 })
                                      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0)
  const element = document.activeElement
  const style = getComputedStyle(element)
  if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0) return null
  let back = null
  for (let node = element.parentElement; node && !back; node = node.parentElement) {
    const colour = rgb(getComputedStyle(node).backgroundColor)
    if (colour.length === 3 || colour[3] === 1) back = colour.slice(0, 3)
  }
  back = back || [255, 255, 255]
  const [a, b] = [lum(rgb(style.outlineColor)), lum(back)].sort((x, y) => y - x)
  return { ratio: (a + 0.05) / (b + 0.05), what: element.tagName + "." + element.className, ring: style.outlineColor }
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_focus_ring_stands_out_from_what_is_behind_it(browser, site_url, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    measured, faint = 0, []
    for _ in range(80):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None:
            continue
        measured += 1
        if ring["ratio"] < 3:
            faint.append(f"{ring['what']}: {ring['ring']} at {ring['ratio']:.2f}:1")
    context.close()
    assert measured > 20, "the Tab key reached few elements with a ring"
    assert not faint, faint


def test_table_marks_and_permalinks_stay_out_of_the_tab_order(browser, site_url):
    """A figure's mark in a table cell, a heading's permalink and a glossary term's later marks are links
    for pointers and screen readers, not Tab stops: the table's note links to the sources, the table of
    contents to each heading, and the term's first mark on the page shows its definition."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    marks = page.locator("td sup.fd-fact__q a, th sup.fd-fact__q a, a.headerlink")
    assert marks.count() > 100
    assert page.evaluate("[...document.querySelectorAll('td sup.fd-fact__q a, th sup.fd-fact__q a, a.headerlink')]"
                         ".every(link => link.tabIndex === -1 && link.hasAttribute('href'))")
    notes = page.locator("p.fd-table-note a[href*='sources/']")
    assert notes.count() >= page.locator("[data-fd-table]").count() > 0     # one stop per table to its sources
    presses = 0
    while presses < 400:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.matches('.fd-quiz input')"):
            break
    print(f"Tab presses from the top of pretraining to its first quiz option: {presses}")
    assert presses <= 270, presses       # it was 527 with every mark and permalink a stop
    page.close()


def test_a_marks_text_shows_on_hover_and_on_keyboard_focus_and_escape_closes_it(browser, site_url):
    """A glossary term's definition and a figure's source show in one tooltip for the pointer and for the
    keyboard (and a screen reader reads it as the mark's description); Escape closes it; the browser's
    own tooltip does not show on top of it."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    assert wait_until(page, MATERIAL_READY)                          # nothing moves under the pointer after
    tip = page.locator("#fd-tip")
    term = page.locator("article a.fd-term").nth(2)
    definition = term.get_attribute("title")
    assert definition and len(definition) > 20
    term.scroll_into_view_if_needed()
    term.hover()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(definition)
    assert tip.get_attribute("role") == "tooltip" and term.get_attribute("aria-describedby") == "fd-tip"
    assert term.get_attribute("title") is None                      # no second, native tooltip
    inside = page.evaluate("(() => { const box = document.getElementById('fd-tip').getBoundingClientRect();"
                           " return box.left >= 0 && box.right <= innerWidth })()")
    assert inside, "the tooltip runs off a phone's screen"
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    assert term.get_attribute("aria-describedby") is None
    assert term.get_attribute("title") == definition                 # back, for the next hover
    edit = page.locator("a.md-content__button").first                # an icon, named by its title alone
    edit.hover()
    assert edit.get_attribute("title") and tip.is_hidden()

    mark = page.locator("article p .fd-fact__q a").first
    source = mark.get_attribute("title")
    mark.focus()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(source)
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.keyboard.press("Tab")                                       # on to the next stop: the tooltip follows it
    if page.evaluate("!!document.activeElement.closest('.md-content [data-fd-tip], .md-content [title]')"):
        expect(tip).to_be_visible()
    else:
        expect(tip).to_be_hidden()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_chart_shows_its_phone_drawing_on_a_phone_whole_and_legible(browser, site_url, scheme):
    """On a phone each chart shows the drawing made for a phone's width: all of it in view, no sideways
    scrolling, its text at no less than four fifths of its size; on a wide screen, the wide drawing."""
    for width, narrow in ((390, True), (1280, False)):
        context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
        page = context.new_page()
        page.goto(site_url + "pretraining/", wait_until="networkidle")
        charts = page.locator(".fd-chart")
        assert charts.count() >= 3
        for index in range(charts.count()):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            shown = chart.evaluate("""(chart) => [...chart.querySelectorAll('img')]
                .filter((img) => img.getBoundingClientRect().width > 0)
                .map((img) => ({ narrow: !!img.closest('.fd-chart__frame--narrow'), dark: img.classList.contains('fd-chart__img--dark'),
                                 left: img.getBoundingClientRect().left, right: img.getBoundingClientRect().right,
                                 scale: img.getBoundingClientRect().width / img.naturalWidth,
                                 frame: img.parentElement.scrollWidth - img.parentElement.clientWidth }))""")
            assert len(shown) == 1, shown                                   # one drawing: this theme, this width
            picture = shown[0]
            assert picture["narrow"] is narrow and picture["dark"] is (scheme == "dark"), picture
            assert picture["left"] >= 0 and picture["right"] <= width and picture["frame"] <= 1, picture
            if narrow:
                assert picture["scale"] >= 0.8, picture
        context.close()


def test_on_a_phone_the_closed_menu_takes_no_tab_stops_and_the_open_one_does(browser, site_url):
    """Below 76.25em the navigation is a drawer off screen. Closed, none of its links is a Tab stop (the
    keyboard would vanish into links nobody can see); opened, they are."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    in_drawer = []
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"):
            in_drawer.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert not in_drawer, in_drawer
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(400)
    link = page.locator(".md-sidebar--primary a.md-nav__link[href$='/rlhf/']").first
    link.focus()
    assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
    expect(link).to_be_visible()
    page.close()


def test_a_wide_table_off_screen_is_a_tab_stop_before_the_reader_scrolls_to_it(browser, site_url):
    """Off screen, tables are not laid out (content-visibility); each is measured when the browser is
    idle, so a table that scrolls sideways on a phone is already a named, focusable region when the Tab
    key reaches it, without the reader scrolling to it first."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    unmarked = """() => [...document.querySelectorAll('.md-typeset__scrollwrap, .fd-table-wrap')].filter((box) => {
        const marked = box.getAttribute('tabindex') === '0' && box.getAttribute('role') === 'region' && box.getAttribute('aria-label')
        const holder = box.closest('.md-typeset__scrollwrap') || box
        holder.style.contentVisibility = 'visible'
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
        const wide = scrolls && box.scrollWidth > box.clientWidth + 1 && !box.querySelector("a[href]:not([tabindex='-1']), button, input")
        holder.style.contentVisibility = ''
        return wide && !marked
    }).map((box) => (box.querySelector('caption') || box).textContent.trim().slice(0, 60))"""
    # Material wraps the tables once its script has run, which can come after the network is idle; then
    # each wide one is marked when the browser is next idle. (The site's policy forbids eval, which
    # Playwright's wait_for_function uses, so this polls with evaluate.)
    assert wait_until(page, MATERIAL_READY)
    wait_until(page, f"() => ({unmarked})().length === 0")
    assert page.evaluate("scrollY") == 0
    assert not page.evaluate(unmarked)
    page.close()
