"""Charts: one Python file per chart in ``charts/``, drawn from the facts to SVG, and cached.

A chart file defines ``TITLE``, ``CAPTION``, a ``data(inputs)`` function that reads facts and
tables (plain Python, no matplotlib) and a ``draw(plot, style)`` function that returns a
matplotlib figure. ``data`` decides everything a reader sees besides the picture: alt text, the
data table and, through the facts it reads, the sources in the caption. Its result also keys the
cache, so a chart is drawn again only when its file, its facts, the shared style or matplotlib
change. A build with nothing changed never imports matplotlib.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from .errors import ContentError
from .facts import Fact, Facts, format_fact
from .tables import Cell

CACHE_VERSION = "1"
THEMES = ("light", "dark")
STYLE_FILE = Path(__file__).with_name("chartstyle.py")


@dataclass
class Chart:
    name: str
    file: str                   # as shown in messages, e.g. "charts/compute-over-time.py"
    title: str
    caption: str
    alt: str
    columns: list[str]
    rows: list[list[str]]
    plot: dict
    facts: list[str]            # every fact the chart read, in first-use order
    sources: list[str]          # sources of those facts and of any dated cell it read
    key: str = ""
    draw: Callable | None = field(default=None, repr=False)   # the chart file's draw(plot, style)
    svg: dict[str, str] = field(default_factory=dict)   # theme -> SVG text


class Inputs:
    """What a chart's ``data()`` may read. Every fact and source it touches is remembered."""

    def __init__(self, facts: Facts, path: Path, file: str) -> None:
        self._facts = facts
        self._path = str(path)
        self._file = file
        self.used: list[str] = []
        self.sources: list[str] = []

    def _line(self) -> int | None:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != self._path:
            frame = frame.f_back
        return frame.f_lineno if frame else None

    def fact(self, fact_id: str) -> Fact:
        """A fact by id; an unknown id stops the build at the chart's line, naming the closest id."""
        fact = self._facts.get(fact_id, self._file, self._line())
        if fact_id not in self.used:
            self.used.append(fact_id)
            for source in self._facts.sources_of(fact):
                self._note_source(source.id)
        return fact

    def value(self, fact_id: str) -> float:
        return self.fact(fact_id).value

    def label(self, fact_id: str) -> str:
        """The fact as a table cell shows it: '175B', '~$78.4M (estimated)'."""
        fact = self.fact(fact_id)
        text = format_fact(fact, "short")
        return text if fact.qualifier == "reported" else f"{text} ({fact.qualifier})"

    def who(self, fact_id: str) -> str:
        """Who a figure comes from, briefly: 'AI Index 2024'; empty for an illustrative figure."""
        sources = self._facts.sources_of(self.fact(fact_id))
        return sources[0].label if sources else ""

    def cell(self, table_id: str, row: str, column: str) -> Cell:
        """One cell of a table; an unknown table, row or column stops the build at the chart's line."""
        line = self._line()
        table = self._facts.table(table_id, self._file, line)
        table.column(column, self._file, line)
        cell = table.row(row, self._file, line).get(column, Cell("missing"))
        if cell.source:
            self._note_source(cell.source)
        return cell

    def _note_source(self, source_id: str) -> None:
        if source_id not in self.sources:
            self.sources.append(source_id)


# --- Loading a chart file and computing its data -------------------------------------------------


def chart_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.py") if not path.name.startswith("_"))


def load_module(path: Path, file: str) -> ModuleType:
    name = "textbook_chart_" + path.stem.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ContentError(file, error.lineno, f"the chart file does not parse: {error.msg}") from None
    except Exception as error:  # a contributor's code: report it at its line, never as a traceback
        raise _code_error(error, path, file, "the chart file failed while loading") from None
    missing = [name for name in ("TITLE", "CAPTION", "data", "draw") if not hasattr(module, name)]
    if missing:
        raise ContentError(file, 1, f"the chart file defines no {', '.join(missing)}",
                           "A chart defines TITLE, CAPTION, data(inputs) and draw(plot, style); "
                           "copy an existing chart as a start.")
    return module


def _code_error(error: Exception, path: Path, file: str, what: str) -> ContentError:
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == str(path):
            line = lineno
    return ContentError(file, line, f"{what}: {type(error).__name__}: {error}",
                        "Fix the chart's code at this line; `python -m textbook.check` runs it without drawing.")


def compute(path: Path, file: str, facts: Facts) -> Chart:
    """Run a chart's data() against the facts: everything but the drawing."""
    module = load_module(path, file)
    inputs = Inputs(facts, path, file)
    try:
        result = module.data(inputs)
    except ContentError:
        raise
    except Exception as error:
        raise _code_error(error, path, file, "data() failed") from None
    if not isinstance(result, dict) or not {"alt", "columns", "rows", "plot"} <= set(result):
        raise ContentError(file, None, "data() must return a dict with alt, columns, rows and plot")
    for row in result["rows"]:
        if len(row) != len(result["columns"]):
            raise ContentError(file, None, f"data() returned a table row with {len(row)} cells for "
                               f"{len(result['columns'])} columns: {row!r}")
    chart = Chart(path.stem, file, str(module.TITLE), str(module.CAPTION), str(result["alt"]),
                  [str(c) for c in result["columns"]], [[str(v) for v in row] for row in result["rows"]],
                  result["plot"], inputs.used, inputs.sources, draw=module.draw)
    chart.key = cache_key(path, chart)
    return chart


def cache_key(path: Path, chart: Chart) -> str:
    try:
        matplotlib_version = importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        matplotlib_version = "none"
    digest = hashlib.sha256()
    for part in (CACHE_VERSION, matplotlib_version, path.read_text(encoding="utf-8"),
                 STYLE_FILE.read_text(encoding="utf-8"),
                 json.dumps({"title": chart.title, "plot": chart.plot}, sort_keys=True, default=str)):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:20]


# --- Drawing, with a cache ------------------------------------------------------------------------


@dataclass
class RenderStats:
    drawn: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)


def build_charts(facts: Facts, directory: Path, cache: Path, prefix: str = "charts") -> tuple[dict[str, Chart], RenderStats]:
    """Compute every chart, then draw the ones whose cache entry is missing."""
    charts, stats = {}, RenderStats()
    for path in chart_files(directory):
        chart = compute(path, f"{prefix}/{path.name}", facts)
        files = {theme: cache / f"{chart.name}.{chart.key}.{theme}.svg" for theme in THEMES}
        if all(file.exists() for file in files.values()):
            chart.svg = {theme: file.read_text(encoding="utf-8") for theme, file in files.items()}
            stats.cached.append(chart.name)
        else:
            from . import chartstyle  # imports matplotlib: only when something must be drawn
            for theme, file in files.items():
                try:
                    chart.svg[theme] = chartstyle.render(chart.draw, chart.plot, theme)
                except Exception as error:
                    raise _code_error(error, path, chart.file, "draw() failed") from None
            cache.mkdir(parents=True, exist_ok=True)
            for stale in cache.glob(f"{chart.name}.*.svg"):
                stale.unlink()
            for theme, file in files.items():
                file.write_text(chart.svg[theme], encoding="utf-8")
            stats.drawn.append(chart.name)
        charts[chart.name] = chart
    return charts, stats
