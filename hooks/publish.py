"""After each MkDocs build, write the files that let learners ask the course (MkDocs only).

``textbook.publish`` reads the built lessons and writes the "Ask this lesson" index, each lesson as
Markdown, llms.txt and llms-full.txt into the site. After a Zensical build, which runs no hooks,
``python -m textbook.publish site`` does the same.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from textbook.errors import ContentError
from textbook.publish import publish


def on_post_build(config, **kwargs):
    try:
        publish(Path(config.site_dir), Path(config.config_file_path).resolve(), config.use_directory_urls)
    except ContentError as error:
        raise PluginError(str(error)) from None
