"""Progress and cancel for one export, and which codes an export selects."""

from __future__ import annotations

from collections.abc import Callable


def expand_codes(book, codes) -> set[str] | None:
    """Code ids selected by ``codes`` (code ids or group ids; a group selects its direct
    codes); None selects every code, archived ones included (codings are data)."""
    if codes is None:
        return None
    out: set[str] = set()
    groups = {g.id: g for _, g in book.iter_groups()}
    for cid in codes:
        if cid in groups:
            out.update(c.id for c in groups[cid].codes)
        else:
            out.add(cid)
            entry = book.entry(cid)
            if entry.code.kind == "category":      # a member selects its whole set
                out.update(c.id for c in entry.group.codes)
    return out


class Ticker:
    """Progress and cancel for one export: ``advance(n)`` after n rows; checks cancel every
    few hundred rows and raises :class:`coder.jobs.Cancelled`."""

    def __init__(self, progress: Callable | None, cancel: Callable | None, total: int) -> None:
        self.progress, self.cancel, self.total = progress, cancel, max(int(total), 1)
        self.done = 0
        self.message = ""
        self._next = 0

    def stage(self, message: str) -> None:
        self.message = message
        self.check()
        self._emit()

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            from ..jobs import Cancelled
            raise Cancelled(f"export cancelled ({self.message or 'starting'})")

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + 500
            self.check()
            self._emit()

    def _emit(self) -> None:
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total, self.message)
