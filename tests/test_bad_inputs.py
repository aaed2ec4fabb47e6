"""A corpus of broken contributions. Each must be caught with file:line, what is wrong and no traceback.

Every case starts from a small course (the real facts file and glossary, one page), applies one
mistake a contributor could make, and runs the fast check; a few also run the real build.
"""
from __future__ import annotations

import re

import pytest

from textbook.check import check

PAGE = """\
---
title: Home
---

# Home

GPT-3 has :fact[gpt3.params].

## Section

<!-- quiz: home -->

<!-- question: home-one -->
Pick the right one?

- [ ] Wrong.
  > Not quite — because.
- [x] Right.
  > Correct — because.

<!-- /quiz -->
"""


def on_page(old: str, new: str):
    return lambda project: project.write("docs/index.md", PAGE.replace(old, new, 1))


def in_facts(old: str, new: str):
    def apply(project):
        facts = project.docs / "facts.yml"
        text = facts.read_text()
        assert old in text, old
        facts.write_text(text.replace(old, new, 1))
    return apply


def in_glossary(text: str):
    def apply(project):
        glossary = project.docs / "glossary.yml"
        glossary.write_text(glossary.read_text() + text)
    return apply


def extra_page(name: str, text: str):
    return lambda project: project.write(f"docs/{name}", text)


def chart(body: str):
    """A chart file whose data() runs ``body``; the line the body starts on is line 5."""
    return lambda project: project.write("charts/broken.py", (
        'TITLE = "Broken"\nCAPTION = "A chart with a mistake."\n\ndef data(inputs):\n'
        f'    {body}\n    return {{"alt": "", "columns": [], "rows": [], "plot": {{}}}}\n\n'
        'def draw(plot, style):\n    return style.figure()\n'))


GPT2 = "  gpt2.params:\n    value: 1.5e9\n    unit: parameters\n"
DEMO_LAB = "# %% [markdown]\n# # Lab 9: Demo\n#\n# Some text.\n\n# %%\nx = 1\n"


def a_lab(text: str = DEMO_LAB, page: str = "```lab demo\n# Lab 9: Demo (docs/labs/demo.py)\n```\n", *more: str):
    """docs/labs/demo.py with ``text`` and its page docs/labs/demo.md holding ``page`` (and more pages)."""
    def apply(project):
        project.write("docs/labs/demo.py", text)
        project.write("docs/labs/demo.md", page)
        for number, extra in enumerate(more, 2):
            project.write(f"docs/labs/demo{number}.md", extra)
    return apply


