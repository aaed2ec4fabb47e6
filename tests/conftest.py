"""Shared fixtures: the real site built once, small throwaway projects, and a local web server."""
from __future__ import annotations

import functools
import inspect
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run_mkdocs(config: Path, site_dir: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*MKDOCS, "build", "--strict", "-q", "-f", str(config), "-d", str(site_dir), *extra],
                          capture_output=True, text=True, env={**ENV, **(env or {})}, cwd=config.parent)


# Test tiers (markers registered in pyproject.toml): `pytest -m unit` runs the fast in-process tier.
# A test marked in its file keeps that tier; the others get one from the fixtures they use.
TIERS = ("unit", "build", "browser", "pdf")
BROWSER_FIXTURES = {"browser", "page", "site_url", "course_url"}
BUILD_FIXTURES = {"built_site", "zensical_site", "course_copy"}
BUILD_CALLS = re.compile(r"\b(?:project\.build|run_mkdocs|run_zensical)\(")     # a test body that builds a site


def _source(item) -> str:
    try:
        return inspect.getsource(item.function)
    except (OSError, TypeError):
        return ""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            continue
        fixtures = set(item.fixturenames)
        if item.module.__name__ == "test_pdf":
            tier = "pdf"
        elif fixtures & BROWSER_FIXTURES:
            tier = "browser"
        elif fixtures & BUILD_FIXTURES or BUILD_CALLS.search(_source(item)):
            tier = "build"
        else:
            tier = "unit"
        item.add_marker(tier)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real course, built once with --strict for the address the browser tests serve it at.

    Material's instant navigation only takes over links that match site_url, so the two must agree.
    """
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs(ROOT / "mkdocs.yml", site, env={"SITE_URL": f"http://127.0.0.1:{PORT}/"})
    assert result.returncode == 0, result.stderr
    return site


def glossary_without_chapters() -> str:
    """The real glossary minus each term's 'chapter:', which names a lesson a small course lacks."""
    text = (ROOT / "docs" / "glossary.yml").read_text()
    return re.sub(r"^  chapter: .*\n", "", text, flags=re.M)


class Project:
    """A tiny course in a temporary folder, using the real hooks, theme overrides and facts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.docs = path / "docs"
        self.docs.mkdir(parents=True)
        shutil.copy(ROOT / "docs" / "facts.yml", self.docs / "facts.yml")
        (self.docs / "glossary.yml").write_text(glossary_without_chapters())
        (self.docs / "sources.md").write_text("# Sources\n\n```sources\n# Every source\n```\n")
        (self.docs / "glossary.md").write_text("# Glossary\n\n```glossary\n# Every term\n```\n")
        (path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
            site_name: Test course
            exclude_docs: |
              facts.yml
              glossary.yml
            theme:
              name: material
              custom_dir: {ROOT / 'overrides'}
              font: false
            hooks:
              - {ROOT / 'hooks' / 'current_page.py'}
            markdown_extensions: [abbr, admonition, attr_list, md_in_html, pymdownx.details, pymdownx.superfences,
                                  textbook.extension]
            """))

    def write(self, name: str, text: str) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
        return target

    def build(self) -> subprocess.CompletedProcess:
        return run_mkdocs(self.path / "mkdocs.yml", self.path / "site")


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "course")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: Path, port: int):
    """Serve a built site on 127.0.0.1 until the generator is closed; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served on 127.0.0.1 for the browser tests."""
    yield from serve(built_site, PORT)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; Playwright never downloads a browser here."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with 'apt-get install -y chromium' (.ci/run does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        yield instance
        instance.close()
