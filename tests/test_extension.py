"""The course syntax as a Markdown extension: Markdown in, HTML out, in process (no site build)."""
from __future__ import annotations

import os
import re

import markdown
import pytest

from textbook import extension
from textbook.errors import ContentError
from textbook.extension import first_line, leftover_syntax, load_course, page_url

EXTENSIONS = ["abbr", "attr_list", "md_in_html", "pymdownx.superfences", "textbook.extension"]
OPTIONS = {"facts": "facts.yml", "glossary": "glossary.yml", "misconceptions": "misconceptions.yml",
           "charts": "../charts"}


@pytest.fixture
def course(project):
    """The small course of conftest, with the extension told which project it builds (as the MkDocs hook does)."""
    saved = extension.BuildContext(**vars(extension.context))
    extension.context.project, extension.context.docs = project.path, project.docs
    extension.context.directory_urls, extension.context.fail = True, None
    yield project
    for name, value in vars(saved).items():
        setattr(extension.context, name, value)


def convert(project, src: str, text: str, extensions=EXTENSIONS, **configs) -> str:
    """Render a page the way a builder does: the file exists, front matter is already removed."""
    project.write(f"docs/{src}", text)
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    extension.context.page = extension.PageContext(src, page_url(src))
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body)


def test_a_fact_marker_becomes_the_fact_with_its_qualifier_and_source_link(course):
    html = convert(course, "lesson.md", "# Lesson\n\nGPT-3 has :fact[gpt3.params].\n")
    assert '<p>GPT-3 has <span class="fd-fact fd-fact--reported" data-fact="gpt3.params">175 billion' in html
    assert '<a class="fd-term" href="glossary.md#term-' in html       # a glossary term, linked to its entry
    assert 'href="../sources/#src-brown2020"' in html          # relative to lesson/, as the page is served


def test_a_block_is_filled_in_whole_and_never_left_in_a_paragraph(course):
    html = convert(course, "index.md", "# Home\n\n```stat-cards\ngpt3.params: Parameters\n```\n")
    assert html.count('class="fd-stat"') == 1 and "175B" in html
    assert "fd-slot" not in html and "<p><div" not in html
    assert 'href="sources/#src-brown2020"' in html               # the home page sits at the site root


def test_the_sources_page_lists_the_pages_that_cite_a_fact(course):
    course.write("docs/lesson.md", "# A lesson on sizes\n\nGPT-3 has :fact[gpt3.params].\n")
    html = convert(course, "sources.md", "# Sources\n\n```sources\n```\n")
    row = html.split('data-fact="gpt3.params"', 1)[1].split("</tr>", 1)[0]
    assert '<a href="../lesson/">A lesson on sizes</a>' in row


def test_errors_name_the_line_in_the_file_even_after_front_matter(course):
    page = "---\ntitle: Home\n---\n\n# Home\n\nGPT-3 has :fact[gpt3.paramz].\n"
    with pytest.raises(ContentError) as caught:
        convert(course, "index.md", page)
    assert str(caught.value).startswith("docs/index.md:7: unknown fact 'gpt3.paramz'. Did you mean 'gpt3.params'?")


@pytest.mark.parametrize("handed", [
    ["", "# Home", "", "text"],          # MkDocs: the front matter removed, the blank line after it kept
    ["# Home", "", "text"],              # Zensical: the blank lines after the front matter removed too
])
def test_first_line_finds_where_the_handed_markdown_starts(handed):
    source = "---\ntitle: Home\n---\n\n# Home\n\ntext\n"
    start = first_line(source, handed)
    assert source.split("\n")[start - 1 + handed.index("# Home")] == "# Home"


def test_syntax_a_later_extension_brings_in_fails_naming_the_page(course):
    """A snippet is included after the course syntax was rendered: its marker would reach readers raw."""
    course.write("parts/snippet.txt", "GPT-3 has :fact[gpt3.params].\n")
    with pytest.raises(ContentError) as caught:
        convert(course, "index.md", '# Home\n\n--8<-- "snippet.txt"\n',
                extensions=[*EXTENSIONS, "pymdownx.snippets"],
                **{"pymdownx.snippets": {"base_path": [str(course.path / "parts")]}})
    assert str(caught.value).startswith("docs/index.md: course syntax was left unrendered in the built page: "
                                        "':fact[gpt3.params]'")


