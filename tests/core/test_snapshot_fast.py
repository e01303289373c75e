"""The fast paths of issue 16/17 against plain ones on random projects.

- The packed snapshot read (a coding as two integers, completions as one) gives exactly the
  arrays of the row-by-row read, for any mix of globals, spans, whole and fractional values,
  a value beside a span, spans too large to pack, duplicates; for selections; and for a
  signed-in rater of a blind project (own rows only).
- ``codings()``'s long frame equals a row-by-row construction from the same snapshot written
  with the scope rule of the app (``coder.coding.scope.applies_to``).
- The codebook cache gives the same frozen codebook for the same text, a fresh parse (and the
  same error) for a bad one.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sqlalchemy import insert, select

import coder.store.snapshot_read as snapshot_read
import coder.store.snapshot_codings as snapshot_codings
from coder.coding.scope import applies_to
from coder.store.schema import code, coding, segment, unit_status
from tests.core.test_project_reliability_data import new_project

pd = pytest.importorskip("pandas")

FIELDS = ("seg_id", "seg_transcript", "seg_position", "done", "cod_unit", "cod_transcript",
          "cod_rater", "cod_code", "cod_value", "cod_span_start", "cod_span_end")


def _random_codings(p, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with p._store.write() as conn:
        segs = conn.execute(select(segment.c.id, segment.c.transcript_id)).all()
        codes = [r[0] for r in conn.execute(select(code.c.id))]
        raters = list(p.r.values())
        rows, done = [], set()
        for _ in range(int(rng.integers(40, 120))):
            sid, tid = segs[int(rng.integers(len(segs)))]
            is_global = rng.random() < 0.1
            value = [None, float(rng.integers(-3, 8)), 0.1 + 0.2, 1e20, -0.5,
                     float(2 ** 45)][int(rng.integers(6))]
            span = [(None, None), (int(rng.integers(0, 40)), int(rng.integers(40, 90))),
                    (0, 2 ** 31 + 7), (None, 5)][int(rng.integers(4))]
            if rng.random() < 0.5:
                value = None
            rows.append(dict(transcript_id=tid, segment_id=None if is_global else sid,
                             rater_id=raters[int(rng.integers(len(raters)))],
                             code_id=codes[int(rng.integers(len(codes)))], value=value,
                             span_start=span[0], span_end=span[1], codebook_version=1,
                             created_at="2026-01-01T00:00:00+00:00"))
            if rng.random() < 0.6:
                done.add((sid, raters[int(rng.integers(len(raters)))]))
        if rows and rng.random() < 0.5:
            rows.append(dict(rows[0]))                      # a duplicate coding
        conn.execute(insert(coding), rows)
        conn.execute(insert(unit_status), [dict(segment_id=s, rater_id=r,
                                                completed_at="2026-01-01T00:00:00+00:00")
                                           for s, r in sorted(done)])


def _same(a, b) -> None:
    assert a.rater_names == b.rater_names and a.transcript_names == b.transcript_names
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert np.array_equal(x, y, equal_nan=True), name


def _row_snapshots(p, monkeypatch, read):
    packed = read()
    with monkeypatch.context() as m:
        m.setattr(snapshot_read, "_through_cache", lambda *a: None)
        m.setattr(snapshot_codings, "_codings_packed", lambda *a: None)
        m.setattr(snapshot_read, "_completions_packed", lambda *a: None)
        rows = read()
    return packed, rows


@pytest.mark.parametrize("seed", range(6))
def test_packed_snapshot_equals_the_row_read_on_random_projects(tmp_path, monkeypatch, seed):
    p = new_project(tmp_path)
    try:
        _random_codings(p, seed)
        for select_ in ({}, {"raters": "B"}, {"raters": "A,C"}, {"transcripts": "s2.srt"},
                        {"transcripts": "s1.srt,s3.srt", "raters": "C,A"}):
            packed, rows = _row_snapshots(p, monkeypatch,
                                          lambda: p.reliability.snapshot(**select_))
            _same(packed, rows)
        values = set(packed.cod_value.tolist())
        assert any(isinstance(v, float) and not math.isnan(v) for v in values) or seed
    finally:
        p.close()


def test_a_blind_rater_reads_only_own_rows_through_the_packed_read(tmp_path, monkeypatch):
    p = new_project(tmp_path)
    _random_codings(p, 11)
    path = p._store.path if hasattr(p._store, "path") else tmp_path / "p.scproj"
    all_raters = set(p.reliability.snapshot().cod_rater.tolist())
    p.close()
    assert len(all_raters) > 1
    import coder
    with coder.open_project(path, rater="B") as study:
        packed, rows = _row_snapshots(study.project, monkeypatch,
                                      study.project.codings.snapshot)
        _same(packed, rows)
        assert packed.rater_names == ("B",)
        assert set(packed.cod_rater.tolist()) <= {0}
        frame = study.codings()
        assert set(frame["rater"].astype(str)) <= {"B"}


def _states_by_rows(snap) -> list[tuple]:
    """The long frame written out row by row: the app's scope rule, the first coding of a
    rater on a unit (or transcript, for a global) decides applied and value."""
    book = snap.codebook
    first: dict = {}
    for i in range(snap.cod_unit.size):
        key = (snap.code_keys[snap.cod_code[i]], int(snap.cod_unit[i]),
               int(snap.cod_transcript[i]), int(snap.cod_rater[i]))
        first.setdefault(key, float(snap.cod_value[i]))
    out = []
    for entry in book.codes():
        c = entry.code
        for t in range(len(snap.transcript_names)) if c.kind == "global" else ():
            for r in range(len(snap.rater_names)):
                hit = [v for (k, u, tt, rr), v in first.items()
                       if k == c.id and tt == t and rr == r]
                out.append((snap.transcript_names[t], "session", None, None,
                            snap.rater_names[r], c.id, c.kind,
                            "applied" if hit else "missing",
                            None if not hit or math.isnan(hit[0]) else hit[0]))
        if c.kind == "global":
            continue
        for u in range(snap.n_units):
            role = str(snap.seg_role[u])
            if not applies_to(c, str(snap.seg_kind[u]), role):
                continue
            for r in range(len(snap.rater_names)):
                key = (c.id, u, int(snap.seg_transcript[u]), r)
                state = ("applied" if key in first else
                         "not applied" if snap.done[u, r] else "missing")
                v = first.get(key)
                out.append((snap.transcript_names[snap.seg_transcript[u]], str(snap.seg_kind[u]),
                            int(snap.seg_position[u]), role or None, snap.rater_names[r],
                            c.id, c.kind, state, None if v is None or math.isnan(v) else v))
    return out


@pytest.mark.parametrize("seed", range(3))
def test_the_long_frame_equals_a_row_by_row_construction(tmp_path, seed):
    p = new_project(tmp_path)
    try:
        _random_codings(p, 100 + seed)
        snap = p.reliability.snapshot()
        from coder.analysis.frames import states_frame
        frame = states_frame(snap)
        got = []
        for row in frame.itertuples(index=False):
            got.append(tuple(None if (v is pd.NA or (isinstance(v, float) and math.isnan(v)))
                             else (v.item() if isinstance(v, np.generic) else v)
                             for v in row))
        want = _states_by_rows(snap)
        assert sorted(map(repr, got)) == sorted(map(repr, want))
        assert len(got) == len(want) > 0
    finally:
        p.close()


def test_the_codebook_cache_shares_one_frozen_value_and_never_caches_an_error():
    from coder.codebook import CodebookError
    from coder.store import codebooks
    from tests.core.test_project_reliability_data import CODEBOOK
    a = codebooks.parsed(CODEBOOK, "codebook version 1")
    b = codebooks.parsed(CODEBOOK, "codebook version 1")
    assert a is b and a.code("warmth").kind == "rating"
    for _ in range(2):
        with pytest.raises(CodebookError):
            codebooks.parsed(CODEBOOK.replace("kind: rating", "kind: nonsense"), "v2")
