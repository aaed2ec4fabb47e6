"""Broken or hostile contributions that run code, bloat data or fool the checks: each is caught with
file:line, what is wrong and no traceback, within the configured limits.

Charts and labs run a contributor's code; the limits are set low here (TEXTBOOK_CHART_SECONDS=2,
TEXTBOOK_LAB_SECONDS, TEXTBOOK_LAB_OUTPUT_KB) so a hang costs seconds. Most cases run the fast
check in-process; a few run a real build.
"""
from __future__ import annotations

import re
from pathlib import Path
import time

import pytest
from test_bad_inputs import GPT2, PAGE, check_case, chart, in_facts, in_glossary, on_page

from conftest import run_mkdocs
from textbook.check import check
from textbook.facts import format_number

CHART_SECONDS = 2
LIMIT = {"TEXTBOOK_CHART_SECONDS": str(CHART_SECONDS)}


def chart_file(text: str):
    return lambda project: project.write("charts/broken.py", text)


def in_file(name: str, text: str):
    return lambda project: project.write(name, text)


def loop(body: str) -> str:
    """A data() body (line 5 onwards) that never ends."""
    return "while True:\n        " + body


CHART_START = 'TITLE = "Broken"\nCAPTION = "A chart with a mistake."\n'
RESULT = '{"alt": "", "columns": ["a"], "rows": [["1"]], "plot": {}}'
SWALLOW = loop("try:\n            time.sleep(10)\n        except BaseException:\n            pass")
BOMB = ('a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n'
        'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n')
FORMULA = 'formula: "gpt3.tokens / gpt3.params"'
FACTS_LINES = (Path(__file__).parents[1] / "docs" / "facts.yml").read_text(encoding="utf-8").splitlines()
GPT2_AT = FACTS_LINES.index("  gpt2.params:") + 1                   # the line the fact starts on
FORMULA_AT = FACTS_LINES.index("  gpt3.tokens_per_param:") + 1       # the line the fact starts on
QUIZ = PAGE.split("## Section\n\n", 1)[1]

