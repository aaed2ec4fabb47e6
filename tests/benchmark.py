"""Print speed and size figures for the course build. Not a test: nothing here can fail on a number.

    .venv/bin/python tests/benchmark.py [--runs 3]
"""
from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV_NOTICE = {"NO_MKDOCS_2_WARNING": "1"}


def build_seconds(runs: int) -> list[float]:
    import os
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as site:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site],
                           cwd=ROOT, check=True, env={**os.environ, **ENV_NOTICE})
            times.append(time.perf_counter() - start)
    return times


def lab_seconds() -> dict[str, float]:
    """Each lab run on its own in a fresh kernel, as a build with an empty cache runs it."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from textbook.labs import execute, find_labs, read_lab

    times = {}
    for lab in find_labs(ROOT / "docs", ROOT):
        start = time.perf_counter()
        execute(lab, read_lab(lab), ROOT / "docs" / "labs")
        times[lab.name] = time.perf_counter() - start
    return times


def labs_run_by_a_build(site: str) -> tuple[float, int]:
    """Build with the lab cache as it is; return the time and how many labs the build ran (from its log)."""
    import os
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site], cwd=ROOT,
                            check=True, capture_output=True, text=True, env={**os.environ, **ENV_NOTICE})
    return time.perf_counter() - start, result.stderr.count("Ran lab ")


def gzipped(paths: list[Path]) -> tuple[int, int]:
    raw = b"".join(path.read_bytes() for path in paths)
    return len(raw), len(gzip.compress(raw, compresslevel=9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for name, seconds in lab_seconds().items():
        print(f"lab {name}: {seconds:.1f} s to run (fresh kernel included)")
    with tempfile.TemporaryDirectory() as site:
        labs_run_by_a_build(site)                     # make sure the lab cache is filled
        seconds, ran = labs_run_by_a_build(site)
    print(f"warm build (no lab changed): {seconds:.2f} s, labs executed: {ran}")
    times = build_seconds(args.runs)
    print(f"site build (mkdocs build --strict), {args.runs} runs: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f})")
    assets = ROOT / "overrides" / "assets"
    raw, packed = gzipped([assets / "javascripts" / "quiz.js", assets / "stylesheets" / "textbook.css"])
    print(f"quiz and course widget JS + CSS: {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzipped")


if __name__ == "__main__":
    main()
