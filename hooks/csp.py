"""Write the Content-Security-Policy of every built page (MkDocs only): the hashes of its inline scripts.

``overrides/main.html`` puts the policy in every page with a marker in place of the hashes;
``textbook.csp`` hashes the inline scripts the built pages have from their templates and writes them
in. In the preview of `mkdocs serve` inline scripts are allowed instead, for its live-reload script.
"""
from __future__ import annotations

from pathlib import Path

from textbook.csp import fill_policies

_state: dict = {}


def on_startup(*, command, dirty, **kwargs):
    _state["preview"] = command == "serve"


def on_post_build(config, **kwargs):
    fill_policies(Path(config.site_dir), preview=_state.get("preview", False))