@pytest.mark.parametrize("html, left", [
    ("<p>GPT-3 has :fact[gpt3.params].</p>", [":fact[gpt3.params]"]),
    ("<p><code>:fact[gpt3.params]</code> and <!-- quiz: demo --></p>", ["<!-- quiz:"]),
    ('<div class="language-chart highlight"><pre><code>cost</code></pre></div>', ['class="language-chart']),
    ("<p>```fact-table models</p>", ["<p>```fact-table"]),
    ('<pre><code class="language-markdown">:fact[x]\n```chart cost\n</code></pre>', []),
])
def test_leftover_syntax_is_found_outside_code_only(html, left):
    assert leftover_syntax(html) == left


def test_the_course_is_read_once_and_again_after_a_change(course):
    options = dict(OPTIONS)
    first = load_course(course.path, course.docs, options)
    assert load_course(course.path, course.docs, options) is first
    page = course.write("docs/new.md", "# A new page\n")
    os.utime(page, ns=(1, 1))
    second = load_course(course.path, course.docs, options)
    assert second is not first and second.site.pages["new.md"].title == "A new page"


def test_markdown_run_by_another_tool_is_left_alone(course):
    extension.context.page = None
    html = markdown.Markdown(extensions=EXTENSIONS).convert("Write `:fact[id]` to cite a fact.")
    assert html == "<p>Write <code>:fact[id]</code> to cite a fact.</p>"


def test_an_option_that_is_not_a_path_is_refused():
    with pytest.raises(ContentError, match="the option 'facts' of textbook.extension must be a path"):
        markdown.Markdown(extensions=["textbook.extension"], extension_configs={"textbook.extension": {"facts": 3}})


def test_every_file_the_package_reads_is_shipped_with_it():
    """Templates and stylesheets sit inside the package and are package data: an install without -e works."""
    import tomllib
    from fnmatch import fnmatch

    from conftest import ROOT
    from textbook.render import TEMPLATES

    package = ROOT / "hooks" / "textbook"
    assert TEMPLATES.parent == package and sorted(TEMPLATES.glob("*.html"))
    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["textbook"]
    data = [path.relative_to(package).as_posix() for path in package.rglob("*")
            if path.is_file() and path.suffix not in (".py", ".pyc")]
    assert data and not [name for name in data if not any(fnmatch(name, pattern) for pattern in shipped)]


@pytest.mark.build
def test_mkdocs_refuses_to_build_the_course_without_its_extension(project):
    config = project.path / "mkdocs.yml"
    config.write_text(re.sub(r",\s*textbook\.extension\]", "]", config.read_text()))
    assert "textbook.extension" not in config.read_text()
    project.write("docs/index.md", "# Home\n\nGPT-3 has :fact[gpt3.params].\n")
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Add '- textbook.extension' under markdown_extensions." in output, output
    assert "Traceback" not in output


@pytest.mark.parametrize("html, found", [
    ('<img class="fd-chart__img" src="data:image/svg+xml;base64,PHN2Zy8+#only-light" alt="A chart.">', []),
    ('<a href="data:text/html;base64,PHN2Zy8+">a link</a>', ["a 'data:' URL in <a href>"]),
    ('<img src="data:text/html;base64,PHN2Zy8+" alt="x">', ["a 'data:' URL in <img src>"]),
    ('<img src="data:image/svg+xml;base64,PHN2Zy8+" onerror="alert(1)">', ["an event handler 'onerror' on <img>"]),
])
def test_the_last_look_lets_a_chart_picture_through_and_nothing_else(html, found):
    from textbook.sanitize import page_problems

    assert page_problems(html) == found


QUIZ = """# Lesson

<!-- quiz: demo -->

<!-- question: demo-one -->
How many parameters does GPT-3 have?

- [ ] Far fewer than :fact[gpt3.params].
  > Not quite — it is bigger.
- [x] :fact[gpt3.params].
  > Correct — the paper says :fact[gpt3.params short].

<!-- /quiz -->
"""


def test_the_build_records_a_page_s_quizzes_as_rendered_for_the_book(course):
    from textbook import manifest

    html = convert(course, "lesson.md", QUIZ)
    quizzes = manifest.read_page(course.path, "lesson.md")
    assert [quiz["id"] for quiz in quizzes] == ["demo"]
    question = quizzes[0]["questions"][0]
    assert question["id"] == "demo-one" and question["html"] == "How many parameters does GPT-3 have?"
    right = [option for option in question["options"] if option["correct"]]
    assert len(right) == 1 and right[0]["html"] in html          # the very HTML the page shows
    assert 'data-fact="gpt3.params"' in right[0]["feedback_html"]    # facts formatted by the page's renderer
    convert(course, "lesson.md", "# Lesson\n\nNo quiz any more.\n")
    assert manifest.read_page(course.path, "lesson.md") is None      # an old record does not linger


