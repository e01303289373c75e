"""Codings at study scale: set-based reads and writes for importing a whole table at once.

One query per transcript for its units (no text), one query for the codings a table would
replace, one compiled INSERT fed to the driver's executemany in chunks, and completions
written set-based (INSERT ... SELECT per transcript and rater). Rows inserted by one bulk
insert in one transaction have ids above the table's largest id before it, so an undo deletes
the id range instead of remembering a million ids.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select

from .schema import coding, segment, speaker, turn, unit_status

CHUNK = 20_000
REBUILD_AT = 50_000     # rows inserted at once from which the coding indexes are rebuilt
CODING_COLUMNS = ("transcript_id", "segment_id", "rater_id", "code_id", "value", "note",
                  "codebook_version", "created_at")


def units_of(conn: Connection, transcript_id: int, kind: str) -> tuple[array, list[str]]:
    """One transcript's units of `kind`, compactly: segment ids and speaker roles ("" for
    none) by position - 1 (id 0 where a position is missing)."""
    query = (select(segment.c.position, segment.c.id, speaker.c.role)
             .select_from(segment.outerjoin(turn, turn.c.id == segment.c.turn_id)
                          .outerjoin(speaker, speaker.c.id == turn.c.speaker_id))
             .where(segment.c.transcript_id == transcript_id, segment.c.kind == kind))
    rows = conn.execute(query).all()
    size = max((r[0] for r in rows), default=0)
    ids, roles = array("q", bytes(8 * size)), [""] * size
    for pos, sid, role in rows:
        ids[pos - 1] = sid
        roles[pos - 1] = role or ""
    return ids, roles


@contextmanager
def indexes_deferred(conn: Connection, incoming: int) -> Iterator[None]:
    """For a bulk insert of `incoming` codings inside one transaction: when they are at
    least `REBUILD_AT` and at least as many as the table holds, the coding table's secondary
    indexes are dropped for the block and built again after it (SQLite builds an index from
    sorted rows faster than it updates three b-trees per row: 10-18 % of a million-row
    import, bench/README.md 2026-12-06). DDL is transactional: a block that raises leaves
    them to the caller's rollback, which puts them back."""
    if (conn.dialect.name != "sqlite" or incoming < REBUILD_AT
            or not conn.in_transaction()):
        yield
        return
    if conn.execute(select(func.count()).select_from(coding)).scalar() > incoming:
        yield
        return
    raw = conn.connection.driver_connection
    if not raw.in_transaction:      # pysqlite begins only before DML: DDL would autocommit
        conn.exec_driver_sql("BEGIN")
    indexes = sorted(coding.indexes, key=lambda ix: ix.name)
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


def max_coding_id(conn: Connection) -> int:
    return conn.execute(select(func.max(coding.c.id))).scalar() or 0


def existing_keys(conn: Connection, transcript_ids: Iterable[int], rater_ids: Iterable[int]
                  ) -> Iterator[tuple[int, int | None, int, int, int]]:
    """(id, transcript, segment, rater, code) of the codings these raters hold on these
    transcripts (what an import of them may replace)."""
    raters = list(rater_ids)
    if not raters:
        return
    for tid in transcript_ids:
        yield from conn.execute(
            select(coding.c.id, coding.c.transcript_id, coding.c.segment_id,
                   coding.c.rater_id, coding.c.code_id)
            .where(coding.c.transcript_id == tid, coding.c.rater_id.in_(raters)))


def insert_many(conn: Connection, rows: Iterable[tuple],
                progress: Callable[[int], None] | None = None) -> int:
    """Insert coding rows (tuples in the order of CODING_COLUMNS) through one compiled
    INSERT, `CHUNK` rows per executemany; `progress(n)` after each chunk. Returns the count."""
    stmt = insert(coding).values({c: bindparam(c) for c in CODING_COLUMNS})
    compiled = stmt.compile(dialect=conn.dialect)
    sql = compiled.string
    if compiled.positional:
        index = {c: i for i, c in enumerate(CODING_COLUMNS)}
        order = [index[name] for name in compiled.positiontup]
        reorder = order != list(range(len(CODING_COLUMNS)))
    else:
        reorder = False
    it = iter(rows)
    done = 0
    while True:
        chunk = list(islice(it, CHUNK))
        if not chunk:
            return done
        if not compiled.positional:
            chunk = [dict(zip(CODING_COLUMNS, r)) for r in chunk]
        elif reorder:
            chunk = [tuple(r[i] for i in order) for r in chunk]
        conn.exec_driver_sql(sql, chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)


