"""Everything a project reliability report needs, read from the database in one go.

:func:`read_snapshot` runs a handful of queries inside one read transaction and returns a
:class:`ReliabilitySnapshot`: a frozen value of plain, read-only numpy arrays (units, completed
units, codings) plus the codebook. The statistics then run on the snapshot alone. The GUI reads
it inside the report's job, on the worker's own connection (``Reliability.report_job``), and
can cancel the read (DESIGN.md rule 5) while coding goes on.

The selection (which raters, which transcripts) is made here, by name, so that an unknown name
is reported before any work starts.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError

from ..codebook import Codebook
from ..errors import SessionCoderError
from ..factorize import factorize
from ..heap import give_back, map_large_blocks
from ..jobs import check
from ..snapshots import ReliabilitySnapshot, frozen_array
from . import codebooks as cb_store
from . import snapshot_cache, snapshot_packed
from .snapshot_cache import through_cache as _through_cache
from .snapshot_codings import (  # noqa: F401 (the store's door)
    codings_arrays,
    codings_reader,
    read_codings,
)
from .snapshot_sql import CHUNK, array_of, in_chunks, interruptible, lookup, unit_lookup
from .schema import code, meta, rater, segment, speaker, transcript, turn, unit_status
from .schema import snapshot_cache as cache_table


def _pick(kind: str, wanted, known: list[tuple[int, str]], match) -> list[tuple[int, str]]:
    """Resolve user-given names against (id, name) pairs; unknown names raise."""
    if wanted is None:
        return known
    if isinstance(wanted, str):
        wanted = [w for w in (x.strip() for x in wanted.split(",")) if w]
    out: list[tuple[int, str]] = []
    for w in wanted:
        hit = match(w, known)
        if hit is None:
            names = ", ".join(n for _, n in known) or "none"
            raise SessionCoderError(f"no {kind} {w!r} in this project ({kind}s: {names})")
        if hit not in out:
            out.append(hit)
    if not out:
        raise SessionCoderError(f"no {kind}s selected")
    return out


def _match_rater(w, known):
    for rid, name in known:
        if w == rid or (isinstance(w, str) and name.casefold() == w.casefold()):
            return (rid, name)
    return None


def _match_transcript(w, known):
    for tid, name in known:
        if w == tid or w == name:
            return (tid, name)
    if isinstance(w, str):
        stem = [k for k in known if Path(k[1]).stem == w]
        if len(stem) == 1:
            return stem[0]
    return None


def read_snapshot(conn: Connection, codebook: Codebook | None = None, *, raters=None,
                  transcripts=None, project: str | None = None,
                  cancel=None, cache: str = "use", codings: bool = True) -> ReliabilitySnapshot:
    """Read the selected raters' codings and completed units on the selected transcripts.

    ``raters``/``transcripts``: names (or ids; a list or "a,b"), ``None`` for all. A
    transcript may also be named by its file name without extension when that is unique.
    ``codebook`` defaults to the project's newest codebook version. Raises
    :class:`~coder.errors.SessionCoderError` for an unknown name or a project without codebook.
    ``cancel``: a job's ``cancel()``, asked between the queries and (SQLite) during them;
    raises :class:`~coder.jobs.Cancelled`.

    ``cache`` (SQLite; see :mod:`.snapshot_cache`): ``"use"`` takes the codings and
    completions of the transcripts that have a cache row from it and reads the rest;
    ``"warm"`` does that and then saves what it had to read — only for a connection that the
    caller is done with (the save ends its read transaction) and that may write; ``"off"``
    reads everything from the tables (the reference the cache is tested against).

    ``codings=False``: units and completions only, no coding (``"warm"`` then saves
    nothing); :func:`read_codings` reads them afterwards, a part at a time.
    """
    if cache not in ("use", "warm", "off"):
        raise ValueError(f"cache must be 'use', 'warm' or 'off', not {cache!r}")
    map_large_blocks()               # a large read's arrays go back to the system when freed
    if cache != "off" and not snapshot_cache.usable(conn):
        cache = "off"
    if cache == "warm" and not codings:
        cache = "use"
    since = snapshot_cache.data_version(conn) if cache == "warm" else None
    with interruptible(conn, cancel):
        snap, pending = _read(conn, codebook, raters, transcripts, project, cancel, cache,
                              codings)
    if cache == "warm" and pending is not None:
        snapshot_cache.save(conn, pending[0], pending[1], since)
    del pending
    give_back()                      # the read's temporaries, freed: back to the system
    return snap


def _read(conn: Connection, codebook, raters, transcripts, project, cancel, cache,
          codings=True):
    book = codebook if codebook is not None else cb_store.load_version(conn)
    if book is None:
        raise SessionCoderError("this project has no codebook yet")
    version = cb_store.latest_version(conn)
    if project is None:
        project = conn.execute(select(meta.c.value)
                               .where(meta.c.key == "project_name")).scalar() or ""
    # Reliability is computed on independent codings only: the consensus layer (a
    # pseudo-rater, coder.team.consensus) is never a rater here, not even by name.
    all_raters = [(r[0], r[1]) for r in conn.execute(
        select(rater.c.id, rater.c.name).where(rater.c.role != "consensus")
        .order_by(rater.c.id))]
    all_transcripts = [(r[0], r[1]) for r in conn.execute(
        select(transcript.c.id, transcript.c.name).order_by(transcript.c.name))]
    chosen_r = _pick("rater", raters, all_raters, _match_rater)
    chosen_t = _pick("transcript", transcripts, all_transcripts, _match_transcript)
    r_ids = [r for r, _ in chosen_r]
    t_ids = [t for t, _ in chosen_t]

    seg_q = (select(segment.c.id, segment.c.transcript_id, segment.c.kind,
                    segment.c.position, speaker.c.role)
             .select_from(segment.outerjoin(turn, turn.c.id == segment.c.turn_id)
                          .outerjoin(speaker, speaker.c.id == turn.c.speaker_id)))
    t_sel = None if len(t_ids) == len(all_transcripts) else t_ids
    found, damaged = snapshot_cache.load(conn, t_sel, codings) if cache != "off" else ({}, [])
    missing = [t for t in t_ids if t not in found]
    check(cancel)
    fresh = _read_units(conn, seg_q, missing, cancel)
    # a warming read saves the fresh units per transcript: joined on their own for that
    fresh_segs = _join_units(fresh) if cache == "warm" else None
    parts = fresh + [(v[2][0], np.full(v[2][0].size, t, dtype=np.int64), v[2][1], v[2][2],
                      v[2][3]) for t, v in found.items()]
    del fresh
    seg_ids, seg_t_raw, (seg_kind, kinds), seg_pos, (seg_role, roles) = _join_units(parts)
    del parts
    for v in found.values():                # joined: the cache's unit arrays are let go
        v[2].clear()
    give_back()
    seg_t = lookup(seg_t_raw, t_ids)
    del seg_t_raw
    if seg_ids.size:
        # ordered by transcript (selection order), windows last, then kind, then position
        # (the kinds are sorted, so an index is the kind's rank)
        window = kinds.index("window") if "window" in kinds else -1
        by = np.lexsort((seg_pos, seg_kind, seg_kind == window, seg_t))
        seg_ids, seg_t, seg_kind = seg_ids[by], seg_t[by], seg_kind[by]
        seg_pos, seg_role = seg_pos[by], seg_role[by]
        del by
    unit_rows = unit_lookup(seg_ids)
    done = np.zeros((seg_ids.size, len(r_ids)), dtype=bool)
    check(cancel)
    pending = packed = status = None
    if cache != "off":
        got = _through_cache(conn, cache == "warm", r_ids, t_ids, t_sel, found, damaged,
                             missing, fresh_segs, seg_t, unit_rows, cancel, codings)
        if got is not None:
            status, packed, pending = got
    if status is None:
        status = _completions_packed(conn, r_ids, t_sel)
    if status is None:
        status_q = (select(unit_status.c.segment_id, unit_status.c.rater_id)
                    .join(segment, segment.c.id == unit_status.c.segment_id)
                    .where(unit_status.c.rater_id.in_(r_ids)))
        rows_st = in_chunks(conn, status_q, segment.c.transcript_id, t_ids)
        st = array_of(rows_st, np.int64).reshape(len(rows_st), 2)
        status = (st[:, 0], st[:, 1])
    _mark_done(done, [status] if isinstance(status, tuple) else status, unit_rows, r_ids)
    del status                               # in `done` now
    give_back()                              # (the cache's parts, each freed once marked)

    check(cancel)
    code_rows = conn.execute(select(code.c.id, code.c.key).order_by(code.c.id)).all()
    code_keys = tuple(k for _, k in code_rows)
    code_ids = [cid for cid, _ in code_rows]
    if not codings:
        packed = (np.zeros(0, np.int64),) * 3 + (np.zeros(0),) + (np.zeros(0, np.int64),) * 2
    cod_unit, cod_transcript, cod_rater, cod_code, cod_value, spans = codings_arrays(
        conn, packed, r_ids, t_ids, t_sel, code_ids, None, unit_rows, seg_t, cancel)
    return ReliabilitySnapshot(
        project=project, codebook=book, codebook_version=int(version),
        rater_names=tuple(n for _, n in chosen_r), rater_ids=tuple(r_ids),
        transcript_names=tuple(n for _, n in chosen_t), transcript_ids=tuple(t_ids),
        seg_id=frozen_array(seg_ids, _fitting(seg_ids)),
        seg_transcript=frozen_array(seg_t, np.int64),
        seg_kind_index=frozen_array(seg_kind, seg_kind.dtype), kinds=kinds,
        seg_position=frozen_array(seg_pos, _fitting(seg_pos)),
        seg_role_index=frozen_array(seg_role, seg_role.dtype), roles=roles,
        done=frozen_array(done, bool),
        code_keys=code_keys,
        cod_unit=frozen_array(cod_unit, np.int64),
        cod_transcript=frozen_array(cod_transcript, np.int64),
        cod_rater=frozen_array(cod_rater, np.int64),
        cod_code=frozen_array(cod_code, np.int64),
        cod_value=frozen_array(cod_value, float),
        cod_span_start=frozen_array(spans[0], np.int64),
        cod_span_end=frozen_array(spans[1], np.int64),
    ), pending


_STRETCH = 25                    # transcripts whose units are fetched as rows at once


def _read_units(conn: Connection, seg_q, missing: list[int], cancel) -> list:
    """The units of the transcripts ``missing`` as parts ``(ids, transcript ids, (kind
    index, kinds), positions, (role index, roles))`` (:func:`_join_units` joins them),
    fetched `_STRETCH` transcripts at a time: a million units as Python tuples were
    ~280 MiB, the arrays made of them ~30 (kinds and roles as int8 indices into their
    sorted distinct texts, not numpy strings)."""
    parts = []
    for i in range(0, len(missing), _STRETCH):
        check(cancel)
        rows = in_chunks(conn, seg_q, segment.c.transcript_id, missing[i:i + _STRETCH])
        cols = list(zip(*rows)) if rows else [(), (), (), (), ()]
        del rows
        parts.append((array_of(cols[0], np.int64), array_of(cols[1], np.int64),
                      _labelled(array_of(cols[2], str)), array_of(cols[3], np.int64),
                      _labelled(array_of([r or "" for r in cols[4]], str))))
        del cols
    return parts


def _join_units(parts: list) -> tuple:
    """Unit parts (:func:`_read_units`'s, the cache's) as one: ``(ids, transcript ids,
    (kind index, kinds), positions, (role index, roles))``, the kinds and roles the sorted
    union of the parts' texts."""
    kinds = tuple(sorted(set().union(*(p[2][1] for p in parts))))
    roles = tuple(sorted(set().union(*(p[4][1] for p in parts))))
    return (_joined_col(parts, 0), _joined_col(parts, 1),
            (_relabelled([p[2] for p in parts], kinds), kinds), _joined_col(parts, 3),
            (_relabelled([p[4] for p in parts], roles), roles))


