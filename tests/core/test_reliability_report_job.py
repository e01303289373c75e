"""The report as one job (``Reliability.report_job`` / ``snapshot_job``): the snapshot is read
on the worker's own connection and the report equals :meth:`Reliability.report`; the access
policy is asked before the job exists; progress starts with "reading codings"; a cancel stops
the read, even inside a running SQLite statement, and leaves the project readable."""

from __future__ import annotations

import json
import threading

import pytest

from coder.jobs import Cancelled
from coder.project import BlindingError
from coder.reliability.project import to_json
from coder.store import snapshot_sql
from tests.core.test_project_reliability import project  # noqa: F401  (fixture)


def as_json(report):
    return json.loads(json.dumps(to_json(report)))


@pytest.mark.parametrize("selection, options", [
    ({}, {}),
    ({}, {"reference": "B"}),
    ({"raters": ["A", "B"], "transcripts": ["s1.srt", "s2.srt"]}, {"codes": ["validate"]}),
    ({"raters": "A,C"}, {"ci": "bootstrap", "replicates": 50, "seed": 3}),
])
def test_report_job_equals_report(project, selection, options):
    expected = project.reliability.report(**selection, **options)
    seen = []

    def on_worker():
        job = project.reliability.report_job(**selection, **options)
        out = {}
        t = threading.Thread(target=lambda: out.setdefault(
            "r", job(lambda *a: seen.append(a), lambda: False)))
        t.start()
        t.join(120)
        return out["r"]
    got = on_worker()
    assert as_json(got) == as_json(expected)
    assert seen[0] == (0, 0, "reading codings")
    counted = [a for a in seen[1:] if len(a) == 2]
    assert counted and counted[-1][0] == counted[-1][1] > 0
    assert [d for d, _ in counted] == list(range(1, len(counted) + 1))


def test_unknown_name_fails_in_the_job_with_one_line(project):
    job = project.reliability.report_job(raters=["A", "Zed"])
    with pytest.raises(Exception, match="no rater 'Zed' in this project"):
        job()


def test_blind_project_refuses_before_the_job_exists(project):
    project.sign_in(project.r["A"])
    with pytest.raises(BlindingError, match="supervisor can turn blinding off"):
        project.reliability.report_job()
    with pytest.raises(BlindingError):
        project.reliability.snapshot_job()
    sup = project.raters.add("Sue", role="supervisor")
    project.sign_in(sup.id)
    with pytest.raises(BlindingError):
        project.reliability.report_job(cuts=())
    project.raters.set_blind(False)
    assert project.reliability.report_job(cuts=())().raters == ("A", "B", "C", "Sue")
    project.access.sign_out()                       # headless use is always allowed
    project.raters.set_blind(True)
    assert project.reliability.report_job(cuts=())().codes


def test_cancel_before_the_read(project):
    job = project.reliability.report_job()
    with pytest.raises(Cancelled):
        job(None, lambda: True)


def test_cancel_inside_a_running_statement(project, monkeypatch):
    """With the progress handler asking every step, a cancel interrupts the first SQL
    statement itself (the message says so); the project reads normally afterwards."""
    monkeypatch.setattr(snapshot_sql, "POLL_STEPS", 1)
    asked = []

    def cancel():
        asked.append(1)
        return True
    read = project.reliability.snapshot_job()
    with pytest.raises(Cancelled, match="while reading codings"):
        read(None, cancel)
    assert asked
    monkeypatch.setattr(snapshot_sql, "POLL_STEPS", 20000)
    assert as_json(project.reliability.report_job(cuts=())()) == as_json(
        project.reliability.report(cuts=()))
    assert project.reliability.snapshot_job()(None, lambda: False).rater_names == ("A", "B", "C")


def test_packed_numbers_parse_the_same_in_pieces(monkeypatch):
    """The packed codings are parsed a piece at a time (the GUI thread gets the GIL between
    pieces); every piece boundary must fall on a comma, so the numbers are the same."""
    import numpy as np
    rng = np.random.default_rng(5)
    values = rng.integers(-10**12, 10**15, size=3000)
    text = ",".join(map(str, values.tolist()))
    from coder.store import snapshot_packed
    for piece in (1, 2, 7, 64, 10**9):
        monkeypatch.setattr(snapshot_packed, "_PIECE", piece)
        assert np.array_equal(snapshot_packed._parse(text, np.int64), values)
    assert snapshot_packed._parse("42", np.int64).tolist() == [42]


def test_rows_converted_in_slices_give_the_same_snapshot(project, monkeypatch):
    """Lists of rows become arrays a slice at a time (the GIL again): with tiny slices the
    snapshot is the same, array for array."""
    import numpy as np
    whole = project.reliability.snapshot()
    monkeypatch.setattr(snapshot_sql, "ROWS", 3)
    sliced = project.reliability.snapshot_job()(None, lambda: False)
    for name in ("seg_id", "seg_transcript", "seg_kind", "seg_position", "seg_role", "done",
                 "cod_unit", "cod_transcript", "cod_rater", "cod_code", "cod_span_start",
                 "cod_span_end"):
        a, b = getattr(whole, name), getattr(sliced, name)
        assert a.dtype.kind == b.dtype.kind and np.array_equal(a, b), name
        assert not b.flags.writeable
    assert np.array_equal(whole.cod_value, sliced.cod_value, equal_nan=True)
    assert whole.seg_id.size > 3 and whole.cod_unit.size > 3
    assert snapshot_sql.array_of([], float).shape == (0,)