DEMO_LAB = """\
# %% [markdown]
# # Lab 9: Demo
#
# See [the lesson](../index.md).

# %%
print("a < b")
"""


def test_a_lab_block_shows_the_lab_s_text_code_and_download_link(course):
    course.write("docs/labs/demo.py", DEMO_LAB)
    extension.context.run_labs = False               # read the lab, as the check does: no kernel here
    html = convert(course, "labs/demo.md", "```lab demo\n# Lab 9: Demo (docs/labs/demo.py)\n```\n")
    assert html.startswith('<h1>Lab 9: Demo</h1>\n<p class="fd-lab-download"><a download="" '
                           'href="demo.py">Download this lab (demo.py)</a>: its text and code')
    assert '<p>See <a href="../index.md">the lesson</a>.</p>' in html        # the builder rewrites .md links
    code = html.split("<pre>", 1)[1].split("</pre>", 1)[0]
    assert re.sub(r"<[^>]+>", "", code) == 'print("a &lt; b")\n'        # highlighted as Python, escaped
    assert "Lab 9: Demo (docs" not in html                                    # the block's comment is not shown


def test_a_lab_s_outputs_are_escaped_text_and_kept_pictures():
    import nbformat

    from textbook.labpage import lab_markdown

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lab 9: Demo\n\nText."),
        nbformat.v4.new_code_cell("x = '```'", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="<b>1</b>\n"),
            nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg></svg>", "text/plain": "<Figure>"}),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=\n", "text/plain": "<Figure>"}),
            nbformat.v4.new_output("display_data", data={"image/png": "not base64\" onerror=\"x"}),
            nbformat.v4.new_output("execute_result", data={"text/plain": "'<i>'"}, execution_count=1),
        ]),
    ])
    kept: list[str] = []
    lines = lab_markdown(notebook, "DOWNLOAD", lambda html: kept.append(html) or f"<!-- slot {len(kept)} -->")
    assert lines[:4] == ["# Lab 9: Demo", "", "DOWNLOAD", ""]
    assert ["````python", "x = '```'", "````"] == lines[lines.index("````python"):lines.index("````python") + 3]
    assert kept == ['<pre class="fd-lab-output"><code>&lt;b&gt;1&lt;/b&gt;</code></pre>',
                    '<figure class="fd-lab-figure"><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" '
                    'alt="A figure drawn by the code above."></figure>',
                    '<figure class="fd-lab-figure"><img src="data:image/png;base64,iVBORw0KGgo=" '
                    'alt="A figure drawn by the code above."></figure>',
                    '<pre class="fd-lab-output"><code>&#x27;&lt;i&gt;&#x27;</code></pre>']


def test_the_page_is_checked_once_not_once_per_heading(course, monkeypatch):
    """The toc extension runs the postprocessors on every heading's text; the course's work waits for the page."""
    seen = []
    monkeypatch.setattr(extension, "page_problems", lambda html: seen.append(html) or [])
    page = "# Home\n\n" + "".join(f"## Part {n}\n\nGPT-3 has :fact[gpt3.params].\n\n" for n in range(5))
    html = convert(course, "index.md", page, extensions=[*EXTENSIONS, "toc"])
    assert len(seen) == 1 and seen[0] == html and html.count('data-fact="gpt3.params"') == 5


def test_a_parsed_file_is_kept_until_it_or_the_code_changes(tmp_path):
    from textbook.parsecache import cached_load

    calls = []

    def load_demo(path, shown):
        calls.append(shown)
        if b"broken" in path.read_bytes():
            raise ContentError(shown, 1, "broken")
        return {"text": path.read_text()}

    source = tmp_path / "demo.yml"
    source.write_text("a: 1\n")
    assert cached_load(tmp_path, load_demo, source, "docs/demo.yml") == {"text": "a: 1\n"}
    assert cached_load(tmp_path, load_demo, source, "docs/demo.yml") == {"text": "a: 1\n"}
    assert len(calls) == 1                                         # the second came from .cache/course/
    source.write_text("a: 2\n")
    assert cached_load(tmp_path, load_demo, source, "docs/demo.yml") == {"text": "a: 2\n"} and len(calls) == 2
    assert len(list((tmp_path / ".cache" / "course").glob("load_demo-*"))) == 1     # the old copy is gone
    other = tmp_path / "other.yml"
    other.write_text("b: 1\n")
    cached_load(tmp_path, load_demo, other, "docs/other.yml")                    # a second file, same loader
    assert cached_load(tmp_path, load_demo, source, "docs/demo.yml") == {"text": "a: 2\n"} and len(calls) == 3
    source.write_text("broken\n")
    for _ in range(2):                                             # a mistake is never kept: reported each time
        with pytest.raises(ContentError):
            cached_load(tmp_path, load_demo, source, "docs/demo.yml")
    assert len(calls) == 5


