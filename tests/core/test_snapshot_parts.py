"""The snapshot in parts (issue 17, the whole-study export): units and completions without
codings (``read_snapshot(..., codings=False)``), then one item's codings or one stretch of
transcripts' (``read_codings``), on random projects with globals, spans, fractional values
and duplicates (test_snapshot_fast's generator).

- The parts equal the rows of a full read picked by code or by transcript, in the same order,
  through the packed read and through the row read.
- Completions marked a slice at a time equal those marked at once; units fetched a
  transcript at a time and completions a few units at a time equal those fetched at once,
  and a cache warmed that way reads back the same.
- Unit kinds and roles, held as indices into their texts, read back as the texts the
  segment and speaker tables hold (checked against SQL, not against the read's own code).
"""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

import coder.store.snapshot_read as snapshot_read
import coder.store.snapshot_codings as snapshot_codings
from coder.store.schema import segment, speaker, turn
from coder.store.snapshot_read import read_codings, read_snapshot
from tests.core.test_project_reliability_data import new_project
from tests.core.test_snapshot_fast import _random_codings

UNITS = ("seg_id", "seg_transcript", "seg_position", "done", "seg_kind", "seg_role")
CODINGS = ("cod_unit", "cod_transcript", "cod_rater", "cod_code", "cod_value",
           "cod_span_start", "cod_span_end")


@pytest.fixture(params=[3, 8])
def project(tmp_path, request):
    p = new_project(tmp_path)
    _random_codings(p, request.param)
    yield p
    p.close()


def _read(p, **kw):
    with p._store.read_view().snapshot() as conn:
        return read_snapshot(conn, None, **kw)


def _picked(full, keep) -> dict:
    return {name: getattr(full, name)[keep] for name in CODINGS}


def _assert_codings(part, want: dict) -> None:
    for name in CODINGS:
        got = getattr(part, name)
        assert got.dtype == want[name].dtype, name
        assert np.array_equal(got, want[name], equal_nan=True), name


@pytest.mark.parametrize("cache", ["use", "off"])
@pytest.mark.parametrize("select_", [{}, {"raters": "C,A"}, {"transcripts": "s1.srt,s3.srt"}])
def test_parts_equal_the_full_read(project, cache, select_):
    full = _read(project, cache=cache, **select_)
    bare = _read(project, cache=cache, codings=False, **select_)
    for name in UNITS:
        assert np.array_equal(getattr(bare, name), getattr(full, name)), name
    assert all(getattr(bare, name).size == 0 for name in CODINGS)
    assert full.cod_code.size > 0
    with project._store.read_view().snapshot() as conn:
        for key in full.code_keys:
            part = read_codings(conn, bare, codes=[key])
            _assert_codings(part, _picked(full, full.cod_code == full.code_keys.index(key)))
            assert part.seg_id is bare.seg_id and part.done is bare.done   # shared
        pair = list(full.code_keys[:2])
        keep = np.isin(full.cod_code, [0, 1])
        _assert_codings(read_codings(conn, bare, codes=pair), _picked(full, keep))
        _assert_codings(read_codings(conn, bare, codes=[]), _picked(full, keep & False))
        for ts in ([0], [len(full.transcript_ids) - 1, 0], list(range(len(full.transcript_ids)))):
            _assert_codings(read_codings(conn, bare, transcripts=ts),
                            _picked(full, np.isin(full.cod_transcript, ts)))
        _assert_codings(read_codings(conn, bare), _picked(full, slice(None)))


def test_parts_through_the_row_read(project, monkeypatch):
    full = _read(project, cache="off")
    bare = _read(project, cache="off", codings=False)
    monkeypatch.setattr(snapshot_codings, "_codings_packed", lambda *a: None)
    with project._store.read_view().snapshot() as conn:
        for key in full.code_keys:
            _assert_codings(read_codings(conn, bare, codes=[key]),
                            _picked(full, full.cod_code == full.code_keys.index(key)))
        _assert_codings(read_codings(conn, bare, transcripts=[1]),
                        _picked(full, full.cod_transcript == 1))


def test_completions_marked_a_slice_at_a_time(project, monkeypatch):
    whole = _read(project, cache="off")
    monkeypatch.setattr(snapshot_read, "_MARK", 3)
    for cache in ("use", "off"):
        sliced = _read(project, cache=cache)
        assert sliced.done.any() and np.array_equal(sliced.done, whole.done)


