"""The store's bulk-read helpers shared by the snapshot readers (:mod:`.snapshot_read`,
:mod:`.snapshot_codings`): plain-tuple fetches in chunks of ids, a cancellable SQLite
statement, rows into numpy a slice at a time, and id -> row lookups."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import numpy as np
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from ..jobs import Cancelled

CHUNK = 500                     # ids per IN (...) clause
POLL_STEPS = 20000              # SQLite VM steps between two asks of cancel() in a query
ROWS = 50_000                   # rows converted by one numpy call


def fetch(conn: Connection, query) -> list[tuple]:
    """All rows of a Core ``select`` as plain tuples, read with the DBAPI cursor.

    Why: a project has ~10^6 codings; SQLAlchemy's Row objects cost about as much again as
    the driver's own fetch, and numpy reads plain tuples fast. The SQL is still built by
    SQLAlchemy for the connection's dialect (a plain SELECT); its only parameters are integer
    ids, rendered inline."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cur = conn.connection.cursor()
    try:
        cur.execute(sql)
        return cur.fetchall()
    finally:
        cur.close()


def in_chunks(conn: Connection, query, column, ids: list[int]) -> list:
    rows: list = []
    for i in range(0, len(ids), CHUNK):
        rows.extend(fetch(conn, query.where(column.in_([int(x) for x in ids[i:i + CHUNK]]))))
    return rows


@contextmanager
def interruptible(conn: Connection, cancel):
    """Let ``cancel()`` stop a long SQLite statement (a progress handler asks it every few
    thousand virtual-machine steps); an interrupted read raises Cancelled."""
    raw = getattr(conn.connection, "driver_connection", None)
    handler = getattr(raw, "set_progress_handler", None)
    if cancel is None or handler is None:
        yield
        return
    handler(lambda: 1 if cancel() else 0, POLL_STEPS)
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:
        if cancel():
            raise Cancelled("cancelled while reading codings") from exc
        raise
    finally:
        handler(None, 0)


def array_of(rows, dtype) -> np.ndarray:
    """``np.array(rows, dtype)`` in slices of `ROWS` rows: numpy holds the GIL while it
    converts a list, which for millions of rows froze the GUI thread for seconds while
    the report job read; between slices the GUI gets its turn."""
    if len(rows) <= ROWS:
        return np.array(rows, dtype=dtype)
    return np.concatenate([np.array(rows[i:i + ROWS], dtype=dtype)
                           for i in range(0, len(rows), ROWS)])


def unit_lookup(seg_ids: np.ndarray):
    """``unit_rows(ids)``: each segment id's row in ``seg_ids`` (-1: not there)."""
    n = seg_ids.size
    lo = int(seg_ids.min()) if n else 0
    span = int(seg_ids.max()) - lo + 1 if n else 0
    # Segment ids are dense in a project: a table indexed by id answers each of the ~10
    # million codings and completions of a large study with one gather, where a binary
    # search was a third of the read. (Ids are unique, so both give the same rows.) The
    # table is filled a slice of ids at a time: no sorted copy of a million ids (an argsort
    # and its gather were 16 MiB of each item's read in the study's export).
    if n and span <= 4 * n + 4096:
        # (int32 rows: half of a million units' 8 MiB; a row number always fits)
        small = np.int32 if n < (1 << 31) else np.int64
        lut = np.full(span, -1, dtype=small)
        for start in range(0, n, _FILL):
            stop = min(n, start + _FILL)
            lut[seg_ids[start:stop] - lo] = np.arange(start, stop, dtype=small)

        def unit_rows(ids: np.ndarray) -> np.ndarray:
            rel = ids - lo
            inside = (rel >= 0) & (rel < span)
            return np.where(inside, lut[np.where(inside, rel, 0)], -1)
        return unit_rows
    order = np.argsort(seg_ids, kind="stable")
    sorted_ids = seg_ids[order]

    def unit_rows_sparse(ids: np.ndarray) -> np.ndarray:
        if sorted_ids.size == 0:
            return np.full(ids.shape, -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(sorted_ids, ids), 0, sorted_ids.size - 1)
        return np.where(sorted_ids[pos] == ids, order[pos], -1)
    return unit_rows_sparse


#: Segment ids put into the lookup table at a time.
_FILL = 1 << 16


def lookup(values: np.ndarray, keys: list[int]) -> np.ndarray:
    """Index of each value in ``keys`` (every value must be there).

    Ids are small positive integers, so a lookup table indexed by id does it in one pass
    (~10^6 codings); a sorted search is the fallback for unusual ids."""
    keys_arr = np.asarray(keys, dtype=np.int64)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    if keys_arr.size and keys_arr.min() >= 0 and keys_arr.max() < max(4 * values.size, 1 << 16):
        lut = np.zeros(int(keys_arr.max()) + 1, dtype=np.int64)
        lut[keys_arr] = np.arange(keys_arr.size)
        return lut[values]
    order = np.argsort(keys_arr)
    pos = np.searchsorted(keys_arr[order], values)
    return order[pos]
