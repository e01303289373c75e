"""Rater packages in the store: copy one rater's rows into a fresh database, describe a
rater's work by natural keys (transcript hash, unit kind and position, code id) so two
databases can be compared, and write a merged state back (portable SQL).

A *state* is a dict with three parts, every key a string so it survives JSON:
``codings`` {"sha|kind|pos|code": [[value, span_start, span_end, note], ...]} (kind and pos
empty for a session global), ``done`` ["sha|kind|pos", ...] and ``notes`` {"sha|kind|pos": text}.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, update

from .codings import now
from .schema import (assignment, code, codebook_version, coding, event_log, meta, package_log,
                     rater, segment, segment_note, speaker, transcript, turn, unit_status)

_CHUNK = 500


def meta_value(conn: Connection, key: str) -> str | None:
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: str | None) -> None:
    conn.execute(delete(meta).where(meta.c.key == key))
    if value is not None:
        conn.execute(insert(meta).values(key=key, value=value))


def rater_row(conn: Connection, name_or_id) -> dict | None:
    for r in conn.execute(select(rater)).mappings():
        if r["id"] == name_or_id or (isinstance(name_or_id, str)
                                     and r["name"].casefold() == name_or_id.casefold()):
            return dict(r)
    return None


def assigned_transcripts(conn: Connection, rater_id: int) -> list[int]:
    return [r[0] for r in conn.execute(select(assignment.c.transcript_id)
                                       .where(assignment.c.rater_id == rater_id)
                                       .order_by(assignment.c.transcript_id))]


def transcripts_by_hash(conn: Connection) -> dict[str, dict]:
    return {r["sha256"]: dict(r) for r in conn.execute(
        select(transcript.c.id, transcript.c.name, transcript.c.sha256)).mappings()}


def unit_digest(conn: Connection, transcript_id: int) -> str:
    """A hash of a transcript's turns and units by position: equal in a project and in a
    package built from it, different as soon as a text or a unit boundary differs."""
    h = hashlib.sha256()
    for row in conn.execute(select(turn.c.position, speaker.c.label, turn.c.text,
                                   turn.c.start_ms, turn.c.end_ms)
                            .join(speaker, speaker.c.id == turn.c.speaker_id)
                            .where(turn.c.transcript_id == transcript_id)
                            .order_by(turn.c.position)):
        h.update(json.dumps(list(row)).encode())
    tpos = select(turn.c.position).where(turn.c.id == segment.c.turn_id).scalar_subquery()
    for row in conn.execute(select(segment.c.kind, segment.c.position, tpos, segment.c.char_start,
                                   segment.c.char_end, segment.c.first_turn, segment.c.last_turn)
                            .where(segment.c.transcript_id == transcript_id)
                            .order_by(segment.c.kind, segment.c.position)):
        h.update(json.dumps(list(row)).encode())
    return h.hexdigest()


def unit_keys(conn: Connection, transcript_ids: list[int]) -> dict[str, tuple[int, int]]:
    """"sha|kind|pos" -> (segment id, transcript id) for the given transcripts."""
    out: dict[str, tuple[int, int]] = {}
    for tid in transcript_ids:
        sha = conn.execute(select(transcript.c.sha256).where(transcript.c.id == tid)).scalar()
        for sid, kind, pos in conn.execute(select(segment.c.id, segment.c.kind, segment.c.position)
                                           .where(segment.c.transcript_id == tid)):
            out[f"{sha}|{kind}|{pos}"] = (sid, tid)
    return out


def rater_state(conn: Connection, rater_id: int, transcript_ids: list[int]) -> dict:
    """The rater's codings, completed units and notes on the transcripts, by natural keys."""
    state: dict = {"codings": {}, "done": [], "notes": {}}
    for tid in transcript_ids:
        sha = conn.execute(select(transcript.c.sha256).where(transcript.c.id == tid)).scalar()
        seg = {sid: f"{sha}|{kind}|{pos}" for sid, kind, pos in conn.execute(
            select(segment.c.id, segment.c.kind, segment.c.position)
            .where(segment.c.transcript_id == tid))}
        for sid, key, value, s0, s1, note in conn.execute(
                select(coding.c.segment_id, code.c.key, coding.c.value, coding.c.span_start,
                       coding.c.span_end, coding.c.note)
                .join(code, code.c.id == coding.c.code_id)
                .where(coding.c.transcript_id == tid, coding.c.rater_id == rater_id)):
            unit = seg[sid] if sid is not None else f"{sha}||"
            state["codings"].setdefault(f"{unit}|{key}", []).append([value, s0, s1, note])
        for (sid,) in conn.execute(select(unit_status.c.segment_id).join(
                segment, segment.c.id == unit_status.c.segment_id)
                .where(segment.c.transcript_id == tid, unit_status.c.rater_id == rater_id)):
            state["done"].append(seg[sid])
        for sid, text in conn.execute(select(segment_note.c.segment_id, segment_note.c.text).join(
                segment, segment.c.id == segment_note.c.segment_id)
                .where(segment.c.transcript_id == tid, segment_note.c.rater_id == rater_id)):
            state["notes"][seg[sid]] = text
    for rows in state["codings"].values():
        rows.sort(key=lambda r: json.dumps(r))
    state["done"].sort()
    return state