def test_a_term_is_marked_at_its_first_use_in_each_section_and_links_to_its_entry(course):
    course.write("docs/glossary.md", "# Glossary\n\n```glossary\n# Glossary: every term in docs/glossary.yml, A to Z\n```\n")
    page = ("# Tokens and more tokens\n\nA token here, a token there.\n\n## Next\n\n"
            "Another token, `token` in code, [a token link](index.md).\n\n### Deeper\n\nA token again.\n")
    html = convert(course, "lessons/intro.md", page)
    marks = re.findall(r'<a class="fd-term" href="([^"]+)"( tabindex="-1")? title="[^"]+">([^<]+)</a>', html)
    # once a section; the Tab key stops at the first only
    assert marks == [("../glossary.md#term-token", "", "token"), ("../glossary.md#term-token", ' tabindex="-1"', "token")]
    assert "<h1>Tokens and more tokens</h1>" in html and "<code>token</code>" in html
    assert '<a href="index.md">a token link</a>' in html


def test_marking_terms_keeps_every_piece_of_text_in_order():
    from xml.etree import ElementTree

    from textbook.glossary import Term, mark_terms, term_pattern

    terms = {"token": Term("token", "token", "A piece of text.", aliases=["tokens"]),
             "loss": Term("loss", "loss", "How wrong.")}
    root = ElementTree.fromstring("<div><p>Tokens, then <em>a loss</em> and a token; tokens-like loss.</p>"
                                  "<h2>The loss</h2><p>More loss.</p></div>")
    assert mark_terms(root, *term_pattern(terms), lambda term: {"title": term.definition}) == 3
    html = ElementTree.tostring(root, encoding="unicode")
    assert html == ('<div><p><abbr class="fd-term" title="A piece of text." tabindex="0">Tokens</abbr>, then <em>a '
                    '<abbr class="fd-term" title="How wrong." tabindex="0">loss</abbr></em> and a token; tokens-like loss.'
                    '</p><h2>The loss</h2><p>More <abbr class="fd-term" title="How wrong." tabindex="-1">loss</abbr>.</p></div>')
    # The second "loss" mark shows the same definition: the Tab key reached it at the first.


def test_the_terms_pattern_matches_what_a_longest_first_alternation_matches():
    """Shared beginnings are written once; a longer spelling still wins, and a shorter one is used when
    what follows the longer one is part of a word."""
    from textbook.glossary import trie_alternation

    words = ["RL", "RLHF", "RLHF-style", "reward", "reward model", "reward models", "rewards", "re", "model"]
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
                       + r")(?![\w-])")
    trie = re.compile(r"(?<![\w-])(?:" + trie_alternation(words) + r")(?![\w-])")
    for text in ["RLHF and RL, RLHF-style rewards", "a reward modelled, reward models, reward model.",
                 "re: reward-model, rewardsX, RLHFs", "RL-HF model; models; re re"]:
        assert [(m.start(), m[0]) for m in trie.finditer(text)] == [(m.start(), m[0]) for m in plain.finditer(text)]
    assert [m[0] for m in trie.finditer("reward models and a reward modelled")] == ["reward models", "reward"]


def test_the_last_look_is_taken_again_only_when_the_page_changes(course, monkeypatch):
    """A page byte for byte the same as one of the last that passed the last look passes without it; any
    other page, or a verdict this machine did not sign, brings the look back."""
    looks = []
    real = extension.page_problems
    monkeypatch.setattr(extension, "page_problems", lambda html: looks.append(1) or real(html))
    convert(course, "demo.md", "# Demo\n\nGPT-3 has :fact[gpt3.params].\n")
    convert(course, "demo.md", "# Demo\n\nGPT-3 has :fact[gpt3.params].\n")
    assert len(looks) == 1
    convert(course, "demo.md", "# Demo\n\nGPT-3 has :fact[gpt3.params] parameters.\n")
    assert len(looks) == 2
    convert(course, "demo.md", "# Demo\n\nGPT-3 has :fact[gpt3.params].\n")     # the check and the build
    assert len(looks) == 2                             # make their own HTML of a page: the last few are kept
    from textbook import parsecache

    parsecache._verdict_file(course.path, "last look demo.md").write_bytes(b"\0" * 32)
    convert(course, "demo.md", "# Demo\n\nGPT-3 has :fact[gpt3.params] parameters.\n")
    assert len(looks) == 3


