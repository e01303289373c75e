"""The per-transcript cut kept as columns (issue 17): each transcript's entries are made when
read, equal to the entries made one by one, and a report pickles as the columns (the app's
report process sends them to the GUI), not as an entry object per transcript and code."""

from __future__ import annotations

import io
import json
import pickle

import pytest

from coder.process_job import _batches, result_pickler
from coder.reliability.project import build_report, to_json
from coder.reliability.project.matrices import Tables, cut, full_matrix, plan_items
from coder.reliability.project.entries import CiOptions
from coder.reliability.project.per_transcript import per_transcript_columns
from coder.reliability.project.results import CodeEntry, TranscriptEntries
from tests.core.test_project_reliability import project  # noqa: F401 - a fixture


def test_entries_read_as_the_tuple_they_stand_for(project):  # noqa: F811
    snap = project.reliability.snapshot()
    report = build_report(snap, reference="A")
    tables = Tables(snap)
    n_t, n_r = len(snap.transcript_names), len(snap.rater_names)
    unit_items = [i for i in plan_items(snap) if i.kind != "global"]
    columns = [per_transcript_columns(cut(full_matrix(tables, i), range(n_r)), n_t, CiOptions())
               for i in unit_items]
    assert len(report.per_transcript) == n_t
    for t, tc in enumerate(report.per_transcript):
        lazy = tc.codes
        assert isinstance(lazy, TranscriptEntries)
        want = tuple(c.entry(t) for c in columns)            # made one by one
        assert len(lazy) == len(want) == len(unit_items)
        assert lazy == want and want == tuple(lazy)
        for either in (lazy, want):                 # entries hold read-only mappings
            with pytest.raises(TypeError):
                hash(either)
        assert repr(lazy) == repr(want)
        assert lazy[0] == want[0] and lazy[-1] == want[-1] and lazy[1:] == want[1:]
        assert list(lazy) == list(want) and tc.entries is lazy
        assert lazy + () == want
        assert lazy[0] is lazy[0]                             # made once, then kept


def test_a_report_pickles_as_columns_and_comes_back_the_same(project):  # noqa: F811
    snap = project.reliability.snapshot()
    report = build_report(snap, reference="B")
    before = json.dumps(to_json(report), sort_keys=True)     # (makes every entry here)
    fresh = build_report(snap, reference="B")                 # nothing made yet
    out = io.BytesIO()
    result_pickler(out).dump(fresh)
    back = pickle.loads(out.getvalue())
    assert all(tc.codes._made is None for tc in back.per_transcript)
    assert json.dumps(to_json(back), sort_keys=True) == before
    # the job's piecewise pickling (coder.process_job) sends the columns too, not entries
    sent = [obj for batch in _batches(fresh) for obj in batch]
    entries = sum(isinstance(o, CodeEntry) for o in sent)
    others = (len(fresh.entries) + sum(len(p.entries) for p in fresh.pairs)
              + sum(len(a.entries) for a in fresh.reference.against))
    assert entries == others                    # the pooled and pair entries, none per transcript
    assert all(tc.codes._made is None for tc in fresh.per_transcript)
    out = io.BytesIO()
    p = result_pickler(out)
    for batch in _batches(fresh):
        p.dump(batch)
    out.seek(0)
    u = pickle.Unpickler(out)
    last = None
    for _ in _batches(fresh):
        last = u.load()
    assert json.dumps(to_json(last[-1]), sort_keys=True) == before
