"""One error type for every mistake a contributor can make in the course sources."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


class ContentError(Exception):
    """A problem in a source file, reported as ``file:line: what is wrong`` plus how to fix it."""

    def __init__(self, file: str, line: int | None, message: str, hint: str = "") -> None:
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(str(self))

    def __reduce__(self):
        # Raised in a worker process (the lessons' own PDFs) and shown by the parent, so it must pickle.
        return type(self), (self.file, self.line, self.message, self.hint)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        if self.hint:
            text += f"\n  {self.hint}"
        return text


class ContentErrors(ContentError):
    """Several problems found in one pass, reported together so a contributor fixes them at once."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.file, first.line, first.message, first.hint)

    def __reduce__(self):
        return type(self), (self.errors,)

    def __str__(self) -> str:
        return "\n".join(ContentError.__str__(error) for error in self.errors)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return " Did you mean 'x'?" for the closest valid name, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""