def test_a_page_that_turns_unsafe_is_refused_although_it_passed_before(course):
    """The source checks are kept for an unchanged page only: an edit that adds raw HTML is refused, every time."""
    convert(course, "demo.md", "# Demo\n\nPlain words.\n")
    convert(course, "demo.md", "# Demo\n\nPlain words.\n")
    for _ in range(2):
        with pytest.raises(ContentError, match=r"docs/demo.md:3: .*HTML"):
            convert(course, "demo.md", "# Demo\n\nPlain <b onclick='x()'>words</b>.\n")


QUIZ_PAGE = """\
# {title}

GPT-3 has :fact[gpt3.params].

<!-- quiz: {quiz} -->

<!-- question: {quiz}-one -->
Pick the right one?

- [ ] Wrong.
  > Not quite: because.
- [x] Right.
  > Correct: because.
<!-- /quiz -->
"""


def _counting_renders(monkeypatch) -> list[str]:
    from textbook.render import PageRenderer

    renders: list[str] = []
    real = PageRenderer.render
    monkeypatch.setattr(PageRenderer, "render", lambda self, *args: renders.append(self.page) or real(self, *args))
    return renders


def test_a_page_is_rendered_again_only_when_it_or_what_it_shows_changes(course, monkeypatch):
    """A rebuild takes a page's kept render while its Markdown and the course are the same, with the same
    HTML; a changed fact, or another page's new title shown in the progress table, renders it again."""
    renders = _counting_renders(monkeypatch)
    course.write("docs/lesson.md", QUIZ_PAGE.format(title="Lesson", quiz="lesson"))
    first = convert(course, "home.md", "# Home\n\nGPT-3 has :fact[gpt3.params].\n\n```progress\n```\n")
    again = convert(course, "home.md", "# Home\n\nGPT-3 has :fact[gpt3.params].\n\n```progress\n```\n")
    assert renders == ["home.md"] and again == first and ">Lesson</a>" in first
    course.write("docs/lesson.md", QUIZ_PAGE.format(title="A new title", quiz="lesson"))
    retitled = convert(course, "home.md", "# Home\n\nGPT-3 has :fact[gpt3.params].\n\n```progress\n```\n")
    assert renders == ["home.md", "home.md"] and ">A new title</a>" in retitled
    facts = course.path / "docs" / "facts.yml"
    facts.write_text(facts.read_text().replace("value: 175e9", "value: 176e9", 1))
    changed = convert(course, "home.md", "# Home\n\nGPT-3 has :fact[gpt3.params].\n\n```progress\n```\n")
    assert len(renders) == 3 and "176 billion" in changed


def test_the_check_and_the_build_share_a_page_s_kept_render(course, monkeypatch):
    """The check hands the extension a page with the blank line after its front matter, MkDocs without it:
    the same render, kept once for both."""
    renders = _counting_renders(monkeypatch)
    text = "---\ntitle: Demo\n---\n\n# Demo\n\nGPT-3 has :fact[gpt3.params].\n"
    as_checked = convert(course, "demo.md", text)                          # "\n# Demo…", as the check reads it
    extension.context.page = extension.PageContext("demo.md", page_url("demo.md"))
    as_built = markdown.Markdown(extensions=EXTENSIONS).convert("# Demo\n\nGPT-3 has :fact[gpt3.params].\n")
    assert renders == ["demo.md"] and as_built == as_checked


def test_what_is_kept_for_a_removed_page_is_removed_with_it(course):
    from textbook.extension import kept_name

    kept = course.path / ".cache" / "course"
    convert(course, "gone.md", "# Gone\n\nGPT-3 has :fact[gpt3.params].\n")
    assert (kept / kept_name("render", "gone.md")).is_dir() and (kept / kept_name("scan", "gone.md")).is_dir()
    (course.path / "docs" / "gone.md").unlink()
    convert(course, "other.md", "# Other\n\nText.\n")
    assert not (kept / kept_name("render", "gone.md")).exists() and not (kept / kept_name("scan", "gone.md")).exists()
    assert (kept / kept_name("render", "other.md")).is_dir()


