"""Compute in the reliability view reads its snapshot inside the job: no snapshot read on the
GUI thread, the progress bar shows from the start ("Reading codings…", busy), and a cancel
during the read leaves the view usable (previous results kept, Compute works again)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402
import time  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402

from coder.store import snapshot_read  # noqa: E402
from tests.core.test_project_reliability import project  # noqa: E402,F401  (fixture)
from tests.ui.test_reliability_view import compute, make_view, shown  # noqa: E402
from ui.reliability.table import VALUE_ROLE  # noqa: E402


def test_compute_reads_the_snapshot_on_a_worker_thread(project, qtbot, monkeypatch):
    threads = []
    real = snapshot_read.read_snapshot

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    def refuse(*_a, **_k):
        raise AssertionError("snapshot() read on the GUI thread")
    monkeypatch.setattr(snapshot_read, "read_snapshot", spy)
    monkeypatch.setattr(project.reliability, "snapshot", refuse)
    view = make_view(qtbot, project)
    report = compute(qtbot, view)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert report.raters == ("A", "B", "C") and view.model.rowCount() > 0


def test_cancel_while_reading_keeps_the_view_usable(project, qtbot, monkeypatch):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    previous = view.result
    value = shown(view, "validate", "agree").data(VALUE_ROLE)
    real = snapshot_read.read_snapshot
    reading = threading.Event()

    def slow(*args, cancel=None, **kwargs):        # the read waits until Cancel is pressed
        reading.set()
        deadline = time.monotonic() + 30
        while not cancel() and time.monotonic() < deadline:
            threading.Event().wait(0.01)
        return real(*args, cancel=cancel, **kwargs)

    monkeypatch.setattr(snapshot_read, "read_snapshot", slow)
    qtbot.mouseClick(view.settings.compute, Qt.LeftButton)
    assert view.is_running() and view.progress.isVisible() and view.cancel_button.isVisible()
    qtbot.waitUntil(lambda: reading.is_set() and view.status.text() == "Reading codings…",
                    timeout=30_000)
    assert view.progress.maximum() == 0                          # busy: reading
    with qtbot.waitSignal(view.job.cancelled, timeout=30_000):
        qtbot.mouseClick(view.cancel_button, Qt.LeftButton)
    assert not view.is_running() and view.result is previous
    assert shown(view, "validate", "agree").data(VALUE_ROLE) == value
    assert "Cancelled" in view.status.text()
    assert view.settings.compute.isEnabled() and not view.cancel_button.isVisible()
    monkeypatch.setattr(snapshot_read, "read_snapshot", real)
    assert compute(qtbot, view).raters == ("A", "B", "C")
    assert view.result is not previous and not view.is_running()


def test_disagreements_are_the_units_where_rated_values_differ(project):
    """The vectorised search gives the rows of the plain definition, in the same order: at
    least two raters gave a value and not all the same one (whole matrix, a pair, a
    transcript)."""
    import math

    from coder.reliability.project import data_matrices
    from ui.reliability.disagreement_rows import disagreements
    snap = project.reliability.snapshot()
    matrices = data_matrices(snap)
    checked = 0
    for m in matrices.values():
        for raters, transcript in ((None, None), (["A", "B"], None), (None, "s1.srt")):
            cols = [j for j, r in enumerate(m.raters) if raters is None or r in raters]
            want = []
            for i in range(m.values.shape[0]):
                t = snap.transcript_names[m.clusters[i]]
                vals = [float(m.values[i, j]) for j in cols if not math.isnan(m.values[i, j])]
                if (transcript in (None, t)) and len(vals) >= 2 and len(set(vals)) >= 2:
                    u = int(m.unit_index[i])
                    want.append((t, None if u < 0 else int(snap.seg_position[u])))
            _names, rows = disagreements(m, raters, transcript)
            assert [(d.transcript, d.position) for d in rows] == want
            checked += len(rows)
    assert checked > 0


def test_lazy_disagreement_rows_equal_the_eager_ones(project):
    """Rows made on demand are the rows the eager loop made (every field), in order, by
    index, slice and negative index; `positions` names the same units the rows do."""
    import math

    from coder.reliability.project import data_matrices
    from ui.reliability.disagreement_rows import Disagreement, disagreements, value_text
    snap = project.reliability.snapshot()
    matrices = data_matrices(snap)
    checked = 0
    for m in matrices.values():
        for raters, transcript in ((None, None), (["A", "C"], None), (None, "s2.srt"), ([], None)):
            names, rows = disagreements(m, raters, transcript)
            cols = [j for j, r in enumerate(m.raters) if raters is None or r in raters]
            want = []
            for i in range(m.values.shape[0]):
                t = int(m.clusters[i])
                vals = [float(m.values[i, j]) for j in cols]
                given = [v for v in vals if not math.isnan(v)]
                if (transcript in (None, snap.transcript_names[t]) and len(given) >= 2
                        and len(set(given)) >= 2):
                    u = int(m.unit_index[i])
                    want.append(Disagreement(
                        int(snap.transcript_ids[t]), snap.transcript_names[t],
                        "session" if u < 0 else str(snap.seg_kind[u]),
                        None if u < 0 else int(snap.seg_position[u]),
                        tuple(value_text(m, v) for v in vals)))
            assert names == [m.raters[j] for j in cols]
            assert len(rows) == len(want) and list(rows) == want
            if want:
                assert rows[-1] == want[-1] and rows[1:3] == want[1:3]
                assert rows[0] is rows[0]                      # made once
            for tid, kind in {(d.transcript_id, d.kind) for d in want if d.position}:
                assert rows.positions(tid, kind) == [
                    d.position for d in want if (d.transcript_id, d.kind) == (tid, kind)]
            checked += len(want)
    assert checked > 0


def test_the_job_keeps_only_the_disagreements_and_loses_none(project):
    """`run_reliability` hands the browser each code's units where the raters disagree
    (not the whole data matrix): for every scope (all raters, a pair, one transcript) the
    browser's rows from them equal the rows found on the whole matrix, field by field, and
    the count of compared units is the whole matrix's."""
    from coder.reliability.project import data_matrices
    from ui.reliability.data import run_reliability
    from ui.reliability.disagreement_rows import BrowseMatrix, disagreements
    snap = project.reliability.snapshot()
    result = run_reliability(snap)
    whole = data_matrices(snap)
    assert sorted(result.disagreeing) == sorted(result.matrices) == sorted(whole)
    checked = 0
    for key, b in result.matrices.items():
        assert isinstance(b, BrowseMatrix)
        m = whole[key]
        assert b.n_units_pairable == m.n_units_pairable
        _, everything = disagreements(b)
        assert result.disagreeing[key].tolist() == everything.picked.tolist()
        assert b.values.shape[0] == len(disagreements(m)[1]) <= m.values.shape[0]
        for raters, transcript in ((None, None), (["A", "B"], None), (["A", "C"], None),
                                   (None, "s1.srt"), (None, "s2.srt"), ([], None)):
            got_names, got = disagreements(b, raters, transcript)
            want_names, want = disagreements(m, raters, transcript)
            assert got_names == want_names
            assert list(got) == list(want), (key, raters, transcript)
            for tid, kind in {(d.transcript_id, d.kind) for d in want if d.position}:
                assert got.positions(tid, kind) == want.positions(tid, kind)
            checked += len(want)
    assert checked > 0
    assert result.snapshot.codebook is snap.codebook