# -- building a package ------------------------------------------------------------------
def _copy(src: Connection, dst: Connection, table, where=None) -> int:
    query = select(table) if where is None else select(table).where(where)
    rows = [dict(r) for r in src.execute(query).mappings()]
    for i in range(0, len(rows), _CHUNK):
        dst.execute(insert(table), rows[i:i + _CHUNK])
    return len(rows)


def copy_rater_rows(src: Connection, dst: Connection, rater_id: int,
                    transcript_ids: list[int], codebook_ver: int) -> None:
    """Insert into the fresh database `dst` exactly what a package holds: one codebook
    version, the code registry, the one rater, the transcripts with their units, and that
    rater's assignments, codings, completed units and notes. Ids are kept."""
    _copy(src, dst, codebook_version, codebook_version.c.version == codebook_ver)
    _copy(src, dst, code)
    _copy(src, dst, rater, rater.c.id == rater_id)
    for tid in transcript_ids:
        _copy(src, dst, transcript, transcript.c.id == tid)
        _copy(src, dst, speaker, speaker.c.transcript_id == tid)
        _copy(src, dst, turn, turn.c.transcript_id == tid)
        _copy(src, dst, segment, segment.c.transcript_id == tid)
        _copy(src, dst, assignment, (assignment.c.transcript_id == tid)
              & (assignment.c.rater_id == rater_id))
        _copy(src, dst, coding, (coding.c.transcript_id == tid) & (coding.c.rater_id == rater_id))
        segs = select(segment.c.id).where(segment.c.transcript_id == tid)
        _copy(src, dst, unit_status, unit_status.c.segment_id.in_(segs)
              & (unit_status.c.rater_id == rater_id))
        _copy(src, dst, segment_note, segment_note.c.segment_id.in_(segs)
              & (segment_note.c.rater_id == rater_id))


def backup_into(source: Path, target: Path) -> None:
    """A consistent copy of the database at `source` (open elsewhere or not) at `target`."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(target, 0o600)


def compact_file(path: Path) -> None:
    """Leave `path` as one self-contained, vacuumed SQLite file (no -wal/-shm beside it)."""
    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("VACUUM")
    finally:
        con.close()


# -- the export log ----------------------------------------------------------------------
def record_export(conn: Connection, *, package_uuid: str, rater_id: int, codebook_ver: int,
                  manifest: dict, baseline: dict) -> None:
    conn.execute(insert(package_log).values(
        package_uuid=package_uuid, rater_id=rater_id, exported_at=now(),
        codebook_version=codebook_ver, manifest=json.dumps(manifest, sort_keys=True),
        baseline=json.dumps(baseline, sort_keys=True)))
    log_event(conn, "package_export", f"package {package_uuid} for rater {rater_id}")


def log_event(conn: Connection, kind: str, detail: str) -> int:
    return conn.execute(insert(event_log).values(at=now(), rater_id=None, kind=kind,
                                                 detail=detail)).inserted_primary_key[0]


def drop_event(conn: Connection, event_id: int) -> None:
    conn.execute(delete(event_log).where(event_log.c.id == event_id))


def export_record(conn: Connection, package_uuid: str) -> dict | None:
    row = conn.execute(select(package_log).where(package_log.c.package_uuid == package_uuid)
                       ).mappings().first()
    return None if row is None else dict(row)


def set_imported(conn: Connection, package_uuid: str, at: str | None, summary: str | None) -> None:
    conn.execute(update(package_log).where(package_log.c.package_uuid == package_uuid)
                 .values(imported_at=at, import_summary=summary))


# -- writing a merged state back ---------------------------------------------------------
def codings_at(conn: Connection, rater_id: int, segment_id: int | None, transcript_id: int,
               code_key: str) -> list[dict]:
    cid = conn.execute(select(code.c.id).where(code.c.key == code_key)).scalar()
    where = [coding.c.rater_id == rater_id, coding.c.code_id == cid,
             coding.c.transcript_id == transcript_id,
             coding.c.segment_id.is_(None) if segment_id is None
             else coding.c.segment_id == segment_id]
    return [dict(r) for r in conn.execute(select(coding).where(*where)).mappings()]


def code_id(conn: Connection, key: str) -> int | None:
    return conn.execute(select(code.c.id).where(code.c.key == key)).scalar()


def code_kinds(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(code.c.key, code.c.kind)).all())


def codings_for_rater(conn: Connection, rater_id: int) -> list[dict]:
    return [dict(r) for r in conn.execute(
        select(coding.c.segment_id, coding.c.transcript_id, code.c.key, coding.c.created_at)
        .join(code, code.c.id == coding.c.code_id).where(coding.c.rater_id == rater_id))
        .mappings()]


def set_baseline(conn: Connection, package_uuid: str, state: dict) -> None:
    conn.execute(update(package_log).where(package_log.c.package_uuid == package_uuid)
                 .values(baseline=json.dumps(state, sort_keys=True)))
