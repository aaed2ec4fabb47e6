"""Charts: one Python file per chart in ``charts/``, drawn from the facts to SVG, and cached.

A chart file defines ``TITLE``, ``CAPTION``, a ``data(inputs)`` function that reads facts and
tables (plain Python, no matplotlib) and a ``draw(plot, style)`` function that returns a
matplotlib figure. ``data`` decides everything a reader sees besides the picture: alt text, the
data table and, through the facts it reads, the sources in the caption. Its result also keys the
cache, so a chart is drawn again only when its file, its facts, the shared style or matplotlib
change. A build with nothing changed never imports matplotlib.

A chart's code is a contributor's code: ``data()`` and ``draw()`` each run in a forked child
process (``textbook.sandbox``) for at most ``TEXTBOOK_CHART_SECONDS`` seconds (default 60), and
every way out of them (an exception, ``sys.exit()``, ``os._exit()``, a crash, a hang) becomes a
``file:line`` error.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from . import sandbox
from .errors import ContentError
from .facts import Fact, Facts, format_fact
from .tables import Cell

CACHE_VERSION = "3"    # cached pictures are the cleaned ones (sanitize.clean_svg), wide and narrow
SECONDS_VARIABLE = "TEXTBOOK_CHART_SECONDS"
DEFAULT_SECONDS = 60.0
THEMES = ("light", "dark")
# Each chart is drawn for each theme twice: wide (screens and paper) and narrow (phones).
DRAWINGS = ("light", "dark", "light-narrow", "dark-narrow")
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
    svg: dict[str, str] = field(default_factory=dict)   # drawing ("light", "dark-narrow"…) -> SVG text


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


def chart_seconds() -> float:
    return sandbox.number_from_env(SECONDS_VARIABLE, DEFAULT_SECONDS)


def load_module(path: Path, file: str) -> ModuleType:
    name = "textbook_chart_" + path.stem.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        sandbox.call_caught(lambda: spec.loader.exec_module(module), str(path))
    except sandbox.Raised as raised:
        if raised.kind == "SyntaxError":
            raise ContentError(file, _syntax_line(path), f"the chart file does not parse: {raised.text}") from None
        raise _code_error(raised, file, "the chart file failed while loading") from None
    missing = [name for name in ("TITLE", "CAPTION", "data", "draw") if not hasattr(module, name)]
    if missing:
        raise ContentError(file, 1, f"the chart file defines no {', '.join(missing)}",
                           "A chart defines TITLE, CAPTION, data(inputs) and draw(plot, style); "
                           "copy an existing chart as a start.")
    return module


def _syntax_line(path: Path) -> int | None:
    try:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    except SyntaxError as error:
        return error.lineno
    except ValueError:              # a NUL byte, say: no line to name
        return None
    return None


def _code_error(raised: sandbox.Raised, file: str, what: str, line: int | None = None) -> ContentError:
    """A contributor's code went wrong: say where (its deepest line in the chart file) and how."""
    line = raised.lines[-1] if raised.lines else line
    if raised.kind == "TimeLimit":
        return _time_error(file, line, what)
    if raised.kind == "SystemExit":
        return ContentError(file, line, f"{what}: {raised.text}",
                            "A chart must return its result, never exit the program: remove the call.")
    if raised.kind in ("KeyboardInterrupt", "GeneratorExit") or raised.kind.endswith("Exit"):
        return ContentError(file, line, f"{what}: {raised.kind} {raised.text}".rstrip(),
                            "A chart must return its result; remove whatever raises this.")
    return ContentError(file, line, f"{what}: {raised.kind}: {raised.text}",
                        "Fix the chart's code at this line; `python -m textbook.check` runs it without drawing.")


def _time_error(file: str, line: int | None, what: str) -> ContentError:
    subject = what.replace(" failed while loading", "").replace(" failed", "")    # data(), draw(), the chart file
    return ContentError(file, line, f"{subject} ran longer than {chart_seconds():g} s and was stopped",
                        f"A chart computes from a few facts and must finish in seconds. The limit is "
                        f"{SECONDS_VARIABLE} (default {DEFAULT_SECONDS:g} s).")


RESULT_CLASSES = frozenset({(__name__, "Chart")})    # what a chart's child process may send back


def _bounded(function, path: Path, file: str, what: str, line: int | None):
    """Run a chart's function in a child process; every failure becomes a ContentError at a line."""
    try:
        outcome = sandbox.run_bounded(function, str(path), chart_seconds(), RESULT_CLASSES)
    except sandbox.Raised as raised:
        if raised.kind == "ContentError" and raised.payload:
            raise ContentError(*raised.payload) from None
        raise _code_error(raised, file, what, line) from None
    except sandbox.Timeout:
        raise _time_error(file, line, what) from None
    except sandbox.Ended as ended:
        raise ContentError(file, line, f"{what}: the chart's process ended without a result ({ended})",
                           "A chart must return its result; remove any os._exit(), os.kill() or similar.") from None
    return outcome