@pytest.mark.parametrize("kept_first", [True, False])
def test_a_question_id_taken_by_a_kept_page_is_still_reported_on_the_page_that_repeats_it(course, kept_first,
                                                                                          monkeypatch):
    """The kept page claims its ids again when it is taken, so a duplicate is found in either order. (A
    repeated question id changes nothing else the course knows of the pages: the other page stays kept.)"""
    first, second = QUIZ_PAGE.format(title="First", quiz="first"), QUIZ_PAGE.format(title="Second", quiz="second")
    course.write("docs/second.md", second)
    for page, text in [("first.md", first), ("second.md", second)]:
        convert(course, page, text)                                  # both rendered and kept
    course.write("docs/second.md", second.replace("question: second-one", "question: first-one"))
    order = ["first.md", "second.md"] if kept_first else ["second.md", "first.md"]
    renders = _counting_renders(monkeypatch)
    extension.context.build = object()                  # one build: the course is read once for both pages
    try:
        convert(course, order[0], (course.path / "docs" / order[0]).read_text())
        with pytest.raises(ContentError, match=rf"docs/{order[1]}:7: duplicate question id 'first-one' "
                                               rf"\(also at docs/{order[0]}:7\)"):
            convert(course, order[1], (course.path / "docs" / order[1]).read_text())
    finally:
        extension.context.build = None
    # first.md is taken from what was kept: after second.md claimed the id, it is refused and rendered again
    assert renders == (["second.md"] if kept_first else ["second.md", "first.md"])


def test_a_lab_page_is_kept_while_its_lab_s_run_is_the_same(course, monkeypatch):
    from textbook.labs import LabFolder

    runs = {"version": "run-1"}
    notebooks = []
    monkeypatch.setattr(LabFolder, "labs", lambda self: {"demo": type("Lab", (), {"display": "docs/labs/demo.py",
                                                                                  "path": course.path / "docs/labs/demo.py"})()})
    monkeypatch.setattr(LabFolder, "version", lambda self, lab: runs["version"])
    monkeypatch.setattr(LabFolder, "notebook", lambda self, lab: notebooks.append(1) or {"cells": []})
    monkeypatch.setattr("textbook.render.lab_markdown", lambda notebook, download, slot, indent: [
        "# Demo lab", "", f"Run {runs['version']}.", "", download])
    renders = _counting_renders(monkeypatch)
    page = "```lab demo\n```\n"
    assert "Run run-1." in convert(course, "labs/demo.md", page)
    assert "Run run-1." in convert(course, "labs/demo.md", page)
    assert len(renders) == 1 and len(notebooks) == 1
    runs["version"] = "run-2"
    assert "Run run-2." in convert(course, "labs/demo.md", page)
    assert len(renders) == 2


def test_a_kept_copy_that_this_machine_did_not_sign_is_never_unpickled(tmp_path, monkeypatch):
    """A file planted under .cache/course/ (committed to a pull request, say) cannot run code in the build."""
    import pickle

    from textbook import parsecache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    parsecache._secret.cache_clear()
    source = tmp_path / "demo.yml"
    source.write_text("a: 1\n")
    load = lambda path, shown: {"text": path.read_text()}       # noqa: E731
    load.__name__ = "load_demo"
    assert parsecache.cached_load(tmp_path, load, source, "docs/demo.yml") == {"text": "a: 1\n"}
    [kept] = (tmp_path / ".cache" / "course").glob("load_demo-*/*.pickle")

    class Planted:
        def __reduce__(self):
            return (print, ("planted code ran",))

    kept.write_bytes(b"\0" * 32 + pickle.dumps(Planted()))
    assert parsecache.cached_load(tmp_path, load, source, "docs/demo.yml") == {"text": "a: 1\n"}
    parsecache._secret.cache_clear()


def test_terms_are_not_marked_in_box_titles_or_table_headers():
    from xml.etree import ElementTree

    from textbook.glossary import Term, mark_terms, term_pattern

    terms = {"loss": Term("loss", "loss", "How wrong.")}
    root = ElementTree.fromstring('<div><div class="admonition"><p class="admonition-title">Try it: loss</p></div>'
                                  "<table><tr><th>loss</th></tr><tr><td>loss</td></tr></table></div>")
    assert mark_terms(root, *term_pattern(terms), lambda term: {"title": term.definition}) == 1
    assert '<td><abbr class="fd-term"' in ElementTree.tostring(root, encoding="unicode")
