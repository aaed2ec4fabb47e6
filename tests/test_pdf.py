"""The PDF book: built once from the real course with the documented command, then read back with pypdf.

A tiny course (the Project fixture) covers what the real course does not have yet: a chart, a wide
facts table, a Labs section, and broken or remote images that must stop the export.
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ENV, ROOT, Project
from textbook.facts import load_facts
from textbook.pdf import LAYOUT_NOTE, PDF_NAME, local_fetcher
from textbook.quizzes import Quiz, find_quizzes

EPOCH = 1767225600          # 2026-01-01T00:00:00Z
FACT = re.compile(r":fact\[[^\]]*\]")


def squash(text: str) -> str:
    """Letters and digits only: immune to line breaks, hyphenation and spacing in extracted text."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def plain(markdown: str) -> str:
    """The longest run of a quiz text between fact markers, without link targets, squashed."""
    markdown = re.sub(r"\]\([^)]*\)", "]", markdown)
    return max((squash(part) for part in FACT.split(markdown)), key=len)


def export(config: Path, site: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textbook.pdf", "-f", str(config), "-d", str(site)],
                          cwd=config.parent, capture_output=True, text=True,
                          env={**ENV, "SOURCE_DATE_EPOCH": str(EPOCH), **(extra_env or {})})


@dataclass
class Book:
    site: Path
    pdf: Path
    reader: PdfReader
    texts: list[str]                      # squashed text of each page
    raw: list[str]                        # extracted text of each page
    outline: list[tuple[str, int]]        # top-level bookmarks: (title, page index)
    dests: dict[str, int]                 # named destination -> page index
    log: str = ""                         # what the export printed on stderr

    def pages(self, title: str) -> range:
        """The pages of the chapter with this bookmark title."""
        starts = [page for _title, page in self.outline] + [len(self.texts)]
        index = [name for name, _page in self.outline].index(title)
        return range(starts[index], starts[index + 1])

    def text(self, pages: range) -> str:
        return "".join(self.texts[page] for page in pages)

    def dest(self, suffix: str) -> int | None:
        found = [page for name, page in self.dests.items() if name == suffix or name.endswith("--" + suffix)]
        return found[0] if found else None


def read_book(site: Path) -> Book:
    return read_book_file(site / PDF_NAME)


