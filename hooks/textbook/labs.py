"""Labs: runnable notebooks kept as Jupytext percent files in docs/labs/, executed at build time.

A lab is ``docs/labs/<name>.py``. The build runs it in a fresh Python kernel (working directory
``docs/labs/``) and stores the executed notebook in a cache folder, keyed on everything that can
change its output: the lab's own source, the files it reads (``docs/labs/data/``; ``docs/facts.yml`` if it
reads facts),
the helper module ``textbook.labkit``, this module and the versions of numpy and matplotlib. A build with no such
change runs nothing.

No MkDocs import here: the course's Markdown extension shows each lab on its page (``LabFolder``,
``textbook.labpage``).
"""
from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ContentErrors
from .markdown_scan import DIRECTIVES, segments
from .sanitize import MD_LINK, find_unsafe_markdown

log = logging.getLogger("mkdocs.textbook.labs")     # MkDocs prints INFO under "mkdocs"

LABS_DIR = "labs"                      # under docs/
CACHE_FORMAT = "labs-cache-3"          # change to invalidate every cached lab
CELL_TIMEOUT = 120                     # seconds one cell may run before the build gives up
SECONDS_VARIABLE, DEFAULT_SECONDS = "TEXTBOOK_LAB_SECONDS", 600.0        # a whole lab, kernel start included
OUTPUT_VARIABLE, DEFAULT_OUTPUT_KB = "TEXTBOOK_LAB_OUTPUT_KB", 2048.0    # everything a lab prints or shows
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
COURSE_SYNTAX = re.compile(r":fact\[|^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:" + "|".join(DIRECTIVES) + r")\b"
                           r"|<!--[ \t]*(?:quiz:|question:)", re.M)


@dataclass
class Lab:
    """One lab source file."""

    path: Path           # absolute path of docs/labs/<name>.py
    display: str         # the path as a contributor sees it, e.g. docs/labs/next-token.py
    src_uri: str         # path under docs/, e.g. labs/next-token.py

    @property
    def name(self) -> str:
        return self.path.stem


def find_labs(docs: Path, root: Path) -> list[Lab]:
    """Every lab under docs/labs/, in name order."""
    folder = docs / LABS_DIR
    return [Lab(path, path.relative_to(root).as_posix(), path.relative_to(docs).as_posix())
            for path in sorted(folder.glob("*.py"))] if folder.is_dir() else []


@dataclass
class LabFolder:
    """Where a course's labs are read from, and whether a build runs them (the check only reads them)."""

    docs: Path
    project: Path
    run: bool = True

    def labs(self) -> dict[str, Lab]:
        return {lab.name: lab for lab in find_labs(self.docs, self.project)}

    def notebook(self, lab: Lab):
        """The lab with its outputs (run now if the cache has no copy), or only read when not running."""
        if not self.run:
            return read_lab(lab)
        from nbformat import v4

        path, ran = executed_notebook(lab, self.docs, self.project / ".cache" / "labs")
        # Written by executed_notebook as a valid version-4 notebook: read without validating it again.
        return v4.reads(path.read_text(encoding="utf-8"))

    def version(self, lab: Lab) -> str | None:
        """Names what ``notebook`` returns for the lab: the executed notebook's file, whose folder is the
        hash of everything the run depends on (run now if the cache has no copy). None when not running:
        the lab is then read from its source, which is no kept run."""
        if not self.run:
            return None
        path, _ran = executed_notebook(lab, self.docs, self.project / ".cache" / "labs")
        return str(path)


# --- Reading ------------------------------------------------------------------------------------

