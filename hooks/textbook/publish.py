"""After a build: the files that let learners ask the course, and hand it to an assistant.

    python -m textbook.publish [SITE] [-f mkdocs.yml]

Reads each lesson's built page (the lessons are the pages under "Lessons" in the nav) and writes
into the site:

- ``assets/ask/index.json``: the passages the "Ask this lesson" box searches (``textbook.ask``);
- ``<lesson>.md``, ``llms.txt`` and ``llms-full.txt``: the lessons as Markdown (``textbook.llms``).

MkDocs runs this after every build through ``hooks/publish.py``; after a Zensical build, which runs
no hooks, run the command above. No MkDocs import.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .errors import ContentError, ContentErrors
from .extension import page_file, page_url
from .glossary import load_glossary
from .learner_questions import FILE as LEARNER_QUESTIONS, load_learner_questions
from .lessonshape import lessons_in_nav
from .linkcheck import markdown_settings, mkdocs_settings
from .misconceptions import load_misconceptions
from .parsecache import cached_value
from .render import markdown_path

ROOT = "http://site.invalid/"       # a stand-in base for resolving links between pages of the site
# A page's "Last update" line is in nothing published here (render.SCREEN_ONLY, ask.SKIP); built without a
# git history it carries the build's time, so it is left out of what the kept files are keyed on.
LAST_UPDATE = re.compile(rb'<aside class="md-source-file">.*?</aside>', re.S)


@dataclass
class Published:
    lessons: int
    passages: int
    index_bytes: int
    markdown_bytes: int


def _site_path(page: str, href: str) -> str:
    """A link in the page at ``page`` (from the site root) as a path from the site root."""
    return urlsplit(urljoin(ROOT + page, href)).path.lstrip("/")


def publish(site: Path, config: Path, directory_urls: bool | None = None) -> Published:
    """Write the Ask index, each lesson's Markdown, llms.txt and llms-full.txt into the built ``site``.

    ``directory_urls``: as the build had it (MkDocs' hook passes its own setting, which a command-line
    option may have changed); by default read from mkdocs.yml. Every lesson is read before anything is
    written, so a site missing a page is left as it was. The files are kept in ``.cache/course/``
    (``parsecache.cached_value``) for the same lesson pages, glossary, misconceptions, learner questions and code: a
    rebuild that changed none of them writes them again without reading a page.
    """
    root = config.parent
    settings = mkdocs_settings(config)
    if directory_urls is None:
        directory_urls = settings.get("use_directory_urls", True) is not False
    docs = root / (settings.get("docs_dir") or "docs")
    options = markdown_settings(settings)[1].get("textbook.extension", {})
    sources = {name: docs / options.get(name, f"{name}.yml") for name in ("glossary", "misconceptions")}
    sources["learner questions"] = docs / LEARNER_QUESTIONS
    entries = lessons_in_nav(config)
    pages = {entry.src: page_file(site, page_url(entry.src, directory_urls)) for entry in entries}
    missing = [entry for entry in entries if not pages[entry.src].exists()]
    if missing:
        shown = ", ".join(f"'{entry.src}'" for entry in missing)
        raise ContentError("mkdocs.yml", missing[0].line, f"{'the lesson' if len(missing) == 1 else 'the lessons'} "
                           f"{shown} of the nav {'has' if len(missing) == 1 else 'have'} no built page in {site}",
                           "Build the site into this folder first (mkdocs build, or zensical build), then run this; "
                           "nothing was written.")
    inputs = [config.read_bytes(), repr(directory_urls).encode()]
    inputs += [path.read_bytes() if path.exists() else b"" for path in sources.values()]
    inputs += [src.encode() + b"\0" + LAST_UPDATE.sub(b"", path.read_bytes()) for src, path in pages.items()]
    files, published = cached_value(root, "publish", b"\0".join(inputs),
                                    lambda: _files(root, settings, sources, entries, pages, directory_urls))
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return published


def _read_lesson(page: Path, url: str, src: str) -> dict:
    """What publishing needs of one built lesson: its title, address, description, the glossary link its
    terms use, its passages for the Ask index and its Markdown."""
    from bs4 import BeautifulSoup        # only when a page is read: a rebuild that changed none does not

    from . import ask, llms
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    if article is None:
        raise ContentError(src, None, "its built page has no <article>",
                           "Build the site with the course's theme (Material or Zensical).")
    heading = article.find("h1")
    title = ask.heading_text(heading) if heading is not None else src
    canonical = soup.find("link", rel="canonical")
    absolute = canonical["href"] if canonical is not None and canonical.get("href") else url
    description = soup.find("meta", attrs={"name": "description"})
    term = article.select_one("a.fd-term[href]")
    return {"title": title, "absolute": absolute,
            "description": description.get("content", "") if description is not None else "",
            "glossary": _site_path(url, term["href"].split("#")[0]) if term is not None else "",
            "passages": ask.passages(article, title), "markdown": llms.lesson_markdown(article, absolute)}


def _files(root: Path, settings: dict, sources: dict[str, Path], entries, pages: dict[str, Path],
           directory_urls: bool) -> tuple[dict[str, str], Published]:
    """The files to write, by their path in the site, from the built lesson pages. Each lesson's reading
    is kept on its own (``_read_lesson``), so a rebuild that changed one lesson reads that one again."""
    from . import ask, llms
    course = settings.get("site_name") or "This course"
    summary = settings.get("site_description") or ""
    glossary_file, misconceptions_file = sources["glossary"], sources["misconceptions"]
    glossary = load_glossary(glossary_file, glossary_file.relative_to(root).as_posix()) if glossary_file.exists() else {}
    lessons, cut, texts = [], {}, []
    glossary_href = ""
    base = ""
    for entry in entries:
        url = page_url(entry.src, directory_urls)
        page = pages[entry.src]
        read = cached_value(root, f"publish-{hashlib.sha256(entry.src.encode()).hexdigest()[:12]}",
                            "\0".join([entry.src, url]).encode() + b"\0" + LAST_UPDATE.sub(b"", page.read_bytes()),
                            lambda: _read_lesson(page, url, entry.src))
        absolute = read["absolute"]
        if not base and absolute != url:
            base = absolute[: len(absolute) - len(url)] if absolute.endswith(url) else ""
        glossary_href = glossary_href or read["glossary"]
        lessons.append({"src": entry.src, "title": read["title"], "url": url, "markdown": markdown_path(url),
                        "description": read["description"] if read["description"] != summary else ""})
        cut[entry.src] = read["passages"]
        texts.append(read["markdown"])

    beliefs: dict[str, list[str]] = {}
    for belief in load_misconceptions(misconceptions_file, misconceptions_file.relative_to(root).as_posix()).values():
        beliefs.setdefault(belief.section, []).append(belief.statement)
    asked = sources["learner questions"]
    filed = load_learner_questions(asked, asked.relative_to(root).as_posix())
    questions = {key: listed for key, (_line, listed) in filed.items()}
    index = ask.build_index([{key: lesson[key] for key in ("src", "title", "url", "markdown")} for lesson in lessons],
                            cut, ask.synonym_groups(glossary, glossary_href), beliefs, questions)
    searched = {f"{index['lessons'][section[0]]['src']}#{section[2]}" for section in index["sections"]}
    unused = [ContentError(asked.relative_to(root).as_posix(), line,
                           f"section '{key}' has no text of its own that the box searches (its heading is followed "
                           "at once by a sub-heading, or it is a heading below the third level), so its questions "
                           "would never be used", "File them under the sub-heading whose text answers them.")
              for key, (line, _listed) in filed.items() if key not in searched and key.partition("#")[0] in pages]
    if unused:
        raise unused[0] if len(unused) == 1 else ContentErrors(unused)
    index_text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    files = {lesson["markdown"]: text for lesson, text in zip(lessons, texts)}
    files[ask.INDEX_PATH] = index_text
    files["llms.txt"] = llms.llms_txt(course, summary, base, lessons)
    files["llms-full.txt"] = llms.llms_full(course, summary, texts)
    return files, Published(len(lessons), len(index["passages"]), len(index_text.encode()),
                            sum(len(text.encode()) for text in texts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.publish", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"), help="the built site (default: site)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="the course's mkdocs.yml")
    args = parser.parse_args(argv)
    if not args.config_file.is_file():
        print(f"{args.config_file}: no such file; run this in the course folder or pass -f mkdocs.yml", file=sys.stderr)
        return 2
    if not args.site.is_dir():
        print(f"{args.site}: no built site here; build it first (mkdocs build, or zensical build).", file=sys.stderr)
        return 1
    try:
        done = publish(args.site.resolve(), args.config_file.resolve())
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Wrote the Ask index ({done.passages} passages from {done.lessons} lessons, {done.index_bytes / 1024:.0f} KB), "
          f"{done.lessons} lessons as Markdown, llms.txt and llms-full.txt into {args.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
