"""The optional parts (PDF book, spelling) say how to install them when they are missing, never a traceback."""
from __future__ import annotations

import importlib.util

import pytest

from textbook import check, pdf

pytestmark = pytest.mark.unit


def hide(monkeypatch, *modules: str) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name in modules else real(name, *args))


def test_the_pdf_command_names_the_extra_it_needs(monkeypatch, capsys):
    hide(monkeypatch, "weasyprint")
    assert pdf.main([]) == 2
    err = capsys.readouterr().err
    assert "The PDF book needs WeasyPrint" in err and "pip install -e '.[pdf]'" in err


def test_the_check_says_when_spelling_was_not_checked(monkeypatch, capsys, tmp_path):
    hide(monkeypatch, "codespell_lib")
    monkeypatch.setattr(check, "check", lambda root: [])
    assert check.main(["--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "except spelling, which was not checked" in out and "pip install -e '.[spelling]'" in out
    assert check.check_spelling(tmp_path, []) == []


def test_with_codespell_the_check_says_all_passed(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(check, "check", lambda root: [])
    assert check.main(["--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "All checks passed.\n"