def read_lab(lab: Lab):
    """The lab as a notebook (cells, no outputs), or a ContentError that names the file and line."""
    import jupytext

    text = lab.path.read_text(encoding="utf-8")
    if not re.search(r"^# %%", text, re.M):
        raise ContentError(lab.display, 1, "this lab has no '# %%' cell markers",
                           "Labs are Jupytext percent files: start each cell with '# %%' (code) or "
                           "'# %% [markdown]' (text). See CONTRIBUTING.md, 'Add or change a lab'.")
    try:
        notebook = jupytext.reads(text, fmt="py:percent")
    except Exception as error:          # jupytext raises many kinds; all mean "cannot read this file"
        raise ContentError(lab.display, None, f"couldn't read the lab: {error}",
                           "Check the '# %%' cell markers.") from None
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"{lab.name}-{number}"              # stable ids: the page and the download stay byte-identical
        if cell.cell_type == "code":
            try:
                compile(cell.source, f"{lab.display} cell {number}", "exec")
            except SyntaxError as error:
                line = cell_start_lines(text, notebook)[number - 1] + (error.lineno or 1) - 1
                raise ContentError(lab.display, line, f"Python syntax error in cell {number}: {error.msg}",
                                   "Fix the code in that cell; run the lab file with Python to try it.") from None
    # Text cells are rendered as Markdown with raw HTML: the course's policy holds there too.
    starts = cell_start_lines(text, notebook)
    problems = [problem for number, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
                for problem in find_unsafe_markdown(cell.source, lab.display, starts[number])]
    for number, cell in enumerate(notebook.cells):       # a lab's text is Markdown, not the course's syntax
        if cell.cell_type == "markdown" and (found := COURSE_SYNTAX.search(cell.source)):
            line = starts[number] + cell.source.count("\n", 0, found.start())
            problems.append(ContentError(
                lab.display, line, f"course syntax in a lab's text: '{found[0].strip()}'",
                "Labs show their text as plain Markdown: write the figure out (and its source), or move "
                "the block to a lesson."))
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    if not notebook.cells or notebook.cells[0].cell_type != "markdown" or \
            not notebook.cells[0].source.lstrip().startswith("# "):
        raise ContentError(lab.display, 1, "a lab starts with a text cell whose first line is its '# Title'",
                           "Begin the file with '# %% [markdown]' and then '# # Lab N: Title'.")
    return notebook


def title_of(notebook) -> str:
    return notebook.cells[0].source.lstrip().splitlines()[0].lstrip("# ").strip()


def cell_start_lines(text: str, notebook) -> list[int]:
    """The line in the source file where each cell's first line of content sits."""
    lines = text.splitlines()
    headers = [number for number, line in enumerate(lines, 1) if line.startswith("# %%")]
    starts = []
    for index, cell in enumerate(notebook.cells):
        header = headers[index] if index < len(headers) else (headers[-1] if headers else 1)
        first = cell.source.splitlines()[0] if cell.source.strip() else ""
        start = header + 1
        for number in range(header + 1, min(len(lines), header + 50) + 1):
            if first and first.strip() in lines[number - 1]:
                start = number
                break
        starts.append(start)
    return starts


# --- The cache key --------------------------------------------------------------------------------

READS_FACTS = re.compile(r"labkit\.facts\(|\btextbook\.facts\b|facts\.yml")


def reads_facts(lab: Lab) -> bool:
    """Whether the lab reads the facts file: through ``labkit.facts()``, ``textbook.facts`` or by its name.

    Only such a lab runs again when a fact changes; the others do not depend on it.
    """
    return bool(READS_FACTS.search(lab.path.read_text(encoding="utf-8")))


def cache_key(lab: Lab, docs: Path) -> str:
    """A hash of everything that can change what the lab prints or draws."""
    from importlib.metadata import version       # not an import of numpy or matplotlib: warm builds stay light

    digest = hashlib.sha256()
    digest.update(CACHE_FORMAT.encode())
    digest.update(f"numpy={version('numpy')} matplotlib={version('matplotlib')}".encode())
    inputs = [lab.path, Path(__file__), Path(__file__).with_name("labkit.py"), Path(__file__).with_name("sanitize.py")]
    if reads_facts(lab):
        inputs.append(docs / "facts.yml")
    data = docs / LABS_DIR / "data"
    if data.is_dir():
        inputs += sorted(path for path in data.rglob("*") if path.is_file())
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()[:20]


# --- Running ------------------------------------------------------------------------------------