CASES = {
    # Labs: a page shows its lab with ```lab <name>; the lab's text is plain Markdown.
    "unknown lab": (a_lab(DEMO_LAB, "```lab dmeo\n# Lab 9: Demo (docs/labs/dmeo.py)\n```\n"), r"docs/labs/demo.md:1: unknown lab 'dmeo'. Did you mean 'demo'\?"),
    "text inside a lab block": (a_lab(DEMO_LAB, "```lab demo\n# Lab 9: Demo (docs/labs/demo.py)\nprint(1)\n```\n"), r"docs/labs/demo.md:3: a ```lab block holds only '#' comment lines"),
    "fact in a lab's text": (a_lab(DEMO_LAB.replace("Some text.", "GPT-3 has :fact[gpt3.params].")), r"docs/labs/demo.py:4: course syntax in a lab's text: ':fact\['"),
    "chart block in a lab's text": (a_lab(DEMO_LAB.replace("# Some text.", "# ```chart demo\n# ```")), r"docs/labs/demo.py:4: course syntax in a lab's text: '```chart'"),
    "link to a lab's file": (lambda project: (a_lab()(project), project.write("docs/lesson.md", "# Lesson\n\nTry [the lab](labs/demo.py).\n")), r"docs/lesson.md:3: a link to the lab's file 'labs/demo.py'\n  Link to its page instead: labs/demo.md"),
    "lab shown by two pages": (a_lab(DEMO_LAB, "```lab demo\n# Lab 9: Demo (docs/labs/demo.py)\n```\n", "```lab demo\n# Lab 9: Demo (docs/labs/demo.py)\n```\n"), r"docs/labs/demo.py: this lab is shown by 2 pages: docs/labs/demo.md:1, docs/labs/demo2.md:1"),
    "malformed YAML": (in_facts("    unit: parameters\n", "    unit: [parameters\n"), r"docs/facts.yml:\d+: couldn't parse the YAML"),
    "tab-indented YAML": (in_facts(GPT2, GPT2.replace("    unit", "\tunit")), r"docs/facts.yml:\d+: couldn't parse the YAML"),
    "fact without a source": (in_facts("    source: radford2019\n    qualifier: reported\n", "    qualifier: reported\n"), r"docs/facts.yml:\d+: fact 'gpt2.params' has no source"),
    "unknown source": (in_facts("    source: radford2019\n", "    source: radford2091\n"), r"cites an unknown source 'radford2091'. Did you mean 'radford2019'\?"),
    "unknown fact id": (on_page(":fact[gpt3.params]", ":fact[gpt3.paramz]"), r"docs/index.md:7: unknown fact 'gpt3.paramz'. Did you mean 'gpt3.params'\?"),
    "bad unit": (in_facts(GPT2, GPT2.replace("unit: parameters", "unit: paramters")), r"unknown unit 'paramters'. Did you mean 'parameters'\?"),
    "bad qualifier": (in_facts("    qualifier: reported\n", "    qualifier: rumor\n"), r"unknown qualifier 'rumor'"),
    "value with words": (in_facts(GPT2, GPT2.replace("1.5e9", "1.5 billion")), r"docs/facts.yml:\d+: fact 'gpt2.params' has a value that is not a number"),
    "date that is not a date": (in_facts("    as_of: 2019-02-14\n", "    as_of: February 2019\n"), r"fact 'gpt2.params' has an as_of that is not a date"),
    "duplicate fact id": (in_facts("  gpt3.params:\n", "  gpt2.params:\n"), r"'gpt2.params' is defined twice"),
    "source without url": (in_facts("    url: https://arxiv.org/abs/2005.14165\n", ""), r"source 'brown2020' has no url"),
    "source url that is not a web address": (in_facts("    url: https://arxiv.org/abs/2005.14165\n", "    url: arxiv 2005.14165\n"), r"not a web address"),
    "formula with an unknown input": (in_facts('formula: "gpt3.tokens / gpt3.params"', 'formula: "gpt3.tokens / gpt3.parms"'), r"uses an unknown fact 'gpt3.parms'"),
    "formula that is code": (in_facts('formula: "gpt3.tokens / gpt3.params"', 'formula: "__import__(\'os\').system(\'true\')"'), r"formula that is not plain arithmetic"),
    "unknown fact style": (on_page(":fact[gpt3.params]", ":fact[gpt3.params tiny]"), r"docs/index.md:7: unknown fact style 'tiny'"),
    "number typed into the prose": (on_page("GPT-3 has :fact[gpt3.params].", "GPT-3 has 175 billion parameters."), r"docs/index.md:7: a scaled number written into the text: '175 billion'"),
    "money typed into the prose": (on_page("GPT-3 has :fact[gpt3.params].", "It cost $4.6 million."), r"docs/index.md:7: a money amount written into the text"),
    "quiz with no correct answer": (on_page("- [x] Right.", "- [ ] Right."), r"docs/index.md:13: question 'home-one' has no correct option"),
    "two correct answers in a single-choice question": (on_page("- [ ] Wrong.", "- [x] Wrong."), r"docs/index.md:18: question 'home-one' has 2 correct options but is single-choice"),
    "option without feedback": (on_page("  > Not quite — because.\n", ""), r"docs/index.md:16: option 'Wrong.' in question 'home-one' has no feedback"),
    "empty question": (on_page("Pick the right one?\n", ""), r"docs/index.md:13: question 'home-one' has no question text"),
    "quiz never closed": (on_page("<!-- /quiz -->", ""), r"docs/index.md:11: this quiz is never closed"),
    "question outside a quiz": (on_page("<!-- quiz: home -->", ""), r"docs/index.md:13: a question outside any quiz"),
    "duplicate question id across pages": (extra_page("other.md", "# Other\n\n" + PAGE.split("## Section\n\n", 1)[1].replace("quiz: home", "quiz: other")), r"duplicate question id 'home-one'"),
    "unknown glossary term": (on_page("## Section\n", "## Section\n\n```key-terms\ntokn\n```\n"), r"docs/index.md:12: unknown glossary term 'tokn'. Did you mean 'token'\?"),
    "glossary entry without definition": (in_glossary("\nbroken-term:\n  term: broken\n"), r"docs/glossary.yml:\d+: term 'broken-term' needs a 'term' and a 'definition'"),
    "HTML in a glossary definition": (in_glossary("\nevil-term:\n  term: evil\n  definition: Click <a href='x'>here</a>.\n"), r"term 'evil-term' has Markdown or HTML in its definition"),
    "misspelt word": (on_page("Pick the right one?", "Pick teh right one?"), r"docs/index.md:14: 'teh' looks misspelt \(did you mean the\?\)"),
    "broken internal link": (on_page("## Section\n", "## Section\n\nSee [the lesson](pretrainng.md).\n"), r"docs/index.md:11: a link to 'pretrainng.md', but there is no file 'pretrainng.md' under docs/"),
    "broken anchor": (on_page("## Section\n", "## Section\n\nSee [above](#sectoin).\n"), r"docs/index.md:11: a link to '#sectoin', but 'index.md' has no heading or id 'sectoin'"),
    "missing image": (on_page("## Section\n", "## Section\n\n![A chart of costs.](charts/missing.svg)\n"), r"docs/index.md:11: the image 'charts/missing.svg' does not exist"),
    "image without alt text": (on_page("## Section\n", "## Section\n\n![](glossary.md)\n"), r"docs/index.md:11: the image 'glossary.md' has no alt text"),
    "chart naming a missing fact": (chart('inputs.value("gpt3.param")'), r"charts/broken.py:5: unknown fact 'gpt3.param'. Did you mean 'gpt3.params'\?"),
    "chart whose code raises": (chart("1 / 0"), r"charts/broken.py:5: data\(\) failed: ZeroDivisionError: division by zero"),
    "chart reading an unknown table column": (chart('inputs.cell("models", "gpt3", "parms")'), r"charts/broken.py:5: table 'models' has no column 'parms'. Did you mean 'params'\?"),
    "table cell naming a missing fact": (in_facts("params: {fact: gpt3.params}", "params: {fact: gpt3.param}"), r"docs/facts.yml:\d+: row 'gpt3', column 'params' of table 'models' names an unknown fact 'gpt3.param'. Did you mean 'gpt3.params'\?"),
    "table row with an unknown column": (in_facts("        tokens: {fact: gpt3.tokens}\n", "        tokenz: {fact: gpt3.tokens}\n"), r"docs/facts.yml:\d+: row 'gpt3' of table 'models' has a cell for an unknown column 'tokenz'. Did you mean 'tokens'\?"),
    "number typed into a table cell": (in_facts("        developer: OpenAI\n", "        developer: 42\n"), r"docs/facts.yml:\d+: row 'gpt2', column 'developer' of table 'models' is 42, which is neither text nor a fact"),
    "unknown table": (on_page("## Section\n", "## Section\n\n```fact-table model\n```\n"), r"docs/index.md:11: unknown table 'model'. Did you mean 'models'\?"),
    "table block with an unknown column": (on_page("## Section\n", "## Section\n\n```fact-table models\ncolumns: model, parms\n```\n"), r"docs/index.md:12: table 'models' has no column 'parms'. Did you mean 'params'\?"),
    "unknown chart": (on_page("## Section\n", "## Section\n\n```chart cost-over-tim\n```\n"), r"docs/index.md:11: unknown chart 'cost-over-tim'"),
    "block that shows nothing on GitHub": (on_page("## Section\n", "## Section\n\n```progress\n```\n"), r"docs/index.md:11: the ```progress block shows as an empty box on GitHub\n  Under its opening fence, add the line `# Your progress: each lesson and its quiz, as recorded in your browser`"),
}


