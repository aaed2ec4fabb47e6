"""The facts file: load it, check it, and format its values for prose, tables and charts."""
from __future__ import annotations

import ast
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, ContentErrors, did_you_mean
from .tables import Table, load_tables
from .yamlfile import LineDict, as_date, load_yaml

QUALIFIERS = {
    "reported": "stated by the source itself",
    "estimated": "an estimate by the source, not a measured figure",
    "leaked": "from a leak the developer never confirmed",
    "derived": "calculated by this course from other facts",
    "disputed": "contested by another party",
    "illustrative": "made up for a worked example, not a measurement",
}

# Each unit names how its values are written. Count units are nouns written after the number.
COUNT_UNITS = {
    "parameters", "tokens", "words", "characters", "web pages", "books", "examples", "annotations",
    "comparisons", "prompts", "responses", "labels", "contractors", "GPUs", "GPU-hours", "days",
    "hours", "years", "epochs", "rounds", "snapshots", "optimizer steps", "defendants",
    "definitions", "sources of harm",
    "questions", "demographic groups",
}
SPECIAL_UNITS = {
    "usd", "usd_per_million_tokens", "usd_per_hour", "percent", "percentage_points", "flop", "pf_days", "bytes",
    "tco2e", "multiplier", "tokens_per_parameter", "words_per_token", "per_year_factor",
}
UNITS = COUNT_UNITS | SPECIAL_UNITS
# Units whose values can never be below zero: a negative count, size or price is a typo.
NON_NEGATIVE_UNITS = COUNT_UNITS | {"flop", "pf_days", "bytes", "usd_per_million_tokens", "usd_per_hour",
                                    "tokens_per_parameter", "words_per_token"}
PRECISION_RANGE = (-9, 6)     # decimals a figure may be rounded to: 6 after the point, or to the billion

SOURCE_FIELDS = ("title", "authors", "year", "url", "accessed")
OPTIONAL_SOURCE_FIELDS = ("short",)
FACT_FIELDS = ("unit", "measures", "as_of", "qualifier")
OPTIONAL_FACT_FIELDS = ("value", "formula", "source", "low", "high", "approx", "precision", "note")
FACT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
STYLES = ("long", "short", "value")


@dataclass
class Source:
    id: str
    title: str
    authors: str
    year: int
    url: str
    accessed: dt.date
    line: int = 0
    short: str = ""

    @property
    def label(self) -> str:
        """A short name for tables and charts: 'AI Index 2024', 'Brown 2020'."""
        return self.short or f"{self.authors.split(',')[0].split(' (')[0]} {self.year}"


@dataclass
class Fact:
    id: str
    unit: str
    measures: str
    as_of: dt.date
    qualifier: str
    value: float | None = None
    formula: str | None = None
    source: str | None = None
    low: float | None = None
    high: float | None = None
    approx: bool = False
    precision: int | None = None
    note: str = ""
    line: int = 0
    inputs: list[str] = field(default_factory=list)

    @property
    def is_approximate(self) -> bool:
        return self.approx or self.qualifier in ("estimated", "leaked")


@dataclass
class Facts:
    path: str
    facts: dict[str, Fact]
    sources: dict[str, Source]
    tables: dict[str, Table] = field(default_factory=dict)

    def get(self, fact_id: str, file: str, line: int | None) -> Fact:
        """Look a fact up by id, or raise an error that names the closest valid id."""
        try:
            return self.facts[fact_id]
        except KeyError:
            raise ContentError(
                file, line, f"unknown fact '{fact_id}'.{did_you_mean(fact_id, self.facts)}",
                f"Facts live in {self.path}; add it there with a source, or fix the id.",
            ) from None

    def table(self, table_id: str, file: str, line: int | None) -> Table:
        """Look a table up by id, or raise an error that names the closest valid id."""
        try:
            return self.tables[table_id]
        except KeyError:
            raise ContentError(
                file, line, f"unknown table '{table_id}'.{did_you_mean(table_id, self.tables)}",
                f"Tables are defined under 'tables:' in {self.path}.",
            ) from None

    def sources_of(self, fact: Fact) -> list[Source]:
        """The sources behind a fact: its own, or for a derived fact, those of its inputs."""
        if fact.source:
            return [self.sources[fact.source]]
        found: dict[str, Source] = {}
        for input_id in fact.inputs:
            for source in self.sources_of(self.facts[input_id]):
                found[source.id] = source
        return list(found.values())


# --- Loading and checking ---------------------------------------------------------------------


