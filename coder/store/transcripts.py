"""Transcript, speaker, turn and segment rows: insert, delete and query (portable SQL)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import repeat

from sqlalchemy import Connection, delete, func, insert, select, update

from ..model import Segment, Speaker, TranscriptInfo, Turn
from ..model import SegmentSpec
from ..rowcolumns import column
from .bulk import bulk_insert
from .schema import (assignment, coding, media, segment, segment_note, speaker, transcript, turn,
                     unit_status)


def insert_transcript(conn: Connection, *, name: str, fmt: str, encoding: str | None,
                      sha256: str, imported_at: str, settings: dict, unit: str,
                      window_minutes: float | None, duration_ms: int | None,
                      turns: Sequence, roles: dict[str, str],
                      units: Sequence[SegmentSpec]) -> int:
    """Insert one transcript with its speakers, turns and units; returns its id."""
    tid = conn.execute(insert(transcript).values(
        name=name, format=fmt, encoding=encoding, sha256=sha256, imported_at=imported_at,
        settings=json.dumps(settings, sort_keys=True), unit=unit,
        window_minutes=window_minutes, duration_ms=duration_ms)).inserted_primary_key[0]
    speakers = column(turns, "speaker")
    labels = dict.fromkeys(speakers)
    conn.execute(insert(speaker), [
        {"transcript_id": tid, "position": i + 1, "label": label,
         "role": roles.get(label, "other")} for i, label in enumerate(labels)])
    speaker_ids = dict(conn.execute(
        select(speaker.c.label, speaker.c.id).where(speaker.c.transcript_id == tid)).all())
    n = len(turns)
    bulk_insert(conn, turn, ("transcript_id", "position", "speaker_id", "text", "start_ms",
                             "end_ms"),
                list(zip(repeat(tid, n), range(1, n + 1), map(speaker_ids.__getitem__, speakers),
                         column(turns, "text"), column(turns, "start_ms"),
                         column(turns, "end_ms"))))
    turn_ids = _turn_ids(conn, tid, n)
    kinds = column(units, "kind")
    if len(set(kinds)) <= 1:                     # one kind (the usual): positions 1..n
        positions = range(1, len(kinds) + 1)
    else:
        counters: dict[str, int] = {}
        positions = []
        for kind in kinds:
            counters[kind] = counters.get(kind, 0) + 1
            positions.append(counters[kind])
    rows = list(zip(
        repeat(tid), kinds, positions,
        [None if i is None else turn_ids[i] for i in column(units, "turn_index")],
        column(units, "char_start"), column(units, "char_end"),
        [None if i is None else i + 1 for i in column(units, "first_turn")],
        [None if i is None else i + 1 for i in column(units, "last_turn")],
        column(units, "start_ms"), column(units, "end_ms")))
    bulk_insert(conn, segment, ("transcript_id", "kind", "position", "turn_id", "char_start",
                                "char_end", "first_turn", "last_turn", "start_ms", "end_ms"),
                rows)
    return tid


def _turn_ids(conn: Connection, tid: int, n: int) -> Sequence[int]:
    """The ids of a new transcript's ``n`` turns, in position order. One executemany in one
    transaction numbers its rows consecutively in the order given (positions 1..n), so they
    are usually ``first..first+n-1``: three aggregates over the transcript's index say so
    (else, e.g. a sequence shared with other sessions, the ids are read one by one)."""
    low, high, count = conn.execute(
        select(func.min(turn.c.id), func.max(turn.c.id), func.count())
        .where(turn.c.transcript_id == tid)).one()
    if count == n and (n == 0 or high - low + 1 == n):    # one run, numbered in row order
        return range(low, low + n) if n else ()
    return [row[0] for row in conn.execute(
        select(turn.c.id).where(turn.c.transcript_id == tid).order_by(turn.c.position))]


def delete_transcript(conn: Connection, tid: int) -> None:
    # Explicit order rather than relying on ON DELETE CASCADE everywhere.
    seg_ids = select(segment.c.id).where(segment.c.transcript_id == tid)
    conn.execute(delete(unit_status).where(unit_status.c.segment_id.in_(seg_ids)))
    conn.execute(delete(segment_note).where(segment_note.c.segment_id.in_(seg_ids)))
    conn.execute(delete(coding).where(coding.c.transcript_id == tid))
    conn.execute(delete(assignment).where(assignment.c.transcript_id == tid))
    conn.execute(delete(media).where(media.c.transcript_id == tid))
    conn.execute(delete(segment).where(segment.c.transcript_id == tid))
    conn.execute(delete(turn).where(turn.c.transcript_id == tid))
    conn.execute(delete(speaker).where(speaker.c.transcript_id == tid))
    conn.execute(delete(transcript).where(transcript.c.id == tid))


def work_done(conn: Connection, tid: int) -> int:
    """Codings and completed units on a transcript: work that replacing it would discard."""
    codings = conn.execute(select(func.count()).select_from(coding)
                           .where(coding.c.transcript_id == tid)).scalar_one()
    done = conn.execute(select(func.count()).select_from(unit_status).where(
        unit_status.c.segment_id.in_(select(segment.c.id)
                                     .where(segment.c.transcript_id == tid)))).scalar_one()
    return codings + done


def find_by_sha(conn: Connection, sha256: str) -> tuple[int, str] | None:
    row = conn.execute(select(transcript.c.id, transcript.c.name)
                       .where(transcript.c.sha256 == sha256)).first()
    return None if row is None else (row[0], row[1])


def find_by_name(conn: Connection, name: str) -> int | None:
    return conn.execute(select(transcript.c.id).where(transcript.c.name == name)).scalar()


def _counted(conn: Connection, tid: int | None) -> tuple[dict, dict]:
    """Turns per transcript and units per (transcript, kind), counted row by row: O(rows)."""
    turns_q = select(turn.c.transcript_id, func.count()).group_by(turn.c.transcript_id)
    segs_q = (select(segment.c.transcript_id, segment.c.kind, func.count())
              .group_by(segment.c.transcript_id, segment.c.kind))
    if tid is not None:
        turns_q = turns_q.where(turn.c.transcript_id == tid)
        segs_q = segs_q.where(segment.c.transcript_id == tid)
    turn_counts = dict(conn.execute(turns_q).all())
    seg_counts = {(r[0], r[1]): r[2] for r in conn.execute(segs_q)}
    return turn_counts, seg_counts


def _by_last_position(conn: Connection, tid: int | None) -> tuple[dict, dict]:
    """The same counts as `_counted`, read as the last position of each transcript's turns
    and of its units of the transcript's unit kind: one seek in the UNIQUE (transcript_id,
    position) / (transcript_id, kind, position) indexes per transcript, O(transcripts). Exact because every writer
    numbers a transcript's turns and each kind's units 1..n with no gap (`insert_transcript`,
    `replace_windows`; rows only ever go away a whole transcript or a whole kind at a time)."""
    last_turn = (select(func.max(turn.c.position)).where(turn.c.transcript_id == transcript.c.id)
                 .scalar_subquery())
    last_unit = (select(func.max(segment.c.position))
                 .where(segment.c.transcript_id == transcript.c.id,
                        segment.c.kind == transcript.c.unit).scalar_subquery())
    query = select(transcript.c.id, transcript.c.unit, last_turn, last_unit)
    if tid is not None:
        query = query.where(transcript.c.id == tid)
    turn_counts, seg_counts = {}, {}
    for t_id, unit, turns, units in conn.execute(query):
        if turns is not None:
            turn_counts[t_id] = turns
        if units is not None:
            seg_counts[(t_id, unit)] = units
    return turn_counts, seg_counts


def list_infos(conn: Connection, tid: int | None = None, *,
               counted: bool = False) -> list[TranscriptInfo]:
    """Every transcript (or the one with id `tid`: then only its rows are counted, so that
    storing the 500th file of a folder does not count the 499 before it). Turn and unit
    counts come from the last positions (`_by_last_position`); `counted=True` counts the
    rows instead (the reference the tests hold the fast read to)."""
    turn_counts, seg_counts = (_counted if counted else _by_last_position)(conn, tid)
    speakers_q = (select(speaker.c.transcript_id, speaker.c.label)
                  .order_by(speaker.c.transcript_id, speaker.c.position))
    if tid is not None:
        speakers_q = speakers_q.where(speaker.c.transcript_id == tid)
    speakers: dict[int, list[str]] = {}
    for t_id, label in conn.execute(speakers_q):
        if label:
            speakers.setdefault(t_id, []).append(label)
    query = select(transcript).order_by(transcript.c.name)
    if tid is not None:
        query = query.where(transcript.c.id == tid)
    out = []
    for r in conn.execute(query).mappings():
        out.append(TranscriptInfo(
            id=r["id"], name=r["name"], format=r["format"], encoding=r["encoding"],
            sha256=r["sha256"], imported_at=r["imported_at"],
            turns=turn_counts.get(r["id"], 0), speakers=tuple(speakers.get(r["id"], ())),
            duration_ms=r["duration_ms"], unit=r["unit"], window_minutes=r["window_minutes"],
            segments=seg_counts.get((r["id"], r["unit"]), 0), dyad=r.get("dyad")))
    return out


def speakers_of(conn: Connection, tid: int) -> list[Speaker]:
    return [Speaker(r.id, r.label, r.role) for r in conn.execute(
        select(speaker.c.id, speaker.c.label, speaker.c.role)
        .where(speaker.c.transcript_id == tid).order_by(speaker.c.position))]


def set_role(conn: Connection, tid: int, label: str, role: str) -> bool:
    result = conn.execute(update(speaker).where(speaker.c.transcript_id == tid,
                                                speaker.c.label == label).values(role=role))
    return result.rowcount > 0


def turns_of(conn: Connection, tid: int, first: int = 1, last: int | None = None) -> list[Turn]:
    query = (select(turn.c.id, turn.c.position, speaker.c.label, speaker.c.role, turn.c.text,
                    turn.c.start_ms, turn.c.end_ms)
             .join(speaker, speaker.c.id == turn.c.speaker_id)
             .where(turn.c.transcript_id == tid, turn.c.position >= first)
             .order_by(turn.c.position))
    if last is not None:
        query = query.where(turn.c.position <= last)
    return [Turn(*row) for row in conn.execute(query)]


def count_segments(conn: Connection, tid: int, kind: str) -> int:
    return conn.execute(select(func.count()).select_from(segment).where(
        segment.c.transcript_id == tid, segment.c.kind == kind)).scalar_one()


def segments_of(conn: Connection, tid: int, kind: str, first: int = 1,
                last: int | None = None) -> list[Segment]:
    """Units of one kind with positions first..last (1-based, inclusive), with their text."""
    query = (select(segment, turn.c.text, turn.c.position.label("turn_position"),
                    speaker.c.label, speaker.c.role)
             .select_from(segment.outerjoin(turn, turn.c.id == segment.c.turn_id)
                          .outerjoin(speaker, speaker.c.id == turn.c.speaker_id))
             .where(segment.c.transcript_id == tid, segment.c.kind == kind,
                    segment.c.position >= first)
             .order_by(segment.c.position))
    if last is not None:
        query = query.where(segment.c.position <= last)
    rows = conn.execute(query).mappings().all()
    window_text: dict[int, str] = {}
    if kind == "window" and rows:
        lo = min((r["first_turn"] for r in rows if r["first_turn"]), default=None)
        hi = max((r["last_turn"] for r in rows if r["last_turn"]), default=None)
        held = turns_of(conn, tid, lo, hi) if lo else []
        by_pos = {t.position: t for t in held}
        for r in rows:
            if r["first_turn"]:
                window_text[r["id"]] = "\n".join(
                    f"{by_pos[p].speaker}: {by_pos[p].text}" if by_pos[p].speaker
                    else by_pos[p].text for p in range(r["first_turn"], r["last_turn"] + 1))
    out = []
    for r in rows:
        if kind == "window":
            text = window_text.get(r["id"], "")
        else:
            text = r["text"][r["char_start"]:r["char_end"]]
        out.append(Segment(
            id=r["id"], transcript_id=tid, kind=r["kind"], position=r["position"],
            speaker=r["label"] or "", role=r["role"] or "", text=text,
            start_ms=r["start_ms"], end_ms=r["end_ms"], turn_position=r["turn_position"],
            char_start=r["char_start"], char_end=r["char_end"],
            first_turn=r["first_turn"], last_turn=r["last_turn"]))
    return out


def position_at(conn: Connection, tid: int, kind: str, ms: int) -> int | None:
    """Position of the unit playing at `ms` (the last one that starts at or before it)."""
    pos = conn.execute(select(func.max(segment.c.position)).where(
        segment.c.transcript_id == tid, segment.c.kind == kind,
        segment.c.start_ms <= ms)).scalar()
    if pos is None:
        pos = conn.execute(select(func.min(segment.c.position)).where(
            segment.c.transcript_id == tid, segment.c.kind == kind,
            segment.c.start_ms.is_not(None))).scalar()
    return pos


def positions_of_role(conn: Connection, tid: int, kind: str, role: str) -> list[int]:
    return [r[0] for r in conn.execute(
        select(segment.c.position).select_from(
            segment.join(turn, turn.c.id == segment.c.turn_id)
            .join(speaker, speaker.c.id == turn.c.speaker_id))
        .where(segment.c.transcript_id == tid, segment.c.kind == kind, speaker.c.role == role)
        .order_by(segment.c.position))]


def unit_positions(conn: Connection, transcript_id: int, kind: str) -> dict[int, int]:
    """segment id -> 1-based position, for one kind of unit of a transcript."""
    return dict(conn.execute(select(segment.c.id, segment.c.position).where(
        segment.c.transcript_id == transcript_id, segment.c.kind == kind)).all())


def segment_ids(conn: Connection, transcript_id: int) -> list[int]:
    return [r[0] for r in conn.execute(select(segment.c.id)
                                       .where(segment.c.transcript_id == transcript_id))]


def all_positions(conn: Connection) -> dict[int, int]:
    """segment id -> position, for every unit of the project."""
    return dict(conn.execute(select(segment.c.id, segment.c.position)).all())


def turn_roles(conn: Connection, tid: int) -> dict[int, str]:
    """turn id -> its speaker's role, for one transcript."""
    return dict(conn.execute(select(turn.c.id, speaker.c.role)
                             .join(speaker, speaker.c.id == turn.c.speaker_id)
                             .where(turn.c.transcript_id == tid)).all())


def unit_turns(conn: Connection, tid: int, kind: str) -> list[tuple[int, int | None]]:
    """(segment id, turn id or None) of one kind of unit of a transcript."""
    return [tuple(r) for r in conn.execute(select(segment.c.id, segment.c.turn_id).where(
        segment.c.transcript_id == tid, segment.c.kind == kind)).all()]
