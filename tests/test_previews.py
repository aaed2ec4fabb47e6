"""Blocks read on GitHub: comment lines say what a block shows, and the site leaves them out."""
from __future__ import annotations

import pytest

from textbook.charts import compute
from textbook.errors import ContentError
from textbook.facts import load_facts
from textbook.glossary import load_glossary
from textbook.previews import check_previews
from textbook.render import PageRenderer, Site

from conftest import ROOT

pytestmark = pytest.mark.unit
HINT_END = " (lines starting with # are for readers of the Markdown; the site leaves them out)."


@pytest.fixture(scope="module")
def site():
    facts = load_facts(ROOT / "docs" / "facts.yml")
    site = Site(facts, load_glossary(ROOT / "docs" / "glossary.yml"))
    chart = ROOT / "charts" / "cost-over-time.py"
    site.charts["cost-over-time"] = compute(chart, "charts/cost-over-time.py", facts)
    return site


def page(site, markdown: str) -> str:
    renderer = PageRenderer(site, "docs/page.md", "../")
    return renderer.fill(renderer.render(markdown))


def messages(site, markdown: str) -> list[str]:
    return [str(problem) for problem in check_previews(markdown, "docs/page.md", site)]


@pytest.mark.parametrize("block, comment", [
    ("```key-terms\ntoken\n```", "# Read on GitHub: the key terms"),
    ("```stat-cards\ngpt3.params: GPT-3 parameters\n```", "# Read on GitHub: GPT-3 in numbers"),
    ("```fact-table models\nrows: gpt3, chinchilla\ncolumns: model, params\n```", "#Read on GitHub: models"),
    ("```fact-table models\n```", "# Read on GitHub: models"),
    ("```progress\n```", "   # Read on GitHub: your progress"),
])
def test_a_comment_line_leaves_the_page_unchanged(site, block, comment):
    opening, rest = block.split("\n", 1)
    with_comment = f"# Page\n\n{opening}\n{comment}\n{rest}\n"
    assert page(site, with_comment) == page(site, f"# Page\n\n{block}\n")
    assert "Read on GitHub" not in page(site, with_comment)


def test_lines_after_a_comment_keep_their_numbers(site):
    with pytest.raises(ContentError) as caught:
        page(site, "# Page\n\n```key-terms\n# Key terms\ntoken\ntokn\n```\n")
    assert str(caught.value).startswith("docs/page.md:6: unknown glossary term 'tokn'")


@pytest.mark.parametrize("block, expected", [
    ("```chart cost-over-time\n```", "the ```chart cost-over-time block shows as an empty box on GitHub\n  Under its "
     "opening fence, add the line `# Chart: Estimated training cost over time (charts/cost-over-time.py)`"),
    ("```fact-table models\n\n```", "the ```fact-table models block shows as an empty box on GitHub\n  Under its "
     "opening fence, add the line `# Table: Language models compared: size, training data, compute and cost "
     "('models' in docs/facts.yml)`"),
    ("```progress\n```", "the ```progress block shows as an empty box on GitHub\n  Under its opening fence, add the "
     "line `# Your progress: each lesson and its quiz, as recorded in your browser`"),
    ("```review\n```", "the ```review block shows as an empty box on GitHub\n  Under its opening fence, add the "
     "line `# Review: the quiz questions due again, one at a time`"),
    ("```sources\n```", "the ```sources block shows as an empty box on GitHub\n  Under its opening fence, add the "
     "line `# Sources: every source in docs/facts.yml, with the facts it supports`"),
])
def test_a_block_that_shows_nothing_on_github_gets_the_line_to_add(site, block, expected):
    assert messages(site, f"# Page\n\nText.\n\n{block}\n") == [f"docs/page.md:5: {expected}{HINT_END}"]


def test_a_comment_that_names_another_chart_is_caught_at_its_line(site):
    markdown = "# Page\n\n```chart cost-over-time\n# Chart: Training compute over time (charts/compute-over-time.py)\n```\n"
    assert messages(site, markdown) == [
        "docs/page.md:4: the comment '# Chart: Training compute over time (charts/compute-over-time.py)' does not "
        "name the chart 'cost-over-time' that the ```chart cost-over-time block shows\n  Describe this block, e.g. "
        "`# Chart: Estimated training cost over time (charts/cost-over-time.py)`."]


@pytest.mark.parametrize("markdown", [
    "```chart cost-over-time\n# Chart: Estimated training cost over time (charts/cost-over-time.py)\n```",
    "```fact-table models\nrows: gpt3\n```",                     # its rows say what it shows
    "```key-terms\ntoken\n```",
    "```stat-cards\ngpt3.params: GPT-3 parameters\n```",
    "```progress\n# What you have read and answered\n```",
    "````markdown\n```chart cost-over-time\n```\n````",             # the syntax shown as code
])
def test_blocks_that_say_what_they_show_pass(site, markdown):
    assert messages(site, f"# Page\n\n{markdown}\n") == []


def test_the_real_course_passes():
    docs = ROOT / "docs"
    facts = load_facts(docs / "facts.yml")
    site = Site(facts, load_glossary(docs / "glossary.yml"))
    site.charts.update({path.stem: compute(path, f"charts/{path.name}", facts)
                        for path in sorted((ROOT / "charts").glob("*.py"))})
    found = [str(problem) for path in sorted(docs.glob("*.md"))
             for problem in check_previews(path.read_text(), f"docs/{path.name}", site)]
    assert found == []
    assert "# Chart: Training compute over time" in (docs / "pretraining.md").read_text()
