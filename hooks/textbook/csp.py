"""The Content-Security-Policy of every page: scripts only from the site itself, plus hashed inline ones.

``overrides/main.html`` puts a ``<meta http-equiv="Content-Security-Policy">`` at the top of every
page's head, with the marker below in place of the inline scripts' hashes. After the build, this
module hashes the inline scripts the pages have from their templates (Material's few lines that read
the saved colour scheme, outside the page's content) and writes the hashes of the whole site into every
page: with instant navigation a page's scripts run under the policy of the first page the reader
opened. Nothing in a page's content is hashed for being there, so a script that slipped past the
sanitiser has no hash and the browser refuses to run it. There is no 'unsafe-inline' for scripts, except in the local
preview of ``mkdocs serve``, whose live-reload script is added to each page as it is served.
"""
from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

MARKER = "'fd-inline-script-hashes'"
# Script contents end at the first "</script"; JSON and MathJax configuration are data, not script.
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script", re.S | re.I)
SRC = re.compile(r"\ssrc\s*=", re.I)
TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def inline_script_hashes(page_html: str) -> set[str]:
    """'sha256-…' sources for every inline script a browser would run in this page."""
    hashes = set()
    for match in INLINE_SCRIPT.finditer(page_html):
        attrs = match["attrs"]
        kind = TYPE.search(attrs)
        if SRC.search(attrs) or (kind and kind[1].lower() not in SCRIPT_TYPES):
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


# A page's content, where everything contributors write ends up: from the first <article> to the last
# </article> (Material's templates put the page's content there, and nothing of the theme's scripts).
CONTENT = re.compile(r"<article\b.*</article\s*>", re.S | re.I)


def theme_script_hashes(page_html: str) -> set[str]:
    """Hashes of the inline scripts a page has from its templates, never from its content.

    Scripts outside the page's ``<article>`` come from the theme's templates. A page without an
    article gives none.
    """
    content = CONTENT.search(page_html)
    if content is None:
        return set()
    return inline_script_hashes(page_html[:content.start()] + page_html[content.end():])


def fill_policies(site_dir: Path, preview: bool = False) -> int:
    """Write the site's template-script hashes into every page's policy; returns how many pages.

    A script that reached a page's content gets no hash, so the browser refuses to run it.
    ``preview`` (``mkdocs serve``) allows inline scripts instead: the live-reload script MkDocs adds
    to each page as it serves it changes on every rebuild, so no hash can be known here.
    """
    pages = {path: path.read_text(encoding="utf-8") for path in Path(site_dir).rglob("*.html")}
    pages = {path: text for path, text in pages.items() if MARKER in text}
    hashes = set()
    for text in pages.values():
        hashes |= theme_script_hashes(text)
    sources = "'unsafe-inline'" if preview else " ".join(sorted(hashes))
    for path, text in pages.items():
        path.write_text(text.replace(MARKER, sources, 1), encoding="utf-8")
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    """``python -m textbook.csp [SITE]``: fill the policies of a site built without the MkDocs hook (Zensical)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m textbook.csp", description=main.__doc__)
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"), help="the built site (default: site)")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"{args.site}: no built site here; build it first (zensical build).", file=sys.stderr)
        return 1
    print(f"Content-Security-Policy hashes written into {fill_policies(args.site)} page(s) of {args.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
