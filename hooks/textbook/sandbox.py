"""Run a contributor's code in a forked child process with a time limit.

Charts run Python from the course's ``charts/`` folder during the check and the build. That code
may loop forever, call ``sys.exit()`` or ``os._exit()``, or crash the interpreter; none of it may
stop, hang or fool the build. ``run_bounded`` forks, runs the function in the child and sends its
result back through a pipe as a pickle, which the parent reads with only the classes the caller
names: a crafted result cannot make the parent run code (a plain pickle would let it). A child that runs longer than the limit is killed with
SIGKILL; one that ends without a result is reported as such. Where ``os.fork`` does not exist
(Windows), the function runs in-process with every exit still caught, but without a time limit.
"""
from __future__ import annotations

import io
import os
import pickle
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any


class Timeout(Exception):
    """The code ran longer than its limit (plus a grace period) and was killed."""


class TimeLimit(Exception):
    """Raised inside the child when its time is up, so the message can name the running line."""


class Ended(Exception):
    """The child ended without sending a result (os._exit, a crash, a signal)."""


class Raised(Exception):
    """The code raised; carries what the parent needs to report it: the exception's name and text
    and the lines of the traceback that fall in a given file."""

    def __init__(self, kind: str, text: str, lines: list[int], payload: Any = None) -> None:
        super().__init__(kind, text, lines, payload)
        self.kind, self.text, self.lines, self.payload = kind, text, lines, payload


GRACE = 1.0     # seconds between the child's own stop and SIGKILL


def _alarm(seconds: float) -> None:
    def stop(_signum, _frame):
        raise TimeLimit(f"ran longer than {seconds:g} s")
    try:
        signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    except (ValueError, OSError, AttributeError):    # no alarm here: the parent's SIGKILL still bounds it
        pass


def number_from_env(name: str, default: float) -> float:
    """A positive number (seconds, kilobytes) from an environment variable, or the default."""
    raw = os.environ.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def _describe(error: BaseException, path: str) -> Raised:
    lines = [lineno for frame, lineno in traceback.walk_tb(error.__traceback__)
             if frame.f_code.co_filename == path]
    if isinstance(error, SystemExit):
        text = f"the code called sys.exit({error.code!r})" if error.code is not None else "the code called sys.exit()"
    else:
        text = str(error)
    return Raised(type(error).__name__, text, lines, getattr(error, "sandbox_payload", None))


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):                # the group, or the child alone if it has none yet
        try:
            kill(pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError):
            continue


def call_caught(function: Callable[[], Any], path: str) -> Any:
    """Call ``function``; any exit at all (SystemExit and KeyboardInterrupt included) becomes Raised."""
    try:
        return function()
    except BaseException as error:  # noqa: BLE001 - contributor code: every way out is reported
        raise _describe(error, path) from None


class _Result(pickle.Unpickler):
    """Reads a child's result: plain data, and instances of the classes its caller allows, nothing else."""

    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str):
        if (module, name) in self.allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a {module}.{name}")


def _read_result(data: bytes, allowed: frozenset[tuple[str, str]]) -> tuple:
    try:
        outcome = _Result(data, allowed).load()
    except Exception as error:  # noqa: BLE001 - whatever the child sent, the parent reports it
        return ("raised", "UnpicklingError", f"its result holds {error}, which the build does not take back "
                "(return numbers, text, lists and dicts)", [], None)
    if not (isinstance(outcome, tuple) and outcome and outcome[0] in ("ok", "raised")
            and len(outcome) == (2 if outcome[0] == "ok" else 5)):
        return ("raised", "UnpicklingError", "its result is not in the form the build expects", [], None)
    return outcome


def run_bounded(function: Callable[[], Any], path: str, seconds: float,
                allowed: frozenset[tuple[str, str]] = frozenset()) -> Any:
    """Run ``function`` in a child process for at most ``seconds``; return its (picklable) result.

    Raises Raised (the code raised or exited), Timeout or Ended. ``path`` is the contributor's file:
    traceback lines in it are kept so the message can name the line. ``allowed`` names the classes
    (module, name) the result may hold besides plain data.
    """
    if not hasattr(os, "fork"):
        return call_caught(function, path)
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:                                     # the child: never returns
        os.close(read_end)
        status = 0
        try:
            os.setpgid(0, 0)                         # its own group: processes it starts are ended with it
            _alarm(seconds)
            try:
                outcome = ("ok", call_caught(function, path))
            except Raised as raised:
                outcome = ("raised", raised.kind, raised.text, raised.lines, raised.payload)
            signal.setitimer(signal.ITIMER_REAL, 0)
            try:
                data = pickle.dumps(outcome)
            except Exception as error:  # noqa: BLE001 - a result that cannot be sent back
                data = pickle.dumps(("raised", type(error).__name__, f"the result cannot be sent back: {error}", [], None))
            sys.stdout.flush()
            sys.stderr.flush()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
        except BaseException:  # noqa: BLE001
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    # The child stops itself at the limit (naming its line); code that swallows that is killed a bit later.
    chunks, deadline, timed_out, finished = [], time.monotonic() + seconds + GRACE, False, False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if finished:                                 # the child closed the pipe: it is ending by itself
            _, status = os.waitpid(pid, 0)
        _kill_group(pid)                             # on a timeout, Ctrl-C, or leftovers it started
        if not finished:
            _, status = os.waitpid(pid, 0)
    if timed_out:
        raise Timeout(seconds)
    if not chunks:
        code = os.waitstatus_to_exitcode(status)
        raise Ended("killed by signal " + signal.Signals(-code).name if code < 0 else f"exit status {code}")
    outcome = _read_result(b"".join(chunks), allowed)
    if outcome[0] == "ok":
        return outcome[1]
    raise Raised(*outcome[1:])