CASES = {
    # --- Charts: every way out of data() is a file:line error; nothing hangs -----------------------
    "chart calling sys.exit(0)": (chart("import sys; sys.exit(0)"), r"charts/broken.py:5: data\(\) failed: the code called sys.exit\(0\)"),
    "chart calling sys.exit(1)": (chart("import sys; sys.exit(1)"), r"charts/broken.py:5: data\(\) failed: the code called sys.exit\(1\)"),
    "chart calling exit()": (chart("exit()"), r"charts/broken.py:5: data\(\) failed: the code called sys.exit\(\)"),
    "chart raising SystemExit": (chart("raise SystemExit('done')"), r"charts/broken.py:5: data\(\) failed: the code called sys.exit\('done'\)"),
    "chart raising KeyboardInterrupt": (chart("raise KeyboardInterrupt"), r"charts/broken.py:5: data\(\) failed: KeyboardInterrupt"),
    "chart raising GeneratorExit": (chart("raise GeneratorExit"), r"charts/broken.py:5: data\(\) failed: GeneratorExit"),
    "chart calling os._exit(0)": (chart("import os; os._exit(0)"), r"charts/broken.py:4: data\(\) failed: the chart's process ended without a result \(exit status 0\)"),
    "chart killing itself": (chart("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"), r"charts/broken.py:4: data\(\) failed: the chart's process ended without a result \(killed by signal SIGKILL\)"),
    "chart that never returns": (chart(loop("pass")), rf"charts/broken.py:[56]: data\(\) ran longer than {CHART_SECONDS} s and was stopped"),
    "chart that sleeps": (chart("import time; time.sleep(600)"), rf"charts/broken.py:5: data\(\) ran longer than {CHART_SECONDS} s and was stopped"),
    "chart that swallows its stop": (chart("import time\n    " + SWALLOW), rf"charts/broken.py:4: data\(\) ran longer than {CHART_SECONDS} s and was stopped"),
    "chart that ignores the alarm": (chart("import signal; signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    " + loop("pass")), rf"charts/broken.py:4: data\(\) ran longer than {CHART_SECONDS} s and was stopped"),
    "chart recursing forever": (chart("data(inputs)"), r"charts/broken.py:5: data\(\) failed: RecursionError"),
    "chart returning a plot that cannot be sent back": (chart_file(CHART_START + 'def data(inputs):\n    return {"alt": "", "columns": [], "rows": [], "plot": {"f": lambda: 1}}\n\ndef draw(plot, style):\n    return None\n'), r"charts/broken.py:3: data\(\) failed: \w+: the result cannot be sent back"),
    "chart returning a list": (chart_file(CHART_START + "def data(inputs):\n    return []\n\ndef draw(plot, style):\n    return None\n"), r"charts/broken.py:3: data\(\) must return a dict with alt, columns, rows and plot"),
    "chart returning rows that are not lists": (chart_file(CHART_START + 'def data(inputs):\n    return {"alt": "", "columns": ["a"], "rows": 5, "plot": {}}\n\ndef draw(plot, style):\n    return None\n'), r"charts/broken.py:3: data\(\) must return columns and rows as lists"),
    "chart row of the wrong length": (chart_file(CHART_START + 'def data(inputs):\n    return {"alt": "", "columns": ["a", "b"], "rows": [["1"]], "plot": {}}\n\ndef draw(plot, style):\n    return None\n'), r"charts/broken.py:3: data\(\) returned a table row with 1 cells for 2 columns"),
    "chart file exiting while loading": (chart_file("import sys\nsys.exit(0)\n"), r"charts/broken.py:2: the chart file failed while loading: the code called sys.exit\(0\)"),
    "chart file looping while loading": (chart_file("while True:\n    pass\n"), rf"charts/broken.py:\d: the chart file ran longer than {CHART_SECONDS} s and was stopped"),
    "chart file that does not parse": (chart_file(CHART_START + "def data(inputs:\n    return 1\n"), r"charts/broken.py:3: the chart file does not parse"),
    "chart file without draw": (chart_file(CHART_START + f"def data(inputs):\n    return {RESULT}\n"), r"charts/broken.py:1: the chart file defines no draw"),
    # --- YAML anchors and aliases are refused before anything is composed --------------------------
    "anchor in the facts file": (in_facts(GPT2, GPT2.replace("    value: 1.5e9\n", "    value: &big 1.5e9\n")), r"docs/facts.yml:\d+: an anchor \('&big'\) is not allowed"),
    "alias in the facts file": (in_facts("    unit: parameters\n", "    unit: *unit\n"), r"docs/facts.yml:\d+: an alias \('\*unit'\) is not allowed"),
    "alias bomb in the glossary": (in_file("docs/glossary.yml", BOMB), r"docs/glossary.yml:1: an anchor \('&a'\) is not allowed"),
    "alias bomb in the misconceptions file": (in_file("docs/misconceptions.yml", "misconceptions:\n  " + BOMB.replace("\n", "\n  ")), r"docs/misconceptions.yml:2: an anchor \('&a'\) is not allowed"),
    "learner question under a heading that is gone": (in_file("docs/learner-questions.yml", 'sections:\n  index.md#no-such-heading:\n    - "why?"\n'), r"docs/learner-questions.yml:2: section 'index.md#no-such-heading'"),
    "learner questions saved as Latin-1": (lambda project: (project.path / "docs/learner-questions.yml").write_bytes('sections:\n  index.md#section:\n    - "caf\xe9?"\n'.encode("latin-1")), r"docs/learner-questions.yml:3: the file is not UTF-8 text"),
    "a list as a key in the glossary": (in_file("docs/glossary.yml", "? [token, word]\n: {term: token, definition: A piece of text.}\n"), r"docs/glossary.yml:1: a key here is a list or a mapping, not a name"),
    "alias bomb in the learner questions": (in_file("docs/learner-questions.yml", "sections:\n  " + BOMB.replace("\n", "\n  ")), r"docs/learner-questions.yml:2: an anchor \('&a'\) is not allowed"),
    "merge key from an alias": (in_glossary("\nbase: &base\n  term: base\n  definition: A base entry.\ncopy:\n  <<: *base\n"), r"docs/glossary.yml:\d+: an anchor \('&base'\) is not allowed"),
    # --- Numbers --------------------------------------------------------------------------------------
    "NaN value": (in_facts(GPT2, GPT2.replace("1.5e9", ".nan")), rf"docs/facts.yml:{GPT2_AT + 1}: fact 'gpt2.params' has a value that is not a finite number"),
    "infinite value": (in_facts(GPT2, GPT2.replace("1.5e9", ".inf")), rf"docs/facts.yml:{GPT2_AT + 1}: fact 'gpt2.params' has a value that is not a finite number"),
    "negative infinite value": (in_facts(GPT2, GPT2.replace("1.5e9", "-.inf")), rf"docs/facts.yml:{GPT2_AT + 1}: fact 'gpt2.params' has a value that is not a finite number"),
    "value that overflows a float": (in_facts(GPT2, GPT2.replace("1.5e9", "1e400")), rf"docs/facts.yml:{GPT2_AT + 1}: fact 'gpt2.params' has a value that is not a finite number"),
    "whole number too large for a float": (in_facts(GPT2, GPT2.replace("1.5e9", "1" + "0" * 400)), rf"docs/facts.yml:{GPT2_AT + 1}: fact 'gpt2.params' has a value that is not a finite number"),
    "NaN bound": (in_facts(GPT2, GPT2 + "    low: .nan\n"), rf"docs/facts.yml:{GPT2_AT + 3}: fact 'gpt2.params' has a low that is not a finite number"),
    "low above high": (in_facts(GPT2, GPT2 + "    low: 2e9\n    high: 1e9\n"), rf"docs/facts.yml:{GPT2_AT + 3}: fact 'gpt2.params' has a low \(2000000000.0\) above its high \(1000000000.0\)"),
    "negative count": (in_facts(GPT2, GPT2.replace("1.5e9", "-1.5e9")), rf"docs/facts.yml:{GPT2_AT + 1}: fact 'gpt2.params' has a negative value \(-1500000000.0\) for a unit that cannot be negative \('parameters'\)"),
    "negative compute": (in_facts("    value: 3.14e23\n    unit: flop\n", "    value: -3.14e23\n    unit: flop\n"), r"docs/facts.yml:\d+: fact 'gpt3.compute' has a negative value .* \('flop'\)"),
    "precision too large": (in_facts(GPT2, GPT2 + "    precision: 400\n"), rf"docs/facts.yml:{GPT2_AT + 3}: fact 'gpt2.params' has a precision of 400, outside -9..6"),
    "precision too small": (in_facts(GPT2, GPT2 + "    precision: -50\n"), rf"docs/facts.yml:{GPT2_AT + 3}: fact 'gpt2.params' has a precision of -50, outside -9..6"),
    "formula with only constants": (in_facts(FORMULA, 'formula: "3 * 7"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' has a formula that uses no other fact"),
    "formula of 10 ** 400": (in_facts(FORMULA, 'formula: "10 ** 400"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' has a formula that uses no other fact"),
    "formula that overflows": (in_facts(FORMULA, 'formula: "gpt3.tokens ** 400"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' has a formula whose result is too large to be a number"),
    "formula that multiplies to infinity": (in_facts(FORMULA, 'formula: "gpt3.tokens * 1e308"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' has a formula whose result is too large to be a number"),
    "formula with a complex result": (in_facts(FORMULA, 'formula: "(gpt3.params - gpt3.tokens) ** 0.5"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' has a formula whose result is not a real number"),
    "formula dividing by zero": (in_facts(FORMULA, 'formula: "gpt3.tokens / (gpt3.params - gpt3.params)"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' divides by zero in its formula"),
    "formula raising zero to a negative power": (in_facts(FORMULA, 'formula: "(gpt3.params - gpt3.params) ** -1"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' divides by zero in its formula"),
    "formula with a negative count": (in_facts(FORMULA, 'formula: "gpt3.params - gpt3.tokens"'), rf"docs/facts.yml:{FORMULA_AT}: fact 'gpt3.tokens_per_param' has a formula whose result is negative .* \('tokens_per_parameter'\)"),
    # --- Consistency ----------------------------------------------------------------------------------
    "fact in a heading": (on_page("## Section\n", "## GPT-3 has :fact[gpt3.params]\n"), r"docs/index.md:9: a fact in a heading"),
    "fact in a deeper heading": (on_page("## Section\n", "### About :fact[gpt3.params short] ###\n"), r"docs/index.md:9: a fact in a heading"),
    "front matter never closed": (on_page("---\n\n# Home", "\n# Home"), r"docs/index.md:1: the front matter block is never closed"),
    "front matter that does not parse": (on_page("title: Home\n", "title: [Home\n"), r"docs/index.md:2: couldn't parse the YAML"),
    "front matter with an alias bomb": (on_page("title: Home\n", BOMB), r"docs/index.md:2: an anchor \('&a'\) is not allowed"),
    "front matter that is a list": (on_page("title: Home\n", "- Home\n"), r"docs/index.md:2: the front matter must be 'field: value' lines"),
    "quiz inside an admonition": (on_page("## Section\n\n" + QUIZ, "## Section\n\n!!! note\n\n" + "".join("    " + line if line.strip() else line for line in QUIZ.splitlines(True))), r"docs/index.md:13: a quiz inside an admonition, tab or list"),
    "quiz inside a content tab": (on_page("## Section\n\n" + QUIZ, '## Section\n\n=== "Quiz"\n\n' + "".join("    " + line if line.strip() else line for line in QUIZ.splitlines(True))), r"docs/index.md:13: a quiz inside an admonition, tab or list"),
    "quiz inside a list item": (on_page("<!-- quiz: home -->", "- item\n\n  <!-- quiz: home -->"), r"docs/index.md:13: a quiz inside an admonition, tab or list"),
    "line too long": (on_page("## Section\n", "## Section\n\n" + "a " * 1500 + "\n"), r"docs/index.md:11: a line of 3,000 characters \(the limit is 2,000\)"),
    "quiz option too long": (on_page("- [ ] Wrong.", "- [ ] Wrong " + "[" * 5000), r"docs/index.md:16: a line of 5,012 characters"),
    "glossary entry naming an unknown chapter": (in_glossary("\nnew-term:\n  term: new term\n  definition: A new term.\n  chapter: pretrainig\n"), r"docs/glossary.yml:\d+: term 'new-term' names an unknown chapter 'pretrainig'"),
}


@pytest.fixture
def limits(monkeypatch):
    for name, value in LIMIT.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_code_or_data_is_caught_by_the_check(project, limits, case):
    start = time.perf_counter()
    check_case(project, *CASES[case])
    seconds = time.perf_counter() - start
    assert seconds < CHART_SECONDS + 10, f"the check took {seconds:.1f} s"


# --- Long lines: every scan of contributor text is linear --------------------------------------------

LONG = 200_000
LONG_LINES = {
    "digits": "1" * LONG,
    "digits and commas": "1," * (LONG // 2),
    "digits and points": "1." * (LONG // 2),
    "percentages": "1% " * (LONG // 3),
    "backticks": "`" * LONG,
    "backtick pairs": "`` ` " * (LONG // 5),
    "comment openers": "<!--" * (LONG // 4),
    "angle brackets": "<" * LONG,
    "link openers": "[a](" * (LONG // 4),
    "nested brackets": "[" * LONG,
    "fact openers": ":fact[" * (LONG // 6),
    "attribute openers": "{#" * (LONG // 2),
    "heading of attribute openers": "## " + "{#" * (LONG // 2),
    "heading with spaces": "# a" + " " * LONG + "b",
    "quiz marker": "<!-- quiz: a" + " a" * (LONG // 2),
    "question marker": "<!-- question: a" + " a" * (LONG // 2),
    "fence info": "```" + " " * LONG + "a",
    "brackets in a quiz option": None,
}


@pytest.mark.parametrize("kind", LONG_LINES, ids=list(LONG_LINES))
def test_a_200_kb_line_is_checked_in_seconds(project, kind):
    if LONG_LINES[kind] is None:        # inside a quiz, where the option's text is rendered as Markdown
        project.write("docs/index.md", PAGE.replace("- [ ] Wrong.", "- [ ] Wrong " + "[" * LONG))
    else:
        project.write("docs/index.md", PAGE.replace("## Section\n", "## Section\n\n" + LONG_LINES[kind] + "\n"))
    start = time.perf_counter()
    messages = "\n".join(str(problem) for problem in check(project.path))
    seconds = time.perf_counter() - start
    assert seconds < 10, f"{seconds:.1f} s to check one {LONG // 1000} KB line"
    assert re.search(r"docs/index.md:\d+: a line of [\d,]+ characters \(the limit is 2,000\)", messages), messages
    assert "Traceback" not in messages


def test_a_long_line_still_finds_the_quantity_at_its_end():
    from textbook.quantities import bare_quantities

    start = time.perf_counter()
    found = list(bare_quantities("1," * 100_000 + " and 45% more\n"))
    assert found == [(1, "45%", "a percentage")]
    assert time.perf_counter() - start < 10


# --- Numbers as readers see them ---------------------------------------------------------------------

def test_zero_compute_and_tiny_values_format_without_error():
    assert format_number(0, "flop") == "0 FLOP"
    assert format_number(0, "flop", "short") == "0"
    assert format_number(0.001, "usd") == "$1 × 10⁻³"


def test_the_largest_float_formats_as_a_number():
    assert format_number(1.7e308, "flop").startswith("1.7 × 10³⁰⁸")


# --- Labs: a total time limit and an output limit ----------------------------------------------------

SLOW_LAB = """\
# %% [markdown]
# # Lab 9: A slow lab

# %%
import time
time.sleep(2)

# %%
time.sleep(2)

# %%
time.sleep(2)
"""

LOUD_LAB = """\
# %% [markdown]
# # Lab 9: A loud lab

# %%
x = 1

# %%
for _ in range(10 ** 7):
    print("x" * 100)
"""


def run_lab(project, text: str):
    from textbook.labs import execute, find_labs, read_lab

    project.write("docs/labs/broken.py", text)
    lab = find_labs(project.docs, project.path)[0]
    start = time.perf_counter()
    with pytest.raises(Exception) as caught:
        execute(lab, read_lab(lab), project.docs / "labs")
    return str(caught.value), time.perf_counter() - start


def test_a_lab_whose_cells_add_up_past_the_total_limit_is_stopped(project, monkeypatch):
    monkeypatch.setenv("TEXTBOOK_LAB_SECONDS", "4")
    message, seconds = run_lab(project, SLOW_LAB)
    assert re.match(r"docs/labs/broken.py:(9|12): lab 'broken' ran longer than 4 s in total \(stopped in cell [34]\)",
                    message), message
    assert "TEXTBOOK_LAB_SECONDS" in message and "Traceback" not in message
    assert seconds < 4 + 10


def test_a_lab_printing_too_much_is_stopped_at_its_cell(project, monkeypatch):
    monkeypatch.setenv("TEXTBOOK_LAB_OUTPUT_KB", "64")
    message, seconds = run_lab(project, LOUD_LAB)
    assert message.startswith("docs/labs/broken.py:8: lab 'broken' printed or showed more than 64 KB in total "
                              "(stopped in cell 3)"), message
    assert "TEXTBOOK_LAB_OUTPUT_KB" in message and "Traceback" not in message
    assert seconds < 30


# --- The real build: a few cases ---------------------------------------------------------------------

def build(project) -> tuple[int, str]:
    result = run_mkdocs(project.path / "mkdocs.yml", project.path / "site", env=LIMIT)
    return result.returncode, result.stdout + result.stderr


def test_a_chart_calling_sys_exit_stops_the_build(project):
    project.write("docs/index.md", PAGE)
    chart("import sys; sys.exit(0)")(project)
    code, output = build(project)
    assert code != 0, output
    assert "charts/broken.py:5: data() failed: the code called sys.exit(0)" in output, output
    assert "Traceback" not in output
    assert not (project.path / "site" / "index.html").exists()


def test_a_chart_whose_draw_hangs_stops_the_build_in_time(project):
    project.write("docs/index.md", PAGE)
    chart_file(CHART_START + f"def data(inputs):\n    return {RESULT}\n\ndef draw(plot, style):\n"
               "    while True:\n        pass\n")(project)
    start = time.perf_counter()
    code, output = build(project)
    assert code != 0, output
    assert re.search(rf"charts/broken.py:[78]: draw\(\) ran longer than {CHART_SECONDS} s and was stopped", output), output
    assert "Traceback" not in output
    assert time.perf_counter() - start < 60


def test_a_broken_front_matter_stops_the_build(project):
    project.write("docs/index.md", PAGE.replace("title: Home\n", "title: [Home\n"))
    code, output = build(project)
    assert code != 0, output
    assert "docs/index.md:2: couldn't parse the YAML" in output, output
    assert "Traceback" not in output


def test_processes_a_chart_starts_end_with_it(project, limits, tmp_path):
    """A chart that leaves a process behind (here one that would write a file later) does not keep it."""
    marker = tmp_path / "still-running"
    project.write("docs/index.md", PAGE)
    chart(f"import os, time\n    if os.fork() == 0:\n        time.sleep(4)\n        open({str(marker)!r}, 'w').close()\n"
          "        os._exit(0)\n    time.sleep(600)")(project)
    messages = "\n".join(str(problem) for problem in check(project.path))
    assert re.search(rf"charts/broken.py:\d+: data\(\) ran longer than {CHART_SECONDS} s", messages), messages
    time.sleep(2)                   # the check stopped the chart within 3 s; the leftover would write at 4 s
    assert not marker.exists(), "a process started by the chart outlived it"


def test_an_unknown_glossary_chapter_stops_the_build(project):
    project.write("docs/index.md", PAGE)
    in_glossary("\nnew-term:\n  term: new term\n  definition: A new term.\n  chapter: pretrainig\n")(project)
    code, output = build(project)
    assert code != 0, output
    assert re.search(r"docs/glossary.yml:\d+: term 'new-term' names an unknown chapter 'pretrainig'", output), output
    assert "Traceback" not in output


PLANTED_RESULT = (
    "import builtins, pickle\n"
    "    class Evil:\n"
    "        def __reduce__(self):\n"
    "            return (builtins.exec, (\"import os; os.environ['FD_PLANTED'] = '1'\",))\n"
    "    crafted = pickle.dumps(('ok', Evil()))\n"
    "    pickle.dumps = lambda *args, **kwargs: crafted")


def test_a_chart_cannot_make_the_build_run_code_through_its_result(project, monkeypatch):
    """The child sends its result back as a pickle; the parent takes back plain data and charts only."""
    monkeypatch.delenv("FD_PLANTED", raising=False)
    messages = check_case(project, chart(PLANTED_RESULT),
                          r"charts/broken.py:\d+: data\(\) failed: .*its result holds a builtins.exec, which the "
                          r"build does not take back")
    import os

    assert "FD_PLANTED" not in os.environ, messages
