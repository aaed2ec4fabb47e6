"""Record the site's navigation for the PDF book (MkDocs only): each page's URL and top-level section, in order.

``python -m textbook.pdf`` builds the site with MkDocs and then follows this record
(``textbook.manifest``) instead of reading the theme's menu out of the built HTML.
"""
from __future__ import annotations

from pathlib import Path

from textbook import manifest


def on_nav(nav, *, config, files, **kwargs):
    entries = []

    def walk(items, section):
        for item in items:
            if item.is_page:
                entries.append({"url": item.url, "section": section})
            elif item.is_section:
                walk(item.children, section or item.title)

    walk(nav.items, "")
    manifest.write_nav(Path(config.config_file_path).resolve().parent, entries)
    return nav
