"""Comparison tables and charts: what readers see matches the facts file, and the chart cache works."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ENV, MKDOCS, ROOT
from textbook.facts import format_fact, load_facts

FACTS = load_facts(ROOT / "docs" / "facts.yml")
SVG = "{http://www.w3.org/2000/svg}"


def chart_svg(src: str) -> bytes:
    """The SVG a chart's <img> carries in its data: URL (pages embed their charts)."""
    assert src.startswith("data:image/svg+xml;base64,"), src[:60]
    return base64.b64decode(src.split(",", 1)[1].split("#", 1)[0])


def pages(site: Path):
    for path in sorted(site.rglob("index.html")):
        yield path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_table_on_the_site_shows_the_facts_file(built_site):
    shown = set()
    for path, soup in pages(built_site):
        ids = [tag["id"] for tag in soup.select("[id]")]
        assert len(ids) == len(set(ids)), f"{path}: an id is used twice"
        for wrap in soup.select("div.fd-table-wrap[data-fd-table]"):
            table = FACTS.tables[wrap["data-fd-table"]]
            shown.add(table.id)
            assert wrap.caption.get_text(strip=True) == table.caption
            keys = [th["data-column"] for th in wrap.select("thead th")]
            for tr in wrap.select("tbody tr"):
                row = table.rows[tr["data-row"]]
                for key, td in zip(keys, tr.find_all(["th", "td"], recursive=False)):
                    cell = row.get(key)
                    text = td.get_text(" ", strip=True)
                    where = f"{path.relative_to(built_site)} {table.id}/{tr['data-row']}/{key}"
                    if cell is None or cell.kind == "missing":
                        assert text == table.columns[key].missing, where
                    elif cell.kind == "facts":
                        spans = td.select("span.fd-fact")
                        assert [span["data-fact"] for span in spans] == cell.facts, where
                        for span, fact_id in zip(spans, cell.facts):
                            fact = FACTS.facts[fact_id]
                            assert format_fact(fact, "short") in span.get_text(), where
                            mark = span.select_one("sup.fd-fact__q a")
                            assert mark.get_text() == fact.qualifier, where
                            sources = FACTS.sources_of(fact)
                            anchor = f"#src-{sources[0].id}" if sources else "#illustrative"
                            assert mark["href"].endswith("sources/" + anchor), where
                    elif cell.kind == "date":
                        assert text.startswith(cell.date_text), where
                        assert td.select_one("sup a")["href"].endswith(f"sources/#src-{cell.source}"), where
    assert shown == set(FACTS.tables), "every table in the facts file appears on some page"


def test_derived_cells_are_computed_and_marked(built_site):
    soup = BeautifulSoup((built_site / "pretraining" / "index.html").read_text(), "html.parser")
    row = soup.select("[data-fd-table=models] tr[data-row=olmo2]")[-1]
    cell = row.select_one("[data-fact='olmo2.tokens_per_param']")
    olmo = FACTS.facts
    assert cell.get_text(" ", strip=True).startswith(f"{olmo['olmo2.tokens'].value / olmo['olmo2.params'].value:.0f}")
    assert cell.select_one("sup a").get_text() == "derived"


def test_tables_sort_in_the_browser(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "pretraining/")
    table = page.locator("[data-fd-table=models]").last
    header = table.locator("th[data-column=params]")
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    first = table.locator("tbody tr").first.get_attribute("data-row")
    assert first == "gpt2"                          # 1.5B, the smallest
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    rows = table.locator("tbody tr")
    assert rows.first.get_attribute("data-row") == "gpt4"   # the leaked 1.8T
    undisclosed = [key for key, row in FACTS.tables["models"].rows.items()
                   if row.get("params") is None or row["params"].kind == "missing"]
    assert undisclosed, "some model's size is not disclosed"
    order = [rows.nth(i).get_attribute("data-row") for i in range(rows.count())]
    assert sorted(order[-len(undisclosed):]) == sorted(undisclosed)   # not disclosed: always last
    page.close()


