"""Fast checks of the course sources, without building the site.

    python -m textbook.check [--root DIR]

Loads the facts file and the glossary, computes every chart's data (without drawing it), renders
every page's own syntax (facts, tables, charts, directives, quizzes) and looks for quantities written into the prose instead of coming from the facts file.
Checks that each lesson in the nav has the lesson shape (``lessonshape``) and that each block says
what it shows to a reader of the Markdown on GitHub (``previews``).
Messages have the same ``file:line: what is wrong`` form as the build. Exit status 1 on problems.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from .charts import chart_files, compute
from .errors import ContentError, ContentErrors
from .extension import page_url
from .facts import load_facts
from .frontmatter import check_front_matter, without_front_matter
from .glossary import check_chapters, load_glossary
from .labs import LabFolder, check_labs, find_labs
from .learner_questions import FILE as LEARNER_QUESTIONS, check_sections as check_question_sections, load_learner_questions
from .lessonshape import check_lessons, lessons_in_nav
from .linkcheck import MKDOCS_BUILTINS, RenderedLinks, check_rendered_links, markdown_settings, render_links
from .markdown_scan import long_lines, segments
from .misconceptions import FILE as MISCONCEPTIONS, load_misconceptions
from .previews import check_previews
from .quantities import bare_quantities
from .quizlint import lint_quiz
from .quizzes import find_quizzes
from .render import PageRenderer, Site
from .sanitize import docs_file_problems, find_unsafe_markdown
from .yamlfile import check_text


def _flatten(error: ContentError) -> list[ContentError]:
    return list(error.errors) if isinstance(error, ContentErrors) else [error]


SPELLING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<word>\S+) ==> (?P<fix>.+)$")


SPELLING_EXTRA = ".venv/bin/pip install -e '.[spelling]'"


def spelling_available() -> bool:
    """codespell comes with the 'spelling' extra (and the 'test' one), not with a reader's install."""
    import importlib.util

    return importlib.util.find_spec("codespell_lib") is not None


def check_spelling(root: Path, paths: list[Path]) -> list[ContentError]:
    """Common misspellings (codespell), with the project's own word list from pyproject.toml."""
    if not spelling_available():
        return []                       # main() says that spelling was not checked, and how to add it
    settings = root / "pyproject.toml"
    command = [sys.executable, "-m", "codespell_lib", *(["--toml", str(settings)] if settings.exists() else []),
               *[str(path.relative_to(root)) for path in paths]]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if result.returncode not in (0, 65) or "No module named" in result.stderr:
        return [ContentError("pyproject.toml", None, "couldn't run the spelling check: " +
                             (result.stderr.strip().splitlines() or ["codespell failed"])[-1],
                             f"Install the spelling checker: {SPELLING_EXTRA}")]
    problems = []
    for line in result.stdout.splitlines():
        if match := SPELLING.match(line.strip()):
            problems.append(ContentError(
                match["file"], int(match["line"]), f"'{match['word']}' looks misspelt (did you mean {match['fix']}?)",
                "Fix it, or if the word is right add it to ignore-words-list under [tool.codespell] in pyproject.toml."))
    return problems


DEFAULT_EXTENSIONS = [*MKDOCS_BUILTINS, "textbook.extension"]   # a course without mkdocs.yml


def check_page_links(root: Path, docs: Path, texts: dict[Path, str]) -> list[ContentError]:
    """Links and anchors, read from every page rendered as the build renders it (``linkcheck``).

    A page whose course syntax does not render is reported by the other checks; links to it are
    not checked for anchors, as MkDocs skips a page it could not render.
    """
    from . import extension
    from markdown import Markdown

    config = root / "mkdocs.yml"
    names, configs = markdown_settings(config) if config.is_file() else (DEFAULT_EXTENSIONS, {})
    try:
        md = Markdown(extensions=names, extension_configs=configs)
    except Exception as error:            # an extension that is not installed or is misconfigured
        return [ContentError("mkdocs.yml", None, f"couldn't load the Markdown extensions: {error}",
                             "Check the names and options under markdown_extensions.")]
    options = extension.CourseExtension(**configs.get("textbook.extension", {})).getConfigs()
    try:
        extension.load_course(root, docs, options, run_labs=False)    # draws the charts the pages show (cached)
    except ContentError:
        return []                                        # the course's own problems are reported above
    saved = (extension.context.project, extension.context.docs, extension.context.directory_urls,
             extension.context.page, extension.context.run_labs)
    # Lab pages are rendered from the labs' text and code, without running them.
    (extension.context.project, extension.context.docs, extension.context.directory_urls,
     extension.context.run_labs) = root, docs, True, False
    pages: dict[str, tuple[str, str, RenderedLinks]] = {}
    try:
        for page, text in texts.items():
            src = page.relative_to(docs).as_posix()
            extension.context.page = extension.PageContext(src, page_url(src))
            try:
                rendered = render_links(md, without_front_matter(text))
            except ContentError:
                rendered = RenderedLinks(ids=None)
            pages[src] = (page.relative_to(root).as_posix(), text, rendered)
    finally:
        (extension.context.project, extension.context.docs, extension.context.directory_urls,
         extension.context.page, extension.context.run_labs) = saved
    files = {path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file()}
    return check_rendered_links(pages, files)


