"""The snapshot's packed read of the codings (one string per integer column, parsed by numpy)
gives exactly the arrays of the row-by-row read: globals, spans, a value that needs all 17
digits, a selection of raters and transcripts, codings outside the selection."""

import numpy as np
import pytest
from sqlalchemy import update

import coder.store.snapshot_read as snapshot_read
import coder.store.snapshot_codings as snapshot_codings
from coder.store.schema import coding
from tests.core.test_project_reliability_data import code_s1_s2, new_project, rate

FIELDS = ("seg_id", "seg_transcript", "done", "cod_unit", "cod_transcript", "cod_rater",
          "cod_code", "cod_value", "cod_span_start", "cod_span_end")


@pytest.fixture
def project(tmp_path):
    p = new_project(tmp_path)
    code_s1_s2(p)
    rate(p, "A", "alliance", "s1.srt", None, 4)
    rate(p, "B", "alliance", "s3.srt", None, 2)
    with p._store.write() as conn:                 # a value whose 15-digit text is not it
        conn.execute(update(coding).where(coding.c.id == 3).values(value=0.1 + 0.2))
    yield p
    p.close()


@pytest.mark.parametrize("select", [{}, {"raters": "A,C"}, {"transcripts": "s1.srt,s3.srt"}])
def test_packed_read_equals_the_row_read(project, monkeypatch, select):
    packed = project.reliability.snapshot(**select)
    monkeypatch.setattr(snapshot_read, "_through_cache", lambda *a: None)
    monkeypatch.setattr(snapshot_codings, "_codings_packed", lambda *a: None)
    rows = project.reliability.snapshot(**select)
    assert packed.cod_unit.size > 0
    for name in FIELDS:
        a, b = getattr(packed, name), getattr(rows, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b, equal_nan=True), name
    assert (0.1 + 0.2) in packed.cod_value.tolist() or select
