"""Comparison tables defined in the facts file: their columns, rows and cells, checked on load.

A table lives under ``tables:`` in the facts file. Each column has a title (and optionally how it
sorts); each row gives a cell per column. A cell is plain text, a fact, several facts, sourced
text or a sourced date, so every figure in a table is a fact with its qualifier and source.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import ContentError, did_you_mean
from .markdown_scan import FACT_MARKER
from .yamlfile import LineDict

SORTS = ("number", "text", "date")
COLUMN_FIELDS = ("title", "sort", "who", "missing")
CELL_FIELDS = {"fact": ("fact", "label"), "facts": ("facts", "labels"), "text": ("text", "source"),
               "date": ("date", "source")}
TABLE_FIELDS = ("caption", "note", "columns", "rows")
TABLE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Column:
    key: str
    title: str
    sort: str | None = None     # "number", "text" or "date": the column can be sorted that way
    who: bool = False           # name each figure's source after it ("AI Index 2024")
    missing: str = "not disclosed"


@dataclass
class Cell:
    kind: str                   # "text", "fact", "facts", "date" or "missing"
    text: str = ""              # text cells; may hold :fact[...] markers
    facts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    date: dt.date | None = None
    date_text: str = ""         # "May 2020" or "28 May 2020", as precise as the source (short month names)
    source: str | None = None
    line: int = 0


@dataclass
class Table:
    id: str
    caption: str
    columns: dict[str, Column]
    rows: dict[str, dict[str, Cell]]
    note: str = ""
    line: int = 0
    row_lines: dict[str, int] = field(default_factory=dict)

    def column(self, key: str, file: str, line: int | None) -> Column:
        try:
            return self.columns[key]
        except KeyError:
            raise ContentError(file, line, f"table '{self.id}' has no column '{key}'.{did_you_mean(key, self.columns)}",
                               "Columns: " + ", ".join(self.columns) + ".") from None

    def row(self, key: str, file: str, line: int | None) -> dict[str, Cell]:
        try:
            return self.rows[key]
        except KeyError:
            raise ContentError(file, line, f"table '{self.id}' has no row '{key}'.{did_you_mean(key, self.rows)}",
                               "Rows: " + ", ".join(self.rows) + ".") from None


def parse_date(value) -> tuple[dt.date, str] | None:
    """A YAML date or 'YYYY-MM' (month precision) -> (date for sorting, text for readers)."""
    if isinstance(value, dt.date):
        return value, f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    match = DATE.match(str(value))
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date = dt.date(year, month, day or 1)
    except ValueError:
        return None
    return date, (f"{day} " if day else "") + f"{MONTHS[month - 1]} {year}"


def load_tables(section, name: str, line: int, facts: dict, sources: dict, errors: list) -> dict[str, Table]:
    """Check the ``tables:`` section against the facts and sources; collect every problem."""
    if section is None:
        return {}
    if not isinstance(section, LineDict):
        errors.append(ContentError(name, line, "'tables:' must map table ids to their definitions"))
        return {}
    tables = {}
    for table_id, entry in section.items():
        at = section.line_of(table_id)
        if not TABLE_ID.match(str(table_id)):
            errors.append(ContentError(name, at, f"'{table_id}' is not a valid table id",
                                       "Use lower-case words joined by hyphens, such as 'training-stages'."))
            continue
        if not isinstance(entry, LineDict):
            errors.append(ContentError(name, at, f"table '{table_id}' must be a mapping with caption, columns, rows"))
            continue
        for key in sorted(set(entry) - set(TABLE_FIELDS)):
            errors.append(ContentError(name, entry.line_of(key), f"table '{table_id}' has an unknown field "
                                       f"'{key}'.{did_you_mean(key, TABLE_FIELDS)}"))
        missing = [key for key in ("caption", "columns", "rows") if not entry.get(key)]
        if missing:
            errors.append(ContentError(name, at, f"table '{table_id}' has no {', '.join(missing)}",
                                       "A table needs a caption, its columns and at least one row."))
            continue
        columns = _columns(entry["columns"], table_id, name, entry.line_of("columns"), errors)
        rows, row_lines = _rows(entry["rows"], table_id, columns, name, entry.line_of("rows"), facts, sources, errors)
        tables[table_id] = Table(table_id, str(entry["caption"]), columns, rows, str(entry.get("note", "")), at,
                                 row_lines)
    return tables


def _columns(section, table_id: str, name: str, line: int, errors: list) -> dict[str, Column]:
    if not isinstance(section, LineDict):
        errors.append(ContentError(name, line, f"table '{table_id}': 'columns:' must map column keys to titles"))
        return {}
    columns = {}
    for key, spec in section.items():
        at = section.line_of(key)
        if isinstance(spec, str):
            columns[key] = Column(key, spec)
            continue
        if not isinstance(spec, LineDict) or not spec.get("title"):
            errors.append(ContentError(name, at, f"column '{key}' of table '{table_id}' needs a title",
                                       "Write 'key: Title', or 'key: {title: Title, sort: number}'."))
            continue
        for field_name in sorted(set(spec) - set(COLUMN_FIELDS)):
            errors.append(ContentError(name, at, f"column '{key}' of table '{table_id}' has an unknown field "
                                       f"'{field_name}'.{did_you_mean(field_name, COLUMN_FIELDS)}"))
        sort = spec.get("sort")
        if sort is not None and sort not in SORTS:
            errors.append(ContentError(name, at, f"column '{key}' of table '{table_id}' has an unknown sort "
                                       f"'{sort}'.{did_you_mean(str(sort), SORTS)}", "Use number, text or date."))
            sort = None
        columns[key] = Column(key, str(spec["title"]), sort, bool(spec.get("who", False)),
                              str(spec.get("missing", "not disclosed")))
    return columns


def _rows(section, table_id, columns, name, line, facts, sources, errors):
    if not isinstance(section, LineDict):
        errors.append(ContentError(name, line, f"table '{table_id}': 'rows:' must map row ids to their cells"))
        return {}, {}
    rows, row_lines = {}, {}
    for row_id, cells in section.items():
        at = section.line_of(row_id)
        if not isinstance(cells, LineDict):
            errors.append(ContentError(name, at, f"row '{row_id}' of table '{table_id}' must map columns to cells"))
            continue
        row = {}
        for key, value in cells.items():
            cell_line = cells.line_of(key)
            if key not in columns:
                errors.append(ContentError(
                    name, cell_line, f"row '{row_id}' of table '{table_id}' has a cell for an unknown column "
                    f"'{key}'.{did_you_mean(key, columns)}", "Columns: " + ", ".join(columns) + "."))
                continue
            cell = _cell(value, f"row '{row_id}', column '{key}' of table '{table_id}'", name, cell_line,
                         facts, sources, errors)
            if cell is not None:
                row[key] = cell
        rows[row_id], row_lines[row_id] = row, at
    return rows, row_lines


def _cell(value, where: str, name: str, line: int, facts: dict, sources: dict, errors: list) -> Cell | None:
    if value is None:
        return Cell("missing", line=line)
    if isinstance(value, str):
        _check_markers(value, where, name, line, facts, errors)
        return Cell("text", text=value, line=line)
    if not isinstance(value, LineDict):
        errors.append(ContentError(
            name, line, f"{where} is {value!r}, which is neither text nor a fact",
            "Numbers go in the facts section: write {fact: some.id} here, or quote the value if it is text."))
        return None
    kinds = [kind for kind in CELL_FIELDS if kind in value]
    if len(kinds) != 1:
        errors.append(ContentError(name, line, f"{where} needs exactly one of fact, facts, text or date",
                                   "For example {fact: gpt3.params} or {text: 'No', source: brown2020}."))
        return None
    kind = kinds[0]
    for key in sorted(set(value) - set(CELL_FIELDS[kind])):
        errors.append(ContentError(name, line, f"{where} has an unknown field '{key}'."
                                   f"{did_you_mean(key, CELL_FIELDS[kind])}",
                                   f"A {kind} cell takes: {', '.join(CELL_FIELDS[kind])}."))
    cell = Cell(kind, line=line)
    if kind in ("fact", "facts"):
        ids = value[kind] if kind == "facts" else [value[kind]]
        if not isinstance(ids, list) or not ids:
            errors.append(ContentError(name, line, f"{where}: 'facts' must be a list of fact ids"))
            return None
        for fact_id in ids:
            if fact_id not in facts:
                errors.append(ContentError(name, line, f"{where} names an unknown fact '{fact_id}'."
                                           f"{did_you_mean(str(fact_id), facts)}",
                                           "Add the fact under 'facts:' with its source, or fix the id."))
        labels = value.get("labels") if kind == "facts" else [value["label"]] if value.get("label") else []
        if labels and len(labels) != len(ids):
            errors.append(ContentError(name, line, f"{where} has {len(ids)} facts but {len(labels)} labels",
                                       "Give one label per fact, or none."))
        cell.facts, cell.labels = [str(i) for i in ids], [str(label) for label in labels or []]
        cell.kind = "facts"
    else:
        source = value.get("source")
        if kind == "date" or source is not None:
            if source not in sources:
                errors.append(ContentError(name, line, f"{where} cites an unknown source '{source}'."
                                           f"{did_you_mean(str(source), sources)}",
                                           "Give the id of an entry under 'sources:'."))
        cell.source = source
        if kind == "text":
            cell.text = str(value["text"])
            _check_markers(cell.text, where, name, line, facts, errors)
        else:
            parsed = parse_date(value["date"])
            if parsed is None:
                errors.append(ContentError(name, line, f"{where} has a date that is not YYYY-MM-DD or YYYY-MM: "
                                           f"{value['date']!r}"))
                return None
            cell.date, cell.date_text = parsed
    return cell


def _check_markers(text: str, where: str, name: str, line: int, facts: dict, errors: list) -> None:
    for match in FACT_MARKER.finditer(text):
        if match[1] not in facts:
            errors.append(ContentError(name, line, f"{where} names an unknown fact '{match[1]}'."
                                       f"{did_you_mean(match[1], facts)}",
                                       "Add the fact under 'facts:' with its source, or fix the id."))