def check(root: Path) -> list[ContentError]:
    docs = root / "docs"
    problems: list[ContentError] = []
    try:
        facts = load_facts(docs / "facts.yml", "docs/facts.yml")
        glossary = load_glossary(docs / "glossary.yml", "docs/glossary.yml")
        misconceptions = load_misconceptions(docs / MISCONCEPTIONS, f"docs/{MISCONCEPTIONS}")
        learner_questions = load_learner_questions(docs / LEARNER_QUESTIONS, f"docs/{LEARNER_QUESTIONS}")
        check_text(*((docs / name, f"docs/{name}") for name in ("facts.yml", "glossary.yml", MISCONCEPTIONS, LEARNER_QUESTIONS)
                     if (docs / name).exists()))
    except ContentError as error:
        return _flatten(error)

    for term in glossary.values():
        for _line, text, kind in bare_quantities(term.definition):
            problems.append(ContentError("docs/glossary.yml", term.line,
                                         f"term '{term.id}' has {kind} in its definition: '{text}'",
                                         "Definitions stay free of numbers; put figures in the lessons."))

    site = Site(facts, glossary, misconceptions=misconceptions, labs=LabFolder(docs, root, run=False))
    chart_problems = []
    for path in chart_files(root / "charts"):   # runs each chart's data(), never draws it
        try:
            site.charts[path.stem] = compute(path, f"charts/{path.name}", facts)
        except ContentError as error:
            chart_problems.extend(_flatten(error))
    problems.extend(chart_problems)
    pages = sorted(docs.rglob("*.md"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    for page, text in texts.items():
        src = page.relative_to(docs).as_posix()
        site.add_page(src, page_url(src), text)
    problems.extend(site.check_misconceptions(f"docs/{MISCONCEPTIONS}"))
    if learner_questions:
        config = root / "mkdocs.yml"
        lessons = {entry.src for entry in lessons_in_nav(config)} if config.exists() else set(site.pages)
        problems.extend(check_question_sections(learner_questions, site.anchors, lessons, f"docs/{LEARNER_QUESTIONS}"))
    problems.extend(check_chapters(glossary, set(site.pages), "docs/glossary.yml"))

    problems.extend(docs_file_problems(docs))             # no .html, .svg, .js … copied to the site
    labs = find_labs(docs, root)
    if not chart_problems:                 # else rendering would run the broken chart again
        problems.extend(check_page_links(root, docs, texts))
    # Labs are checked without running them: each must parse and have its page.
    problems.extend(check_labs(docs, root, {page.relative_to(root).as_posix(): text for page, text in texts.items()}))
    problems.extend(check_lessons(root))                  # the lessons in the nav have the lesson shape

    problems.extend(check_spelling(root, [*pages, docs / "facts.yml", docs / "glossary.yml",
                                          *chart_files(root / "charts"), *(lab.path for lab in labs),
                                          *sorted((docs / "labs" / "data").glob("*.txt"))]))

    for page, text in texts.items():
        name = page.relative_to(root).as_posix()
        problems.extend(check_front_matter(text, name))
        renderer = PageRenderer(site, name, "")
        problems.extend(find_unsafe_markdown(text, name))       # raw HTML, javascript: links
        try:
            renderer.render(text)
        except ContentError as error:
            problems.extend(_flatten(error))
        if long_lines(text, name):
            continue                                      # refused above; too long to lint or scan
        problems.extend(check_previews(text, name, site))  # blocks say on GitHub what they show
        for segment in segments(text, set()):          # quiz lint: can the answers be guessed?
            if segment.kind == "text":
                try:
                    for _start, _end, quiz in find_quizzes(segment.lines, segment.line, name):
                        problems.extend(lint_quiz(quiz, name, facts))
                except ContentError:
                    pass                                  # reported by the renderer above
        for line, quantity, kind in bare_quantities(text):
            problems.append(ContentError(
                name, line, f"{kind} written into the text: '{quantity}'",
                "Numbers come from docs/facts.yml: cite one with :fact[id] (add the fact with its "
                "source first if it is new).",
            ))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course folder (has docs/)")
    args = parser.parse_args(argv)
    problems = check(args.root.resolve())
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    if spelling_available():
        print("All checks passed.")
    else:
        print("All checks passed, except spelling, which was not checked: codespell is not installed.\n"
              f"  Add it with {SPELLING_EXTRA} (CI checks spelling).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