def load_facts(path: str | Path, display_name: str | None = None) -> Facts:
    """Load and check the facts file. Every problem found is reported at once, with its line."""
    name = display_name or str(path)
    data = load_yaml(path, name)
    if not isinstance(data, LineDict) or not {"sources", "facts"} <= set(data):
        raise ContentError(
            name, 1, "the facts file must have two sections, 'sources:' and 'facts:'",
            "See the comment at the top of the file for the layout.",
        )
    errors: list[ContentError] = []
    sources = _load_sources(data["sources"], name, data.line_of("sources"), errors)
    facts = _load_facts(data["facts"], name, data.line_of("facts"), sources, errors)
    if not errors:
        _resolve_formulas(facts, name, errors)
    tables = load_tables(data.get("tables"), name, data.line_of("tables"), facts, sources, errors)
    if not errors:
        cited = {fact.source for fact in facts.values()}
        cited |= {cell.source for table in tables.values() for row in table.rows.values() for cell in row.values()}
        for source in sources.values():
            if source.id not in cited:
                errors.append(ContentError(
                    name, source.line, f"source '{source.id}' is not cited by any fact",
                    "Cite it from a fact with 'source:', or delete it.",
                ))
    if errors:
        raise errors[0] if len(errors) == 1 else ContentErrors(errors)
    return Facts(name, facts, sources, tables)


def _load_sources(section, name: str, line: int, errors: list) -> dict[str, Source]:
    if not isinstance(section, LineDict):
        errors.append(ContentError(name, line, "'sources:' must map source ids to their details"))
        return {}
    sources = {}
    for source_id, entry in section.items():
        at = section.line_of(source_id)
        if not isinstance(entry, LineDict):
            errors.append(ContentError(name, at, f"source '{source_id}' must be a mapping of "
                                       f"{', '.join(SOURCE_FIELDS)}"))
            continue
        missing = [key for key in SOURCE_FIELDS if entry.get(key) in (None, "")]
        if missing:
            errors.append(ContentError(
                name, at, f"source '{source_id}' has no {', '.join(missing)}",
                "Every source needs title, authors, year, url and accessed (the date you read it).",
            ))
            continue
        url = str(entry["url"])
        if not url.startswith(("https://", "http://")):
            errors.append(ContentError(name, entry.line_of("url"),
                                       f"source '{source_id}' has a url that is not a web address: {url!r}",
                                       "Give the full address, starting with https://."))
        accessed = as_date(entry["accessed"])
        if accessed is None:
            errors.append(ContentError(name, entry.line_of("accessed"),
                                       f"source '{source_id}' has an accessed date that is not a date",
                                       "Write it as YYYY-MM-DD."))
        if not isinstance(entry["year"], int):
            errors.append(ContentError(name, entry.line_of("year"),
                                       f"source '{source_id}' has a year that is not a whole number"))
        unknown = sorted(set(entry) - set(SOURCE_FIELDS) - set(OPTIONAL_SOURCE_FIELDS))
        if unknown:
            errors.append(ContentError(name, entry.line_of(unknown[0]),
                                       f"source '{source_id}' has an unknown field '{unknown[0]}'."
                                       f"{did_you_mean(unknown[0], SOURCE_FIELDS + OPTIONAL_SOURCE_FIELDS)}"))
        sources[source_id] = Source(source_id, str(entry["title"]), str(entry["authors"]),
                                    entry["year"], url, accessed, at, str(entry.get("short") or ""))
    return sources


def _number(entry: LineDict, key: str, fact_id: str, name: str, errors: list) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        errors.append(ContentError(
            name, entry.line_of(key), f"fact '{fact_id}' has a {key} that is not a number: {value!r}",
            "Write plain numbers such as 175e9 or 0.75, without units, commas or words.",
        ))
        return None
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        errors.append(ContentError(
            name, entry.line_of(key), f"fact '{fact_id}' has a {key} that is not a finite number: {value!r}",
            "Give the figure itself; NaN and infinity are not measurements.",
        ))
        return None
    unit = entry.get("unit")
    if number < 0 and unit in NON_NEGATIVE_UNITS:
        errors.append(ContentError(
            name, entry.line_of(key), f"fact '{fact_id}' has a negative {key} ({value!r}) for a unit that "
            f"cannot be negative ('{unit}')", "Check the sign; counts, sizes and prices are zero or more."))
        return None
    return number


