"""Every built page passes the Nu HTML Checker (vnu.jar, from npm's vnu-jar, installed by .ci/run; it
needs Java, which Debian's epubcheck package brings). Errors from Material's own templates are listed
below with the reason they stay; any other error is the course's and fails the test."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

VNU = ROOT / ".ci" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (start of the message, a piece of the markup it points at): Material writes these, not the course.
MATERIAL = {
    ('Bad value “” for attribute “tabindex” on element “label”', 'class="md-nav__link"'):
        "Material's navigation template writes an empty tabindex on the label of a section it does not "
        "let the reader fold; browsers ignore it, and the label stays out of the Tab order as intended.",
    ('Attribute “autocomplete” is only allowed when the input type is', 'class="md-toggle"'):
        "Material's hidden checkboxes that open the menu and the search carry autocomplete=off so a "
        "browser does not restore them half-open on Back; browsers ignore it on checkboxes.",
}


def material(message: dict) -> bool:
    return any(message["message"].startswith(start) and markup in message.get("extract", "")
               for start, markup in MATERIAL)


def test_every_page_passes_the_nu_html_checker(built_site):
    if not shutil.which("java") or not VNU.is_file():
        pytest.fail("The Nu HTML Checker is not installed: run 'bash .ci/run', which installs vnu-jar with "
                    "npm and Java with Debian's epubcheck package.")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                             str(built_site)], capture_output=True, text=True)
    messages = json.loads(result.stderr)["messages"]
    assert len(list(built_site.rglob("*.html"))) > 15 and messages      # it read the site (Material's are there)
    ours = [f"{message['url'].split(str(built_site))[-1]}:{message.get('lastLine', '?')}: {message['message']}"
            for message in messages if not material(message)]
    assert not ours, "\n".join(ours[:20])
