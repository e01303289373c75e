"""A report's snapshot read ahead, in the spare child that will run the report (issue 17).

The reliability view starts a spare child when it is shown on a large project
(:mod:`coder.process_spare`), and the report's first phase in that child is reading the
snapshot: 1–2 s of the 1,000-session study's 5–6 s from Compute to the table shown. The
view knows the selection the report will read — the one its settings hold — so the spare
reads it while the user is still looking at the tab (:func:`read`), and the report takes it
(:func:`take`) when its source is that same source (the same file, selection and access
facts) and nothing has been written to the file since: SQLite's ``PRAGMA data_version``,
asked on the connection that made the read, changes when any other connection commits
(this connection's own snapshot-cache save does not count), and the file must still be
the same file (a restored backup is a new one). Otherwise the report reads as before.

The read ends its read transaction at once (an idle reader holding one would stop the
write-ahead log's checkpoints); only the connection stays open for the check. The price is
memory: the snapshot (the study: ~300 MiB) is held by the idle spare until the next report
takes it or the spare is discarded.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass, replace

from ..store import snapshot_cache


@dataclass
class _Held:
    source: object
    snapshot: object
    stack: ExitStack
    conn: object
    version: int | None
    file: tuple[int, int]


_held: _Held | None = None


def _file_identity(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _same(a, b) -> bool:
    """The same read: file, selection, access facts and cache use (the file's size may have
    moved: the version check says whether anything was written)."""
    return replace(a, file_bytes=0) == replace(b, file_bytes=0)


def read(source) -> None:
    """Read ``source``'s snapshot now and hold it for :func:`take` (a spare child calls this
    while it waits for its job). Any failure leaves nothing held: the report reads then."""
    global _held
    drop()
    stack = ExitStack()
    try:
        store, part = source.open_part()
        stack.callback(store.dispose)
        conn = stack.enter_context(store.read())
        version, snapshot = part.snapshot_on(conn, source.raters, source.transcripts)
        conn.rollback()                     # no read transaction held while idle
        _held = _Held(source, snapshot, stack, conn, version, _file_identity(source.path))
    except Exception:  # noqa: BLE001 - reading ahead is a guess; the report reads for itself
        stack.close()


def take(source):
    """The snapshot read ahead for ``source`` if it is still what a read now would give,
    else None; either way nothing stays held."""
    global _held
    held, _held = _held, None
    if held is None:
        return None
    try:
        if not _same(held.source, source) or held.version is None:
            return None
        if _file_identity(source.path) != held.file:
            return None
        now = snapshot_cache.version_now(held.conn)
        held.conn.rollback()
        return held.snapshot if now == held.version else None
    except Exception:  # noqa: BLE001 - when in doubt, read again
        return None
    finally:
        held.stack.close()


def drop() -> None:
    """Let go of a snapshot read ahead (if any)."""
    global _held
    held, _held = _held, None
    if held is not None:
        held.stack.close()