def _load_facts(section, name: str, line: int, sources: dict, errors: list) -> dict[str, Fact]:
    if not isinstance(section, LineDict):
        errors.append(ContentError(name, line, "'facts:' must map fact ids to their details"))
        return {}
    facts = {}
    for fact_id, entry in section.items():
        at = section.line_of(fact_id)
        if not FACT_ID.match(str(fact_id)):
            errors.append(ContentError(
                name, at, f"'{fact_id}' is not a valid fact id",
                "Use lower-case words joined by dots, such as 'gpt3.params' or 'llama31.tokens'.",
            ))
            continue
        if not isinstance(entry, LineDict):
            errors.append(ContentError(name, at, f"fact '{fact_id}' must be a mapping"))
            continue
        before = len(errors)
        missing = [key for key in FACT_FIELDS if entry.get(key) in (None, "")]
        if missing:
            errors.append(ContentError(name, at, f"fact '{fact_id}' has no {', '.join(missing)}",
                                       "Every fact needs unit, measures, as_of and qualifier."))
        unknown = sorted(set(entry) - set(FACT_FIELDS) - set(OPTIONAL_FACT_FIELDS))
        for key in unknown:
            errors.append(ContentError(
                name, entry.line_of(key), f"fact '{fact_id}' has an unknown field '{key}'."
                f"{did_you_mean(key, FACT_FIELDS + OPTIONAL_FACT_FIELDS)}"))
        has_value, has_formula = "value" in entry, "formula" in entry
        if has_value == has_formula:
            errors.append(ContentError(
                name, at, f"fact '{fact_id}' needs exactly one of 'value' or 'formula'",
                "Give the number as 'value', or compute it from other facts with 'formula'.",
            ))
        unit = entry.get("unit")
        if unit is not None and unit not in UNITS:
            errors.append(ContentError(
                name, entry.line_of("unit"), f"fact '{fact_id}' has an unknown unit '{unit}'."
                f"{did_you_mean(str(unit), UNITS)}",
                "Known units: " + ", ".join(sorted(UNITS)) + ". Add a new one in hooks/textbook/facts.py.",
            ))
        qualifier = entry.get("qualifier")
        if qualifier is not None and qualifier not in QUALIFIERS:
            errors.append(ContentError(
                name, entry.line_of("qualifier"), f"fact '{fact_id}' has an unknown qualifier "
                f"'{qualifier}'.{did_you_mean(str(qualifier), QUALIFIERS)}",
                "Use one of: " + ", ".join(QUALIFIERS) + ".",
            ))
        source = entry.get("source")
        if qualifier == "illustrative" and source is None and not has_formula and not entry.get("note"):
            errors.append(ContentError(
                name, at, f"illustrative fact '{fact_id}' has neither a source nor a note",
                "An illustrative figure with no source needs a 'note:' saying how it was chosen.",
            ))
        elif source is None and not has_formula and qualifier != "illustrative":
            errors.append(ContentError(
                name, at, f"fact '{fact_id}' has no source",
                "Add 'source:' with the id of an entry under 'sources:' (add the source first "
                "if it is new). Only facts computed with 'formula', and illustrative figures "
                "explained by a 'note:', may go without.",
            ))
        elif source is not None and source not in sources:
            errors.append(ContentError(
                name, entry.line_of("source"), f"fact '{fact_id}' cites an unknown source "
                f"'{source}'.{did_you_mean(str(source), sources)}",
                "Add the source under 'sources:' or fix the id.",
            ))
        as_of = as_date(entry.get("as_of"))
        if entry.get("as_of") is not None and as_of is None:
            errors.append(ContentError(name, entry.line_of("as_of"),
                                       f"fact '{fact_id}' has an as_of that is not a date",
                                       "Write it as YYYY-MM-DD."))
        value = _number(entry, "value", fact_id, name, errors)
        low = _number(entry, "low", fact_id, name, errors)
        high = _number(entry, "high", fact_id, name, errors)
        if low is not None and high is not None and low > high:
            errors.append(ContentError(name, entry.line_of("low"),
                                       f"fact '{fact_id}' has a low ({entry['low']!r}) above its high "
                                       f"({entry['high']!r})", "Swap them: low is the smaller bound."))
        precision = entry.get("precision")
        if precision is not None and (isinstance(precision, bool) or not isinstance(precision, int)):
            errors.append(ContentError(name, entry.line_of("precision"),
                                       f"fact '{fact_id}' has a precision that is not a whole number"))
            precision = None
        elif precision is not None and not PRECISION_RANGE[0] <= precision <= PRECISION_RANGE[1]:
            errors.append(ContentError(name, entry.line_of("precision"),
                                       f"fact '{fact_id}' has a precision of {precision}, outside "
                                       f"{PRECISION_RANGE[0]}..{PRECISION_RANGE[1]}",
                                       "precision is the number of decimals shown: 2 for 0.75, -9 to round "
                                       "to the billion."))
            precision = None
        if len(errors) > before:
            continue
        facts[fact_id] = Fact(
            id=fact_id, unit=unit, measures=str(entry["measures"]), as_of=as_of,
            qualifier=qualifier, value=value, formula=entry.get("formula"), source=source,
            low=low, high=high, approx=bool(entry.get("approx", False)), precision=precision,
            note=str(entry.get("note", "")), line=at,
        )
    return facts


