"""Codings, completed units, notes and raters: rows in, rows out (portable SQL).

"Applied" is a coding row; "not applied" is a completed unit (a `unit_status` row) without
that code; "missing" is a unit the rater never completed. The three are never conflated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from ..model import CodingView, Rater
from .schema import code, coding, rater, segment, segment_note, unit_status

CHUNK = 500


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _chunks(ids: list) -> Iterable[list]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


# -- raters ------------------------------------------------------------------------------
def raters(conn: Connection, include_consensus: bool = False) -> list[Rater]:
    """The raters, in the order they were added. The consensus layer (a pseudo-rater with
    role "consensus", coder.team.consensus) is not a rater: left out unless asked for."""
    query = select(rater.c.id, rater.c.name, rater.c.initials, rater.c.role).order_by(rater.c.id)
    if not include_consensus:
        query = query.where(rater.c.role != "consensus")
    return [Rater(*r) for r in conn.execute(query)]


def add_rater(conn: Connection, name: str, initials: str, role: str) -> Rater:
    rid = conn.execute(insert(rater).values(name=name, initials=initials, role=role,
                                            created_at=now())).inserted_primary_key[0]
    return Rater(rid, name, initials, role)


# -- codes -------------------------------------------------------------------------------
def code_key_id(conn: Connection, key: str) -> int | None:
    return conn.execute(select(code.c.id).where(code.c.key == key)).scalar()


def code_ids_by_key(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(code.c.key, code.c.id)).all())


# -- codings -----------------------------------------------------------------------------
def _view_query():
    return (select(coding.c.id, coding.c.transcript_id, coding.c.segment_id, coding.c.rater_id,
                   code.c.key, coding.c.value, coding.c.span_start, coding.c.span_end,
                   coding.c.note, coding.c.codebook_version)
            .join(code, code.c.id == coding.c.code_id))


def codings_on_segments(conn: Connection, segment_ids: list[int],
                        rater_ids: list[int] | None) -> list[CodingView]:
    out: list[CodingView] = []
    for chunk in _chunks(list(segment_ids)):
        query = _view_query().where(coding.c.segment_id.in_(chunk))
        if rater_ids is not None:
            query = query.where(coding.c.rater_id.in_(rater_ids))
        out.extend(CodingView(*r) for r in conn.execute(query.order_by(coding.c.id)))
    return out


def codings_of_transcript(conn: Connection, transcript_id: int,
                          rater_ids: list[int] | None, globals_only: bool = False
                          ) -> list[CodingView]:
    query = _view_query().where(coding.c.transcript_id == transcript_id)
    if rater_ids is not None:
        query = query.where(coding.c.rater_id.in_(rater_ids))
    if globals_only:
        query = query.where(coding.c.segment_id.is_(None))
    return [CodingView(*r) for r in conn.execute(query.order_by(coding.c.id))]


def export_chunks(conn: Connection, transcript_ids: Iterable[int],
                  rater_ids: list[int] | None) -> Iterator[list[tuple]]:
    """The codings of `transcript_ids` (by `rater_ids`, or all), one transcript at a time
    and in that order: a list of (unit position or None for a session global, rater id,
    code key, value, note) per transcript, by coding id. Only one transcript's rows are held
    at once, so a caller that writes each list before asking for the next stays flat."""
    query = (select(segment.c.position, coding.c.rater_id, code.c.key, coding.c.value,
                    coding.c.note)
             .select_from(coding.join(code, code.c.id == coding.c.code_id)
                          .outerjoin(segment, segment.c.id == coding.c.segment_id)))
    if rater_ids is not None:
        query = query.where(coding.c.rater_id.in_(rater_ids))
    for tid in transcript_ids:
        yield [tuple(r) for r in conn.execute(
            query.where(coding.c.transcript_id == tid).order_by(coding.c.id))]


def find_coding(conn: Connection, rater_id: int, code_id: int, segment_id: int | None,
                transcript_id: int) -> dict | None:
    where = [coding.c.rater_id == rater_id, coding.c.code_id == code_id,
             coding.c.transcript_id == transcript_id]
    where.append(coding.c.segment_id.is_(None) if segment_id is None
                 else coding.c.segment_id == segment_id)
    row = conn.execute(select(coding).where(and_(*where))).mappings().first()
    return None if row is None else dict(row)


def rows_by_ids(conn: Connection, ids: list[int]) -> list[dict]:
    out: list[dict] = []
    for chunk in _chunks(list(ids)):
        out.extend(dict(r) for r in conn.execute(select(coding).where(coding.c.id.in_(chunk)))
                   .mappings())
    return out


def insert_codings(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert rows (without ids); returns their new ids in order."""
    ids = []
    for r in rows:
        ids.append(conn.execute(insert(coding).values(**r)).inserted_primary_key[0])
    return ids


