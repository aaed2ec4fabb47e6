"""Keep what the facts file, the glossary and the misconceptions parse into between builds.

Reading ``docs/facts.yml`` with every line number and checking it is a large share of a small build.
The result is kept under ``.cache/course/``, keyed on the file's bytes, the name it is shown by and
the course package's own source, so any edit to the file or to the code that reads it reads it again.
Only a file that loaded without a problem is kept; a mistake is reported afresh on every build.
No MkDocs import.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

FOLDER = Path(".cache") / "course"
log = logging.getLogger("mkdocs.textbook.parsecache")


@functools.cache
def _package_digest() -> bytes:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def cached_load(project: Path, loader: Callable, path: Path, shown: str):
    """``loader(path, shown)``, or the object it returned last time for the same file and code."""
    try:
        content = path.read_bytes()
    except OSError:
        return loader(path, shown)                  # the loader reports a missing file its own way
    name = f"{loader.__name__}-{hashlib.sha256(shown.encode()).hexdigest()[:8]}"    # one kept copy per file
    key = hashlib.sha256(_package_digest() + content).hexdigest()[:24]
    target = project / FOLDER / f"{name}-{key}.pickle"
    try:
        return pickle.loads(target.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass                                        # not kept yet, or kept by other code: read the file
    value = loader(path, shown)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f"{name}-*.pickle"):
            stale.unlink(missing_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(target)
    except OSError as error:                        # a read-only folder: build without keeping it
        log.debug("could not keep %s: %s", target, error)
    return value