def _formula_inputs(tree: ast.AST, fact: Fact, name: str) -> list[str]:
    """Collect the fact ids a formula uses, refusing anything but arithmetic."""
    inputs = []

    def dotted(node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            head = dotted(node.value)
            return f"{head}.{node.attr}" if head else None
        return None

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.Expression):
            walk(node.body)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            walk(node.operand)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            pass
        elif isinstance(node, (ast.Attribute, ast.Name)) and dotted(node):
            inputs.append(dotted(node))
        else:
            raise ContentError(name, fact.line, f"fact '{fact.id}' has a formula that is not plain arithmetic",
                               "Use fact ids, numbers, + - * / ** and brackets only.")

    walk(tree)
    return inputs


def _resolve_formulas(facts: dict[str, Fact], name: str, errors: list) -> None:
    """Compute derived values in dependency order; report unknown inputs and cycles."""
    trees = {}
    for fact in facts.values():
        if fact.formula is None:
            continue
        try:
            trees[fact.id] = ast.parse(str(fact.formula), mode="eval")
            fact.inputs = _formula_inputs(trees[fact.id], fact, name)
        except SyntaxError:
            errors.append(ContentError(name, fact.line, f"fact '{fact.id}' has a formula that does not parse",
                                       "Write it like 'gpt3.tokens / gpt3.params'."))
            continue
        except ContentError as error:
            errors.append(error)
            continue
        if not fact.inputs:
            errors.append(ContentError(name, fact.line, f"fact '{fact.id}' has a formula that uses no other fact",
                                       "A formula computes from other facts; a figure typed into it has no "
                                       "source. Give it as 'value' with its 'source'."))
            continue
        for input_id in fact.inputs:
            if input_id not in facts:
                errors.append(ContentError(name, fact.line, f"fact '{fact.id}' uses an unknown fact "
                                           f"'{input_id}' in its formula.{did_you_mean(input_id, facts)}"))
    if errors:
        return

    def evaluate(fact: Fact, stack: tuple[str, ...]) -> float:
        if fact.value is not None:
            return fact.value
        if fact.id in stack:
            cycle = " -> ".join(stack + (fact.id,))
            raise ContentError(name, fact.line, f"fact '{fact.id}' depends on itself: {cycle}",
                               "Break the loop: one of these facts needs a plain 'value'.")
        values = {input_id: evaluate(facts[input_id], stack + (fact.id,)) for input_id in fact.inputs}
        try:
            value = _evaluate(trees[fact.id].body, values)
        except OverflowError:
            value = math.inf
        if isinstance(value, complex):
            raise ContentError(name, fact.line, f"fact '{fact.id}' has a formula whose result is not a real "
                               f"number (a negative number to a fractional power)", "Check the formula.")
        if not math.isfinite(value):
            raise ContentError(name, fact.line, f"fact '{fact.id}' has a formula whose result is too large "
                               f"to be a number", "Check the formula: a power or product overflows.")
        if value < 0 and fact.unit in NON_NEGATIVE_UNITS:
            raise ContentError(name, fact.line, f"fact '{fact.id}' has a formula whose result is negative "
                               f"({value:g}) for a unit that cannot be negative ('{fact.unit}')",
                               "Check the formula's order of subtraction.")
        fact.value = value
        return fact.value

    for fact in facts.values():
        try:
            evaluate(fact, ())
        except ContentError as error:
            errors.append(error)
            return
        except ZeroDivisionError:
            errors.append(ContentError(name, fact.line, f"fact '{fact.id}' divides by zero in its formula"))
            return