def test_units_and_completions_fetched_a_stretch_at_a_time(project, monkeypatch):
    from coder.store import snapshot_cache, snapshot_packed
    whole = _read(project, cache="off")
    assert len(whole.transcript_ids) > 1 and whole.done.sum() > 10
    monkeypatch.setattr(snapshot_read, "_STRETCH", 1)
    monkeypatch.setattr(snapshot_packed, "_RANGE", 3)         # 3 segment ids a query
    monkeypatch.setattr(snapshot_packed, "_T_CHUNK", 1)
    with project._store.write() as conn:
        snapshot_cache.clear(conn)
    for kw in ({"cache": "off"}, {"cache": "off", "codings": False},
               {"cache": "off", "transcripts": "s3.srt,s1.srt"}):
        one_by_one = _read(project, **kw)
        ref = whole if "transcripts" not in kw else _read(project, cache="off",
                                                          transcripts="s3.srt,s1.srt")
        for name in UNITS + ("kinds", "roles"):
            a, b = getattr(one_by_one, name), getattr(ref, name)
            assert np.array_equal(a, b) and np.asarray(a).dtype == np.asarray(b).dtype, name
    with project._store.write() as conn:                      # warm, a transcript at a time
        read_snapshot(conn, None, cache="warm")
    with project._store.read() as conn:
        assert snapshot_cache.load(conn, None)[0].keys() == set(whole.transcript_ids)
    cached = _read(project, cache="use")
    for name in UNITS + CODINGS:
        a, b = getattr(cached, name), getattr(whole, name)
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name


def test_kinds_and_roles_read_back_as_the_tables_hold_them(project):
    snap = _read(project)
    with project._store.read_view().snapshot() as conn:
        rows = conn.execute(
            select(segment.c.id, segment.c.kind, speaker.c.role)
            .select_from(segment.outerjoin(turn, turn.c.id == segment.c.turn_id)
                         .outerjoin(speaker, speaker.c.id == turn.c.speaker_id))).all()
    want = {sid: (kind, role or "") for sid, kind, role in rows}
    got = {int(s): (str(k), str(r))
           for s, k, r in zip(snap.seg_id, snap.seg_kind, snap.seg_role)}
    assert got == want and len(set(k for k, _ in got.values())) >= 2
    assert snap.seg_kind_index.dtype == np.int8 and snap.kinds == tuple(sorted(snap.kinds))
    assert [snap.kind_of(u) for u in range(snap.n_units)] == snap.seg_kind.tolist()


def test_packed_codings_decoded_a_few_at_a_time_equal_the_row_read(project, monkeypatch):
    """The packed read decodes its columns `_SLICE` codings at a time; slices of 5 give
    what the row read gives (the row read shares none of that code)."""
    from coder.store import snapshot_packed
    bare = _read(project, cache="off", codings=False)
    with project._store.read_view().snapshot() as conn:
        whole = read_codings(conn, bare)
        monkeypatch.setattr(snapshot_packed, "_SLICE", 5)
        sliced = read_codings(conn, bare)
        monkeypatch.setattr(snapshot_codings, "_codings_packed", lambda *a: None)
        rows = read_codings(conn, bare)
    assert whole.cod_unit.size > 5
    want = {name: getattr(rows, name) for name in CODINGS}
    _assert_codings(sliced, want)
    _assert_codings(whole, want)


def test_a_reader_with_its_lookup_made_once_reads_the_same(project):
    from coder.store.snapshot_read import codings_reader
    bare = _read(project, cache="off", codings=False)
    with project._store.read_view().snapshot() as conn:
        read = codings_reader(conn, bare)
        for codes, ts in ((None, None), ([bare.code_keys[0]], None), (None, [1, 0])):
            _assert_codings(read(codes, ts), {
                name: getattr(read_codings(conn, bare, codes=codes, transcripts=ts), name)
                for name in CODINGS})


@pytest.mark.parametrize("ids", [
    [5, 6, 7, 8, 9],                              # dense, in order
    [9, 5, 8, 6, 7, 12],                          # dense, any order
    [3, 10**9, 77, 10**6],                        # sparse: the sorted search
    [],
])
def test_unit_lookup_gives_each_ids_row(ids, monkeypatch):
    from coder.store import snapshot_sql
    monkeypatch.setattr(snapshot_sql, "_FILL", 2)         # the table filled 2 ids at a time
    seg_ids = np.array(ids, dtype=np.int64)
    rows = snapshot_sql.unit_lookup(seg_ids)
    probe = np.array(ids + [0, 4, 11, 13, 10**9 + 1, -3], dtype=np.int64)
    want = [ids.index(x) if x in ids else -1 for x in probe.tolist()]
    assert rows(probe).tolist() == want


def test_a_column_of_one_value_takes_no_memory(project):
    """One code's codings hold one code id, and a code without spans holds -1 as both
    spans: those columns are read-only broadcasts of the one value (no memory), equal to
    the columns of the full read."""
    full = _read(project, cache="off")
    bare = _read(project, cache="off", codings=False)
    with project._store.read_view().snapshot() as conn:
        for j, key in enumerate(full.code_keys):
            keep = full.cod_code == j
            if keep.sum() < 2:
                continue
            part = read_codings(conn, bare, codes=[key])
            _assert_codings(part, _picked(full, keep))
            assert part.cod_code.strides == (0,) and not part.cod_code.flags.writeable
            if (full.cod_span_start[keep] == -1).all():
                assert part.cod_span_start.strides == (0,)
            else:
                assert part.cod_span_start.strides != (0,)