def delete_above(conn: Connection, low: int, high: int) -> None:
    """Delete the codings with low < id <= high (one bulk insert's rows)."""
    conn.execute(delete(coding).where(and_(coding.c.id > low, coding.c.id <= high)))


def delete_ids(conn: Connection, ids: list[int]) -> None:
    for i in range(0, len(ids), 500):
        conn.execute(delete(coding).where(coding.c.id.in_(ids[i:i + 500])))


def rows_by_ids(conn: Connection, ids: list[int]) -> list[dict]:
    out: list[dict] = []
    for i in range(0, len(ids), 500):
        out.extend(dict(r) for r in conn.execute(
            select(coding).where(coding.c.id.in_(ids[i:i + 500]))).mappings())
    return out


# -- completions, a transcript and a rater at a time ----------------------------------------
def completions_on(conn: Connection, transcript_id: int, rater_id: int) -> list[tuple]:
    """(segment id, completed_at) of the units of the transcript the rater has completed."""
    return [tuple(r) for r in conn.execute(
        select(unit_status.c.segment_id, unit_status.c.completed_at).join(segment, segment.c.id == unit_status.c.segment_id)
        .where(segment.c.transcript_id == transcript_id, unit_status.c.rater_id == rater_id))]


def complete_all(conn: Connection, transcript_id: int, rater_id: int, stamp: str,
                 only: list[int] | None = None) -> int:
    """Mark every unit of the transcript (or those in `only`) completed by the rater (units
    already completed keep their row); returns how many rows were added."""
    already = select(unit_status.c.segment_id).where(
        unit_status.c.segment_id == segment.c.id, unit_status.c.rater_id == rater_id)
    source = (select(segment.c.id, bindparam("r", rater_id), bindparam("s", stamp))
              .where(segment.c.transcript_id == transcript_id, ~already.exists()))
    if only is not None:
        source = source.where(segment.c.id.in_(only))
    result = conn.execute(insert(unit_status).from_select(
        ["segment_id", "rater_id", "completed_at"], source))
    return result.rowcount


def complete_transcripts(conn: Connection, transcript_ids: list[int], rater_id: int,
                         stamp: str) -> int:
    """`complete_all` for every unit of each of `transcript_ids`, with one INSERT ... SELECT
    per 500 transcripts; returns how many rows were added."""
    already = select(unit_status.c.segment_id).where(
        unit_status.c.segment_id == segment.c.id, unit_status.c.rater_id == rater_id)
    added = 0
    for i in range(0, len(transcript_ids), 500):
        source = (select(segment.c.id, bindparam("r", rater_id), bindparam("s", stamp))
                  .where(segment.c.transcript_id.in_(transcript_ids[i:i + 500]),
                         ~already.exists()))
        added += conn.execute(insert(unit_status).from_select(
            ["segment_id", "rater_id", "completed_at"], source)).rowcount
    return added


def uncomplete_all(conn: Connection, transcript_id: int, rater_id: int,
                   keep: list[tuple]) -> None:
    """Remove the rater's completions on the transcript and put back `keep`
    ((segment id, completed_at) rows that were there before)."""
    units = select(segment.c.id).where(segment.c.transcript_id == transcript_id)
    conn.execute(delete(unit_status).where(unit_status.c.rater_id == rater_id,
                                           unit_status.c.segment_id.in_(units)))
    if keep:
        conn.execute(insert(unit_status), [{"segment_id": s, "rater_id": rater_id,
                                            "completed_at": stamp} for s, stamp in keep])