def _evaluate(node: ast.AST, values: dict[str, float]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, values)
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, values), _evaluate(node.right, values)
        operations = {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.Pow):
            return left ** right
        return operations[type(node.op)]
    return values[ast.unparse(node)]


# --- Formatting ----------------------------------------------------------------------------------

_SCALES = ((1e12, "trillion", "T"), (1e9, "billion", "B"), (1e6, "million", "M"))
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _plain(value: float, precision: int | None) -> str:
    """Write a number with thousands separators and no needless decimals."""
    if precision is not None:
        value = round(value, precision)
    if precision is not None and precision <= 0 or float(value).is_integer():
        return f"{round(value):,}"
    text = f"{value:,.{2 if precision is None else precision}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(value: float, precision: int | None, compact: bool) -> str:
    for size, word, letter in _SCALES:
        if abs(value) >= size:
            number = _plain(value / size, precision if precision and precision > 0 else None)
            return f"{number}{letter}" if compact else f"{number} {word}"
    return _plain(value, precision)


def _exponent(value: float) -> str:
    if value == 0 or not math.isfinite(value):
        return _plain(value, None) if value == 0 else str(value)
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10 ** exponent
    return f"{_plain(mantissa, 2)} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def _bytes(value: float) -> str:
    for size, unit in ((1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB")):
        if value >= size:
            return f"{_plain(value / size, None)} {unit}"
    return f"{_plain(value, None)} bytes"


def format_number(value: float, unit: str, style: str = "long", precision: int | None = None) -> str:
    """Write a value in its unit: 'long' for prose, 'short' for tables and charts, 'value' bare."""
    compact = style == "short"
    if unit == "usd":
        if 0 < abs(value) < 0.01:
            return "$" + _exponent(value)
        return "$" + _scaled(value, precision, compact)
    if unit == "usd_per_million_tokens":
        number = "$" + _plain(value, precision)
        return number if style == "value" else (f"{number}/M tokens" if compact else f"{number} per million tokens")
    if unit == "usd_per_hour":
        number = "$" + _plain(value, precision)
        return number if style == "value" else (f"{number}/h" if compact else f"{number} per hour")
    if unit == "percent":
        return _plain(value, precision) + "%"
    if unit == "percentage_points":
        number = _plain(value, precision)
        return number if style == "value" else (f"{number} pts" if compact else f"{number} percentage points")
    if unit == "flop":
        number = _exponent(value)
        return number if style != "long" else f"{number} FLOP"
    if unit == "pf_days":
        number = _plain(value, precision)
        return number if style == "value" else (f"{number} PF-days" if compact else f"{number} petaflop/s-days")
    if unit == "bytes":
        return _bytes(value)
    if unit == "tco2e":
        number = _plain(value, precision)
        return number if style == "value" else (f"{number} tCO₂e" if compact else f"{number} tonnes of CO₂-equivalent")
    if unit in ("multiplier", "per_year_factor"):
        number = _plain(value, precision) + "×"
        return f"{number} per year" if unit == "per_year_factor" and style == "long" else number
    if unit in ("tokens_per_parameter", "words_per_token"):
        number = _plain(value, precision)
        noun = "tokens per parameter" if unit == "tokens_per_parameter" else "words per token"
        return f"{number} {noun}" if style == "long" else number
    number = _scaled(value, precision, compact)
    return f"{number} {unit}" if style == "long" else number


def format_fact(fact: Fact, style: str = "long") -> str:
    """A fact's value as a reader sees it, with '~' where the figure is approximate."""
    text = format_number(fact.value, fact.unit, style, fact.precision)
    return ("~" + text) if fact.is_approximate else text


def describe(fact: Fact, facts: Facts) -> str:
    """One plain-text sentence for tooltips: what it measures, how sure, from where, as of when."""
    sources = facts.sources_of(fact)
    cited = "; ".join(f"{source.authors}, {source.title} ({source.year})" for source in sources)
    parts = [f"{fact.measures}.", f"{fact.qualifier.capitalize()}: {QUALIFIERS[fact.qualifier]}."]
    if fact.low is not None and fact.high is not None:
        unit = fact.unit
        parts.append(f"Range {format_number(fact.low, unit, 'short')}–{format_number(fact.high, unit, 'short')}.")
    if fact.formula:
        parts.append(f"Computed as {fact.formula}.")
    if fact.note:
        parts.append(fact.note)
    parts.append(f"As of {fact.as_of.isoformat()}. " + (f"Source: {cited}." if cited else "No source: a figure "
                                                          "chosen for illustration."))
    return " ".join(parts)