def check_case(project, apply, expected: str) -> str:
    """Apply one broken contribution to the small course, run the check, assert its message; return all messages."""
    project.write("docs/index.md", PAGE)
    apply(project)
    messages = "\n".join(str(problem) for problem in check(project.path))
    assert re.search(expected, messages), messages or "(no problem reported)"
    assert "Traceback" not in messages and 'File "' not in messages, messages
    return messages


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_contribution_is_caught_by_the_check(project, case):
    check_case(project, *CASES[case])


@pytest.mark.build
@pytest.mark.parametrize("case", ["fact without a source", "unknown fact id", "quiz with no correct answer",
                                  "chart naming a missing fact", "table cell naming a missing fact",
                                  "table block with an unknown column",
                                  "unknown glossary term", "tab-indented YAML", "fact in a lab's text",
                                  "unknown lab"])
def test_broken_contribution_stops_the_build(project, case):
    project.write("docs/index.md", PAGE)
    apply, expected = CASES[case]
    apply(project)
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(expected, output), output
    assert "Traceback" not in output, output


@pytest.mark.build
def test_injected_html_is_refused_and_html_in_code_is_shown_as_text(project):
    attack = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    project.write("docs/index.md", PAGE.replace("Pick the right one?", f"Pick {attack} one?"))
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "docs/index.md:14: raw HTML: '<script>'" in output, output
    assert "Traceback" not in output
    project.write("docs/index.md", PAGE.replace("Pick the right one?", f"Pick `{attack}` one?")
                  .replace("  > Correct — because.", f"  > Correct — `{attack}`"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = (project.path / "site" / "index.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('x')&lt;/script&gt;" in html


# --- Labs ---------------------------------------------------------------------------------------

BROKEN_LAB = """\
# %% [markdown]
# # Lab 9: A broken lab

# %%
values = [1, 2, 3]

# %%
total = sum(values)
mean = total / (len(values) - 3)
print(mean)
"""


def lab_page(project, name: str) -> None:
    """Give the lab docs/labs/<name>.py its page, as every lab of the course has."""
    project.write(f"docs/labs/{name}.md", f"```lab {name}\n# Lab 9 (docs/labs/{name}.py, run by the build)\n```\n")


@pytest.mark.build
def test_a_lab_that_raises_stops_the_build_with_its_cell_line_and_exception(project):
    project.write("docs/index.md", "# Home\n")
    project.write("docs/labs/broken.py", BROKEN_LAB)
    lab_page(project, "broken")
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ("docs/labs/broken.py:9: lab 'broken' failed in cell 3: ZeroDivisionError: division by zero"
            in output), output
    assert "Traceback" not in output and 'File "' not in output, output


def test_a_lab_with_a_syntax_error_is_caught_by_the_check_without_running_it(project):
    project.write("docs/index.md", PAGE)
    project.write("docs/labs/broken.py", BROKEN_LAB.replace("values = [1, 2, 3]", "values = [1, 2, 3"))
    messages = "\n".join(str(problem) for problem in check(project.path))
    assert re.search(r"docs/labs/broken.py:5: Python syntax error in cell 2", messages), messages
    assert "docs/labs/broken.py: this lab has no page" in messages, messages
    assert "Traceback" not in messages
    lab_page(project, "broken")          # with its page, the error is reported once, from the page's rendering
    messages = [str(problem) for problem in check(project.path)]
    assert len([m for m in messages if "Python syntax error" in m]) == 1, messages
    assert not [m for m in messages if "has no page" in m], messages


def test_a_lab_block_shown_as_code_does_not_count_as_the_lab_s_page(project):
    """CONTRIBUTING-style examples: a ```lab block inside a code fence is text, not a second page."""
    project.write("docs/index.md", PAGE)
    a_lab()(project)
    project.write("docs/howto.md", "# How to\n\n````markdown\n```lab demo\n# Lab 9: Demo (docs/labs/demo.py)\n```\n````\n")
    messages = [str(problem) for problem in check(project.path)]
    assert not [m for m in messages if "lab" in m], messages
