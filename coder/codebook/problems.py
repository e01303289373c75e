"""What is wrong with a codebook, and where: :class:`Problem` and :class:`CodebookError`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from coder.errors import InputError


@dataclass(frozen=True)
class Problem:
    """One thing to fix. ``line`` and ``column`` are 1-based; ``None`` when unknown."""

    file: str | None
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        return f"{where}: {self.message}" if where else self.message


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then position (problems without a position last), keeping the order of ties."""
    return sorted(problems, key=lambda p: (p.file or "", p.line is None, p.line or 0,
                                           p.column or 0))


class CodebookError(InputError):
    """A codebook that cannot be used as it is. ``problems`` holds every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        first = self.problems[0] if self.problems else Problem(None, None, None, "invalid codebook")
        super().__init__(first.message, file=first.file, line=first.line, column=first.column)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a close match among ``choices``, else ``""``."""
    if not isinstance(word, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[match[0]]}'?)" if match else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices)
