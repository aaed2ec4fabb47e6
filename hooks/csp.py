"""Write the Content-Security-Policy of every built page (MkDocs only): the hashes of its inline scripts.

``overrides/main.html`` puts the policy in every page with a marker in place of the hashes;
``textbook.csp`` hashes the inline scripts the built pages have from their templates (for lab pages,
mkdocs-jupyter's, taken from its rendering of an empty notebook) and writes them in. In the
preview of `mkdocs serve` inline scripts are allowed instead, for its live-reload script.
"""
from __future__ import annotations

from pathlib import Path

from textbook.csp import fill_policies

_state: dict = {}


def on_startup(*, command, dirty, **kwargs):
    _state["preview"] = command == "serve"


def on_post_build(config, **kwargs):
    fill_policies(Path(config.site_dir), preview=_state.get("preview", False), trusted_pages=_notebook_template(config))


def _notebook_template(config) -> tuple[str, ...]:
    """mkdocs-jupyter's rendering of an empty notebook, with the course's settings: its scripts are the template's."""
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return ()
    import tempfile

    import nbformat
    from mkdocs_jupyter import convert

    options = plugin.config
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), str(empty))
        return (convert.nb2html(str(empty), execute=False, theme=options["theme"],
                                highlight_extra_classes=options["highlight_extra_classes"],
                                include_requirejs=options["include_requirejs"],
                                custom_mathjax_url=options["custom_mathjax_url"]),)
