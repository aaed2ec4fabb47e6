"""Read YAML while keeping the line of every key, so errors can point at the source line."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, ContentErrors
from .sanitize import find_unsafe_data


# display name -> (the text last loaded, the unsafe text found in it)
UNSAFE_TEXT: dict[str, tuple[str, list[ContentError]]] = {}


class LineDict(dict):
    """A mapping from a YAML file that remembers where it and each of its keys stand."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """Safe loader that records line numbers and refuses duplicate keys, anchors and aliases.

    Anchors (``&name``) and aliases (``*name``) let a few lines expand into billions of nodes (an
    "alias bomb"); the course's data files never need them, so the first one is refused while
    parsing, before anything is composed.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            kind = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
            mark = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise ContentError(
                self.name, event.start_mark.line + 1,
                f"{kind} ('{mark}{event.anchor}') is not allowed: the course's data files use no YAML anchors or aliases",
                "Write the value out in full; anchors and aliases make entries hard to review and can "
                "expand without bound.")
        return super().compose_node(parent, index)


# YAML 1.1 reads 175e9 as a string; contributors write large numbers that way, so read it as a float.
_Loader.yaml_implicit_resolvers = {key: list(value) for key, value in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, (list, dict, set)):
            raise ContentError(loader.name, line, "a key here is a list or a mapping, not a name",
                               "Write each key as plain text followed by a colon, such as 'gpt3.params:'.")
        if key in mapping.key_lines:
            raise ContentError(
                loader.name, line,
                f"'{key}' is defined twice (first on line {mapping.key_lines[key]})",
                "Keep one definition and delete the other.",
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path, display_name: str | None = None) -> Any:
    """Parse a YAML file. A syntax error becomes a ContentError with the parser's line."""
    path = Path(path)
    name = display_name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ContentError(name, None, f"couldn't read the file: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(name, raw[:error.start].count(b"\n") + 1,
                           f"the file is not UTF-8 text (byte {raw[error.start]:#04x} cannot be read)",
                           "Save the file as UTF-8; most editors offer it under 'Save with encoding'.") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str, first_line: int = 1) -> Any:
    """Parse YAML text that starts on line ``first_line`` of the file ``name``."""
    loader = _Loader(text)
    loader.name = name
    offset = first_line - 1
    try:
        data = loader.get_single_data()
    except ContentError as error:
        error.line = error.line + offset if error.line else error.line
        raise error from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + offset if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise ContentError(
            name, line, f"couldn't parse the YAML: {problem}",
            "Check the indentation and quoting on this line and the one above it; "
            "quote text that contains ': ' or starts with a special character.",
        ) from None
    except yaml.YAMLError as error:
        raise ContentError(name, None, f"couldn't parse the YAML: {error}") from None
    finally:
        loader.dispose()
    UNSAFE_TEXT[name] = (text, find_unsafe_data(data, name))
    return data


def unsafe_text(path: Path, name: str) -> list[ContentError]:
    """Raw HTML or a javascript: link in one data file (none if it does not exist)."""
    if not Path(path).exists():
        return []
    text, found = UNSAFE_TEXT.get(name, (None, []))
    if text != Path(path).read_text(encoding="utf-8"):
        load_yaml(path, name)
        text, found = UNSAFE_TEXT[name]
    return list(found)


def check_text(*files: tuple[Path, str]) -> None:
    """Raw HTML or a javascript: link anywhere in the text of these data files (path, display name).

    ``load_yaml`` finds them while it has the data, so a file read since it last changed is not
    parsed again. They are raised here, once the files' own checks have passed, so those checks'
    more precise messages come first.
    """
    problems = [problem for path, name in files for problem in unsafe_text(path, name)]
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)


def as_date(value: Any) -> dt.date | None:
    """Accept a YAML date (2024-07-23) or an ISO string; anything else is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
