"""The facts file: formatting, and every error a contributor can make in it."""
from __future__ import annotations

import textwrap

import pytest

from textbook.errors import ContentError
from textbook.facts import format_number, load_facts

from conftest import ROOT

SOURCE = """\
sources:
  paper:
    title: "A paper"
    authors: "Someone"
    year: 2020
    url: https://example.org/paper
    accessed: 2026-11-21
facts:
"""


def write_facts(tmp_path, facts: str, sources: str = SOURCE):
    path = tmp_path / "facts.yml"
    path.write_text(sources + textwrap.indent(textwrap.dedent(facts), "  "))
    return path


def error_of(path) -> str:
    with pytest.raises(ContentError) as caught:
        load_facts(path, "docs/facts.yml")
    return str(caught.value)


@pytest.mark.parametrize("value, unit, style, expected", [
    (175e9, "parameters", "long", "175 billion parameters"),
    (175e9, "parameters", "short", "175B"),
    (15.6e12, "tokens", "short", "15.6T"),
    (78.4e6, "usd", "short", "$78.4M"),
    (1.95e-6, "usd", "short", "$1.95 × 10⁻⁶"),       # a cost per token: too small for cents
    (4.3e6, "usd", "long", "$4.3 million"),
    (3.14e23, "flop", "long", "3.14 × 10²³ FLOP"),
    (12725, "prompts", "long", "12,725 prompts"),
    (60, "percent", "long", "60%"),
    (570e9, "bytes", "long", "570 GB"),
    (10000, "multiplier", "long", "10,000×"),
    (25, "usd_per_million_tokens", "long", "$25 per million tokens"),
    (0.75, "words_per_token", "long", "0.75 words per token"),
])
def test_format_number(value, unit, style, expected):
    assert format_number(value, unit, style) == expected


def test_the_course_facts_file_loads_and_every_source_is_cited():
    facts = load_facts(ROOT / "docs" / "facts.yml")
    cited = {fact.source for fact in facts.facts.values()}
    cited |= {cell.source for table in facts.tables.values() for row in table.rows.values() for cell in row.values()}
    assert set(facts.sources) <= cited
    assert facts.facts["gpt3.params"].value == 175e9


def test_estimated_values_carry_a_tilde_and_derived_values_are_computed(tmp_path):
    facts = load_facts(write_facts(tmp_path, """\
        a.tokens: {value: 300e9, unit: tokens, measures: t, as_of: 2020-01-01, source: paper, qualifier: reported}
        a.params: {value: 150e9, unit: parameters, measures: p, as_of: 2020-01-01, source: paper, qualifier: estimated}
        a.ratio: {formula: "a.tokens / a.params", unit: tokens_per_parameter, measures: r, as_of: 2020-01-01, qualifier: derived}
        """))
    from textbook.facts import format_fact
    assert format_fact(facts.facts["a.params"]) == "~150 billion parameters"
    assert facts.facts["a.ratio"].value == 2.0
    assert facts.sources_of(facts.facts["a.ratio"])[0].id == "paper"


def test_fact_without_a_source(tmp_path):
    message = error_of(write_facts(tmp_path, """\
        a.b:
          value: 1
          unit: tokens
          measures: m
          as_of: 2020-01-01
          qualifier: reported
        """))
    assert message.startswith("docs/facts.yml:9: fact 'a.b' has no source")
    assert "Add 'source:'" in message


def test_unknown_source_names_the_closest(tmp_path):
    message = error_of(write_facts(tmp_path, """\
        a.b: {value: 1, unit: tokens, measures: m, as_of: 2020-01-01, source: papr, qualifier: reported}
        """))
    assert "docs/facts.yml:9: fact 'a.b' cites an unknown source 'papr'. Did you mean 'paper'?" in message


def test_bad_unit_and_qualifier(tmp_path):
    message = error_of(write_facts(tmp_path, """\
        a.b: {value: 1, unit: tokenz, measures: m, as_of: 2020-01-01, source: paper, qualifier: rumoured}
        """))
    assert "unknown unit 'tokenz'. Did you mean 'tokens'?" in message
    assert "unknown qualifier 'rumoured'" in message


def test_value_that_is_not_a_number(tmp_path):
    message = error_of(write_facts(tmp_path, """\
        a.b:
          value: 175 billion
          unit: tokens
          measures: m
          as_of: 2020-01-01
          source: paper
          qualifier: reported
        """))
    assert message.startswith("docs/facts.yml:10: fact 'a.b' has a value that is not a number")


def test_malformed_yaml_gives_the_line(tmp_path):
    path = tmp_path / "facts.yml"
    path.write_text(SOURCE + "  a.b: {value: 1\n  c.d: [\n")
    message = error_of(path)
    assert message.startswith("docs/facts.yml:") and "couldn't parse the YAML" in message
    assert "Traceback" not in message


def test_duplicate_fact_id(tmp_path):
    message = error_of(write_facts(tmp_path, """\
        a.b: {value: 1, unit: tokens, measures: m, as_of: 2020-01-01, source: paper, qualifier: reported}
        a.b: {value: 2, unit: tokens, measures: m, as_of: 2020-01-01, source: paper, qualifier: reported}
        """))
    assert message.startswith("docs/facts.yml:10: 'a.b' is defined twice (first on line 9)")


def test_source_cited_by_no_fact(tmp_path):
    extra = SOURCE.replace("facts:\n", "  lonely:\n    title: t\n    authors: a\n    year: 2020\n"
                           "    url: https://example.org\n    accessed: 2026-11-21\nfacts:\n")
    message = error_of(write_facts(tmp_path, """\
        a.b: {value: 1, unit: tokens, measures: m, as_of: 2020-01-01, source: paper, qualifier: reported}
        """, extra))
    assert "source 'lonely' is not cited by any fact" in message


def test_formula_with_unknown_input_and_cycle(tmp_path):
    message = error_of(write_facts(tmp_path, """\
        a.b: {formula: "a.c * 2", unit: tokens, measures: m, as_of: 2020-01-01, qualifier: derived}
        a.c: {formula: "a.b + a.x", unit: tokens, measures: m, as_of: 2020-01-01, qualifier: derived}
        a.d: {value: 1, unit: tokens, measures: m, as_of: 2020-01-01, source: paper, qualifier: reported}
        """))
    assert "fact 'a.c' uses an unknown fact 'a.x' in its formula" in message
    message = error_of(write_facts(tmp_path, """\
        a.b: {formula: "a.c * 2", unit: tokens, measures: m, as_of: 2020-01-01, qualifier: derived}
        a.c: {formula: "a.b + 1", unit: tokens, measures: m, as_of: 2020-01-01, qualifier: derived}
        a.d: {value: 1, unit: tokens, measures: m, as_of: 2020-01-01, source: paper, qualifier: reported}
        """))
    assert "depends on itself" in message