def read_book_file(pdf: Path) -> Book:
    site = pdf.parent
    reader = PdfReader(pdf)
    raw = [page.extract_text() or "" for page in reader.pages]
    outline = [(item.title, reader.get_destination_page_number(item))
               for item in reader.outline if not isinstance(item, list)]
    dests = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    return Book(site, pdf, reader, [squash(text) for text in raw], raw, outline, dests)


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Book:
    site = tmp_path_factory.mktemp("pdf-site")
    result = export(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Wrote {site / PDF_NAME}" in result.stdout
    made = read_book(site)
    made.log = result.stderr
    return made


# -- what the real course's nav and sources say the book must contain ---------------------------------
class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def nav_pages() -> list[tuple[str, str]]:
    """(top-level section, docs path) in nav order, from mkdocs.yml."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_IgnoreTags)
    found: list[tuple[str, str]] = []

    def walk(items, section):
        for item in items:
            if isinstance(item, str):
                found.append((section, item))
            else:
                for title, value in item.items():
                    if isinstance(value, list):
                        walk(value, section or title)
                    else:
                        found.append((section, value))
    walk(config["nav"], "")
    return found


def expected_chapters(book: Book) -> list[str]:
    titles = []
    for section, path in nav_pages():
        if section == "Reference" and "Answer key" not in titles:
            titles.append("Answer key")
        if path == "index.md":
            titles.append("Introduction")
        elif path.startswith("labs/"):           # a lab's page shows its lab, whose first line is its title
            heading = re.search(r"^# # (.+)$", (ROOT / "docs" / path).with_suffix(".py").read_text(), re.M)[1]
            titles.append(heading.strip())
        elif path.endswith(".md"):
            heading = re.search(r"^# (.+)$", (ROOT / "docs" / path).read_text(), re.M)[1]
            titles.append(re.sub(r"[*_`]", "", heading).strip())
        else:
            page = book.site / path.rsplit(".", 1)[0] / "index.html"
            titles.append(" ".join(BeautifulSoup(page.read_text(), "html.parser").find("h1").get_text("").replace("¶", "").split()))
    if "Answer key" not in titles:
        titles.append("Answer key")
    return titles


def course_quizzes() -> list[tuple[str, Quiz]]:
    quizzes = []
    for _section, path in nav_pages():
        if path.endswith(".md"):
            lines = (ROOT / "docs" / path).read_text().splitlines()
            quizzes.extend((path, quiz) for _start, _end, quiz in find_quizzes(lines, 1, path))
    return quizzes


# -- the real course --------------------------------------------------------------------------------
def test_outline_lists_every_chapter_in_nav_order(book):
    titles = [title for title, _page in book.outline if title != "Contents"]
    assert titles == expected_chapters(book)
    pages = [page for _title, page in book.outline]
    assert pages == sorted(pages)


def test_contents_page_numbers_match_where_chapters_start(book):
    first_chapter = min(page for title, page in book.outline if title != "Contents")
    toc = "\n".join(book.raw[1:first_chapter])
    printed = {}
    for line in toc.splitlines():
        if match := re.match(r"^(.*?)[ .]*\s(\d+)$", line.strip()):
            printed[squash(match[1])] = int(match[2])
    for title, page in book.outline:
        if title == "Contents":
            continue
        assert squash(title) in printed, f"{title!r} is not in the table of contents"
        assert printed[squash(title)] == page + 1, f"{title!r}: contents say p. {printed[squash(title)]}, starts on p. {page + 1}"
        # the running head (extracted after the body) names the chapter from its second page on
        if page + 1 in book.pages(title):
            assert squash(title) in book.texts[page + 1][-(len(squash(title)) + 60):], f"no running head on p. {page + 2}"


def test_quiz_questions_print_in_their_chapter_without_answers(book):
    quizzes = course_quizzes()
    assert quizzes
    for path, quiz in quizzes:
        pages = None
        for question in quiz.questions:
            page = book.dest(f"q-{question.id}")
            assert page is not None, f"{path}: question {question.id} is not in the book"
            title = next(title for title, start in reversed(book.outline) if start <= page)
            pages = book.pages(title)
            assert plain(question.text)[:60] in book.texts[page] + book.texts[min(page + 1, len(book.texts) - 1)], (
                f"{path}: the text of question {question.id} is not on its page")
        assert pages is not None
        body = book.text(range(book.dest(f"q-{quiz.questions[0].id}"), pages.stop))
        for question in quiz.questions:
            for option in question.options:
                assert plain(option.feedback)[:50] not in body, f"{path}: feedback of {question.id} printed with the question"
            if question.explanation:
                assert plain(question.explanation)[:50] not in body
        assert "Show the answer" not in "".join(book.raw[page] for page in pages)


def structure(reader: PdfReader) -> list[dict]:
    """Every element of the PDF's structure tree (its tags), in reading order."""
    found: list[dict] = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_book_is_a_tagged_pdf_with_alt_text_on_every_figure(book):
    """PDF/UA-1: tags in reading order, the document's language and title, and each chart's description."""
    root = book.reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert book.reader.metadata.title == "From Data to Assistant"
    tags = structure(book.reader)
    kinds = [str(tag["/S"]) for tag in tags]
    for kind in ("/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/Link"):
        assert kind in kinds, f"no {kind} tag"
    figures = [tag for tag in tags if tag["/S"] == "/Figure"]
    assert len(figures) >= 4 and all(str(tag.get("/Alt", "")).strip() for tag in figures)
    headings = [tag for tag in tags if str(tag["/S"]) in ("/H1", "/H2")]
    assert len(headings) >= 7 * 8                # every chapter's title and sections, tagged as headings


# Instructions that only make sense on a screen; the pages word them for both ("online, …") or mark them
# .fd-screen-only, which neither book prints.
WEB_ONLY = ("hover over it", "hover to see", "in the menu", "export your progress", "Hover over or tap",
            "Every page has an edit button", "Your progress")


def test_no_web_only_instruction_is_printed(book):
    text = " ".join(" ".join(page.split()) for page in book.raw)
    assert not [phrase for phrase in WEB_ONLY if phrase in text]


def test_the_models_table_has_a_landscape_page_and_unbroken_labels(book):
    pages = [index for index, text in enumerate(book.texts) if "estimatedcostofthefinalrun" in text]
    assert pages, "the models table is not in the book"
    for index in pages:
        box = book.reader.pages[index].mediabox
        assert box.width > box.height, f"p. {index + 1}: the nine-column table is on an upright page"
    text = "\n".join(book.raw[index] for index in pages)
    assert "not disclosed" in text and not re.search(r"not dis[‐-]\s*closed", text)


def test_pages_read_as_print(book):
    """No page more than 40% empty except where a chapter ends, no heading alone at the foot of a page,
    no key-terms box split over two pages: the export looks at its laid-out pages and says so (on the
    book and on each lesson's own PDF)."""
    assert [line for line in book.log.splitlines() if line.startswith(LAYOUT_NOTE)] == []


def test_key_terms_print_as_a_short_box_with_their_definitions_at_the_chapter_s_end(book):
    pages = book.pages("2. Pretraining: learning to predict the next token")
    opening = " ".join(" ".join(book.raw[page].split()) for page in pages[:2])
    assert "Key terms in this lesson" in opening and "Each is defined in Key terms, defined" in opening
    defined = book.dest("pretraining--key-terms-defined")
    assert defined in pages and defined > pages[0] + 2
    assert "next-token prediction" in book.raw[defined] or "next-token prediction" in book.raw[defined + 1]


def test_the_ask_box_is_not_printed(book):
    """ "Ask this lesson" only works on screen: neither its heading nor its form reaches the book."""
    text = book.text(range(len(book.texts)))
    assert "Ask this lesson" not in text and "Copy this lesson for your assistant" not in text


def test_answer_key_has_one_entry_per_question_with_its_answer(book):
    quizzes = course_quizzes()
    key = book.pages("Answer key")
    entries = {name[len("key-q-"):]: page for name, page in book.dests.items() if name.startswith("key-q-")}
    expected = [question.id for _path, quiz in quizzes for question in quiz.questions]
    assert sorted(entries) == sorted(expected), "the answer key must have exactly one entry per quiz question"
    key_text = book.text(key)
    for _path, quiz in quizzes:
        assert book.dests.get(f"key-quiz-{quiz.id}") in key
        for question in quiz.questions:
            assert entries[question.id] in key
            assert plain(question.text)[:60] in key_text
            for option in question.options:
                if option.correct:
                    assert plain(option.text)[:50] in key_text, f"right answer of {question.id} missing from the key"


def test_every_source_and_fact_is_in_the_bibliography(book):
    facts = load_facts(ROOT / "docs" / "facts.yml", "docs/facts.yml")
    sources = book.text(book.pages("Sources"))
    pages = book.pages("Sources")
    for source in facts.sources.values():
        assert book.dest(f"src-{source.id}") in pages, f"source {source.id} has no entry in the bibliography"
        assert squash(source.title)[:60] in sources, source.id
    for fact in facts.facts.values():
        assert squash(fact.measures)[:40] in sources, f"fact {fact.id} is not cited in the bibliography"


def test_charts_print_as_numbered_vector_figures(book):
    """Every chart on the site is in the book as a figure, drawn as vectors (no raster image on its page)."""
    for page in sorted(book.site.rglob("index.html")):
        for figure in BeautifulSoup(page.read_text(), "html.parser").select("div.fd-chart"):
            where = book.dest(figure["id"])
            assert where is not None, f"{figure['id']} ({page}) is not in the book"
            assert len(book.reader.pages[where].images) == 0, f"{figure['id']} is printed as a raster image"
            assert "Figure" in book.raw[where]


def test_internal_links_point_at_places_in_the_book(book):
    links = 0
    for number, page in enumerate(book.reader.pages):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                links += 1
                assert str(annotation["/Dest"]) in book.dests, f"p. {number + 1}: link to a missing place"
    assert links > 500


def test_cross_references_give_page_numbers(book):
    # The home page's lesson map links to each lesson; in print each link says on which page it starts.
    # A narrow table column may wrap "(p. 54)" onto two lines, so compare with whitespace collapsed.
    intro = " ".join(" ".join(book.raw[page].split()) for page in book.pages("Introduction"))
    for title, page in book.outline:
        if re.match(r"\d+\. ", title):
            assert f"(p. {page + 1})" in intro, f"no page reference to {title!r} in the introduction"


def test_metadata_dates_come_from_source_date_epoch(book):
    info = book.reader.metadata
    assert info.title == "From Data to Assistant"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260101000000Z"
    assert "1 January 2026" in book.raw[0]
    assert "CC BY 4.0" in book.raw[0]


def test_the_site_links_to_the_pdf_only_when_it_is_built(book, built_site):
    lessons = 0
    for page in sorted(book.site.rglob("index.html")):
        links = BeautifulSoup(page.read_text(), "html.parser").select("a.fd-pdf-link")
        assert (page.parent / links[0]["href"]).resolve() == book.pdf.resolve(), page
        assert len(links) == 1 + len(links[1:]) and len(links) <= 2, page
        for link in links[1:]:                                    # a lesson's own PDF
            lessons += 1
            assert (page.parent / link["href"]).resolve().is_file(), f"{page}: {link['href']} was not written"
    assert lessons == 7
    assert "fd-pdf-link" not in (built_site / "index.html").read_text()


def test_each_lesson_has_a_pdf_of_its_own_with_its_answer_key(book):
    lessons = {path: read_book_file(path) for path in sorted((book.site / "pdf").glob("*.pdf"))}
    assert len(lessons) == 7
    titles = {path: lesson.reader.metadata.title.split(" (")[0] for path, lesson in lessons.items()}
    for path, lesson in lessons.items():
        assert re.match(r"\d\. ", titles[path]) and squash(titles[path]) in lesson.texts[0], path
        assert lesson.outline[-1][0] == "Answer key", path
        key = "".join(lesson.texts[lesson.outline[-1][1]:])
        assert squash(titles[path]) in key
        assert not [title for other, title in titles.items() if other != path and squash(title) in key], path
        questions = [name for name in lesson.dests if re.search(r"--q-", name)]
        assert len(questions) >= 5, path


def test_fetcher_refuses_the_network(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    fetch = local_fetcher(tmp_path)
    (tmp_path / "ok.css").write_text("p {}")
    assert fetch((tmp_path / "ok.css").as_uri()).read() == b"p {}"
    for url in ("https://example.org/font.woff2", "http://127.0.0.1:9/x.png", Path("/etc/hostname").as_uri()):
        with pytest.raises(FatalURLFetchingError, match="never uses the network"):
            fetch(url)


# -- a tiny course with a chart, a wide table, tabs, folds and a Labs section ----------------------------
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
<rect x="20" y="40" width="120" height="140" fill="{color}"/><text x="200" y="100" font-size="20">{word}</text></svg>"""

LESSON = """\
---
title: Charts
---

# 1. Charts and tables

A lesson with a chart. GPT-3 has :fact[gpt3.params].

FIXTURE-HTML

=== "First tab"
    FIRSTTABTEXT

=== "Second tab"
    SECONDTABTEXT

??? note "A fold"
    FOLDEDTEXT

See the [lab](labs/demo.md) and the [glossary](glossary.md).

## Check your understanding

<!-- quiz: charts -->

<!-- question: charts-one -->
Which option is right in this small quiz?

- [ ] The wrong one here.
  > Not quite — WRONGFEEDBACK explains why.
- [x] The right one here.
  > Correct — RIGHTFEEDBACK explains why.

<!-- /quiz -->
"""

# The chart and the wide table as the course's templates render them. Lessons may not contain raw
# HTML, so a small hook of the tiny course puts this in place of the FIXTURE-HTML paragraph.
FIXTURE_HTML = """\
<div class="fd-chart" id="chart-demo">
<figure class="fd-chart__figure">
<div class="fd-chart__frame">
<img class="fd-chart__img fd-chart__img--light" src="../assets/charts/demo.svg" alt="A bar chart.">
<img class="fd-chart__img fd-chart__img--dark" src="../assets/charts/demo.dark.svg" alt="A bar chart.">
</div>
<figcaption><strong>Parameters of one model.</strong> Sources: <a href="../sources/#src-brown2020">Brown 2020</a></figcaption>
</figure>
<details class="abstract fd-chart__data"><summary>The data in this chart</summary><table><tr><td>DATAROW</td></tr></table></details>
</div>

<div class="fd-table-wrap"><table>
<caption>A wide comparison</caption>
<thead><tr>{heads}</tr></thead>
<tbody><tr>{cells}</tr></tbody>
</table></div>
<p class="fd-table-note">Each figure says how sure it is.<span class="fd-screen-only"> SORTHINT.</span></p>
"""

FIXTURE_HOOK = """\
from pathlib import Path

def on_page_content(html, **kwargs):
    fixture = (Path(__file__).parent / "fixture.html").read_text()
    return html.replace("<p>FIXTURE-HTML</p>", fixture)
"""

LAB = '''\
# %% [markdown]
# # Lab: counting tokens
#
# LABINTRO: in this lab you count the tokens in a sentence.

# %%
print(len("hello world".split()))

# %% [markdown]
# ## Next step
# LABLATER is not in the summary.
'''

CONFIG = """\
site_name: Tiny course
site_url: https://course.example.org/
site_description: A tiny course.
copyright: Text CC BY 4.0
exclude_docs: |
  facts.yml
  glossary.yml
theme:
  name: material
  custom_dir: {root}/overrides
  font: false
extra:
  pdf: !ENV [TEXTBOOK_PDF, ""]
hooks:
  - {root}/hooks/current_page.py
  - {root}/hooks/book_nav.py
  - fixture_hook.py
plugins:
  - search
markdown_extensions: [abbr, admonition, attr_list, md_in_html, pymdownx.details, pymdownx.superfences,
                      {{pymdownx.tabbed: {{alternate_style: true}}}}, textbook.extension]
nav:
  - Home: index.md
  - Lessons:
      - charts.md
  - Labs:
      - labs/demo.md
  - Reference:
      - glossary.md
      - sources.md
"""


def tiny_course(project: Project, lesson: str = LESSON) -> Project:
    project.write("mkdocs.yml", CONFIG.format(root=ROOT))
    project.write("docs/index.md", "# Tiny course\n\nStart with [the lesson](charts.md).\n")
    heads = "".join(f"<th>Column heading {n}</th>" for n in range(10))
    cells = "".join(f"<td>A long cell value number {n} that must wrap</td>" for n in range(10))
    (project.docs / "charts.md").write_text(lesson)
    (project.path / "fixture.html").write_text(FIXTURE_HTML.replace("{heads}", heads).replace("{cells}", cells))
    (project.path / "fixture_hook.py").write_text(FIXTURE_HOOK)
    project.write("docs/labs/demo.py", LAB)
    project.write("docs/labs/demo.md", "```lab demo\n# The demo lab (docs/labs/demo.py)\n```\n")
    project.write("docs/assets/charts/demo.svg", SVG.format(color="#3949ab", word="LIGHTCHART"))
    project.write("docs/assets/charts/demo.dark.svg", SVG.format(color="#9fa8da", word="DARKCHART"))
    return project


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory) -> Book:
    project = tiny_course(Project(tmp_path_factory.mktemp("tiny") / "course"))
    result = export(project.path / "mkdocs.yml", project.path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return read_book(project.path / "site")


def test_tiny_course_chart_is_the_light_vector_image_numbered(tiny_book):
    page = tiny_book.dest("chart-demo")
    assert page is not None
    assert len(tiny_book.reader.pages[page].images) == 0          # vector, not raster
    assert "lightchart" in tiny_book.texts[page]
    assert "darkchart" not in "".join(tiny_book.texts)
    assert "Figure 1.1 Parameters of one model" in tiny_book.raw[page]
    assert "thedatainthischart" in tiny_book.text(range(page, page + 2))   # the data behind it, printed open
    assert "datarow" in tiny_book.text(range(page, page + 2))


def test_tiny_course_wide_table_gets_a_landscape_page(tiny_book):
    page = next(index for index, text in enumerate(tiny_book.raw) if "Table 1.1 A wide comparison" in text)
    text = tiny_book.texts[page]
    for n in range(10):
        assert squash(f"Column heading {n}") in text
        assert squash(f"A long cell value number {n}") in text
    assert "sorthint" not in text
    box = tiny_book.reader.pages[page].mediabox
    assert box.width > box.height          # ten columns: a landscape page of its own
    before = tiny_book.reader.pages[tiny_book.dest("chart-demo")].mediabox
    assert before.width < before.height    # the pages around it stay upright


def test_tiny_course_tabs_and_folds_print_open_quiz_answers_do_not(tiny_book):
    lesson = tiny_book.text(tiny_book.pages("1. Charts and tables"))
    for word in ("firsttab", "firsttabtext", "secondtab", "secondtabtext", "afold", "foldedtext"):
        assert word in lesson, word
    assert "wrongfeedback" not in lesson and "rightfeedback" not in lesson
    key = tiny_book.text(tiny_book.pages("Answer key"))
    assert "rightfeedback" in key and "therightonehere" in key


def test_tiny_course_lab_is_summarised_with_its_links(tiny_book):
    lab = "\n".join(tiny_book.raw[page] for page in tiny_book.pages("Lab: counting tokens"))
    assert "LABINTRO" in lab
    assert "LABLATER" not in lab
    assert "https://course.example.org/labs/demo/" in lab
    assert "demo.py" in lab
    assert [title for title, _ in tiny_book.outline] == ["Contents", "Introduction", "1. Charts and tables",
                                                          "Lab: counting tokens", "Answer key", "Glossary", "Sources"]


@pytest.mark.parametrize("break_it, where, named", [
    (lambda p: (p.docs / "assets/charts/demo.svg").unlink(), "docs/charts.md", "assets/charts/demo.svg"),
    # The build refuses a broken SVG picture in docs/ before the book is laid out.
    (lambda p: (p.docs / "assets/charts/demo.svg").write_text("<svg><rect></svg"), "docs/assets/charts/demo.svg",
     "not a well-formed SVG picture"),
    (lambda p: (p.path / "fixture.html").write_text((p.path / "fixture.html").read_text().replace(
        "../assets/charts/demo.svg", "https://example.org/chart.svg")), "docs/charts.md",
     "comes from another host"),
])
def test_a_broken_image_stops_the_export_naming_page_and_image(project, break_it, where, named):
    tiny_course(project)
    break_it(project)
    result = export(project.path / "mkdocs.yml", project.path / "site")
    assert result.returncode == 1, result.stdout + result.stderr
    assert where in result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.path / "site" / PDF_NAME).exists()


def test_browser_print_opens_folds_but_not_quiz_answers(browser, site_url):
    """The browser's own "Print this page" prints exercise answers open and hides quiz answers and buttons."""
    page = browser.new_page()
    try:
        page.goto(site_url + "pretraining/")
        visible = "selector => document.querySelector(selector).checkVisibility()"
        fold = "article details.success > :not(summary)"
        assert not page.evaluate(visible, fold)              # closed on screen
        page.emulate_media(media="print")
        assert page.evaluate(visible, fold)                  # open on paper
        assert not page.evaluate(visible, "article details.fd-q__answer")
        assert not page.evaluate(visible, "article .md-content__button")
    finally:
        page.close()


def test_without_the_build_s_records_the_book_says_to_build(tmp_path):
    """The book follows what the build recorded; a site built some other way gets a clear message."""
    from textbook.errors import ContentError
    from textbook.pdf import read_nav

    with pytest.raises(ContentError) as caught:
        read_nav(tmp_path / "site", tmp_path)
    assert str(caught.value).startswith(".cache/book/nav.json: the build recorded no navigation")
    assert "hooks/book_nav.py" in str(caught.value)


def test_a_preview_book_prints_no_loopback_address_and_a_deployed_one_refuses_it(book):
    """Built with the default site URL (this machine's own), the book prints no address readers cannot open;
    a book made for deployment refuses that URL instead of printing it."""
    assert "127.0.0.1" not in "".join(book.raw) and "localhost" not in "".join(book.raw)
    result = subprocess.run([sys.executable, "-m", "textbook.pdf", "-f", str(ROOT / "mkdocs.yml"), "-d", str(book.site),
                             "--no-build", "--for-deployment", "-o", "refused.pdf"],
                            cwd=ROOT, capture_output=True, text=True, env=ENV)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "mkdocs.yml: the site URL is 'http://127.0.0.1:8000/', which readers of the book cannot open" in result.stderr
    assert "SITE_URL=" in result.stderr and "Traceback" not in result.stderr
    assert not (book.site / "refused.pdf").exists()


@pytest.mark.parametrize("url, ok", [("https://example.org/course/", True), ("http://127.0.0.1:8000/", False),
                                     ("http://localhost:8000/", False), ("http://[::1]/", False), ("", False),
                                     ("http://127.1.2.3/", False)])
def test_reachable_addresses(url, ok):
    from textbook.pdf import reachable

    assert reachable(url) is ok
