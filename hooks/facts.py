"""Fill fact markers, tables, charts, stat cards, key-terms boxes, the glossary and the Sources page.

A thin adapter: the logic lives in the ``textbook`` package beside this file, which has no
MkDocs import. Errors from it carry ``file:line`` and become MkDocs' clean PluginError.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path

from markupsafe import Markup

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from textbook.charts import build_charts
from textbook.csp import fill_policies
from textbook.errors import ContentError
from textbook.facts import load_facts
from textbook.frontmatter import check_front_matter
from textbook.glossary import check_chapters, load_glossary
from textbook.misconceptions import FILE as MISCONCEPTIONS, load_misconceptions
from textbook.render import PageRenderer, Site
from textbook.sanitize import find_unsafe_markdown, page_problems
from textbook.yamlfile import check_text

_state: dict = {"renderers": {}}
log = logging.getLogger("mkdocs.hooks.textbook")


def _relative(config, path: Path) -> str:
    return Path(path).resolve().relative_to(Path(config.config_file_path).resolve().parent).as_posix()


def on_startup(*, command, dirty, **kwargs):
    _state["preview"] = command == "serve"


def on_config(config, **kwargs):
    # Runs on every build, including each rebuild of `mkdocs serve`, so edits to the YAML are picked up.
    docs = Path(config.docs_dir)
    try:
        facts = load_facts(docs / "facts.yml", _relative(config, docs / "facts.yml"))
        glossary = load_glossary(docs / "glossary.yml", _relative(config, docs / "glossary.yml"))
        misconceptions = load_misconceptions(docs / MISCONCEPTIONS, _relative(config, docs / MISCONCEPTIONS))
        check_text(*((docs / name, _relative(config, docs / name)) for name in ("facts.yml", "glossary.yml", MISCONCEPTIONS)))
    except ContentError as error:
        raise PluginError(str(error)) from None
    _state["site"] = Site(facts, glossary, misconceptions=misconceptions)
    _state["prefix"] = _relative(config, docs)


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_files(files, config, **kwargs):
    # Titles and fact usage of every page are needed before any page renders (for the Sources page).
    site: Site = _state["site"]
    root = _root(config)
    try:
        site.charts, stats = build_charts(site.facts, root / "charts", root / ".cache" / "charts")
    except ContentError as error:
        raise PluginError(str(error)) from None
    log.info("Charts: %d drawn, %d from the cache", len(stats.drawn), len(stats.cached))
    for chart in site.charts.values():
        for theme, suffix in (("light", ".svg"), ("dark", ".dark.svg")):
            files.append(File.generated(config, f"assets/charts/{chart.name}{suffix}", content=chart.svg[theme]))
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md"):          # labs are notebooks, handled by hooks/labs.py
            continue
        site.add_page(file.src_uri, file.url, file.content_string)
    problems = site.check_misconceptions(_relative(config, Path(config.docs_dir) / MISCONCEPTIONS))
    problems += check_chapters(site.glossary, set(site.pages), _relative(config, Path(config.docs_dir) / "glossary.yml"))
    if problems:
        raise PluginError("\n".join(map(str, problems)))
    return files


def on_page_markdown(markdown, *, page, config, files, **kwargs):
    if not page.file.src_uri.endswith(".md"):
        return markdown
    site: Site = _state["site"]
    # MkDocs hands over the Markdown without its front matter; count lines from the file's top.
    first_line = page.file.content_string.count("\n") - markdown.count("\n") + 1
    root = "../" * page.url.count("/")
    name = f"{_state['prefix']}/{page.file.src_uri}"
    for key in ("title", "description"):             # the theme writes these into <head> unescaped
        if isinstance(page.meta.get(key), str):
            page.meta[key] = Markup(html.escape(page.meta[key]))
    if problems := check_front_matter(page.file.content_string, name):
        raise PluginError("\n".join(map(str, problems)))
    # Raw HTML and javascript: links, front matter included: the same messages as the check.
    if problems := find_unsafe_markdown(page.file.content_string, name):
        raise PluginError("\n".join(map(str, problems)))
    renderer = PageRenderer(site, name, root)
    try:
        rendered = renderer.render(markdown, first_line)
    except ContentError as error:
        raise PluginError(str(error)) from None
    _state["renderers"][page.file.src_uri] = renderer
    return rendered


def on_page_content(html_text, *, page, config, files, **kwargs):
    renderer = _state["renderers"].pop(page.file.src_uri, None)
    if renderer is None:
        return html_text
    html_text = renderer.fill(html_text)
    # The last look: nothing that runs script may reach a page, whatever the way in.
    if problems := page_problems(html_text):
        raise PluginError(f"{renderer.src}: the page would contain {problems[0]}\n"
                          "  Write Markdown, without HTML; links may only be http(s)://, mailto: or relative.")
    return html_text


def on_post_build(config, **kwargs):
    # Every page's Content-Security-Policy gets the hashes of the inline scripts the site really has.
    fill_policies(Path(config.site_dir), preview=_state.get("preview", False))


def on_serve(server, config, builder, **kwargs):
    # Redraw when a chart's definition changes while previewing.
    charts = _root(config) / "charts"
    if charts.is_dir():
        server.watch(str(charts))
    return server