def execute(lab: Lab, notebook, cwd: Path, extra_code: list[str] | None = None):
    """Run the notebook in a fresh kernel and return it with its outputs.

    ``extra_code`` cells are appended first (tests use them to read the lab's variables).
    A failing cell becomes a ContentError naming the lab, the cell, its line and the exception.
    """
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from .sandbox import number_from_env

    notebook = nbformat.from_dict(notebook)
    for code in extra_code or []:
        notebook.cells.append(nbformat.v4.new_code_cell(code, id=f"extra-{len(notebook.cells) + 1}"))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # One BLAS thread: the labs multiply small matrices, where threads only add overhead (and noise).
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    total = number_from_env(SECONDS_VARIABLE, DEFAULT_SECONDS)
    limit_kb = number_from_env(OUTPUT_VARIABLE, DEFAULT_OUTPUT_KB)
    deadline = time.monotonic() + total

    def cell_timeout(_cell) -> float:    # a cell gets CELL_TIMEOUT or what is left of the lab's total
        return max(0.001, min(CELL_TIMEOUT, deadline - time.monotonic()))

    client = _bounded_client()(notebook, timeout=CELL_TIMEOUT, timeout_func=cell_timeout, kernel_name="python3",
                               allow_errors=False, record_timing=False,
                               extra_arguments=["--IPKernelApp.log_level=ERROR"],
                               resources={"metadata": {"path": str(cwd)}})
    client.output_limit = int(limit_kb * 1024)
    text = lab.path.read_text(encoding="utf-8")

    def cell_line(number: int) -> int | None:
        starts = cell_start_lines(text, notebook)
        return starts[number - 1] if 0 < number <= len(starts) else None

    def too_much_output() -> ContentError:
        number = client.output_cell + 1
        return ContentError(lab.display, cell_line(number),
                            f"lab '{lab.name}' printed or showed more than {limit_kb:g} KB in total "
                            f"(stopped in cell {number})",
                            f"Print a summary, not every value: every reader loads this output with the page and "
                            f"the search index holds it. The limit is {OUTPUT_VARIABLE} (default {DEFAULT_OUTPUT_KB:g}).")

    try:
        # The kernel's own log (not the lab's output) would show a traceback when a stopped lab shuts down.
        client.execute(env=env, stderr=subprocess.DEVNULL)
    except CellExecutionError as error:
        if client.output_cell is not None:
            raise too_much_output() from None
        raise _cell_error(lab, text, notebook, error.ename, error.evalue) from None
    except CellTimeoutError:
        if client.output_cell is not None:
            raise too_much_output() from None
        number, _cell = _failed_cell(notebook)
        if time.monotonic() >= deadline - 0.01:
            raise ContentError(lab.display, cell_line(number),
                               f"lab '{lab.name}' ran longer than {total:g} s in total (stopped in cell {number})",
                               f"Labs must stay small: fewer steps, less data. The limit for a whole lab is "
                               f"{SECONDS_VARIABLE} (default {DEFAULT_SECONDS:g} s).") from None
        raise ContentError(lab.display, cell_line(number),
                           f"lab '{lab.name}' took longer than {CELL_TIMEOUT} s in cell {number}",
                           "Labs must stay small: fewer steps, less data.") from None
    except DeadKernelError as error:
        raise ContentError(lab.display, None, f"lab '{lab.name}': the Python kernel died ({error})",
                           "The lab may use too much memory.") from None
    except Exception as error:          # the kernel could not start, for example
        raise ContentError(lab.display, None, f"lab '{lab.name}' could not run: {type(error).__name__}: {error}",
                           "Install the course's dependencies: .venv/bin/pip install -e .") from None
    if client.output_cell is not None:
        raise too_much_output()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    return notebook


def _bounded_client():
    """A NotebookClient that counts the bytes a lab outputs and stops the lab past a limit.

    Output past the limit is dropped (memory stays bounded) and the kernel is interrupted, so a lab
    printing in a loop stops at once instead of running out its time.
    """
    import asyncio
    import json

    from nbclient import NotebookClient
    from nbclient.util import ensure_async

    class BoundedClient(NotebookClient):
        output_limit = 0
        output_bytes = 0
        output_cell: int | None = None

        def output(self, outs, msg, display_id, cell_index):
            if self.output_cell is not None:
                return None
            self.output_bytes += len(json.dumps(msg.get("content", {}), ensure_ascii=False))
            if self.output_limit and self.output_bytes > self.output_limit:
                self.output_cell = cell_index
                if self.km is not None:
                    asyncio.ensure_future(ensure_async(self.km.interrupt_kernel()))
                return None
            return super().output(outs, msg, display_id, cell_index)

    return BoundedClient


def _merge_streams(outputs):
    """Join consecutive printed outputs: how the kernel happened to split them varies from run to run."""
    merged = []
    for output in outputs:
        if merged and output.output_type == "stream" and merged[-1].output_type == "stream" \
                and merged[-1].name == output.name:
            merged[-1].text += output.text
        else:
            merged.append(output)
    return merged


def _failed_cell(notebook):
    """(number, cell) of the cell that stopped the run: the first with an error or without a count."""
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code":
            continue
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return number, cell
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "code" and cell.get("execution_count") is None and cell.source.strip():
            return number, cell
    return 0, None


def _cell_error(lab: Lab, text: str, notebook, ename: str, evalue: str) -> ContentError:
    number, cell = _failed_cell(notebook)
    starts = cell_start_lines(text, notebook)
    line = None
    if number and number <= len(starts):
        line = starts[number - 1]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                trace = ANSI.sub("", "\n".join(output.get("traceback", [])))
                if found := CELL_LINE.search(trace):
                    line += int(found[1]) - 1
    where = f"cell {number}" if number <= len(starts) else "a check added after the lab"
    return ContentError(
        lab.display, line, f"lab '{lab.name}' failed in {where}: {ename}: {evalue}",
        f"Run it to see the whole traceback: cd {posixpath.dirname(lab.display)} && python {lab.path.name}")


