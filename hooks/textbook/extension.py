"""The course's own syntax as a Python-Markdown extension, so MkDocs and Zensical build it alike.

    markdown_extensions:
      - textbook.extension:
          facts: facts.yml                     # paths are relative to the docs folder
          glossary: glossary.yml
          misconceptions: misconceptions.yml
          charts: ../charts

A preprocessor renders the course syntax of one page (facts, stat cards, key terms, tables,
charts, quizzes, the progress and review views, the glossary and the Sources page) with
``render.PageRenderer``; a postprocessor puts the rendered blocks into the page's HTML and stops
the build, naming the page, if any course syntax is still there.

What the renderer must know about the whole course (each page's title, which pages cite which
fact, every quiz) is read here from the docs folder, once per build: it is kept while no source
file changes. The page being rendered comes from Zensical's rendering context, or on MkDocs from
``hooks/current_page.py``, because MkDocs tells a Markdown extension nothing about the page.

No MkDocs or Zensical import: this module only reads what they hand to Markdown extensions.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from xml.etree import ElementTree

from . import manifest
from .charts import build_charts, chart_files
from .errors import ContentError, ContentErrors
from .facts import load_facts
from .frontmatter import check_front_matter
from .markdown_scan import DIRECTIVES
from .glossary import check_chapters, load_glossary, mark_terms
from .labs import LabFolder
from .lessonshape import lessons_in_nav
from .misconceptions import load_misconceptions
from .parsecache import (cached_load, cached_value, keep_only, keep_value, kept_value, passed_before,
                         remember_passed)
from .render import PageRenderer, Site, scan_page
from .sanitize import docs_file_problems, find_unsafe_markdown, page_problems
from .yamlfile import unsafe_text

# MkDocs prints the INFO messages of loggers under "mkdocs"; Zensical prints none.
log = logging.getLogger("mkdocs.textbook")


# Course syntax that must never reach a reader: checked in each page's HTML outside code.
LEFTOVER = re.compile(
    r":fact\[[^\]\n]*\]"                                   # an inline fact marker
    r"|<!--\s*(?:fd-slot \d+|quiz:|/quiz|question:)"       # a block slot or quiz marker
    r"|class=\"[^\"]*\blanguage-(?:" + "|".join(DIRECTIVES) + r")\b"   # a directive shown as code
    r"|<p>(?:`{3,}|~{3,})(?:" + "|".join(DIRECTIVES) + r")\b")           # a directive shown as text
CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.S)


def leftover_syntax(html: str) -> list[str]:
    """Course syntax left unrendered in a page's HTML (code blocks and code spans excepted)."""
    outside_code = CODE.sub("", html)
    return [match[0] for match in LEFTOVER.finditer(outside_code)]


# --- What the build tells the extension ----------------------------------------------------------


@dataclass
class PageContext:
    """The page being rendered, as a builder names it."""

    src: str                  # path under the docs folder, e.g. "pretraining.md"
    url: str                  # from the site root, e.g. "pretraining/"


@dataclass
class BuildContext:
    """Set by a builder that cannot pass it through Markdown (MkDocs, through hooks/current_page.py)."""

    project: Path | None = None
    docs: Path | None = None
    directory_urls: bool = True
    page: PageContext | None = None
    run_labs: bool = True     # the check renders lab pages from the labs' text and code, without running them
    build: object | None = None   # new for each build: within one, the course read for its first page holds
    fail: Callable[[ContentError], Exception] | None = None     # turns our error into the builder's


context = BuildContext()


def _zensical_context(md: Markdown):
    """Zensical registers a preprocessor holding the page and the configuration; MkDocs does not."""
    for processor in md.preprocessors:
        if type(processor).__name__ == "ContextPreprocessor" and hasattr(processor, "page"):
            return processor
    return None