def test_a_mixture_of_experts_is_charted_by_its_active_parameters(built_site):
    soup = BeautifulSoup((built_site / "pretraining" / "index.html").read_text(), "html.parser")
    rows = {tr.find(["th", "td"]).get_text(strip=True): tr
            for tr in soup.select("#chart-params-vs-tokens details table tbody tr")}
    table = FACTS.tables["models"]
    moe = [key for key, row in table.rows.items() if "active" in getattr(row.get("params"), "labels", [])]
    assert "gpt4" in moe and "deepseek_v3" in moe
    charted = 0
    for key in moe:
        label = table.rows[key]["model"].text + " (active)"
        if label not in rows:
            continue
        charted += 1
        active = FACTS.facts[table.rows[key]["params"].facts[table.rows[key]["params"].labels.index("active")]]
        assert format_fact(active, "short") in rows[label].get_text(), label
    assert charted >= 2
    gpt4 = rows["GPT-4 (active)"].get_text()
    assert "leaked" in gpt4 and format_fact(FACTS.facts["gpt4.params_leak"], "short") not in gpt4


def test_charts_are_vector_svg_with_text_alt_caption_sources_and_data(built_site):
    charts = sorted((ROOT / "charts").glob("*.py"))
    assert len(charts) >= 4
    found = 0
    for path, soup in pages(built_site):
        for figure in soup.select("div.fd-chart"):
            found += 1
            name = figure["data-fd-chart"]
            images = figure.select("img.fd-chart__img")
            # one drawing per theme, told apart by class (a data: address may not carry a #fragment), wide and
            # then narrow (for phones), each pair in its frame
            assert [img["class"][-1] for img in images] == ["fd-chart__img--light", "fd-chart__img--dark"] * 2
            frames = figure.select(".fd-chart__frame")
            assert [frame.get("class") for frame in frames] == [["fd-chart__frame"], ["fd-chart__frame", "fd-chart__frame--narrow"]]
            narrow = ET.fromstring(chart_svg(frames[1].img["src"]))
            wide = ET.fromstring(chart_svg(frames[0].img["src"]))
            assert float(narrow.get("width").rstrip("pt")) < float(narrow.get("height").rstrip("pt")), f"{name}: a phone's drawing stands upright"
            assert float(wide.get("width").rstrip("pt")) > float(wide.get("height").rstrip("pt"))
            assert figure.select_one("figure.fd-chart__figure > figcaption:last-child") is not None
            for img in images:
                assert len(img["alt"]) > 80, "alt text describes the chart"
                root = ET.fromstring(chart_svg(img["src"]))
                assert root.tag == f"{SVG}svg"
                texts = [t for t in root.iter(f"{SVG}text")]
                assert len(texts) >= 5, f"{name}: the chart's words are text, not paths"
                assert not list(root.iter(f"{SVG}image")), f"{name} embeds a raster image"
            caption = figure.figcaption
            links = [a["href"] for a in caption.select("a") if "#src-" in a["href"]]
            assert links, f"{name}: the caption lists its sources"
            sources = BeautifulSoup((built_site / "sources" / "index.html").read_text(), "html.parser")
            for href in links:
                assert sources.select_one(href[href.index("#"):]), href
            data = figure.select_one("details.fd-chart__data table")
            assert len(data.select("tbody tr")) >= 3
    assert found >= len(charts)