def _joined_col(parts, j: int) -> np.ndarray:
    """Column ``j`` of the parts as one int64 array; the one part that has rows as it is
    (a cold read's units are one part: no second copy of a million units' columns)."""
    cols = [p[j] for p in parts if p[j].size]
    if len(cols) == 1:
        return np.asarray(cols[0], dtype=np.int64)
    return np.concatenate(cols or [np.zeros(0, np.int64)], dtype=np.int64, casting="safe")


def _fitting(a: np.ndarray):
    """int32 for ids and positions that fit in it (half of a million units' 8 MiB), else
    int64: decided by the values, so every way of reading them gives the same type."""
    if a.size == 0 or (int(a.min()) >= -(1 << 31) and int(a.max()) < (1 << 31)):
        return np.int32
    return np.int64


def _label_dtype(n: int):
    return np.int8 if n < 128 else np.int16 if n < 32768 else np.int32


def _labelled(texts: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """(index of each text in the distinct texts, the sorted distinct texts)."""
    values, inverse = factorize(np.asarray(texts, dtype=str))
    words = tuple(str(v) for v in values.tolist())
    return inverse.astype(_label_dtype(len(words))), words


def _relabelled(parts, words: tuple[str, ...]) -> np.ndarray:
    """``(index, texts)`` parts joined as indices into ``words`` (which holds every text)."""
    dtype = _label_dtype(len(words))
    at = {w: i for i, w in enumerate(words)}
    out = [np.asarray([at[w] for w in texts], dtype=dtype)[np.asarray(idx, dtype=np.int64)]
           if len(texts) else np.zeros(0, dtype) for idx, texts in parts]
    return np.concatenate(out) if out else np.zeros(0, dtype)


_MARK = 1 << 18                  # completions looked up at once (temporaries ~10 MiB)


def _mark_done(done: np.ndarray, parts, unit_rows, r_ids) -> None:
    """Set ``done[unit, rater]`` for each (segment ids, rater ids) part of the iterable
    ``parts`` (each let go once marked: an iterator that reads them as it goes holds one at
    a time); rows of raters not in ``r_ids`` and of segments not among the units are
    skipped. A slice of `_MARK` at a time, so the lookups' temporaries stay small however
    many completions there are."""
    r_lut = np.full(max(r_ids, default=0) + 1, -1, dtype=np.int64)
    r_lut[np.asarray(r_ids, dtype=np.int64)] = np.arange(len(r_ids))
    for seg, who in parts:
        for a in range(0, seg.size, _MARK):
            s_ids = np.asarray(seg[a:a + _MARK], dtype=np.int64)
            w = np.asarray(who[a:a + _MARK], dtype=np.int64)
            cols = np.where((w >= 0) & (w < r_lut.size), r_lut[np.clip(w, 0, r_lut.size - 1)], -1)
            rows = unit_rows(s_ids)
            ok = (rows >= 0) & (cols >= 0)
            done[rows[ok], cols[ok]] = True
        del seg, who


def _completions_packed(conn: Connection, r_ids, t_ids):
    return snapshot_packed.completions(conn, r_ids, t_ids)


def warm_cache(conn: Connection, *, segments=(), transcripts=(), deadline: float | None = None,
               batch: int = 16) -> int:
    """Rebuild the snapshot cache rows (:mod:`.snapshot_cache`) of the transcripts a session
    wrote to — those among ``transcripts`` and those holding ``segments`` — that have none,
    so that the next reader (the analyst's ``codings()``, the next report) finds them
    cached. Reads ``batch`` transcripts at a time and stops between batches once
    ``time.monotonic()`` passes ``deadline``. Best effort, like every cache write: a project
    without a codebook, a busy or read-only file, a server database or any read error ends
    it quietly. Returns the number of transcripts saved."""
    if not snapshot_cache.usable(conn):
        return 0
    try:
        wanted = {int(t) for t in transcripts}
        seg_ids = sorted({int(s) for s in segments})
        for i in range(0, len(seg_ids), CHUNK):
            wanted.update(conn.execute(
                select(segment.c.transcript_id).distinct()
                .where(segment.c.id.in_(seg_ids[i:i + CHUNK]))).scalars())
        if not wanted:
            return 0
        have = set(conn.execute(select(cache_table.c.transcript_id)).scalars())
        known = set(conn.execute(select(transcript.c.id)).scalars())
        todo = sorted((wanted & known) - have)
        book = cb_store.load_version(conn) if todo else None
        conn.rollback()
        if book is None:
            return 0
        saved = 0
        for i in range(0, len(todo), batch):
            if deadline is not None and time.monotonic() > deadline:
                break
            part = todo[i:i + batch]
            read_snapshot(conn, book, transcripts=part, cache="warm")
            conn.rollback()
            now = conn.execute(select(func.count()).select_from(cache_table)
                               .where(cache_table.c.transcript_id.in_(part))).scalar()
            conn.rollback()
            saved += now
            if now < len(part):
                break                   # busy, read-only or written meanwhile: leave it
        return saved
    except (SessionCoderError, OperationalError, sqlite3.Error):
        return 0