def _fail(error: ContentError, zensical: bool):
    if context.fail is not None:
        raise context.fail(error) from None
    if zensical and sys.argv[1:2] != ["serve"]:
        # Zensical prints any exception from an extension with a Python traceback; a contributor
        # gets the file:line message alone, and the build still fails.
        print(f"Error: {error}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(1)
    raise error


# --- The whole course, read once per build ---------------------------------------------------------


@dataclass
class Course:
    site: Site
    docs: Path
    prefix: str               # the docs folder as messages name it, e.g. "docs"
    stamp: tuple = field(default=())
    build: object | None = None          # the build it was read for (BuildContext.build)
    fingerprint: bytes = b""             # changes with anything a page's render reads besides its own text


_courses: dict[tuple, Course] = {}


def _stamp(paths: list[Path]) -> tuple:
    """Changes when any of these files changes: the cached course is then read again."""
    stamp = []
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            stamp.append((str(path), None))
            continue
        stamp.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(stamp)


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL a page gets from the site root, as MkDocs and Zensical make it."""
    stem = src[:-3] if src.endswith(".md") else src
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def page_file(site: Path, url: str) -> Path:
    """The built file of the page at ``url`` (from the site root) in the built ``site``."""
    return site / unquote(url) / "index.html" if not url.endswith(".html") else site / unquote(url)


def course_pages(docs: Path) -> list[Path]:
    return sorted(path for path in docs.rglob("*.md")
                  if not any(part.startswith(".") for part in path.relative_to(docs).parts))


def load_course(project: Path, docs: Path, options: dict, directory_urls: bool = True,
                run_labs: bool = True, build: object | None = None) -> Course:
    """Facts, glossary, misconceptions, charts and every page's title, citations and quizzes.

    Labs run when their page renders (``LabFolder.notebook``), and only if their cache has no copy.
    Within one build (``build``, set by the builder's adapter) the files are not looked at again:
    a course of hundreds of pages would otherwise stat every file for every page.
    """
    key = (str(project), str(docs), tuple(sorted(options.items())), directory_urls, run_labs)
    cached = _courses.get(key)
    if cached and build is not None and cached.build is build:
        return cached
    files = {name: (docs / options[name]).resolve() for name in ("facts", "glossary", "misconceptions")}
    charts = (docs / options["charts"]).resolve()
    pages = course_pages(docs)
    stamp = _stamp([*files.values(), *pages, *chart_files(charts)] if charts.is_dir() else [*files.values(), *pages])
    if cached and cached.stamp == stamp:
        cached.build = build
        return cached

    def shown(path: Path) -> str:
        try:
            return path.relative_to(project).as_posix()
        except ValueError:
            return str(path)

    facts = cached_load(project, load_facts, files["facts"], shown(files["facts"]))
    glossary = cached_load(project, load_glossary, files["glossary"], shown(files["glossary"]))
    misconceptions = cached_load(project, load_misconceptions, files["misconceptions"], shown(files["misconceptions"]))
    unsafe = [problem for path in files.values() for problem in cached_load(project, unsafe_text, path, shown(path))]
    if unsafe:                                                          # raw HTML, javascript: links
        raise unsafe[0] if len(unsafe) == 1 else ContentErrors(unsafe)
    site = Site(facts, glossary, misconceptions=misconceptions, labs=LabFolder(docs, project, run_labs))
    config = project / "mkdocs.yml"
    try:
        site.lessons = {entry.src for entry in lessons_in_nav(config)} if config.is_file() else set()
    except ContentError:
        site.lessons = set()              # the check reports a nav it cannot read
    site.charts, stats = build_charts(facts, charts, project / ".cache" / "charts", shown(charts))
    log.info("Charts: %d drawn, %d from the cache", len(stats.drawn), len(stats.cached))
    for path in pages:
        src = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        scan = cached_value(project, kept_name("scan", src), src.encode() + b"\0" + text.encode("utf-8"),
                            lambda: scan_page(src, text))
        site.add_page(src, page_url(src, directory_urls), text, scan)
    for kind in ("scan", "render"):                      # forget the pages that are gone
        keep_only(project, f"{kind}-", {kept_name(kind, src) for src in site.pages})
    problems = docs_file_problems(docs, shown(docs))       # no .html, .svg, .js … copied to the site
    problems += site.check_misconceptions(shown(files["misconceptions"]))
    problems += check_chapters(site.glossary, set(site.pages), shown(files["glossary"]))
    if problems:
        raise problems[0] if len(problems) == 1 else ContentErrors(problems)
    course = Course(site, docs, shown(docs), stamp, build, fingerprint(site, files.values(), directory_urls))
    _courses.clear()                      # one course per process is enough; keep memory flat
    _courses[key] = course
    return course


def kept_name(kind: str, src: str) -> str:
    """Under what name a page's scan or render is kept in .cache/course/ (``parsecache``)."""
    return f"{kind}-{hashlib.sha256(src.encode()).hexdigest()[:12]}"


def fingerprint(site: Site, files, directory_urls: bool) -> bytes:
    """What a page's render reads besides its own Markdown, as bytes that change whenever it does: the
    data files, the charts, what the course knows of every page (title, quiz, headings, cited facts),
    and the versions of the libraries that render short Markdown. The package's own code and templates
    are added by ``parsecache``. A page with the review block also depends on every quiz's text
    (``render_page``), and a lab's page on the lab's run, which a kept render checks when it is taken
    (``PageRenderer.restore``)."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes() if path.is_file() else b"")
        digest.update(b"\0")
    for name in sorted(site.charts):
        chart = site.charts[name]
        digest.update(repr((name, chart.file, chart.title, chart.caption, chart.alt, chart.columns, chart.rows,
                            chart.facts, chart.sources, chart.key)).encode())
    pages = [(src, link, sorted(site.anchors.get(src, ()))) for src, link in site.pages.items()]
    digest.update(repr((directory_urls, pages, site.fact_pages, site.review, site.glossary_page,
                        sorted(site.lessons))).encode())
    digest.update(repr([version(name) for name in ("markdown", "pymdown-extensions", "jinja2", "nh3")]).encode())
    return digest.digest()


def render_page(project: Path, course: Course, renderer: PageRenderer, markdown: str, start: int) -> str:
    """``renderer.render(markdown, start)``, or what it returned last time for the same page, Markdown
    and course (``fingerprint``), kept in .cache/course/ like the parsed data files."""
    # Blank lines before the first line change nothing a page shows. MkDocs drops the one after the front
    # matter and the check keeps it: without them, both are one render, kept once for both.
    blank = len(markdown) - len(markdown.lstrip("\n"))
    markdown, start = markdown[blank:], start + blank
    name = kept_name("render", renderer.page)
    inputs = course.fingerprint + "\0".join([renderer.src, renderer.url, renderer.root, str(start), markdown]).encode()
    if renderer.page in course.site.review_pages:          # it shows every quiz of the course
        inputs += repr(course.site.quizzes).encode()
    kept = kept_value(project, name, inputs)
    if kept is not None and renderer.restore(kept[1]):
        renders["kept"] += 1
        return "\n" * blank + kept[0]
    rendered = renderer.render(markdown, start)
    renders["rendered"] += 1
    if renderer.keepable:
        keep_value(project, name, inputs, (rendered, renderer.state()))
    return "\n" * blank + rendered


renders: Counter = Counter()     # pages rendered and taken as kept, since a builder's adapter last cleared it


def first_line(source: str, lines: list[str]) -> int:
    """The file line where the Markdown handed to an extension starts, once front matter is removed.

    MkDocs and Zensical both drop the front matter; Zensical also drops the blank lines after it.
    """
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return 1
    file_lines = source.split("\n")
    start = 0
    if file_lines and file_lines[0].rstrip() == "---":
        start = next((index + 1 for index in range(1, len(file_lines))
                      if file_lines[index].rstrip() in ("---", "...")), 0)
    for index in range(start, len(file_lines)):
        if file_lines[index].rstrip() == lines[first].rstrip():
            return index + 1 - first
    return 1


def source_problems(project: Path, source: str, shown: str) -> list[ContentError]:
    """What is wrong with a page's front matter, and any raw HTML or unsafe link in its Markdown. A page
    that passed is remembered while the file and the code are unchanged; one that fails is checked again
    on every build."""
    name = f"source {shown}"
    if passed_before(project, name, source.encode("utf-8")):
        return []
    problems = check_front_matter(source, shown) + find_unsafe_markdown(source, shown)
    if not problems:
        remember_passed(project, name, source.encode("utf-8"))
    return problems


# --- The extension ----------------------------------------------------------------------------------


class CoursePreprocessor(Preprocessor):
    """Renders the page's course syntax before any other extension reads the Markdown."""

    def __init__(self, md: Markdown, extension: CourseExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        zensical = _zensical_context(self.md)
        if zensical is not None:
            config = zensical.config
            project = Path(config["root_dir"]).resolve()
            docs = (project / config["docs_dir"]).resolve()
            directory_urls = bool(config.get("use_directory_urls", True))
            page = PageContext(zensical.page.path, zensical.page.url)
            run_labs, build = True, None
        elif context.page is not None and context.docs is not None:
            project, docs, directory_urls, page = context.project, context.docs, context.directory_urls, context.page
            run_labs, build = context.run_labs, context.build
        else:
            self.md.textbook_page = None      # not a course page (e.g. Markdown run by another tool)
            return lines
        try:
            course = load_course(project, docs, self.extension.getConfigs(), directory_urls, run_labs, build)
            source = (docs / page.src).read_text(encoding="utf-8") if (docs / page.src).is_file() else ""
            renderer = PageRenderer(course.site, f"{course.prefix}/{page.src}", "../" * page.url.count("/"), page.src)
            renderer.url = page.url
            # The front matter, then raw HTML and javascript: links (front matter included).
            if problems := source_problems(project, source, renderer.src):
                raise problems[0] if len(problems) == 1 else ContentErrors(problems)
            rendered = render_page(project, course, renderer, "\n".join(lines), first_line(source, lines))
        except ContentError as error:
            _fail(error, zensical is not None)
        manifest.write_page(project, page.src, renderer.quizzes)     # the PDF book's answer key
        self.md.textbook_page = (renderer, zensical is not None, project)
        self.md.textbook_whole_page = False
        return rendered.split("\n")


TABLE = re.compile(r"<table\b.*?</table>", re.S)
TABLE_MARK = '<sup class="fd-fact__q"><a '
PERMALINK = '<a class="headerlink" '


def quieter_tab_order(html: str) -> str:
    """Keep two kinds of small link out of the Tab order (they stay links for pointers and screen readers):
    a figure's "how sure" mark in a table cell, where each row would add stops (the table's note links
    to the sources, one stop); and a heading's permalink sign, which the table of contents repeats."""
    html = TABLE.sub(lambda table: table.group(0).replace(TABLE_MARK, TABLE_MARK + 'tabindex="-1" '), html)
    return html.replace(PERMALINK, PERMALINK + 'tabindex="-1" ')


ANCHOR_TAG = "fd-anchor"
ANCHOR_MARKS = re.compile(rf'<{ANCHOR_TAG} id="[^"<>]*"></{ANCHOR_TAG}>\n?')


class CourseAnchors(Treeprocessor):
    """Shows the ids of the rendered blocks to link validation, which reads the element tree; marks downloads.

    The blocks wait in slots until the postprocessor fills them in, so MkDocs' validation (and the
    check's, which reads the same tree) would not see a glossary term's or a source's id, and a link
    to ``glossary.md#term-token`` would be refused. Empty marks carry the ids through the tree; the
    postprocessor takes them out again.
    """

    def run(self, root: ElementTree.Element) -> None:
        state = getattr(self.md, "textbook_page", None)
        if state:
            for anchor in state[0].slot_ids():
                ElementTree.SubElement(root, ANCHOR_TAG, {"id": anchor})
            mark_downloads(root, state[0].downloads)


def mark_downloads(root: ElementTree.Element, targets: set[str]) -> None:
    """A lab's download line: its link offers the file (``download``), its paragraph gets the course's style."""
    if not targets:
        return
    for paragraph in root.iter("p"):
        for link in paragraph.iter("a"):
            if link.get("href") in targets:
                link.set("download", "")
                paragraph.set("class", "fd-lab-download")


class GlossaryMarks(Treeprocessor):
    """Marks each glossary term's first use in each section, linking it to its entry (``glossary.mark_terms``)."""

    def run(self, root: ElementTree.Element) -> None:
        state = getattr(self.md, "textbook_page", None)
        if state:
            renderer = state[0]
            mark_terms(root, *renderer.site.term_pattern, renderer.term_attributes)


class AskBox(Treeprocessor):
    """Ends every lesson with "Ask this lesson": a heading (so the table of contents lists it) and the box.

    The box is kept in Markdown's store of raw HTML, so its links to the lesson's Markdown are not read
    as links between pages; ``textbook.publish`` writes those files after the build.
    """

    def run(self, root: ElementTree.Element) -> None:
        state = getattr(self.md, "textbook_page", None)
        if not state or state[0].page not in state[0].site.lessons:
            return
        renderer = state[0]
        # Named by aria-label: the heading's text would bring its permalink sign. Left out of the site's search.
        section = ElementTree.SubElement(root, "section", {"class": "fd-ask", "aria-label": "Ask this lesson",
                                                           "data-search-exclude": ""})
        heading = ElementTree.SubElement(section, "h2", {"id": "ask-this-lesson"})
        heading.text = "Ask this lesson"
        box = ElementTree.SubElement(section, "p")
        box.text = self.md.htmlStash.store(renderer.ask_box())


class TreeDone(Treeprocessor):
    """Last of the tree processors: from here on the postprocessors see the whole page.

    Before it, the toc extension and MkDocs run the postprocessors on each heading's text alone,
    dozens of times a page; those runs need none of the course's work.
    """

    def run(self, root: ElementTree.Element) -> None:
        self.md.textbook_whole_page = True


class CoursePostprocessor(Postprocessor):
    """Puts the rendered blocks into the page, then checks that no course syntax is left."""

    def run(self, text: str) -> str:
        state = getattr(self.md, "textbook_page", None)
        if not state or not getattr(self.md, "textbook_whole_page", False):
            return text
        renderer, zensical, project = state
        html = quieter_tab_order(renderer.fill(ANCHOR_MARKS.sub("", text)))
        # A page byte for byte the same as one that passed the last look before, with the same code, passes.
        verdict, content = f"last look {renderer.page}", html.encode("utf-8")
        if passed_before(project, verdict, content):
            return html
        # The last look: nothing that runs script may reach a page, whatever the way in.
        if problems := page_problems(html):
            _fail(ContentError(renderer.src, None, f"the page would contain {problems[0]}",
                               "Write Markdown, without HTML; links may only be http(s)://, mailto: or relative."),
                  zensical)
        left = leftover_syntax(html)
        if left:
            _fail(ContentError(renderer.src, None, f"course syntax was left unrendered in the built page: "
                               f"{', '.join(repr(item) for item in dict.fromkeys(left))}",
                               "Check the marker's spelling and that it is not inside raw HTML; "
                               "write it inside `code` to show it literally."), zensical)
        remember_passed(project, verdict, content)
        return html


class CourseExtension(Extension):
    """Facts, tables, charts, quizzes, key terms, glossary and sources: the course's Markdown syntax."""

    def __init__(self, **kwargs) -> None:
        self.config = {
            "facts": ["facts.yml", "The facts file, relative to the docs folder."],
            "glossary": ["glossary.yml", "The glossary, relative to the docs folder."],
            "misconceptions": ["misconceptions.yml", "The misconceptions file, relative to the docs folder."],
            "charts": ["../charts", "The folder of chart files, relative to the docs folder."],
        }
        for name, value in kwargs.items():
            if name in self.config and not isinstance(value, str):
                raise ContentError("mkdocs.yml", None, f"the option '{name}' of textbook.extension must be "
                                   f"a path (text), not {type(value).__name__}",
                                   f"Write it as '{name}: {self.config[name][0]}'.")
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Before every other preprocessor (snippets 32, whitespace 30, fences 25, HTML blocks 20):
        # the course's fences must not be read as code.
        md.preprocessors.register(CoursePreprocessor(md, self), "textbook", 40)
        # Before ids are collected for link validation (5, with the toc extension).
        md.treeprocessors.register(CourseAnchors(md), "textbook_anchors", 6)
        # After inline Markdown (20) has made the links and code spans that terms are never marked in.
        md.treeprocessors.register(GlossaryMarks(md), "textbook_glossary", 7)
        # After the glossary marks (the box's words are not terms), before the table of contents (5).
        md.treeprocessors.register(AskBox(md), "textbook_ask", 6.5)
        md.treeprocessors.register(TreeDone(md), "textbook_tree_done", -1000)
        # After raw HTML is restored (30) and ampersands are put back (20).
        md.postprocessors.register(CoursePostprocessor(md), "textbook", 5)


def makeExtension(**kwargs) -> CourseExtension:  # noqa: N802 (Python-Markdown's name)
    return CourseExtension(**kwargs)