def test_illustrative_figures_are_labelled_and_explained(built_site):
    soup = BeautifulSoup((built_site / "fine-tuning" / "index.html").read_text(), "html.parser")
    figure = soup.select_one("#chart-training-pipeline")
    assert "illustrative" in figure.figcaption.get_text()
    assert "(illustrative)" in figure.select_one("details table").get_text()
    sources = BeautifulSoup((built_site / "sources" / "index.html").read_text(), "html.parser")
    section = sources.select_one("#illustrative")
    assert "pipeline.demonstration_cost" in str(section) and "Chosen for the picture" in section.get_text()


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory) -> Path:
    """The whole course copied to a temporary folder (in its own git repository), cold cache."""
    root = tmp_path_factory.mktemp("course")
    for name in ("docs", "charts", "overrides", "hooks"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    return root


def build(root: Path, site: str) -> str:
    """Build with the info log, which says how many charts were drawn and how many came from the cache."""
    result = subprocess.run([*MKDOCS, "build", "--strict", "-d", site], cwd=root, capture_output=True, text=True,
                            env=ENV)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_warm_rebuild_draws_no_chart_and_never_imports_matplotlib(course_copy):
    assert "Charts: 4 drawn, 0 from the cache" in build(course_copy, "cold")
    script = ("import logging, sys\nfrom mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
              "logging.basicConfig(level=logging.INFO)\n"
              "build(load_config('mkdocs.yml', site_dir='warm', strict=True))\n"
              "print('matplotlib imported:', 'matplotlib' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=course_copy, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "Charts: 0 drawn, 4 from the cache" in result.stderr
    assert "matplotlib imported: False" in result.stdout


def test_changing_one_fact_changes_the_prose_the_table_and_the_chart(course_copy):
    before = course_copy / "cold"
    if not before.exists():
        build(course_copy, "cold")
    facts = course_copy / "docs" / "facts.yml"
    facts.write_text(facts.read_text().replace("  gpt3.params:\n    value: 175e9", "  gpt3.params:\n    value: 176e9"))
    log = build(course_copy, "changed")
    assert "Charts: 1 drawn, 3 from the cache" in log          # only the chart that plots GPT-3's size
    after = course_copy / "changed"

    def soup(site, page):
        return BeautifulSoup((site / page / "index.html").read_text(), "html.parser")

    old, new = soup(before, "pretraining"), soup(after, "pretraining")
    assert "176 billion" in new.select_one("article").get_text() and "176 billion" not in old.select_one("article").get_text()
    cell = lambda s: s.select("[data-fd-table=models] tr[data-row=gpt3] [data-fact='gpt3.params']")[-1].get_text()
    assert cell(old).startswith("175B") and cell(new).startswith("176B")
    def picture(site, chart):
        for page in ("pretraining", "training-data", "fine-tuning"):
            image = soup(site, page).select_one(f"[data-fd-chart={chart}] img.fd-chart__img")
            if image:
                return chart_svg(image["src"])
        raise AssertionError(f"no page shows the chart {chart}")

    for chart, changed in (("params-vs-tokens", True), ("compute-over-time", False), ("cost-over-time", False)):
        same = picture(before, chart) == picture(after, chart)
        assert same is not changed, chart


def test_the_legend_draws_each_marker_in_its_points_colour_or_grey_when_colour_means_a_series():
    from matplotlib.colors import to_hex

    from textbook.chartstyle import STYLES

    style = STYLES["light"]
    axes = style.axes(style.figure())
    style.point(axes, 1, 1, "reported", style.palette[0])
    style.point(axes, 2, 2, "leaked", style.palette[1])
    style.point(axes, 3, 3, "estimated", style.palette[0])
    style.point(axes, 4, 4, "estimated", style.palette[2])         # two series: colour is not how sure
    legend = style.qualifier_legend(axes, {"reported", "leaked", "estimated"})
    colours = {handle.get_label(): to_hex(handle.get_markeredgecolor()) for handle in legend.legend_handles}
    assert colours == {"reported": style.palette[0].lower(), "leaked": style.palette[1].lower(),
                       "estimated": style.muted.lower()}


def test_the_site_search_reads_table_cells_as_separate_words(built_site):
    """Material's search joins a table's text; without whitespace between cells "reported" and the date ran
    together ("reported2020-05-28") on the Sources page."""
    import json

    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    sources = next(doc["text"] for doc in docs if doc["location"] == "sources/")
    assert re.search(r"\breported \d{4}-\d{2}-\d{2}\b", sources)
    assert not re.search(r"(reported|estimated|leaked|derived)\d{4}-", sources)
    assert "Figure What it measures How sure" in sources
