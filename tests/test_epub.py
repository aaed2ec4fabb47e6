"""The EPUB book (python -m textbook.epub): valid by EPUBCheck, the course's chapters, no answers inline."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ENV, ROOT

pytestmark = pytest.mark.pdf
EPOCH = 1767225600                  # 2026-01-01, for a reproducible file
EPUBCHECK_JARS = ("/usr/share/java/epubcheck.jar", "/usr/bin/epubcheck")


def export(site: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textbook.epub", "--no-build", "-d", str(site), "-o", str(output)],
                          cwd=ROOT, capture_output=True, text=True, env={**ENV, "SOURCE_DATE_EPOCH": str(EPOCH)})


@pytest.fixture(scope="module")
def epub(built_site, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("epub") / "book.epub"
    result = export(built_site, output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Wrote {output}" in result.stdout
    return output


def files(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_epubcheck_finds_no_errors_or_warnings(epub):
    jar = next((path for path in EPUBCHECK_JARS if os.path.exists(path)), None)
    if jar is None or shutil.which("java") is None:
        pytest.fail("EPUBCheck is missing: apt-get install -y epubcheck (.ci/run does).")
    result = subprocess.run(["java", "-jar", jar, str(epub)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


def test_the_epub_has_every_chapter_in_order_and_the_answer_key(epub):
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    content = files(epub)
    nav = BeautifulSoup(content["OEBPS/nav.xhtml"], "html.parser")
    titles = [link.get_text(" ", strip=True) for link in nav.select("nav#toc a")]
    lessons = [title for title in titles if re.match(r"\d+\. ", title)]
    assert lessons[:7] == sorted(lessons[:7], key=lambda title: int(title.split(".")[0])) and len(lessons) >= 7
    assert "Answer key" in titles and titles.index("Answer key") < titles.index("Glossary")
    key = BeautifulSoup(content["OEBPS/answer-key.xhtml"], "html.parser")
    assert len(key.select("li.fd-key__entry")) >= 60
    # Links from the key reach the questions in their chapter files.
    target = key.select_one("p.fd-key__question a")["href"]
    name, _, anchor = target.partition("#")
    assert name.endswith(".xhtml") and f'id="{anchor}"' in content[f"OEBPS/{name}"].decode()


def test_quizzes_print_questions_and_options_without_answers(epub):
    for name, data in files(epub).items():
        if not re.match(r"OEBPS/c\d+-", name):
            continue
        text = data.decode()
        assert "fd-opt__feedback" not in text and "Show the answer" not in text, name
        assert "data-correct" not in text, name
    chapter = BeautifulSoup(files(epub)["OEBPS/c03-pretraining.xhtml"], "html.parser")
    assert len(chapter.select(".fd-q")) >= 5 and chapter.select("li.fd-opt")


def test_no_web_only_instruction_is_in_the_epub(epub):
    from test_pdf import WEB_ONLY

    text = " ".join(BeautifulSoup(data, "html.parser").get_text(" ") for name, data in files(epub).items()
                    if name.endswith(".xhtml"))
    text = " ".join(text.split())
    assert not [phrase for phrase in WEB_ONLY if phrase in text]
    assert "Ask this lesson" not in text


def test_charts_are_svg_files_with_their_alt_text_and_data(epub):
    content = files(epub)
    images = [name for name in content if name.startswith("OEBPS/images/")]
    assert images and all(name.endswith(".svg") for name in images)
    chapter = BeautifulSoup(content["OEBPS/c03-pretraining.xhtml"], "html.parser")
    charts = chapter.select("figure.fd-chart__figure")
    assert len(charts) == 3
    for figure in charts:
        image = figure.find("img")
        assert image["src"].startswith("images/") and len(image["alt"]) > 40
        assert figure.find_all(recursive=False)[-1].name == "figcaption"
        assert figure.find_next_sibling().select_one("table") is not None      # its data, after the figure
    opf = content["OEBPS/content.opf"].decode()
    assert "<dc:language>en</dc:language>" in opf and "schema:accessibilityFeature" in opf


def test_the_epub_is_reproducible(built_site, epub, tmp_path):
    again = tmp_path / "again.epub"
    assert export(built_site, again).returncode == 0
    assert again.read_bytes() == epub.read_bytes()
