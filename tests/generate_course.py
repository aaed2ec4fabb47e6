"""Generate a large course from the real one, to measure how the build scales with lessons.

    .venv/bin/python tests/generate_course.py DEST [--lessons 200]

Copies the course to DEST, then adds copies of its lessons (from the nav's "Lessons" section) until
there are about ``--lessons`` of them, each with its quiz and question ids made unique and listed in
the nav, so ``mkdocs build --strict`` and ``zensical build`` accept the result. Used by
tests/benchmark.py; also handy to try a change on a big course.
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUIZ_ID = re.compile(r"(<!--\s*(?:quiz|question):\s*)([\w-]+)")


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving tags such as !ENV."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def lessons(config: dict) -> list[str]:
    for item in config["nav"]:
        if isinstance(item, dict) and "Lessons" in item:
            return [entry if isinstance(entry, str) else next(iter(entry.values())) for entry in item["Lessons"]]
    raise SystemExit("mkdocs.yml: the nav has no 'Lessons' section")


def generate(dest: Path, count: int) -> list[str]:
    """Write the course with about ``count`` lessons to ``dest``; return the added pages."""
    for name in ("docs", "charts", "overrides", "hooks"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for cache in ("charts", "labs"):      # drawings, executed labs: the copy starts warm
        if (ROOT / ".cache" / cache).is_dir():
            shutil.copytree(ROOT / ".cache" / cache, dest / ".cache" / cache)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_IgnoreTags)
    if re.search(r"^[A-Za-z_]+:", text[text.index("\nnav:") + 5:], re.M):
        raise SystemExit("mkdocs.yml: the nav must be the last setting (copies are added at its end)")
    originals = lessons(config)
    added = []
    copy = 1
    while len(originals) + len(added) < count:
        for lesson in originals:
            if len(originals) + len(added) >= count:
                break
            source = (ROOT / "docs" / lesson).read_text(encoding="utf-8")
            page = f"{Path(lesson).stem}-copy{copy}.md"
            (dest / "docs" / page).write_text(QUIZ_ID.sub(rf"\g<1>\g<2>-copy{copy}", source), encoding="utf-8")
            added.append(page)
        copy += 1
    generated = "\n  - Copies:\n" + "".join(f"      - {page}\n" for page in added)
    (dest / "mkdocs.yml").write_text(text.rstrip("\n") + generated, encoding="utf-8")
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--lessons", type=int, default=200)
    args = parser.parse_args()
    added = generate(args.dest, args.lessons)
    print(f"{args.dest}: {len(added)} lessons added to the course's own")


if __name__ == "__main__":
    main()
