"""Run the labs (docs/labs/*.py) and hand their executed notebooks to mkdocs-jupyter.

A thin adapter over ``textbook.labs``. mkdocs-jupyter wraps each lab as a notebook page first;
this hook then points the page at the executed copy in ``.cache/labs/`` (run only when the lab or
what it reads has changed) and adds the "download" line under the lab's title. A lab that fails stops
the build with its file, cell, line and exception, without a traceback.
"""
from __future__ import annotations

import html
import logging
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from textbook.errors import ContentError
from textbook.extension import leftover_syntax
from textbook.labs import LABS_DIR, Lab, executed_notebook, is_lab

log = logging.getLogger("mkdocs.hooks.labs")


@event_priority(-100)          # after mkdocs-jupyter has made each lab a notebook page
def on_files(files, config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve()
    cache = root / ".cache" / "labs"
    for file in files:
        if not is_lab(file.src_uri):
            continue
        source = docs / file.src_uri
        lab = Lab(source, source.relative_to(root).as_posix(), file.src_uri)
        start = time.perf_counter()
        try:
            path, ran = executed_notebook(lab, docs, cache)
        except ContentError as error:
            raise PluginError(str(error)) from None
        if ran:
            log.info("Ran lab %s in %.1f s", lab.display, time.perf_counter() - start)
        file.abs_src_path = str(path)       # mkdocs-jupyter renders (and offers for download) this copy
    return files


def on_page_content(html_text, *, page, config, files, **kwargs):
    if not is_lab(page.file.src_uri):
        return html_text
    left = leftover_syntax(html_text)
    if left:       # a lab's text is rendered by mkdocs-jupyter, which knows nothing of the course syntax
        docs = Path(config.docs_dir).resolve().relative_to(Path(config.config_file_path).resolve().parent)
        raise PluginError(f"{(docs / page.file.src_uri).as_posix()}: course syntax in a lab is shown raw: "
                          f"{', '.join(repr(item) for item in dict.fromkeys(left))}\n"
                          "  Labs are notebooks: write figures out in the lab's text, or move them to a lesson.")
    name = Path(page.file.src_uri).stem
    download = (f'<p class="fd-lab-download"><a href="{html.escape(name)}.ipynb" download>'
                f'Download this lab as a Jupyter notebook ({html.escape(name)}.ipynb)</a>. '
                f'To run it, put it in <code>docs/{LABS_DIR}/</code> of the course folder, after '
                f'<code>pip install -e . jupyterlab</code>.</p>')
    head, marker, rest = html_text.partition("</h1>")
    return head + marker + download + rest if marker else download + html_text

