"""Print speed and size figures for the course build and the PDF book. Not a test: nothing here
can fail on a number.

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


def pdf_export() -> tuple[float, int, int]:
    """Seconds for the documented PDF command (site build included), its page count and size."""
    import os
    from pypdf import PdfReader
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "textbook.pdf", "-d", site], cwd=ROOT, check=True,
                       env={**os.environ, **ENV_NOTICE}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        pdf = Path(site) / "from-data-to-assistant.pdf"
        return seconds, len(PdfReader(pdf).pages), pdf.stat().st_size


def gzipped(paths: list[Path]) -> tuple[int, int]:
    raw = b"".join(path.read_bytes() for path in paths)
    return len(raw), len(gzip.compress(raw, compresslevel=9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = build_seconds(args.runs)
    print(f"site build (mkdocs build --strict), {args.runs} runs: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f})")
    assets = ROOT / "overrides" / "assets"
    raw, packed = gzipped([assets / "javascripts" / "quiz.js", assets / "stylesheets" / "textbook.css"])
    print(f"quiz and course widget JS + CSS: {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzipped")
    seconds, pages, size = pdf_export()
    print(f"PDF book (python -m textbook.pdf, site build included): {seconds:.1f} s, {pages} pages, "
          f"{size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
