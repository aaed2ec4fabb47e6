"""The book's own look at its laid-out pages (textbook.pdf.layout_notes), on small documents: what it
reports and what it lets pass. The real book is checked in test_pdf (the export prints no such note)."""
from __future__ import annotations

import pytest

weasyprint = pytest.importorskip("weasyprint")

from textbook.pdf import layout_notes  # noqa: E402

STYLE = """@page { size: A6; margin: 10mm; }
body { font: 10pt/1.4 "DejaVu Serif", serif; margin: 0; }
h1 { bookmark-level: 1; font-size: 14pt; margin: 0 0 6pt; }
h2 { font-size: 11pt; margin: 6pt 0; }
section { break-before: page; }
p { margin: 0 0 4pt; }
.tall { height: 105mm; break-inside: avoid; background: #eee; }
"""
LINE = "<p>A line of text.</p>"


def notes(body: str, style: str = "") -> list[str]:
    document = weasyprint.HTML(string=f"<html><body>{body}</body></html>")
    return layout_notes(document.render(stylesheets=[weasyprint.CSS(string=STYLE + style)]).pages)


def test_a_page_left_mostly_empty_inside_a_chapter_is_reported():
    # Two lines, then a block too tall for what is left of the page: the page is mostly empty.
    found = notes(f"<section><h1>One</h1>{LINE * 2}<div class='tall'>x</div>{LINE}</section>")
    assert len(found) == 1 and "p. 1 (One)" in found[0] and "of the page is empty" in found[0]


def test_a_short_last_page_of_a_chapter_is_not_reported():
    assert notes(f"<section><h1>One</h1>{LINE * 2}</section><section><h1>Two</h1>{LINE}</section>") == []


def test_a_heading_alone_at_the_foot_of_a_page_is_reported():
    found = notes(f"<section><h1>One</h1>{LINE * 12}<h2>Stranded</h2><div class='tall'>x</div></section>",
                  "h2 { break-after: auto; }")
    assert any('the heading "Stranded" is left alone at the foot of the page' in note for note in found)


def test_a_heading_kept_with_what_follows_is_not_reported():
    found = notes(f"<section><h1>One</h1>{LINE * 12}<h2>Kept</h2>{LINE * 3}</section>",
                  "h2 { break-after: avoid; }")
    assert not [note for note in found if "heading" in note]


def test_a_key_terms_box_split_over_two_pages_is_reported():
    terms = "".join(f"<dt>term {n}</dt><dd>what it means</dd>" for n in range(30))
    found = notes(f"<section><h1>One</h1><div class='fd-key-terms'><dl>{terms}</dl></div></section>")
    assert any("the key-terms box begun on p. 1 runs onto this page" in note for note in found)
