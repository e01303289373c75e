"""Media rows (one audio or video file per transcript) and turn times (tap-to-timestamp).

Portable SQL only. Times live on turns and on the units made from them; windows are units
made from the times, so setting times may add or remove a transcript's window units.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, func, insert, select, update

from ..model import SegmentSpec
from .bulk import bulk_insert
from .schema import coding, media, segment, segment_note, transcript, turn, unit_status

_FIELDS = ("path", "size", "duration_ms", "sha256", "offset_ms", "linked_at")


def get(conn: Connection, tid: int) -> dict | None:
    """The media row of a transcript as a plain dict, or None."""
    row = conn.execute(select(media).where(media.c.transcript_id == tid)).mappings().first()
    return None if row is None else dict(row)


def all_rows(conn: Connection) -> dict[int, dict]:
    return {r["transcript_id"]: dict(r) for r in conn.execute(select(media)).mappings()}


def put(conn: Connection, tid: int, row: dict) -> None:
    """Insert or replace the media row of a transcript."""
    conn.execute(delete(media).where(media.c.transcript_id == tid))
    conn.execute(insert(media).values(transcript_id=tid, **{k: row[k] for k in _FIELDS}))


def remove(conn: Connection, tid: int) -> None:
    conn.execute(delete(media).where(media.c.transcript_id == tid))


def set_offset(conn: Connection, tid: int, offset_ms: int) -> None:
    conn.execute(update(media).where(media.c.transcript_id == tid).values(offset_ms=offset_ms))


def transcript_exists(conn: Connection, tid: int) -> bool:
    return conn.execute(select(transcript.c.id).where(transcript.c.id == tid)).first() is not None


# -- turn times ---------------------------------------------------------------------------

def turn_times(conn: Connection, tid: int) -> list[tuple[int | None, int | None]]:
    """(start_ms, end_ms) of every turn, in order."""
    return [(r[0], r[1]) for r in conn.execute(
        select(turn.c.start_ms, turn.c.end_ms).where(turn.c.transcript_id == tid)
        .order_by(turn.c.position))]


def set_turn_times(conn: Connection, tid: int,
                   times: Sequence[tuple[int | None, int | None]]) -> list[int]:
    """Set every turn's times (in order) and copy them onto the turn and sentence units made
    from each turn; returns the ids of the units whose times changed."""
    ids = [r[0] for r in conn.execute(select(turn.c.id).where(turn.c.transcript_id == tid)
                                      .order_by(turn.c.position))]
    if len(ids) != len(times):
        raise ValueError(f"{len(times)} times for {len(ids)} turns")
    changed: list[int] = []
    for turn_id, (start, end) in zip(ids, times):
        conn.execute(update(turn).where(turn.c.id == turn_id).values(start_ms=start, end_ms=end))
        result = conn.execute(select(segment.c.id).where(segment.c.turn_id == turn_id))
        seg_ids = [r[0] for r in result]
        if seg_ids:
            conn.execute(update(segment).where(segment.c.id.in_(seg_ids))
                         .values(start_ms=start, end_ms=end))
            changed.extend(seg_ids)
    return changed


def window_ids(conn: Connection, tid: int) -> list[int]:
    return [r[0] for r in conn.execute(select(segment.c.id).where(
        segment.c.transcript_id == tid, segment.c.kind == "window"))]


def windows_work(conn: Connection, tid: int) -> int:
    """Codings, notes and completed units on a transcript's window units."""
    ids = select(segment.c.id).where(segment.c.transcript_id == tid, segment.c.kind == "window")
    total = 0
    for table, column in ((coding, coding.c.segment_id), (unit_status, unit_status.c.segment_id),
                          (segment_note, segment_note.c.segment_id)):
        total += conn.execute(select(func.count()).select_from(table)
                              .where(column.in_(ids))).scalar_one()
    return total


def window_specs(conn: Connection, tid: int) -> list[SegmentSpec]:
    """The window units as they are stored (to put back on undo)."""
    return [SegmentSpec("window", None, None, None, r[0], r[1],
                        first_turn=None if r[2] is None else r[2] - 1,
                        last_turn=None if r[3] is None else r[3] - 1)
            for r in conn.execute(select(segment.c.start_ms, segment.c.end_ms,
                                         segment.c.first_turn, segment.c.last_turn)
                                  .where(segment.c.transcript_id == tid,
                                         segment.c.kind == "window")
                                  .order_by(segment.c.position))]


def replace_windows(conn: Connection, tid: int, specs: Sequence[SegmentSpec],
                    window_minutes: float | None, duration_ms: int | None) -> None:
    """Drop a transcript's window units and store `specs` in their place (no codings on
    them: the caller checks)."""
    conn.execute(delete(segment).where(segment.c.transcript_id == tid,
                                       segment.c.kind == "window"))
    bulk_insert(conn, segment, ("transcript_id", "kind", "position", "turn_id", "char_start",
                                "char_end", "first_turn", "last_turn", "start_ms", "end_ms"),
                [(tid, "window", i + 1, None, None, None,
                  None if s.first_turn is None else s.first_turn + 1,
                  None if s.last_turn is None else s.last_turn + 1, s.start_ms, s.end_ms)
                 for i, s in enumerate(specs)])
    conn.execute(update(transcript).where(transcript.c.id == tid).values(
        window_minutes=window_minutes if specs else None, duration_ms=duration_ms))


def window_settings(conn: Connection, tid: int) -> tuple[float | None, int | None, str]:
    """(window_minutes, duration_ms, settings JSON) of a transcript."""
    row = conn.execute(select(transcript.c.window_minutes, transcript.c.duration_ms,
                              transcript.c.settings).where(transcript.c.id == tid)).first()
    return (row[0], row[1], row[2])
