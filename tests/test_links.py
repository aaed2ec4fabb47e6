"""One verdict on every link: the fast check and MkDocs' own validation agree, and the check gives the line.

A small course gets one page per link form (inline, titled, angle-bracketed, reference-style,
relative, to a heading with code or emphasis in it, to a repeated heading, to an id set on a
paragraph, …); the check and a strict MkDocs build each say which pages have a broken link.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ENV, MKDOCS
from textbook.check import check

pytestmark = pytest.mark.build          # builds a small course with MkDocs

TARGET = """\
# Target

## First heading

## What's next?

## Using `code` here

## *Emphasis* heading

## Closing ##

## Twice

## Twice

## Custom {#custom-id}

A paragraph with an id.
{ #para-id }
"""

# name: (the link, as written on line 5 of its page; True if it is broken)
CASES = {
    "page": ("[a](target.md)", False),
    "heading": ("[a](target.md#first-heading)", False),
    "heading with an apostrophe": ("[a](target.md#whats-next)", False),
    "heading with code": ("[a](target.md#using-code-here)", False),
    "heading with emphasis": ("[a](target.md#emphasis-heading)", False),
    "heading with a closing sequence": ("[a](target.md#closing)", False),
    "second of two equal headings": ("[a](target.md#twice_1)", False),
    "explicit heading id": ("[a](target.md#custom-id)", False),
    "id on a paragraph": ("[a](target.md#para-id)", False),
    "page in a folder": ("[a](sub/deep.md#here)", False),
    "link with a title": ('[a](target.md#first-heading "A title")', False),
    "angle brackets": ("[a](<target.md#first-heading>)", False),
    "reference link": ("[a][r]\n\n[r]: target.md#first-heading", False),
    "generated glossary anchor": ("[a](glossary.md#term-token)", False),
    "anchor on the same page": ("[a](#local)\n\n## Local", False),
    "link inside code": ("`[a](missing.md)`", False),
    "web link": ("[a](https://example.org/missing.md#nowhere)", False),
    "missing page": ("[a](missing.md)", True),
    "missing heading": ("[a](target.md#nope)", True),
    "third of two equal headings": ("[a](target.md#twice_2)", True),
    "missing heading in a folder": ("[a](sub/deep.md#nothere)", True),
    "missing heading, with a title": ('[a](target.md#nope "A title")', True),
    "missing heading, in angle brackets": ("[a](<target.md#nope>)", True),
    "reference link to a missing heading": ("[a][r]\n\n[r]: target.md#nope", True),
    "reference link to a missing page": ("[a][r]\n\n[r]: missing.md", True),
    "missing anchor on the same page": ("[a](#nolocal)", True),
    "missing image": ("![A picture of nothing.](missing.png)", True),
    "link to a folder": ("[a](sub/)", True),
    "anchor in capitals": ("[a](target.md#First-Heading)", True),
    "path out of the docs folder": ("[a](../target.md)", True),
    "absolute link": ("[a](/target.md)", True),
}


def page_name(case: str) -> str:
    return "case-" + re.sub(r"[^a-z0-9]+", "-", case.lower()).strip("-") + ".md"


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("links") / "course")
    config = project.path / "mkdocs.yml"
    config.write_text(config.read_text() + "validation:\n  omitted_files: warn\n  absolute_links: warn\n"
                      "  unrecognized_links: warn\n  anchors: warn\n")
    project.write("docs/target.md", TARGET)
    project.write("docs/sub/deep.md", "# Deep\n\n## Here\n")
    for case, (link, _broken) in CASES.items():
        project.write(f"docs/{page_name(case)}", f"# Case\n\nSome text.\n\n{link}\n")
    ours = {}
    for problem in check(project.path):
        ours.setdefault(problem.file.removeprefix("docs/"), []).append(problem)
    built = subprocess.run([*MKDOCS, "build", "--strict", "-f", str(config), "-d", str(project.path / "site")],
                           capture_output=True, text=True, env=ENV, cwd=project.path)
    theirs = {}
    for line in built.stderr.splitlines():
        if match := re.search(r"Doc file '([^']+)'", line):
            theirs.setdefault(match[1], []).append(line)
    return ours, theirs, built


@pytest.mark.parametrize("case", CASES)
def test_the_check_and_mkdocs_agree_on_each_link(verdicts, case):
    ours, theirs, _built = verdicts
    name, (link, broken) = page_name(case), CASES[case]
    assert (name in ours) == broken, f"the check on {link!r}: {ours.get(name)}"
    assert (name in theirs) == broken, f"MkDocs on {link!r}: {theirs.get(name)}"
    if broken:
        lines = {problem.line for problem in ours[name]}
        assert lines == {5} or (lines == {7} and link.startswith("[a][r]")), [str(p) for p in ours[name]]


def test_nothing_else_was_reported(verdicts):
    ours, theirs, built = verdicts
    assert set(ours) <= {page_name(case) for case in CASES}, ours
    assert set(theirs) <= {page_name(case) for case in CASES}, theirs
    assert built.returncode == 1 and "Aborted with" in built.stdout + built.stderr, built.stderr[-600:]