def _def_line(path: Path, name: str) -> int | None:
    """The line of ``def name`` in a chart file, for errors with no better line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"def {name}("):
            return number
    return None


def _with_payload(error: ContentError) -> ContentError:
    error.sandbox_payload = (error.file, error.line, error.message, error.hint)
    return error


def _compute(path: Path, file: str, facts: Facts) -> Chart:
    """In the child: load the chart file, run data() and check what it returns."""
    try:
        module = load_module(path, file)
    except ContentError as error:
        raise _with_payload(error) from None
    inputs = Inputs(facts, path, file)
    try:
        result = module.data(inputs)
    except ContentError as error:
        raise _with_payload(error) from None
    line = _def_line(path, "data")
    if not isinstance(result, dict) or not {"alt", "columns", "rows", "plot"} <= set(result):
        raise _with_payload(ContentError(file, line, "data() must return a dict with alt, columns, rows and plot"))
    if not isinstance(result["columns"], (list, tuple)) or not isinstance(result["rows"], (list, tuple)) or \
            not all(isinstance(row, (list, tuple)) for row in result["rows"]):
        raise _with_payload(ContentError(file, line, "data() must return columns and rows as lists"))
    for row in result["rows"]:
        if len(row) != len(result["columns"]):
            raise _with_payload(ContentError(file, line, f"data() returned a table row with {len(row)} cells for "
                                             f"{len(result['columns'])} columns: {row!r}"))
    return Chart(path.stem, file, str(module.TITLE), str(module.CAPTION), str(result["alt"]),
                 [str(c) for c in result["columns"]], [[str(v) for v in row] for row in result["rows"]],
                 result["plot"], inputs.used, inputs.sources)


def compute(path: Path, file: str, facts: Facts) -> Chart:
    """Run a chart's data() against the facts, in a bounded child process: everything but the drawing."""
    chart = _bounded(lambda: _compute(path, file, facts), path, file, "data() failed", _def_line(path, "data"))
    try:
        chart.key = cache_key(path, chart)
    except (TypeError, ValueError) as error:
        raise ContentError(file, _def_line(path, "data"), f"data() returned a plot that is not plain data: {error}",
                           "Return numbers, text, lists and dicts in 'plot'.") from None
    return chart


def _draw(path: Path, file: str, plot: dict, drawing: str) -> str:
    """In the child: load the chart file and make one drawing ("light", "dark-narrow"…)."""
    from . import chartstyle
    try:
        module = load_module(path, file)
    except ContentError as error:
        raise _with_payload(error) from None
    theme, _, width = drawing.partition("-")
    return chartstyle.render(module.draw, plot, theme, narrow=width == "narrow")


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


def _clean(chart: Chart, svg: str, line: int | None = None) -> str:
    """The drawn SVG without script, handlers or non-web links (``sanitize.clean_svg``), as for labs."""
    from .sanitize import clean_svg

    cleaned = clean_svg(svg)
    if cleaned is None:
        raise ContentError(chart.file, line, "draw() made a picture that is not well-formed SVG",
                           "Return the figure from style.figure() and draw on its axes; do not edit the SVG.")
    return cleaned


def build_charts(facts: Facts, directory: Path, cache: Path, prefix: str = "charts") -> tuple[dict[str, Chart], RenderStats]:
    """Compute every chart, then draw the ones whose cache entry is missing."""
    charts, stats = {}, RenderStats()
    for path in chart_files(directory):
        chart = compute(path, f"{prefix}/{path.name}", facts)
        files = {drawing: cache / f"{chart.name}.{chart.key}.{drawing}.svg" for drawing in DRAWINGS}
        if all(file.exists() for file in files.values()):
            chart.svg = {drawing: file.read_text(encoding="utf-8") for drawing, file in files.items()}   # cleaned when drawn
            stats.cached.append(chart.name)
        else:
            from . import chartstyle  # noqa: F401  imports matplotlib once, before the children fork
            for drawing, file in files.items():
                chart.svg[drawing] = _bounded(lambda drawing=drawing: _draw(path, chart.file, chart.plot, drawing),
                                              path, chart.file, "draw() failed", _def_line(path, "draw"))
                if not isinstance(chart.svg[drawing], str):
                    raise ContentError(chart.file, _def_line(path, "draw"), "draw() did not return a figure")
                chart.svg[drawing] = _clean(chart, chart.svg[drawing], _def_line(path, "draw"))
            cache.mkdir(parents=True, exist_ok=True)
            for stale in cache.glob(f"{chart.name}.*.svg"):
                stale.unlink()
            for drawing, file in files.items():
                file.write_text(chart.svg[drawing], encoding="utf-8")
            stats.drawn.append(chart.name)
        charts[chart.name] = chart
    return charts, stats