# --- The build's view: executed notebooks from the cache ----------------------------------------------

# What a lab's output may show, by type. Everything else (JavaScript, widgets, Markdown, LaTeX, JSON …)
# is dropped; Markdown and LaTeX are kept as the text they are written in, never turned into HTML.
KEPT_OUTPUTS = frozenset({"text/plain", "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif"})


def safe_outputs(notebook) -> None:
    """What a lab prints reaches readers' browsers: keep plain text, pictures and cleaned HTML only.

    ``text/html`` keeps tables and formatting, without script, event handlers or non-web links
    (``textbook.sanitize``); SVG loses script, handlers and animations. Markdown or LaTeX output is
    kept as plain text, shown as written.
    """
    from .sanitize import clean_output, clean_svg

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            for kind in [kind for kind in data if kind not in KEPT_OUTPUTS]:
                value = data.pop(kind)
                if kind in ("text/markdown", "text/latex"):     # shown as written, rather than "<… object>"
                    data["text/plain"] = "".join(value) if isinstance(value, list) else str(value)
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = clean_output("".join(html) if isinstance(html, list) else html)
            if "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                if (cleaned := clean_svg("".join(svg) if isinstance(svg, list) else svg)) is None:
                    del data["image/svg+xml"]
                else:
                    data["image/svg+xml"] = cleaned
            if not data and output.get("output_type") in ("display_data", "execute_result"):
                data["text/plain"] = "(script output removed)"
        if "metadata" in notebook and "widgets" in notebook.metadata:
            del notebook.metadata["widgets"]


def executed_notebook(lab: Lab, docs: Path, cache_dir: Path) -> tuple[Path, bool]:
    """The path of the lab's executed notebook, running the lab only if the cache has no copy.

    Returns (path, ran). The file is ``<cache_dir>/<key>/<name>.ipynb``. A cached lab imports
    nothing from Jupyter here.
    """
    key = cache_key(lab, docs)
    target = cache_dir / key / f"{lab.name}.ipynb"
    if target.exists():
        return target, False
    import nbformat

    notebook = read_lab(lab)
    log.info("Running lab %s", lab.display)
    executed = execute(lab, notebook, docs / LABS_DIR)
    safe_outputs(executed)
    for stale in cache_dir.glob(f"*/{lab.name}.ipynb"):
        shutil.rmtree(stale.parent, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(nbformat.writes(executed), encoding="utf-8")
    partial.replace(target)
    return target, True


def check_labs(docs: Path, root: Path, pages: dict[str, str]) -> list[ContentError]:
    """Fast check, no execution: every lab has one page that shows it (```lab <name>).

    ``pages`` maps each page's path (as messages name it) to its text. A lab with a page is read
    when that page renders, which reports its mistakes; a lab without one is read here.
    """
    shown: dict[str, list[str]] = {}
    for path, text in pages.items():
        for segment in segments(text, {"lab"}):
            if segment.directive is not None:
                shown.setdefault(segment.directive.argument.strip(), []).append(f"{path}:{segment.directive.line}")
    problems: list[ContentError] = []
    labs = find_labs(docs, root)
    sources = {lab.display: lab for lab in labs}
    for path, text in pages.items():           # a link to a lab's file downloads it: readers want its page
        for number, line in enumerate(text.split("\n"), 1):
            for target in (link.split("#")[0].rstrip(">") for link in MD_LINK.findall(line)):
                lab = sources.get(posixpath.normpath(posixpath.join(posixpath.dirname(path), target))) \
                    if target.endswith(".py") else None
                if lab is not None:
                    problems.append(ContentError(path, number, f"a link to the lab's file '{target}'",
                                                 f"Link to its page instead: {target[:-3]}.md"))
    for lab in labs:
        places = shown.get(lab.name, [])
        if not places:
            try:
                read_lab(lab)
            except ContentError as error:
                problems.append(error)
            page = posixpath.join(posixpath.dirname(lab.display), f"{lab.name}.md")
            problems.append(ContentError(lab.display, None, "this lab has no page",
                                         f"Create {page} holding a ```lab {lab.name} block (see the other labs' "
                                         f"pages) and add '- {LABS_DIR}/{lab.name}.md' under 'Labs:' in mkdocs.yml."))
        elif len(places) > 1:
            problems.append(ContentError(lab.display, None, f"this lab is shown by {len(places)} pages: "
                                         f"{', '.join(places)}", "Keep one page for each lab; link to it from the others."))
    return problems
