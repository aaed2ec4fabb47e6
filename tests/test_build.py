"""Build the real course and small broken courses, and check what readers and contributors get."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from textbook.lessonshape import MIN_QUESTIONS, MIN_WORDS, SECTIONS as LESSON_SECTIONS, lessons_in_nav

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build          # every test here builds a site


# The lessons, in nav order, as the fast check finds them (textbook.lessonshape checks their Markdown;
# the test below is the second guard, on the built pages).
CHAPTERS = [Path(entry.src).with_suffix("").as_posix() for entry in lessons_in_nav(ROOT / "mkdocs.yml")]
assert CHAPTERS, "mkdocs.yml: the nav has no 'Lessons' section"
SECTIONS = [section.anchor for section in LESSON_SECTIONS if not section.prefix]    # "Try it: …" is checked below


class _Text(HTMLParser):
    """Collects the words of a piece of HTML, leaving out code blocks."""

    SKIP = {"pre", "script", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in self.SKIP

    def handle_endtag(self, tag):
        self.skip -= tag in self.SKIP and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.words.extend(data.split())


def article(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_has_the_parts_of_a_lesson(built_site, chapter):
    html = (built_site / chapter / "index.html").read_text()
    body = article(html)
    for section in SECTIONS:
        assert f'id="{section}"' in body, f"{chapter}: no '{section}' section"
    assert re.search(r'<h2 id="try-it[^"]*"', body), f"{chapter}: no 'Try it' section"
    assert 'class="admonition example"' in body, f"{chapter}: the exercise box is missing"
    assert 'class="admonition fd-key-terms"' in body, f"{chapter}: the key-terms box is missing"
    assert body.count('class="fd-q"') >= MIN_QUESTIONS, f"{chapter}: fewer than {MIN_QUESTIONS} quiz questions"
    teaching = body.split('id="check-your-understanding"')[0]
    teaching = re.sub(r'<div class="admonition fd-key-terms">.*?</div>', "", teaching, flags=re.S)
    parser = _Text()
    parser.feed(teaching)
    assert len(parser.words) >= MIN_WORDS, f"{chapter}: {len(parser.words)} words of teaching, fewer than {MIN_WORDS:,}"
    assert ":fact[" not in body and "fd-slot" not in body, f"{chapter}: a raw marker was left in the page"


def test_pretraining_has_stat_cards(built_site):
    html = (built_site / "pretraining" / "index.html").read_text()
    for value in ("175B", "300B", "3.14 × 10²³"):
        assert value in html


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


def timeline_rows(html: str, names: list[str]) -> list[tuple[int, int, str]]:
    """(year, month or 0, row text) for each row of the first table that mentions every one of `names`."""
    tables = [table for table in re.findall(r"<table.*?</table>", html, flags=re.S)
              if all(name in table for name in names)]
    assert tables, f"no table mentions all of {names}"
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", tables[0], flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if not cells:
            continue                                   # the header row
        when = re.sub(r"<[^>]+>", "", cells[0]).lower()
        year = re.search(r"\b(19|20)\d\d\b", when)
        assert year, f"timeline row without a year: {when!r}"
        month = next((MONTHS.index(word) + 1 for word in re.findall(r"[a-z]+", when) if word in MONTHS), 0)
        rows.append((int(year[0]), month, re.sub(r"<[^>]+>", "", row)))
    return rows


def timeline_problems(html: str, names: list[str]) -> list[str]:
    """What is out of order in the timeline table: its dates, or the milestones named in `names`."""
    rows = timeline_rows(html, names)
    problems = []
    for (year, month, _), (next_year, next_month, text) in zip(rows, rows[1:]):
        if next_year < year or next_year == year and month and next_month and next_month < month:
            problems.append(f"{next_year}-{next_month or '?'} comes after {year}-{month or '?'}: {text.strip()[:60]!r}")
    first_row = {name: next((i for i, (_, _, text) in enumerate(rows) if name in text), -1) for name in names}
    problems += [f"{name} is not in the timeline" for name, row in first_row.items() if row < 0]
    found = [name for name in names if first_row[name] >= 0]
    if [first_row[name] for name in found] != sorted(first_row[name] for name in found):
        problems.append(f"milestones out of order: {first_row}")
    return problems


RLHF_MILESTONES = ["Christiano", "Ziegler", "Stiennon", "InstructGPT", "Constitutional AI"]


def test_timeline_check_catches_rows_out_of_order():
    row = "<tr><td>{}</td><td>{}</td></tr>"
    table = "<table><tr><th>When</th><th>Work</th></tr>{}</table>"
    in_order = table.format(row.format("2017", "Christiano") + row.format("2022 (March)", "InstructGPT")
                            + row.format("2022 (December)", "Constitutional AI"))
    assert timeline_problems(in_order, ["Christiano", "InstructGPT", "Constitutional AI"]) == []
    months_swapped = table.format(row.format("2017", "Christiano") + row.format("2022 (December)", "Constitutional AI")
                                  + row.format("2022 (March)", "InstructGPT"))
    assert timeline_problems(months_swapped, ["Christiano", "InstructGPT", "Constitutional AI"])
    years_swapped = table.format(row.format("2019", "Ziegler") + row.format("2017", "Christiano"))
    assert timeline_problems(years_swapped, ["Christiano", "Ziegler"])


def test_rlhf_timeline_is_in_order(built_site):
    body = article((built_site / "rlhf" / "index.html").read_text())
    problems = timeline_problems(body, RLHF_MILESTONES)
    assert not problems, "docs/rlhf.md timeline: " + "; ".join(problems)


def test_glossary_and_sources_pages(built_site):
    glossary = (built_site / "glossary" / "index.html").read_text()
    assert glossary.count('<dt id="term-') >= 40
    sources = (built_site / "sources" / "index.html").read_text()
    assert sources.count('class="fd-source"') >= 30
    assert "Training data" in sources or "training-data" in sources


EXTERNAL = re.compile(r'(?:src|srcset|data)="(?:https?:)?//[^"]*"|url\((?:https?:)?//[^)]*\)')
LINK = re.compile(r"<link\b[^>]*>")
# <link> tags that make the browser fetch something; rel=canonical and the like are only metadata.
FETCHING_RELS = {"stylesheet", "preconnect", "preload", "prefetch", "modulepreload", "dns-prefetch", "icon", "manifest"}


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        html = page.read_text(errors="replace")
        for match in EXTERNAL.finditer(html):
            offenders.append(f"{page.relative_to(built_site)}: {match.group(0)[:120]}")
        for tag in LINK.findall(html):
            rels = set((re.search(r'rel="([^"]*)"', tag) or [None, ""])[1].split())
            if rels & FETCHING_RELS and re.search(r'href="(?:https?:)?//', tag):
                offenders.append(f"{page.relative_to(built_site)}: {tag[:120]}")
    for sheet in built_site.rglob("*.css"):
        for match in re.finditer(r"url\((?:https?:)?//[^)]*\)", sheet.read_text(errors="replace")):
            offenders.append(f"{sheet.relative_to(built_site)}: {match.group(0)[:120]}")
    assert not offenders, "\n".join(offenders)


def test_glossary_terms_are_marked_once_a_section_and_never_in_headings(built_site):
    from bs4 import BeautifulSoup

    article = BeautifulSoup((built_site / "pretraining" / "index.html").read_text(), "html.parser").article
    marks = article.select("a.fd-term")
    assert marks and all(mark["href"].startswith("../glossary/#term-") and mark.get("title") for mark in marks)
    glossary = BeautifulSoup((built_site / "glossary" / "index.html").read_text(), "html.parser")
    assert all(glossary.find(id=mark["href"].split("#")[1]) for mark in marks), "a mark links to no entry"
    assert not article.select("h1 a.fd-term, h2 a.fd-term, h3 a.fd-term, h4 a.fd-term, a a.fd-term, code a.fd-term")
    section: list[str] = []
    for element in article.find_all(["h2", "a"]):
        if element.name == "h2":
            section = []
        elif "fd-term" in element.get("class", []):
            term = element["href"].split("#term-")[1]
            assert term not in section, f"'{term}' marked twice in one section"
            section.append(term)
    # Each definition is one Tab stop: at the term's first mark on the page, not at its later ones.
    first: set[str] = set()
    for mark in marks:
        term = mark["href"].split("#term-")[1]
        assert (mark.get("tabindex") == "-1") == (term in first), f"'{term}': wrong Tab stop"
        first.add(term)


def test_edit_links_and_dates(built_site):
    html = (built_site / "pretraining" / "index.html").read_text()
    assert 'class="md-content__button md-icon"' in html and "/edit/" in html
    assert "git-revision-date-localized-plugin-date" in html, "no last-updated date"


# --- Broken contributions stop the build with file:line and no traceback ----------------------

def assert_clean_failure(result, expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert expected in output, output
    assert "Traceback" not in output, output


def test_unknown_fact_id_stops_the_build(project):
    project.write("docs/index.md", """\
        ---
        title: Home
        ---

        # Home

        GPT-3 has :fact[gpt3.paramz].
        """)
    assert_clean_failure(project.build(),
                         "docs/index.md:7: unknown fact 'gpt3.paramz'. Did you mean 'gpt3.params'?")


def test_malformed_facts_file_stops_the_build(project):
    project.write("docs/index.md", "# Home\n")
    facts = project.docs / "facts.yml"
    facts.write_text(facts.read_text().replace("    unit: parameters\n", "    unit: [parameters\n", 1))
    result = project.build()
    assert_clean_failure(result, "docs/facts.yml:")
    assert "couldn't parse the YAML" in result.stderr


def test_fact_without_source_stops_the_build(project):
    project.write("docs/index.md", "# Home\n")
    facts = project.docs / "facts.yml"
    text = facts.read_text()
    text = text.replace("    source: radford2019\n", "", 2)
    facts.write_text(text.replace("  radford2019:", "  unused-radford2019:"))
    assert_clean_failure(project.build(), "fact 'gpt2.params' has no source")


def test_bad_quiz_stops_the_build(project):
    project.write("docs/index.md", """\
        # Home

        <!-- quiz: home -->
        <!-- question: home-one -->
        Pick one?

        - [ ] A.
          > Not quite — no.
        - [ ] B.
          > Not quite — no.
        <!-- /quiz -->
        """)
    assert_clean_failure(project.build(), "docs/index.md:4: question 'home-one' has no correct option")


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path):
    import filecmp
    import subprocess

    from conftest import ROOT, run_mkdocs

    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    env = {"SOURCE_DATE_EPOCH": epoch or "1700000000"}
    first, second = tmp_path / "first", tmp_path / "second"
    for site in (first, second):
        result = run_mkdocs(ROOT / "mkdocs.yml", site, env=env)
        assert result.returncode == 0, result.stderr

    def differences(left: Path, right: Path) -> list[str]:
        compare = filecmp.dircmp(left, right)
        found = [*compare.left_only, *compare.right_only]
        found += [name for name in compare.common_files if not filecmp.cmp(left / name, right / name, shallow=False)]
        for name in compare.common_dirs:
            found += [f"{name}/{item}" for item in differences(left / name, right / name)]
        return found

    assert not differences(first, second)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_checks_heading_anchors_are_the_built_pages_ids(built_site, chapter):
    """A link the check accepts (page.md#anchor) must land on an id the built page has."""
    from textbook.links import anchors

    ids = set(re.findall(r'\bid="([^"]+)"', (built_site / chapter / "index.html").read_text()))
    missing = anchors((ROOT / "docs" / f"{chapter}.md").read_text()) - ids
    assert not missing, f"{chapter}: the check accepts anchors the built page lacks: {sorted(missing)}"
