"""Broken or hostile contributions aimed at readers' browsers: raw HTML, script, non-web links.

Each case starts from the small course of test_bad_inputs.py, applies one contribution and runs the
fast check, which must name the file and line and say how to fix it. Then the sanitiser and the
Content-Security-Policy pieces on their own, a few real builds, and a small built course in Chromium,
where no injected script may run.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from test_bad_inputs import PAGE, check_case, extra_page, in_facts, in_glossary, on_page, lab_page

from textbook.check import check
from textbook.csp import inline_script_hashes
from textbook.inline import render_inline
from textbook.sanitize import clean, clean_output, clean_svg, page_problems, unsafe_url


def lesson(text: str):
    """Add ``text`` to the small course's page; its first line is line 11."""
    return on_page("## Section\n", f"## Section\n\n{text}\n")


def in_misconceptions(statement: str):
    return lambda project: project.write("docs/misconceptions.yml", (
        "misconceptions:\n  evil-one:\n    statement: " + json.dumps(statement) + "\n    section: index.md#section\n"))




def raw(tag: str, line: int = 11) -> str:
    return rf"docs/index.md:{line}: raw HTML: '{re.escape(tag)}'"


LINK = r"docs/index.md:{line}: a '{scheme}:' link"
CASES = {
    # Raw HTML in a lesson: refused wherever it stands, with how to write it instead.
    "script element": (lesson("<script>alert(1)</script>"), raw("<script>")),
    "script in capitals": (lesson("<SCRIPT>alert(1)</SCRIPT>"), raw("<SCRIPT>")),
    "script tag split over two lines": (lesson("<script\nsrc='https://evil.example/x.js'></script>"), r"docs/index.md:11: raw HTML: '<script"),
    "image with an error handler": (lesson("<img src=x onerror=alert(1)>"), raw("<img src=x onerror=alert(1)>")),
    "svg with a load handler": (lesson("<svg onload=alert(1)></svg>"), raw("<svg onload=alert(1)>")),
    "iframe": (lesson('<iframe src="https://evil.example"></iframe>'), r"docs/index.md:11: raw HTML: '<iframe"),
    "object": (lesson("<object data='x.swf'></object>"), r"docs/index.md:11: raw HTML: '<object"),
    "style element": (lesson("<style>body { display: none }</style>"), raw("<style>")),
    "HTML link with a javascript: URL": (lesson('<a href="javascript:alert(1)">x</a>'), r"docs/index.md:11: raw HTML: '<a href"),
    "div with markdown inside": (lesson('<div markdown>\n*x*\n</div>'), raw("<div markdown>")),
    "inline bold tag": (lesson("This is <b>bold</b>."), raw("<b>")),
    "closing tag alone": (lesson("text </p>"), raw("</p>")),
    "doctype": (lesson("<!DOCTYPE html>"), r"docs/index.md:11: raw HTML: '<!"),
    "processing instruction": (lesson("<?php echo 1 ?>"), r"docs/index.md:11: raw HTML: '<\?"),
    "HTML after a comment on the same line": (lesson("<!-- note --> <script>alert(1)</script>"), raw("<script>")),
    "comment that browsers end at once": (lesson("<!--> <img src=x onerror=alert(1)> -->"), r"docs/index.md:11: an HTML comment written '<!-->', which browsers end there"),
    "comment of three dashes": (lesson("<!---> <img src=x onerror=alert(1)> -->"), r"docs/index.md:11: an HTML comment written '<!--->'"),
    "comment closed with --!>": (lesson("<!-- a note\n--!> <img src=x onerror=alert(1)> -->"), r"docs/index.md:12: an HTML comment written '--!>'"),
    "title heading that ends the page's <title>": (on_page("# Home", "# Home &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), r"docs/index.md:5: the page's title \(its first heading\) has '<' or '>' in it"),
    "title heading with numeric entities": (on_page("# Home", "# Home &#60;/title&#x3E;"), r"docs/index.md:5: the page's title"),
    "title heading underlined with =": (on_page("# Home", "Home &lt;/title&gt;\n===="), r"docs/index.md:5: the page's title"),
    "title heading with a tag in code": (on_page("# Home", "# Home `</title><script>alert(1)</script>`"), r"docs/index.md:5: the page's title"),
    "an HTML file in docs": (lambda project: project.write("docs/offer.html", "<script>alert(1)</script>"), r"docs/offer.html: a '.html' file, which the site does not publish"),
    "an SVG file with a handler in docs": (lambda project: project.write("docs/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), r"docs/logo.svg: this SVG picture holds script, an event handler"),
    "an SVG file with a script in docs": (lambda project: project.write("docs/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), r"docs/logo.svg: this SVG picture holds script"),
    "an SVG file with a javascript: link in docs": (lambda project: project.write("docs/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>'), r"docs/logo.svg: this SVG picture holds"),
    "a file that is not SVG but says so": (lambda project: project.write("docs/logo.svg", "<html><script>alert(1)</script>"), r"docs/logo.svg: this SVG picture is not a well-formed SVG picture"),
    "an HTML file with a capital extension": (lambda project: project.write("docs/offer.HTML", "<script>alert(1)</script>"), r"docs/offer.HTML: a '.html' file"),
    "a script file in docs": (lambda project: project.write("docs/assets/x.js", "alert(1)"), r"docs/assets/x.js: a '.js' file"),
    "a notebook in docs": (lambda project: project.write("docs/labs/x.ipynb", "{}"), r"docs/labs/x.ipynb: a '.ipynb' file"),
    "a Python file outside the labs": (lambda project: project.write("docs/tool.py", "x = 1"), r"docs/tool.py: a '.py' file outside docs/labs"),
    "HTML in a list item": (lesson("- one\n- <img src=x onerror=alert(1)>"), r"docs/index.md:12: raw HTML"),
    "HTML in a block quote": (lesson("> <script>alert(1)</script>"), raw("<script>")),
    "HTML in an admonition": (lesson('!!! note\n    <script>alert(1)</script>'), r"docs/index.md:12: raw HTML: '<script>'"),
    "HTML in a details block": (lesson('??? note "More"\n    <iframe src=x></iframe>'), r"docs/index.md:12: raw HTML"),
    "HTML in a table": (lesson("| a | b |\n|---|---|\n| <script>x</script> | 1 |"), r"docs/index.md:13: raw HTML"),
    "HTML in a heading": (on_page("# Home", "# Home <img src=x onerror=alert(1)>"), r"docs/index.md:5: raw HTML"),
    "HTML in the front-matter title": (on_page("title: Home", "title: Home<script>alert(1)</script>"), r"docs/index.md:2: raw HTML: '<script>'"),
    "HTML in the front-matter description": (on_page("title: Home", "title: Home\ndescription: \"<img src=x onerror=alert(1)>\""), r"docs/index.md:3: raw HTML"),
    "HTML in quiz question text": (on_page("Pick the right one?", "Pick <script>alert(1)</script>?"), r"docs/index.md:14: raw HTML: '<script>'"),
    "HTML in quiz feedback": (on_page("  > Not quite — because.", "  > Not quite — <img src=x onerror=alert(1)>"), r"docs/index.md:17: raw HTML"),
    "HTML in a quiz option": (on_page("- [x] Right.", "- [x] Right <b onmouseover=alert(1)>here</b>."), r"docs/index.md:18: raw HTML"),
    # Links whose scheme is not http(s) or mailto.
    "javascript: link": (lesson("[x](javascript:alert(1))"), LINK.format(line=11, scheme="javascript")),
    "javascript: in mixed case": (lesson("[x](JaVaScRiPt:alert(1))"), LINK.format(line=11, scheme="javascript")),
    "javascript: after spaces": (lesson("[x](   javascript:alert(1))"), LINK.format(line=11, scheme="javascript")),
    "javascript: in angle brackets": (lesson("[x](<javascript:alert(1)>)"), LINK.format(line=11, scheme="javascript")),
    "javascript: spelt with an entity": (lesson("[x](java&#115;cript:alert(1))"), LINK.format(line=11, scheme="javascript")),
    "javascript: with an encoded colon": (lesson("[x](javascript&colon;alert(1))"), LINK.format(line=11, scheme="javascript")),
    "javascript: with a tab entity": (lesson("[x](java&#9;script:alert(1))"), LINK.format(line=11, scheme="javascript")),
    "vbscript: link": (lesson("[x](vbscript:msgbox(1))"), LINK.format(line=11, scheme="vbscript")),
    "data: link": (lesson("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"), LINK.format(line=11, scheme="data")),
    "data: image": (lesson("![A picture](data:image/svg+xml;base64,PHN2Zz4=)"), LINK.format(line=11, scheme="data")),
    "file: link": (lesson("[passwords](file:///etc/passwd)"), LINK.format(line=11, scheme="file")),
    "javascript: reference definition": (lesson("See [this][x].\n\n[x]: javascript:alert(1)"), LINK.format(line=13, scheme="javascript")),
    "javascript: autolink": (lesson("<javascript:alert(1)>"), LINK.format(line=11, scheme="javascript")),
    "javascript: link in quiz feedback": (on_page("  > Not quite — because.", "  > Not quite — [see](javascript:alert(1))."), LINK.format(line=17, scheme="javascript")),
    "javascript: link in a quiz option": (on_page("- [ ] Wrong.", "- [ ] [Wrong](javascript:alert(1))."), LINK.format(line=16, scheme="javascript")),
    "javascript: link in question text": (on_page("Pick the right one?", "Pick [the right](javascript:alert(1)) one?"), LINK.format(line=14, scheme="javascript")),
    "front matter asking for the redirect template": (on_page("title: Home", "title: Home\ntemplate: redirect.html\nlocation: https://evil.example"), r"docs/index.md:3: the front matter sets 'template', which a page may not set"),
    "front matter asking for the 404 template": (on_page("title: Home", "title: Home\ntemplate: 404.html"), r"docs/index.md:3: the front matter sets 'template'"),
    "front matter with a status that leaves its attribute": (on_page("title: Home", "title: Home\nstatus: 'new\" style=\"position:fixed;inset:0'"), r"docs/index.md:3: the front matter sets 'status'"),
    "front matter with an author": (on_page("title: Home", "title: Home\nauthor: 'x\" onload=\"alert(1)'"), r"docs/index.md:3: the front matter sets 'author'"),
    "front matter with an unknown icon": (on_page("title: Home", "title: Home\nicon: material/no-such-icon"), r"docs/index.md:3: the front matter sets 'icon'"),
    "front matter title with escaped tags": (on_page("title: Home", "title: Home &lt;/title&gt;&lt;script&gt;"), r"docs/index.md:2: the front matter's 'title' has '<' or '>' in it"),
    "front matter title that is a list": (on_page("title: Home", "title: [Home, Away]"), r"docs/index.md:2: the front matter's 'title' must be one line of text"),
    "front matter search that is not a setting": (on_page("title: Home", "title: Home\nsearch: yes"), r"docs/index.md:3: the front matter's 'search' must be 'exclude: true'"),
    "javascript: link in the front matter": (on_page("title: Home", "title: \"[Home](javascript:alert(1))\""), LINK.format(line=2, scheme="javascript")),
    # Attribute lists ({: ...}) that add handlers, styles or URLs.
    "event handler in an attribute list": (lesson('A paragraph.\n{: onclick="alert(1)" }'), r"docs/index.md:12: an attribute list sets 'onclick'"),
    "event handler on a link": (lesson('[x](https://example.org){onmouseover="alert(1)"}'), r"docs/index.md:11: an attribute list sets 'onmouseover'"),
    "style in an attribute list": (lesson('A paragraph.\n{: style="position:fixed;inset:0" }'), r"docs/index.md:12: an attribute list sets 'style'"),
    "href in an attribute list": (lesson('[x](https://example.org){: href="javascript:alert(1)" }'), r"docs/index.md:11: an attribute list sets 'href'"),
    # The data files: every text is checked, with its line.
    "HTML in a glossary term": (in_glossary('\nevil-term:\n  term: "evil <img src=x onerror=alert(1)>"\n  definition: A plain sentence.\n'), r"docs/glossary.yml:\d+: term 'evil-term' has a term 'evil <img src=x onerror=alert\(1\)>' that is not one line of plain words"),
    "HTML in a glossary alias": (in_glossary('\nevil-term:\n  term: evil\n  aliases: ["<script>alert(1)</script>"]\n  definition: A plain sentence.\n'), r"docs/glossary.yml:\d+: term 'evil-term' has an alias '<script>alert\(1\)</script>' that is not one line of plain words"),
    "glossary alias with line breaks": (in_glossary('\nevil-term:\n  term: evil\n  aliases: ["evil\\n\\n# Your account is locked\\n\\n[Log in again](https://evil.example)"]\n  definition: A plain sentence.\n'), r"docs/glossary.yml:\d+: term 'evil-term' has an alias 'evil\\n\\n# Your account.*' that is not one line of plain words"),
    "glossary alias that closes the brackets": (in_glossary('\nevil-term:\n  term: evil\n  aliases: ["x]: y *[z"]\n  definition: A plain sentence.\n'), r"term 'evil-term' has an alias 'x\]: y \*\[z' that is not one line of plain words"),
    "empty glossary alias": (in_glossary('\nevil-term:\n  term: evil\n  aliases: [""]\n  definition: A plain sentence.\n'), r"term 'evil-term' has an alias '' that is not one line of plain words"),
    "glossary term over two lines": (in_glossary('\nevil-term:\n  term: "evil\\nline"\n  definition: A plain sentence.\n'), r"docs/glossary.yml:\d+: term 'evil-term' has a term 'evil\\nline' that is not one line"),
    "javascript: link in a glossary definition": (in_glossary('\nevil-term:\n  term: evil\n  definition: "See [this](javascript:alert(1))."\n'), r"term 'evil-term' has Markdown or HTML in its definition"),
    "HTML in a fact's measures": (in_facts('measures: "Parameters in the largest GPT-3 model"', 'measures: "Parameters \\"><script>alert(2)</script>"'), r"docs/facts.yml:\d+: raw HTML in 'measures': '<script>'"),
    "HTML in a fact's note": (in_facts("    note: \"The paper never states 20;", "    note: \"<iframe src=x></iframe> The paper never states 20;"), r"docs/facts.yml:\d+: raw HTML in 'note'"),
    "HTML in a source title": (in_facts('title: "Language Models are Few-Shot Learners"', 'title: "Few-Shot <svg onload=alert(1)>"'), r"docs/facts.yml:\d+: raw HTML in 'title'"),
    "HTML in a table cell": (in_facts("        developer: OpenAI\n", "        developer: \"<b onclick=alert(1)>OpenAI</b>\"\n"), r"docs/facts.yml:\d+: raw HTML in 'developer'"),
    "javascript: link in a table cell": (in_facts("        developer: OpenAI\n", "        developer: \"[OpenAI](javascript:alert(1))\"\n"), r"docs/facts.yml:\d+: a 'javascript:' link in 'developer'"),
    "HTML in a table note": (in_facts('    note: "Tokens per parameter', '    note: "<script>alert(1)</script> Tokens per parameter'), r"docs/facts.yml:\d+: raw HTML in 'note': '<script>'"),
    "HTML in a column title": (in_facts("model: {title: Model, sort: text}", "model: {title: \"<i>Model</i>\", sort: text}"), r"docs/facts.yml:\d+: raw HTML in 'title'"),
    "HTML in a misconception": (in_misconceptions("A model <script>alert(1)</script> looks things up."), r"docs/misconceptions.yml:3: raw HTML in 'statement': '<script>'"),
    "HTML in a learner question": (lambda project: project.write("docs/learner-questions.yml", 'sections:\n  index.md#section:\n    - "is it <script>alert(1)</script>?"\n'), r"docs/learner-questions.yml:2: raw HTML in 'index.md#section': '<script>'"),
    # Labs: text cells are rendered as Markdown too.
    "HTML in a lab's text cell": (extra_page("labs/evil.py", "# %% [markdown]\n# # Lab 9: Evil\n#\n# <script>alert(1)</script>\n\n# %%\nx = 1\n"), r"docs/labs/evil.py:4: raw HTML: '<script>'"),
    "javascript: link in a lab's text cell": (extra_page("labs/evil.py", "# %% [markdown]\n# # Lab 9: Evil\n#\n# [x](javascript:alert(1))\n\n# %%\nx = 1\n"), r"docs/labs/evil.py:4: a 'javascript:' link"),
    "HTML in a lab's text cell, lab with its page": (lambda project: (extra_page("labs/evil.py", "# %% [markdown]\n# # Lab 9: Evil\n#\n# <img src=x onerror=alert(1)>\n\n# %%\nx = 1\n")(project), lab_page(project, "evil")), r"docs/labs/evil.py:4: raw HTML: '<img"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_contribution_is_caught_by_the_check(project, case):
    expected = CASES[case][1]
    messages = check_case(project, *CASES[case])
    if "raw HTML" in expected:
        assert "Write Markdown instead of HTML" in messages
    elif "link" in expected:
        assert "Links may only be http(s)://, mailto: or relative" in messages


SAFE = {
    "a tag in a code span": "Reasoning models write `<think>` first.",
    "a script in a code block": "```html\n<script>alert(1)</script>\n```",
    "an HTML comment": "<!-- a note for editors -->",
    "odd comments in code spans": "Browsers end `<!-->` and `--!>` early.",
    "a less-than sign in prose": "When a < b, and 3<4, the loss falls.",
    "escaped HTML": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "web, mail and relative links": "[a](https://example.org) [b](http://example.org) [c](mailto:x@example.org) "
                                    "[d](glossary.md) [e](#section) [f](sources.md) <https://example.org>",
    "ids and classes in an attribute list": "A paragraph.\n{: #my-id .note }",
}
def test_pictures_in_docs_are_accepted(project):
    project.write("docs/images/photo.png", "not really a picture")
    project.write("docs/images/photo.jpg", "not really a picture")
    project.write("docs/images/diagram.svg", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                  'width="10" height="10"><style>rect { fill: #333 }</style><rect width="5" height="5"/></svg>')
    assert [str(problem) for problem in check(project.path)] == []


SAFE_FRONT_MATTER = ["description: A page about home.", "search:\n  exclude: true", "search:\n  boost: 2"]


@pytest.mark.parametrize("field", SAFE_FRONT_MATTER)
def test_the_front_matter_fields_a_page_may_set_are_accepted(project, field):
    project.write("docs/index.md", PAGE.replace("title: Home", f"title: Home\n{field}", 1))
    assert [str(problem) for problem in check(project.path)] == []


@pytest.mark.parametrize("case", SAFE, ids=list(SAFE))
def test_safe_text_is_not_refused(project, case):
    project.write("docs/index.md", PAGE.replace("## Section\n", f"## Section\n\n{SAFE[case]}\n", 1))
    assert [str(problem) for problem in check(project.path)] == []


# --- The sanitiser and the policy's pieces ------------------------------------------------------------

@pytest.mark.parametrize("url, scheme", [
    ("javascript:alert(1)", "javascript"), (" JAVASCRIPT:x", "javascript"), ("java\tscript:x", "javascript"),
    ("java&#x73;cript:x", "javascript"), ("&#0000106avascript:x", "javascript"), ("vbscript:x", "vbscript"),
    ("data:text/html,x", "data"), ("file:///etc/passwd", "file"), ("https://example.org", ""),
    ("http://example.org", ""), ("mailto:someone@example.org", ""), ("../sources/#src-x", ""), ("#top", ""),
    ("page.md", ""), ("//example.org/x", ""),
])
def test_only_web_mail_and_relative_urls_are_safe(url, scheme):
    assert unsafe_url(url) == scheme


def test_rendered_contributor_text_keeps_markdown_and_loses_script():
    assert render_inline("*a* `<b>` [x](https://example.org)") == \
        '<em>a</em> <code>&lt;b&gt;</code> <a href="https://example.org">x</a>'
    assert "javascript" not in render_inline("[x](javascript:alert(1))")
    assert "<script" not in render_inline("<script>alert(1)</script>")
    assert clean('<a href="javascript:alert(1)" onclick="x()">a</a><script>b</script>') == "<a>a</a>"
    assert clean('<span class="k" style="x">y</span>') == '<span class="k">y</span>'


def test_a_lab_s_html_output_keeps_tables_and_loses_script():
    html = ('<style>.x{}</style><table class="dataframe"><tr><td colspan="2">1</td></tr></table>'
            '<script>alert(1)</script><img src="x.png" onerror="alert(1)"><a href="javascript:x">l</a>'
            '<iframe src="https://example.org"></iframe><form action="https://example.org"><input></form>')
    cleaned = clean_output(html)
    assert '<table class="dataframe"><tbody><tr><td colspan="2">1</td></tr></tbody></table>' in cleaned
    for bad in ("<script", "alert", "onerror", "javascript", "<iframe", "<form", "<input", "<style"):
        assert bad not in cleaned, (bad, cleaned)


def test_a_lab_s_svg_keeps_its_drawing_and_loses_script():
    svg = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'onload="alert(1)"><defs><path id="p" d="M0 0"/></defs><script>alert(2)</script>'
           '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
           '<a xlink:href="javascript:alert(3)"><use xlink:href="#p" onmouseover="alert(4)"/></a>'
           '<set attributeName="onmouseover" to="alert(5)"/><a><animate attributeName="xlink:href" '
           'values="javascript:alert(6)"/><set attributeName="fill" to="red"/></a></svg>')
    cleaned = clean_svg(svg)
    assert cleaned.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'xlink:href="#p"' in cleaned
    assert '<path id="p" d="M0 0" />' in cleaned
    assert '<set attributeName="fill" to="red" />' in cleaned                # harmless animation stays
    for bad in ("<script", "onload", "foreignObject", "javascript", "onmouseover", "alert("):
        assert bad not in cleaned, (bad, cleaned)
    assert clean_svg("<svg><unclosed></svg>") is None
    assert clean_svg("<html><script>alert(1)</script></html>") is None


def test_the_build_s_last_look_finds_what_runs_script():
    assert page_problems('<p class="x"><a href="../x/">a</a> <img src="a.svg" alt="b"></p>') == []
    assert page_problems("<p><script>alert(1)</script></p>") == ["a <script> element"]
    assert page_problems('<p onclick="x()">a</p>') == ["an event handler 'onclick' on <p>"]
    assert page_problems('<a href="&#106;avascript:x">a</a>') == ["a 'javascript:' URL in <a href>"]
    assert page_problems('<iframe src="https://example.org"></iframe>') == ["a <iframe> element"]
    assert page_problems('<img/src="x"/onerror=alert(1)>') == ["an event handler 'onerror' on <img>"]
    assert page_problems('<a href="x"onclick="y()">a</a>') == ["an event handler 'onclick' on <a>"]
    assert page_problems('<A HREF=" JavaScript:x">a</A>') == ["a 'javascript:' URL in <a href>"]


def test_a_script_in_a_page_s_content_is_never_given_a_hash(tmp_path):
    """Had a script reached a page's content at build time, the policy would still refuse it."""
    from textbook.csp import MARKER, fill_policies, theme_script_hashes

    theme, injected = "var palette = 1;", "window.__injected = 1;"

    def page(content: str) -> str:
        return (f'<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\' {MARKER}">'
                f'<script>{theme}</script></head><body><article class="md-content__inner">{content}</article>'
                '</body></html>')

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    (tmp_path / "lesson").mkdir()
    (tmp_path / "lesson" / "index.html").write_text(page(f"<p>Text</p><script>{injected}</script>"))
    (tmp_path / "index.html").write_text(page("<p>Home</p>"))
    assert fill_policies(tmp_path) == 2
    for path in (tmp_path / "index.html", tmp_path / "lesson" / "index.html"):
        policy = path.read_text().split("content=\"", 1)[1].split("\"", 1)[0]
        assert digest(theme) in policy
        assert digest(injected) not in policy, path
    assert theme_script_hashes("<script>x()</script>") == set()      # no article: nothing is trusted


def test_a_chart_s_picture_carries_no_script_or_script_link(tmp_path):
    """draw() is contributor code: whatever it puts into the SVG, the picture shown is cleaned."""
    from textbook.charts import build_charts
    from textbook.facts import load_facts
    from conftest import ROOT

    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "sly.py").write_text(
        'TITLE = "Sly"\nCAPTION = "A chart that links out."\n\n'
        'def data(inputs):\n    return {"alt": "A line.", "columns": ["x"], "rows": [["1"]], "plot": {}}\n\n'
        'def draw(plot, style):\n    figure = style.figure()\n    axes = style.axes(figure)\n'
        '    line, = axes.plot([0, 1], [0, 1])\n    line.set_url("javascript:alert(1)")\n'
        '    axes.text(0.5, 0.5, "click", url="javascript:alert(2)")\n'
        '    axes.text(0.2, 0.2, "web", url="https://example.org/")\n    line.set_gid("onload")\n    return figure\n')
    facts = load_facts(ROOT / "docs" / "facts.yml", "docs/facts.yml")
    charts, _stats = build_charts(facts, tmp_path / "charts", tmp_path / "cache")
    for theme, svg in charts["sly"].svg.items():
        assert "javascript:" not in svg and "<script" not in svg, theme
        assert "https://example.org/" in svg, theme          # a web link stays
    cached, stats = build_charts(facts, tmp_path / "charts", tmp_path / "cache")
    assert stats.cached == ["sly"] and cached["sly"].svg == charts["sly"].svg


def test_inline_script_hashes_cover_what_runs_and_only_that():

    body = "var a = 1;\n"
    expected = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
    page = (f'<script>{body}</script><script type="module">{body}</script><script src="x.js"></script>'
            '<script type="application/json">{"a": 1}</script><script type="text/x-mathjax-config">x</script>')
    assert inline_script_hashes(page) == {expected}
    assert inline_script_hashes("<SCRIPT>b()</SCRIPT>") == {
        "'sha256-" + base64.b64encode(hashlib.sha256(b"b()").digest()).decode() + "'"}


# --- Real builds ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["script element", "javascript: link in quiz feedback", "HTML in a glossary term",
                                  "HTML in the front-matter description", "comment that browsers end at once",
                                  "front matter asking for the redirect template", "an HTML file in docs"])
def test_hostile_contribution_stops_the_build(project, case):
    project.write("docs/index.md", PAGE)
    apply, expected = CASES[case]
    apply(project)
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(expected, output), output
    assert "Traceback" not in output, output


def test_quotes_in_the_front_matter_cannot_leave_the_head_s_attributes(project):
    project.write("docs/index.md", PAGE.replace("title: Home", 'title: Home " & more\n'
                                                "description: 'x\" http-equiv=\"refresh\" content=\"0;url=https://evil.example'"))
    project.write("docs/other.md", "# Bits & pieces\n\nA page whose title comes from its heading.\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "<title>Bits &amp; pieces - Test course</title>" in (project.path / "site" / "other" / "index.html").read_text()
    html = (project.path / "site" / "index.html").read_text()
    assert 'http-equiv="refresh"' not in html
    assert '<meta name="description" content="x&quot; http-equiv=&quot;refresh&quot;' in html
    assert "<title>Home &quot; &amp; more - Test course</title>" in html


# --- In a browser: a small built course, attacked every way the check lets through ---------------------

EVIL_LAB = '''\
# %% [markdown]
# # Lab 9: Outputs that try to run script

# %%
from IPython.display import HTML, SVG, Javascript, display
display(HTML('<b id="kept">bold</b><script>window.__fromHtml = 1; alert("html")</script>'
             '<img src="x.png" onerror="window.__fromImg = 1; alert(\\'img\\')">'))
display(Javascript('window.__fromJs = 1; alert("js")'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.__fromSvg = 1; alert(1)">'
            '<script>window.__fromSvgScript = 1</script><rect id="kept-rect" width="5" height="5"/></svg>'))
print("<script>alert('printed')</script>")

# %%
from IPython.display import Latex, Markdown
display(Markdown('<script>window.__fromMd = 1</script>[x](javascript:window.__fromMdLink=1) '
                 '<b onmouseover="window.__fromMdHover = 1">hover</b>'))
display(Latex('$x$ <img src="x.png" onerror="window.__fromLatex = 1">'))
'''

QUIZ_PAGE = PAGE.replace("  > Correct — because.", "  > Correct — `<script>alert('code')</script>` is shown as code.")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A small course with a lab whose outputs carry script, built once for the browser cases."""
    import functools
    import http.server
    import threading

    from conftest import Project, _QuietHandler

    project = Project(tmp_path_factory.mktemp("hostile") / "course")
    project.write("docs/index.md", QUIZ_PAGE)
    project.write("docs/labs/evil.py", EVIL_LAB)
    lab_page(project, "evil")
    result = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_QuietHandler, directory=str(project.path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield project.path / "site", f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_a_lab_s_script_outputs_are_not_published(hostile_site):
    from bs4 import BeautifulSoup

    site, _url = hostile_site
    [cached] = (site.parent / ".cache" / "labs").glob("*/evil.ipynb")     # what the page was made from
    notebook = json.loads(cached.read_text())
    outputs = json.dumps([cell.get("outputs", []) for cell in notebook["cells"]])
    for bad in ("__fromHtml", "__fromImg", "__fromJs", "__fromSvg", "onload", "application/javascript",
                "text/markdown", "text/latex"):
        assert bad not in outputs, bad
    assert "window.__fromMd = 1" in outputs       # Markdown output is kept as plain text
    assert "<b>bold</b>" in outputs and 'id=\\"kept-rect\\"' in outputs
    soup = BeautifulSoup((site / "labs" / "evil" / "index.html").read_text(), "html.parser")
    assert not [script for script in soup.find_all("script") if "__from" in script.get_text()]
    assert not soup.find_all(lambda tag: any(name.startswith("on") for name in tag.attrs))
    assert "<script>alert('printed')</script>" in soup.get_text()     # printed text stays text
    assert "<script>window.__fromMd = 1</script>" in soup.get_text()   # so does Markdown output
    assert not soup.select('a[href^="javascript"]')


@pytest.mark.parametrize("path", ["", "labs/evil/"])
def test_no_injected_script_runs_in_the_browser(browser, hostile_site, path):
    _site, url = hostile_site
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not dialogs, dialogs
    ran = page.evaluate("['__fromHtml', '__fromImg', '__fromJs', '__fromSvg', '__fromSvgScript', '__fromMd', "
                        "'__fromMdLink', '__fromMdHover', '__fromLatex']"
                        ".filter(name => name in window)")
    assert ran == [], ran
    # Lab figures are <img src="data:image/...">, which never run script; nothing else may carry a URL
    # that does, or an event handler.
    handlers = page.evaluate("""[...document.querySelectorAll('article *')]
        .filter(e => [...e.attributes].some(a => a.name.startsWith('on') ||
            (/^\\s*(javascript|data|vbscript):/i.test(a.value) && !(e.tagName === 'IMG' && a.name === 'src' &&
                                                                   a.value.startsWith('data:image/')))))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert handlers == [], handlers
    if path == "":
        feedback = page.locator(".fd-opt[data-correct=true] .fd-opt__feedback").first.text_content()
        assert "<script>alert('code')</script> is shown as code" in feedback, feedback
    else:
        assert page.locator("article b", has_text="bold").count() == 1
    page.close()


# --- Progress import: wrong types and a full storage are refused with a message ----------------------

@pytest.mark.parametrize("content, message", [
    ({"version": 2, "questions": {"q": {"right": "yes"}}}, "'questions.q.right' should be a boolean"),
    ({"version": 2, "questions": {"q": "right"}}, "'questions.q' is not a record"),
    ({"version": "2", "questions": {}}, "'version' is not a number"),
    ({"version": 2, "questions": {}, "tests": []}, "'tests' is not a record"),
    ({"version": 2, "questions": {}, "review": {"q": {"box": "1", "due": "2026-01-01"}}}, "'review.q.box' should be a number"),
    ({"version": 2, "questions": {"q": {"answer": {"a": 1}}}}, "'questions.q.answer' should be a list"),
    ({"version": 2, "questions": {}, "pages": {"x/": {"read": 5}}}, "'pages.x/.read' should be a string"),
])
def test_import_with_wrong_types_is_refused(browser, site_url, tmp_path, content, message):
    page = browser.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.wait_for_selector("[data-progress] .fd-progress__actions:not([hidden])")
    before = page.evaluate("localStorage.getItem('fdta.progress.v1')")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(content))
    page.locator(".fd-progress__import input").set_input_files(str(bad))
    summary = page.locator(".fd-progress__summary")
    summary.filter(has_text="wrong type").wait_for()
    assert message in summary.inner_text() and "nothing was changed" in summary.inner_text()
    assert page.evaluate("localStorage.getItem('fdta.progress.v1')") == before
    page.close()


def test_import_that_cannot_be_stored_says_so(browser, site_url, tmp_path):
    page = browser.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.wait_for_selector("[data-progress] .fd-progress__actions:not([hidden])")
    page.evaluate("""() => { Storage.prototype.setItem = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError') } }""")
    good = tmp_path / "progress.json"
    good.write_text(json.dumps({"version": 2, "questions": {"pretraining-loss": {
        "answer": ["a"], "right": True, "quiz": "pretraining", "at": "2026-01-01T00:00:00Z"}}}))
    page.locator(".fd-progress__import input").set_input_files(str(good))
    summary = page.locator(".fd-progress__summary")
    summary.filter(has_text="could not store").wait_for()
    assert "nothing was imported" in summary.inner_text() and "Progress imported" not in summary.inner_text()
    page.close()



def test_chart_titles_captions_alt_text_and_data_are_shown_as_text(tmp_path):
    """Chart files are code, not Markdown: what they give readers is escaped, never run."""
    from conftest import ROOT

    from textbook.charts import compute
    from textbook.facts import load_facts
    from textbook.glossary import load_glossary
    from textbook.render import PageRenderer, Site

    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    path = tmp_path / "hostile.py"
    path.write_text(f"TITLE = {attack!r}\nCAPTION = {attack!r}\n\ndef data(inputs):\n"
                    f"    return {{'alt': {attack!r}, 'columns': [{attack!r}, 'b'], 'rows': [[{attack!r}, 1]],"
                    " 'plot': {}}\n\ndef draw(plot, style):\n    return style.figure()\n")
    facts = load_facts(ROOT / "docs" / "facts.yml", "docs/facts.yml")
    site = Site(facts, load_glossary(ROOT / "docs" / "glossary.yml", "docs/glossary.yml"))
    site.charts["hostile"] = compute(path, "charts/hostile.py", facts)
    renderer = PageRenderer(site, "docs/index.md", "")
    html = renderer.fill(renderer.render("# Home\n\n```chart hostile\n```\n"))
    assert "<script>" not in html and "<img src=x" not in html and page_problems(html) == []
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4      # title, caption, column, cell
    assert 'alt="&#34;&gt;&lt;script&gt;' in html                         # the alt text, in an attribute


def test_a_fixed_or_removed_data_file_is_not_reported_again(project):
    project.write("docs/index.md", PAGE)
    in_misconceptions("A model <script>alert(1)</script> looks things up.")(project)
    assert any("raw HTML in 'statement'" in str(problem) for problem in check(project.path))
    in_misconceptions("A model looks things up.")(project)
    assert not any("raw HTML" in str(problem) for problem in check(project.path))
    in_misconceptions("A model <b>looks</b> things up.")(project)
    assert any("raw HTML in 'statement': '<b>'" in str(problem) for problem in check(project.path))
    (project.docs / "misconceptions.yml").unlink()
    assert [str(problem) for problem in check(project.path)] == []
