"""The one contract for long work (DESIGN.md rule 5).

A job is a core function shaped ``fn(snapshot, progress, cancel) -> result``: it reads only
the read-only snapshot it is given (a frozen value, or a :class:`coder.store.ReadView` that
reads one consistent state of the project file on the worker's own connection) and never
writes; a write goes back to the project as a command. ``progress(done, total[, message])``
reports how far it is; ``cancel()`` returns True when the user has asked to stop, and the job
then raises :class:`Cancelled`. ``ui/`` runs every job through one runner.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total)`` or ``progress(done, total, message)``.
Progress = Callable[..., None]
#: ``cancel()`` -> True once the user has asked to stop.
Cancel = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled a long operation."""


def check(cancel: Cancel | None) -> None:
    """Raise :class:`Cancelled` if the user has asked to stop."""
    if cancel is not None and cancel():
        raise Cancelled()


def report(progress: Progress | None, done: int, total: int, message: str | None = None) -> None:
    """Report progress when someone listens."""
    if progress is not None:
        if message is None:
            progress(done, total)
        else:
            progress(done, total, message)
