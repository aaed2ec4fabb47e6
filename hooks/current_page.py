"""Tell the course's Markdown extension (textbook.extension) which page MkDocs is rendering.

Zensical hands that to Markdown extensions itself; MkDocs does not, so this hook does, and turns
the extension's ``file:line`` errors into MkDocs' clean PluginError. It also makes `mkdocs serve`
redraw when a chart's definition in charts/ changes, and says after each build how many pages were
rendered and how many taken as kept from the last one. Everything else lives in the extension.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from textbook import extension

log = logging.getLogger("mkdocs.textbook")


def on_config(config, **kwargs):
    if not any(name in ("textbook.extension", "textbook") for name in config.markdown_extensions):
        raise PluginError("mkdocs.yml: hooks/current_page.py is listed but the course's Markdown extension is not, "
                          "so no page would show its facts, tables, charts or quizzes\n"
                          "  Add '- textbook.extension' under markdown_extensions.")
    extension.context.project = Path(config.config_file_path).resolve().parent
    extension.context.docs = Path(config.docs_dir).resolve()
    extension.context.directory_urls = config.use_directory_urls
    extension.context.fail = lambda error: PluginError(str(error))


def on_pre_build(config, **kwargs):
    extension.context.build = object()      # the course is read once per build (each `mkdocs serve` rebuild too)
    extension.renders.clear()


def on_post_build(config, **kwargs):
    log.info("Pages: %d rendered, %d as kept from the last build (.cache/course/)",
             extension.renders["rendered"], extension.renders["kept"])


def on_page_markdown(markdown, *, page, config, files, **kwargs):
    extension.context.page = extension.PageContext(page.file.src_uri, page.url)
    for key in ("title", "description"):             # Material writes these into <head> unescaped
        if isinstance(page.meta.get(key), str):
            page.meta[key] = Markup(html.escape(page.meta[key]))
    return markdown


def on_page_content(html_text, *, page, config, files, **kwargs):
    extension.context.page = None
    # A title read from the first heading reaches <title> unescaped too (entities decoded).
    if page._title_from_render and not isinstance(page._title_from_render, Markup):
        page._title_from_render = Markup(html.escape(page._title_from_render))
    return html_text


def on_serve(server, config, builder, **kwargs):
    charts = Path(config.config_file_path).resolve().parent / "charts"
    if charts.is_dir():
        server.watch(str(charts))
    return server
