"""Check internal links, anchors and images in the Markdown sources, with file:line messages."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from markdown.extensions.toc import slugify

from .errors import ContentError
from .markdown_scan import strip_code

# Linear on a long line: each bracketed part stops at the next opening bracket.
LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\[\]]*)\]\((?P<target>[^)\[\]\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*)$")
ATTRIBUTES = re.compile(r"\{[^{}]*\}$")           # a heading's trailing attribute list: {#id .class}
EXPLICIT_ID = re.compile(r"""\bid=["']([^"']+)["']|\{#([^{}\s]+)""")


def heading_anchor(text: str) -> str:
    """The anchor a heading gets: its explicit {#id}, or the toc extension's slug of its text."""
    text = text.rstrip()
    if attributes := ATTRIBUTES.search(text):
        text = text[:attributes.start()].rstrip()
        if explicit := EXPLICIT_ID.search(attributes[0]):
            return explicit[2]
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):   # a closing sequence: ## Title ##
        text = stripped.rstrip()
    return slugify(re.sub(r"[*_`]|:fact\[[^\[\]]*\]", "", text), "-")


def anchors(markdown: str) -> set[str]:
    """Anchors a page will have: heading slugs (as the toc extension makes them) and explicit ids."""
    found: set[str] = set()
    for _line, text in strip_code(markdown):
        if heading := HEADING.match(text):
            found.add(heading_anchor(heading["text"]))
        for match in EXPLICIT_ID.finditer(text):
            found.add(match[1] or match[2])
    return found


def check_links(docs: Path, pages: dict[str, str], generated: dict[str, set[str]], root: Path) -> list[ContentError]:
    """Every relative link must reach a page (and its anchor), every image a file with alt text.

    ``pages`` maps paths under docs/ to their Markdown; ``generated`` adds anchors that the build
    creates on a page (glossary terms, sources).
    """
    page_anchors = {src: anchors(text) | generated.get(src, set()) for src, text in pages.items()}
    problems = []
    for src, text in pages.items():
        name = (docs / src).relative_to(root).as_posix()
        for number, line in strip_code(text):
            for match in LINK.finditer(line):
                target = match["target"]
                if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                    continue                                  # another site: not ours to check here
                path, _, anchor = target.partition("#")
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path)) if path else src
                if match["image"]:
                    if not match["text"].strip():
                        problems.append(ContentError(name, number, f"the image '{target}' has no alt text",
                                                     "Describe what the image shows in a full sentence: ![A chart of …](…)."))
                    if not (docs / resolved).is_file():
                        problems.append(ContentError(name, number, f"the image '{target}' does not exist",
                                                     "Check the file name and its folder under docs/."))
                    continue
                if path and not path.endswith(".md"):
                    if not (docs / resolved).exists():
                        problems.append(ContentError(name, number, f"a link to '{target}', which does not exist",
                                                     "Check the path; links between lessons point at their .md files."))
                    continue
                if resolved not in pages:
                    problems.append(ContentError(name, number, f"a link to '{target}', but there is no page '{resolved}'",
                                                 "Link to an existing lesson's .md file, e.g. (pretraining.md)."))
                elif anchor and anchor not in page_anchors[resolved]:
                    problems.append(ContentError(
                        name, number, f"a link to '{target}', but '{resolved}' has no heading or id '{anchor}'",
                        "Use the anchor of an existing heading: lower case, spaces as hyphens, e.g. #key-takeaways."))
    return problems
