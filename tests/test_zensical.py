"""The course built by Zensical, the successor of Material for MkDocs, against the MkDocs build.

Zensical reads mkdocs.yml but runs no hooks and no MkDocs plugins: everything a reader sees comes
from the Markdown extension ``textbook.extension``. These builds are the slow tier: one real
Zensical build of the course, shared by the tests here, and two of a one-page course.
"""
from __future__ import annotations

import importlib.util
import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ENV, ROOT, _free_port, serve
from test_bad_inputs import PAGE
from test_browser import test_quiz_gives_feedback_and_keeps_the_answer_after_reload as quiz_gives_feedback
from textbook.extension import leftover_syntax

ZENSICAL = [sys.executable, "-m", "zensical", "build"]
ZENSICAL_PORT = _free_port()


def run_zensical(project: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    if importlib.util.find_spec("zensical") is None:
        pytest.fail("Zensical is not installed: .venv/bin/pip install -e '.[test]' (.ci/run does).")
    # The course's package comes from hooks/ (or an install of it), as for MkDocs.
    path = os.pathsep.join(filter(None, [str(ROOT / "hooks"), ENV.get("PYTHONPATH")]))
    return subprocess.run(ZENSICAL, cwd=project, capture_output=True, text=True,
                          env={**ENV, "PYTHONPATH": path, **(env or {})})


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The real course built by Zensical in a copy (Zensical's --clean would empty the course's .cache)."""
    root = tmp_path_factory.mktemp("zensical")
    for name in ("docs", "charts", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for cache in ("charts", "labs"):              # drawn charts, executed labs: no need to run them again
        if (ROOT / ".cache" / cache).is_dir():
            shutil.copytree(ROOT / ".cache" / cache, root / ".cache" / cache)
    result = run_zensical(root, {"SITE_URL": f"http://127.0.0.1:{ZENSICAL_PORT}/"})
    assert result.returncode == 0, result.stdout + result.stderr
    # Zensical runs no hooks: the policies get their inline-script hashes from the documented command.
    policies = subprocess.run([sys.executable, "-m", "textbook.csp", "site"], cwd=root, capture_output=True,
                              text=True, env={**ENV, "PYTHONPATH": str(ROOT / "hooks")})
    assert policies.returncode == 0, policies.stderr
    # …and the Ask index, each lesson's Markdown and llms.txt from the other documented command.
    published = subprocess.run([sys.executable, "-m", "textbook.publish", "site"], cwd=root, capture_output=True,
                               text=True, env={**ENV, "PYTHONPATH": str(ROOT / "hooks")})
    assert published.returncode == 0, published.stderr
    return root / "site"


def article(path: Path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")


def test_zensical_pages_show_the_same_facts_tables_charts_and_quizzes_as_mkdocs(built_site, zensical_site):
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) == len(list((ROOT / "docs").rglob("*.md")))      # every page, labs included, none skipped
    for page in pages:
        name = page.relative_to(built_site).as_posix()
        twin = zensical_site / name
        assert twin.is_file(), f"{name}: Zensical built no such page"
        ours, theirs = article(page), article(twin)
        for selector, attribute in (("[data-fact]", "data-fact"), ("[data-fd-table]", "data-fd-table"),
                                    ("[data-row]", "data-row"), ("[data-fd-chart]", "data-fd-chart"),
                                    ("img.fd-chart__img", "src"), ("[data-quiz]", "data-quiz"),
                                    ("[data-question]", "data-question"), ("a.fd-term", "href"),
                                    ("p.fd-lab-download a", "href"), ("figure.fd-lab-figure img", "src"),
                                    (".fd-ask__body", "data-index"), (".fd-ask__body", "data-markdown")):
            expected = [tag[attribute] for tag in ours.select(selector)]
            assert [tag[attribute] for tag in theirs.select(selector)] == expected, f"{name}: {selector} differ"
        ids = lambda soup: [tag["id"] for tag in soup.select("[id]") if tag["id"] != "__skip"]   # noqa: E731
        assert ids(theirs) == ids(ours), f"{name}: headings or anchors differ"
        text = lambda soup, selector: [tag.get_text() for tag in soup.select(selector)]   # noqa: E731
        for selector in ("div.language-python pre", "pre.fd-lab-output", ".fd-ask"):
            assert text(theirs, selector) == text(ours, selector), f"{name}: {selector} differ"
    counts = {selector: sum(len(article(page).select(selector)) for page in pages)
              for selector in ("[data-fact]", "[data-quiz]", "div.fd-chart", "[data-fd-table]",
                               "pre.fd-lab-output", "figure.fd-lab-figure img")}
    assert all(counts.values()), counts                         # the comparison compared something


def test_no_zensical_page_shows_course_syntax_raw(zensical_site):
    pages = sorted(zensical_site.rglob("*.html"))
    assert pages
    raw = {page.relative_to(zensical_site).as_posix(): leftover_syntax(page.read_text(encoding="utf-8"))
           for page in pages}
    assert not {page: left for page, left in raw.items() if left}


def test_every_zensical_page_has_a_filled_content_security_policy(zensical_site):
    from textbook.csp import MARKER, inline_script_hashes

    pages = sorted(zensical_site.rglob("index.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
        assert policy and MARKER not in policy[1], page
        assert all(digest in policy[1] for digest in inline_script_hashes(text)), page


def test_labs_render_on_zensical_with_their_outputs_and_download(zensical_site):
    labs = sorted((ROOT / "docs" / "labs").glob("*.py"))
    assert labs
    for lab in labs:
        page = article(zensical_site / "labs" / lab.stem / "index.html")
        assert page.h1 and page.h1.get_text().startswith("Lab "), lab.name
        assert page.select("div.language-python") and page.select("pre.fd-lab-output"), lab.name
        assert (zensical_site / "labs" / lab.name).read_bytes() == lab.read_bytes(), "the download link is dead"


@pytest.mark.browser
@pytest.mark.build
def test_a_quiz_works_on_the_zensical_site(browser, zensical_site):
    for url in serve(zensical_site, ZENSICAL_PORT):
        quiz_gives_feedback(browser, url)


def test_the_zensical_site_can_be_asked_as_the_mkdocs_site(built_site, zensical_site):
    """The same passages from both builders' pages, and each lesson's Markdown published beside it."""
    from textbook.ask import INDEX_PATH

    ours = json.loads((built_site / INDEX_PATH).read_text(encoding="utf-8"))
    theirs = json.loads((zensical_site / INDEX_PATH).read_text(encoding="utf-8"))
    assert theirs == ours
    assert (zensical_site / "llms.txt").is_file() and (zensical_site / "pretraining.md").is_file()


@pytest.mark.browser
@pytest.mark.build
def test_the_ask_box_works_on_the_zensical_site(browser, zensical_site):
    from test_ask import test_a_question_typed_into_the_box_brings_its_passage_first as asked

    for url in serve(zensical_site, ZENSICAL_PORT):
        asked(browser, url, "reasoning-models/", "what is GRPO?", "grpo-scoring-each-answer-against-its-group")


@pytest.mark.build
def test_a_broken_contribution_stops_the_zensical_build_with_file_and_line(project):
    project.write("docs/index.md", PAGE.replace(":fact[gpt3.params]", ":fact[gpt3.paramz]"))
    result = run_zensical(project.path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "docs/index.md:7: unknown fact 'gpt3.paramz'. Did you mean 'gpt3.params'?" in output, output
    assert "Traceback" not in output, output


@pytest.mark.build
@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_course_syntax_left_unrendered_stops_both_builds_naming_the_page(project, builder):
    """A snippet is included after the course syntax is rendered, so its marker would reach readers raw."""
    config = project.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("textbook.extension]", "textbook.extension, pymdownx.snippets]"))
    project.write("parts/snippet.txt", "GPT-3 has :fact[gpt3.params].\n")
    project.write("docs/index.md", '# Home\n\n--8<-- "parts/snippet.txt"\n')
    result = project.build() if builder == "mkdocs" else run_zensical(project.path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "docs/index.md: course syntax was left unrendered in the built page: ':fact[gpt3.params]'" in output, output
    assert "Traceback" not in output, output
