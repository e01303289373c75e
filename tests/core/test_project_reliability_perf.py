"""The fast snapshot read (issue 5): DBAPI rows equal SQLAlchemy's, chunked reads equal one
read, and the id lookup table equals the sorted search. (Speed itself is measured by
``bench/bench_report.py``; tests never time.)"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from coder.store import snapshot_sql as snap_mod
from coder.store.schema import coding
from tests.core.test_project_reliability import project  # noqa: F401

FIELDS = ("seg_id", "seg_transcript", "seg_kind", "seg_position", "seg_role", "done",
          "cod_unit", "cod_transcript", "cod_rater", "cod_code", "cod_value",
          "cod_span_start", "cod_span_end")


def test_dbapi_rows_equal_sqlalchemy_rows(project):
    q = select(coding.c.segment_id, coding.c.rater_id, coding.c.value,
               coding.c.span_start).where(coding.c.rater_id.in_([1, 2, 3]))
    with project._store.read() as conn:
        assert snap_mod.fetch(conn, q) == [tuple(r) for r in conn.execute(q).all()]


def test_chunked_read_equals_one_read(project, monkeypatch):
    one = project.reliability.snapshot()
    monkeypatch.setattr(snap_mod, "CHUNK", 1)          # one query per transcript
    many = project.reliability.snapshot()
    for f in FIELDS:
        a, b = getattr(one, f), getattr(many, f)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f
        assert not b.flags.writeable
    assert one.code_keys == many.code_keys and one.rater_names == many.rater_names


def test_lookup_table_equals_sorted_search():
    rng = np.random.default_rng(0)
    keys = list(rng.permutation(np.arange(1, 60))[:40])
    values = rng.choice(keys, 1000)
    fast = snap_mod.lookup(values, keys)
    assert (np.asarray(keys)[fast] == values).all()
    big = [k + 10**9 for k in keys]                      # too sparse for a table
    assert (snap_mod.lookup(values + 10**9, big) == fast).all()
    assert snap_mod.lookup(np.zeros(0, np.int64), keys).shape == (0,)
