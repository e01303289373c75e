"""A per-transcript cache of the snapshot's decoded arrays, kept current by the database.

Reading ~10^6 codings for a reliability snapshot is bounded by SQLite turning integers into
text (:mod:`.snapshot_packed`). The table ``snapshot_cache`` holds, per transcript, the
arrays that read gives — its codings (coding id, unit or minus the transcript id, code,
rater, value, span start and end, in coding id order) and its completions (segment, rater) —
and its units (id, kind, position, speaker's role) for every rater, as self-described bytes (:func:`encode`: each column with its own dtype, so
nothing depends on the project's largest ids).

**Validity without stamps.** SQLite triggers on ``coding``, ``unit_status`` and ``segment``
(insert, update, delete), and on updates of ``speaker`` and of a turn's speaker, delete the
touched transcript's row (:data:`TRIGGERS`, made by the
schema-6 migration). A row that is present is therefore current by construction, inside the
same transaction as the change, and a backup carries it with the data. PostgreSQL has no
triggers here: there the cache is never read or written (:func:`usable`).

**Saving** (:func:`save`) happens after a read, in short write transactions of a few
transcripts each, and only when no other connection has committed since the read began
(``PRAGMA data_version`` is the same as when the read started): what is saved is exactly the
state that was read. A busy database, a read-only file or any error skips the save; a read
never fails for it. A row that cannot be decoded is dropped by the next save and read as if
it were missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain

import numpy as np
from sqlalchemy import Connection, delete, null, select, text

from ..jobs import check
from . import snapshot_packed
from .schema import rater, snapshot_cache
from .snapshot_blob import decode, decode_segments, encode, encode_segments  # noqa: F401

SAVE_BATCH = 8                          # transcripts per save transaction

#: SQL of the triggers that keep the cache current (SQLite only).
TRIGGERS = [
    *(f"""CREATE TRIGGER IF NOT EXISTS snapshot_cache_coding_{op.lower()}
          AFTER {op} ON coding BEGIN
          DELETE FROM snapshot_cache WHERE transcript_id = {row}.transcript_id; END"""
      for op, row in (("INSERT", "NEW"), ("DELETE", "OLD"))),
    """CREATE TRIGGER IF NOT EXISTS snapshot_cache_coding_update AFTER UPDATE ON coding BEGIN
       DELETE FROM snapshot_cache WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id);
       END""",
    *(f"""CREATE TRIGGER IF NOT EXISTS snapshot_cache_unit_status_{op.lower()}
          AFTER {op} ON unit_status BEGIN
          DELETE FROM snapshot_cache WHERE transcript_id =
            (SELECT transcript_id FROM segment WHERE id = {row}.segment_id); END"""
      for op, row in (("INSERT", "NEW"), ("DELETE", "OLD"))),
    """CREATE TRIGGER IF NOT EXISTS snapshot_cache_unit_status_update
       AFTER UPDATE ON unit_status BEGIN
       DELETE FROM snapshot_cache WHERE transcript_id IN
         (SELECT transcript_id FROM segment WHERE id IN (OLD.segment_id, NEW.segment_id));
       END""",
    *(f"""CREATE TRIGGER IF NOT EXISTS snapshot_cache_segment_{op.lower()}
          AFTER {op} ON segment BEGIN
          DELETE FROM snapshot_cache WHERE transcript_id = {row}.transcript_id; END"""
      for op, row in (("INSERT", "NEW"), ("DELETE", "OLD"))),
    """CREATE TRIGGER IF NOT EXISTS snapshot_cache_segment_update AFTER UPDATE ON segment BEGIN
       DELETE FROM snapshot_cache WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id);
       END""",
    # a unit's role is its turn's speaker's: the roles a transcript's speakers are given
    """CREATE TRIGGER IF NOT EXISTS snapshot_cache_speaker_update AFTER UPDATE ON speaker BEGIN
       DELETE FROM snapshot_cache WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id);
       END""",
    """CREATE TRIGGER IF NOT EXISTS snapshot_cache_turn_update
       AFTER UPDATE OF speaker_id, transcript_id, id ON turn BEGIN
       DELETE FROM snapshot_cache WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id);
       END""",
]

CODING_COLUMNS = ("id", "unit_or_t", "code", "rater", "value", "span_start", "span_end")


def create_triggers(conn: Connection) -> None:
    """Version 6: the triggers that keep ``snapshot_cache`` current (SQLite only)."""
    if conn.dialect.name != "sqlite":
        return
    for sql in TRIGGERS:
        conn.execute(text(sql))


def usable(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def trigger_names(conn: Connection) -> list[str]:
    return list(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name LIKE 'snapshot_cache_%'")).scalars())


@contextmanager
def triggers_suspended(conn: Connection, transcripts) -> Iterator[None]:
    """For a bulk write inside one transaction (a codings import of a million rows): the
    cache's triggers are dropped for the block, which touches only ``transcripts``, whose
    rows are then deleted once and the triggers made again — instead of a trigger firing
    per row written (one failed primary-key probe per coding, a segment lookup per
    completion). DDL is transactional in SQLite: a block that raises is rolled back by its
    caller with the triggers it dropped, and no other connection can write (or see the
    triggers gone) before the commit."""
    if not usable(conn) or not conn.in_transaction():
        yield
        return
    raw = conn.connection.driver_connection
    if not raw.in_transaction:      # pysqlite begins only before DML: DDL would autocommit
        conn.exec_driver_sql("BEGIN")
    names = trigger_names(conn)
    for name in names:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    try:
        yield
    finally:
        ids = sorted({int(t) for t in transcripts})
        for i in range(0, len(ids), 500):
            conn.execute(delete(snapshot_cache)
                         .where(snapshot_cache.c.transcript_id.in_(ids[i:i + 500])))
        if names:
            create_triggers(conn)


def load(conn: Connection, t_ids, codings: bool = True) -> tuple[dict, list[int]]:
    """``({transcript id: (coding columns, completion columns, unit columns)}, damaged
    ids)`` for the transcripts among ``t_ids`` (None: all) that have a row; a row that does
    not decode is left out and named in the second list. ``codings=False``: the coding
    columns are neither read nor decoded (None in their place)."""
    q = select(snapshot_cache.c.transcript_id,
               snapshot_cache.c.codings if codings else null(),
               snapshot_cache.c.completions, snapshot_cache.c.segments,
               snapshot_cache.c.segment_labels)
    if t_ids is None:
        queries = [q]
    else:
        ids = [int(t) for t in t_ids]
        queries = [q.where(snapshot_cache.c.transcript_id.in_(ids[i:i + 500]))
                   for i in range(0, len(ids), 500)]
    found, damaged = {}, []
    for query in queries:
        # row by row: each row's bytes are let go once decoded (all of a large study's
        # rows at once were ~100 MiB more at the read's peak)
        for tid, cod, comp, segs, labels in conn.execute(query):
            try:
                # as stored (int8..int32): widened to int64 only when the transcripts'
                # columns are joined (8 x less held meanwhile)
                found[int(tid)] = (decode(cod, len(CODING_COLUMNS), widen=False)
                                   if codings else None,
                                   decode(comp, 2, widen=False),
                                   decode_segments(segs, labels, coded=True))
            except (ValueError, TypeError):
                damaged.append(int(tid))
    return found, damaged


def data_version(conn: Connection) -> int | None:
    """SQLite's count of other connections' commits as this connection sees it (None on
    other back ends: a failed statement there would abort the caller's transaction)."""
    if conn.dialect.name != "sqlite":
        return None
    try:
        return int(conn.exec_driver_sql("PRAGMA data_version").scalar())
    except Exception:                                       # noqa: BLE001 - best effort
        return None


def version_now(conn: Connection) -> int | None:
    """:func:`data_version` as of a read made now (a read transaction starts with the first
    read, and the count is brought up to date then): two answers on one connection differ
    exactly when another connection committed in between. None on other back ends."""
    if conn.dialect.name != "sqlite":
        return None
    try:
        conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except Exception:                                       # noqa: BLE001 - best effort
        return None
    return data_version(conn)


def save(conn: Connection, entries: dict, damaged=(), since: int | None = None) -> int:
    """Write ``{transcript id: (coding columns, completion columns)}`` (and drop the rows in
    ``damaged``) in transactions of `SAVE_BATCH` transcripts, each only while no other
    connection has committed since ``data_version`` was ``since``. Ends the connection's open
    read transaction first. Never raises and never waits for a lock; returns the number of
    transcripts saved."""
    if not usable(conn) or since is None or not (entries or damaged):
        return 0
    raw = conn.connection.driver_connection
    saved = 0
    try:
        conn.rollback()                                     # end the read transaction
        timeout = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            ids = sorted(entries)
            batches = [ids[i:i + SAVE_BATCH] for i in range(0, len(ids), SAVE_BATCH)] or [[]]
            for i, batch in enumerate(batches):
                payload = [(t, encode(entries[t][0]), encode(entries[t][1]),
                            *encode_segments(*entries[t][2])) for t in batch]
                if raw.in_transaction:
                    raw.rollback()
                raw.execute("BEGIN IMMEDIATE")
                try:
                    if int(raw.execute("PRAGMA data_version").fetchone()[0]) != since:
                        raw.rollback()
                        break                               # written meanwhile: stop here
                    if i == 0 and damaged:
                        raw.executemany("DELETE FROM snapshot_cache WHERE transcript_id = ?",
                                        [(int(t),) for t in damaged])
                    raw.executemany("INSERT OR REPLACE INTO snapshot_cache (transcript_id, "
                                    "codings, completions, segments, segment_labels) "
                                    "VALUES (?, ?, ?, ?, ?)", payload)
                    raw.commit()
                    saved += len(batch)
                except BaseException:
                    raw.rollback()
                    raise
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    except Exception:                                       # noqa: BLE001 - best effort
        return saved
    return saved


# -- the snapshot read's use of it (called by snapshot_read._read) ---------------------------

def through_cache(conn: Connection, warm: bool, r_ids, t_ids, t_sel, found, damaged,
                   missing, fresh_segs, seg_t, unit_rows, cancel, codings: bool = True):
    """``(completions, codings, pending)`` of the selected raters on ``t_ids`` (completions:
    an iterator of (segment ids, rater ids) parts, which may hold other raters' too; the
    uncached ones are read on ``conn`` as it is advanced, so consume it in the read): the cached
    transcripts' arrays and the others read by the packed read, merged in coding id order as
    the packed read over all of them gives them. ``pending`` (when ``warm``): ``({transcript:
    arrays}, damaged ids)`` to save. None when the packed read cannot hold the codings.
    ``codings=False`` (``found`` loaded without them; never with ``warm``): completions only,
    the codings empty."""
    warm = warm and codings
    cod_parts = [v[0] for v in found.values()] if codings else []
    comp_parts = [v[1] for v in found.values()]
    fresh, fresh_comp = {}, iter(())
    if missing:
        check(cancel)
        # saving: every rater's rows (the cache serves any selection); else only those asked
        read_r = ([int(r) for r in conn.execute(select(rater.c.id)).scalars()] if warm
                  else r_ids)
        m_sel = None if (t_sel is None and not found) else missing
        comp = snapshot_packed.completions(conn, read_r, m_sel)
        check(cancel)
        cods = (snapshot_packed.codings_with_ids(conn, read_r, m_sel) if codings
                else tuple(np.zeros(0, np.float64 if name == "value" else np.int64)
                           for name in CODING_COLUMNS))
        if comp is None or cods is None:
            return None
        cod_parts.append(list(cods))
        fresh_comp = comp                    # read as the caller marks them
        if warm:                             # (saving needs them all, per transcript)
            comp = [list(c) for c in comp]
            whole = [np.concatenate([c[j] for c in comp], dtype=np.int64) if comp
                     else np.zeros(0, np.int64) for j in (0, 1)]
            fresh = _per_transcript(missing, list(cods), whole, fresh_segs, t_ids,
                                    seg_t, unit_rows)
            del whole
            fresh_comp = _drain(comp)
    cod = [_joined(cod_parts, j, np.float64 if name == "value" else np.int64)
           for j, name in enumerate(CODING_COLUMNS)]
    ids = cod[0]
    if ids.size > 1 and not (ids[1:] > ids[:-1]).all():
        order = np.argsort(ids, kind="stable")
        cod = [c[order] for c in cod]
    r_arr = np.asarray(r_ids, dtype=np.int64)
    mine = np.isin(cod[3], r_arr)
    if not mine.all():
        cod = [c[mine] for c in cod]
    # completions stay in their parts (per transcript, as stored: int8..int32): the caller
    # marks them a part at a time (5 million of a large study joined as int64 were 80 MiB,
    # and the lookups over them as many again each)
    cached = [(p[0], p[1]) for p in comp_parts]
    for p in comp_parts:
        p.clear()                            # held by `cached` alone, each let go when marked
    pending = (fresh, damaged) if warm and (fresh or damaged) else None
    return chain(_drain(cached), fresh_comp), tuple(cod[1:]), pending


def _drain(parts: list):
    """The parts in order, each let go by the list as it is handed out."""
    parts.reverse()
    while parts:
        yield tuple(parts.pop())


def _joined(parts: list, j: int, dtype) -> np.ndarray:
    """Column ``j`` of every part, joined as ``dtype``; each part's column is let go as it
    is joined (the parts are the cache's decoded lists; nothing reads them afterwards), so a
    column is held twice at most, never the whole snapshot."""
    if not parts:
        return np.zeros(0, dtype)
    joined = np.concatenate([p[j] for p in parts], dtype=dtype, casting="safe")
    for p in parts:
        p[j] = None
    return joined


def _per_transcript(missing, cods, comp, segs, t_ids, seg_t, unit_rows) -> dict:
    """The freshly read arrays split by transcript, for the cache; {} when a row's
    transcript cannot be told (a unit that is not among the transcripts' units)."""
    t_arr = np.asarray(t_ids, dtype=np.int64)

    def owner(seg: np.ndarray) -> np.ndarray | None:
        rows = unit_rows(seg)
        if (rows < 0).any():
            return None
        return t_arr[seg_t[rows]] if seg.size else np.zeros(0, np.int64)

    unit = cods[1]
    cod_t = np.empty(unit.size, dtype=np.int64)
    glob = unit < 0
    cod_t[glob] = -unit[glob]
    seg_owner = owner(unit[~glob])
    comp_t = owner(comp[0])
    if seg_owner is None or comp_t is None:
        return {}
    cod_t[~glob] = seg_owner
    wanted = set(int(t) for t in missing)
    if not set(np.unique(cod_t).tolist()) <= wanted or \
            not set(np.unique(comp_t).tolist()) <= wanted:
        return {}
    out = {}
    c_order = np.argsort(cod_t, kind="stable")
    c_sorted = cod_t[c_order]
    p_order = np.argsort(comp_t, kind="stable")
    p_sorted = comp_t[p_order]
    kinds = np.asarray(segs[2][1], dtype=str)       # units: kinds and roles as (index, texts)
    roles = np.asarray(segs[4][1], dtype=str)
    s_order = np.argsort(segs[1], kind="stable")
    s_sorted = segs[1][s_order]
    for t in missing:
        a, b = np.searchsorted(c_sorted, [t, t + 1])
        pick = c_order[a:b]
        x, y = np.searchsorted(p_sorted, [t, t + 1])
        ppick = p_order[x:y]
        i, j = np.searchsorted(s_sorted, [t, t + 1])
        spick = s_order[i:j]
        out[int(t)] = ([c[pick] for c in cods], [c[ppick] for c in comp],
                       [segs[0][spick], kinds[segs[2][0][spick]], segs[3][spick],
                        roles[segs[4][0][spick]]])
    return out


def clear(conn: Connection) -> None:
    """Forget every cached transcript (a test's cold read; a repair)."""
    if usable(conn):
        conn.execute(delete(snapshot_cache))
