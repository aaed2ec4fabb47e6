"""Keep between builds what a build would otherwise work out again: the parsed facts file, glossary and
misconceptions, each page's scan and render, the files published for "Ask this lesson", and the record
that a page passed a check.

Reading ``docs/facts.yml`` with every line number and checking it is a large share of a small build.
The result is kept under ``.cache/course/``, keyed on the file's bytes, the name it is shown by and
the course package's own source and templates, so any edit to the file or to the code that reads it
reads it again. Only what was worked out without a problem is kept; a mistake is reported afresh on
every build. Each kept copy and each record is signed with a key of this machine's user (``_secret``),
so a file this user's builds did not write is never read or believed. No MkDocs import.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

FOLDER = Path(".cache") / "course"
log = logging.getLogger("mkdocs.textbook.parsecache")


@functools.cache
def _package_digest() -> bytes:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def cached_load(project: Path, loader: Callable, path: Path, shown: str):
    """``loader(path, shown)``, or the object it returned last time for the same file and code."""
    try:
        content = path.read_bytes()
    except OSError:
        return loader(path, shown)                  # the loader reports a missing file its own way
    name = f"{loader.__name__}-{hashlib.sha256(shown.encode()).hexdigest()[:8]}"    # one kept copy per file
    return cached_value(project, name, content, lambda: loader(path, shown))


def cached_value(project: Path, name: str, inputs: bytes, compute: Callable):
    """``compute()``, or the value it returned last time for the same ``inputs`` and the same code.

    One copy is kept per ``name``; a value ``compute`` fails to return (an exception) is never kept.
    """
    found = kept_value(project, name, inputs)
    if found is not None:
        return found
    value = compute()
    keep_value(project, name, inputs, value)
    return value


def kept_value(project: Path, name: str, inputs: bytes):
    """The value kept under ``name`` for the same ``inputs`` and code (``keep_value``), or None."""
    secret = _secret()
    if secret is None:                              # nowhere to keep the key: nothing is kept
        return None
    try:
        kept = _kept_file(project, name, inputs).read_bytes()
        if hmac.compare_digest(kept[:32], hmac.new(secret, kept[32:], "sha256").digest()):
            return pickle.loads(kept[32:])
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass                                        # not kept yet, or kept by other code
    return None


def _kept_file(project: Path, name: str, inputs: bytes) -> Path:
    key = hashlib.sha256(_package_digest() + inputs).hexdigest()[:24]
    return project / FOLDER / name / f"{key}.pickle"          # a folder per name: its one copy


def keep_value(project: Path, name: str, inputs: bytes, value) -> None:
    """Keep ``value`` (not None) as the one copy under ``name``, signed, for ``kept_value``."""
    secret = _secret()
    if secret is None:
        return
    target = _kept_file(project, name, inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob("*.pickle"):
            stale.unlink(missing_ok=True)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(hmac.new(secret, payload, "sha256").digest() + payload)
        partial.replace(target)
    except OSError as error:                        # a read-only folder: build without keeping it
        log.debug("could not keep %s: %s", target, error)


def keep_only(project: Path, prefix: str, names: set[str]) -> None:
    """Remove the kept copies whose name starts with ``prefix`` but is not in ``names`` (those of pages
    that no longer exist, say), so the folder does not grow as pages are renamed and removed."""
    folder = project / FOLDER
    try:
        stale = [path for path in folder.glob(f"{prefix}*") if path.is_dir() and path.name not in names]
    except OSError:
        return
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def passed_before(project: Path, name: str, content: bytes) -> bool:
    """Whether ``content`` is exactly what passed a check named ``name`` last time, with the same code.

    The signatures of the last few contents that passed are kept per name (a page's last look, say: the
    check and the build each make their own HTML of a page), so a file this user's builds did not write
    never vouches for anything.
    """
    secret = _secret()
    if secret is None:
        return False
    try:
        kept = _verdict_file(project, name).read_bytes()
    except OSError:
        return False
    signature = _signature(secret, content)
    return any(hmac.compare_digest(kept[at:at + 32], signature) for at in range(0, len(kept), 32))


def remember_passed(project: Path, name: str, content: bytes) -> None:
    """Keep the verdict that ``content`` passed the check named ``name`` (see ``passed_before``)."""
    secret = _secret()
    if secret is None:
        return
    target = _verdict_file(project, name)
    try:
        try:
            earlier = target.read_bytes()[:32 * (VERDICTS - 1)]
        except OSError:
            earlier = b""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(_signature(secret, content) + earlier)
        partial.replace(target)
    except OSError as error:                        # a read-only folder: check again next time
        log.debug("could not keep %s: %s", target, error)


VERDICTS = 4            # signatures kept per name: the newest first


def _verdict_file(project: Path, name: str) -> Path:
    return project / FOLDER / "passed" / hashlib.sha256(name.encode()).hexdigest()[:24]


def _signature(secret: bytes, content: bytes) -> bytes:
    return hmac.new(secret, _package_digest() + content, "sha256").digest()


@functools.cache
def _secret() -> bytes | None:
    """A key of this machine's user, outside every course folder.

    Each kept file is signed with it: a file under .cache/ that this user's builds did not write (one
    committed to a pull request, say) is never unpickled, so it cannot run code in the build.
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "from-data-to-assistant"
    key = folder / "parsecache.key"
    try:
        secret = key.read_bytes()
        if len(secret) == 32:
            return secret
    except OSError:
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = key.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(secrets.token_bytes(32))
        os.chmod(partial, 0o600)
        partial.replace(key)
        secret = key.read_bytes()
        return secret if len(secret) == 32 else None
    except OSError:
        return None