def rows_for_code(conn: Connection, key: str) -> list[dict]:
    cid = code_key_id(conn, key)
    if cid is None:
        return []
    return [dict(r) for r in conn.execute(select(coding).where(coding.c.code_id == cid)
                                          .order_by(coding.c.id)).mappings()]


def delete_ids(conn: Connection, ids: list[int]) -> None:
    for chunk in _chunks(list(ids)):
        conn.execute(delete(coding).where(coding.c.id.in_(chunk)))


def restore_rows(conn: Connection, rows: list[dict]) -> None:
    """Put deleted rows back with their original ids."""
    if rows:
        conn.execute(insert(coding), rows)


def set_code(conn: Connection, ids: list[int], key: str) -> None:
    cid = code_key_id(conn, key)
    for chunk in _chunks(list(ids)):
        conn.execute(update(coding).where(coding.c.id.in_(chunk)).values(code_id=cid))


def set_fields(conn: Connection, coding_id: int, **values) -> None:
    conn.execute(update(coding).where(coding.c.id == coding_id).values(**values))


def segments_of_rows(rows: list[dict]) -> frozenset[int]:
    return frozenset(r["segment_id"] for r in rows if r["segment_id"] is not None)


# -- completed units ---------------------------------------------------------------------
def completed(conn: Connection, segment_ids: list[int], rater_id: int) -> set[int]:
    done: set[int] = set()
    for chunk in _chunks(list(segment_ids)):
        done.update(r[0] for r in conn.execute(select(unit_status.c.segment_id).where(
            unit_status.c.rater_id == rater_id, unit_status.c.segment_id.in_(chunk))))
    return done


def mark_completed(conn: Connection, segment_ids: list[int], rater_id: int) -> list[int]:
    """Mark units completed; returns those that were not completed before."""
    new = [s for s in segment_ids if s not in completed(conn, segment_ids, rater_id)]
    if new:
        stamp = now()
        conn.execute(insert(unit_status), [{"segment_id": s, "rater_id": rater_id,
                                            "completed_at": stamp} for s in new])
    return new


def unmark_completed(conn: Connection, segment_ids: list[int], rater_id: int) -> None:
    for chunk in _chunks(list(segment_ids)):
        conn.execute(delete(unit_status).where(unit_status.c.rater_id == rater_id,
                                               unit_status.c.segment_id.in_(chunk)))


def progress(conn: Connection, transcript_id: int, kind: str, rater_id: int) -> tuple[int, int]:
    total = conn.execute(select(func.count()).select_from(segment).where(
        segment.c.transcript_id == transcript_id, segment.c.kind == kind)).scalar_one()
    done = conn.execute(select(func.count()).select_from(unit_status).join(
        segment, segment.c.id == unit_status.c.segment_id).where(
        segment.c.transcript_id == transcript_id, segment.c.kind == kind,
        unit_status.c.rater_id == rater_id)).scalar_one()
    return done, total


# -- notes -------------------------------------------------------------------------------
def segment_notes(conn: Connection, segment_ids: list[int], rater_id: int) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(list(segment_ids)):
        out.update(dict(conn.execute(select(segment_note.c.segment_id, segment_note.c.text)
                                     .where(segment_note.c.rater_id == rater_id,
                                            segment_note.c.segment_id.in_(chunk))).all()))
    return out


def set_segment_note(conn: Connection, segment_id: int, rater_id: int, text: str | None) -> None:
    conn.execute(delete(segment_note).where(segment_note.c.segment_id == segment_id,
                                            segment_note.c.rater_id == rater_id))
    if text:
        conn.execute(insert(segment_note).values(segment_id=segment_id, rater_id=rater_id,
                                                 text=text, updated_at=now()))


def coded_keys(conn: Connection, code_id: int) -> set[tuple]:
    """(segment, transcript, rater) of every coding with this code."""
    return {(r.segment_id, r.transcript_id, r.rater_id) for r in conn.execute(
        select(coding.c.segment_id, coding.c.transcript_id, coding.c.rater_id)
        .where(coding.c.code_id == code_id))}


def delete_raters(conn: Connection, rater_ids: list[int]) -> None:
    if rater_ids:
        conn.execute(delete(rater).where(rater.c.id.in_(rater_ids)))
