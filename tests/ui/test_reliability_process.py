"""The reliability view with the report in a child process (issue 17, round three): the same
report as the thread-run view, progress arrives, Cancel ends the child and leaves no process
behind, an error in the child is one line in the banner, a bug reaches the crash log with the
child's traceback, a blind session starts no child; small selections stay on a thread."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
import multiprocessing  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402

from coder.reliability.project import to_json  # noqa: E402
from coder.store import snapshot_read  # noqa: E402
from tests.core.test_process_job import a_bug  # noqa: E402
from tests.core.test_project_reliability import project  # noqa: E402,F401  (fixture)
from tests.ui.test_reliability_view import compute, make_view  # noqa: E402
from ui.reliability.view import ReliabilityView  # noqa: E402
from coder.process_job import run_in_process  # noqa: E402
from coder.process_spare import discard_spare, has_spare  # noqa: E402
from ui.shell.jobs import JobRunner  # noqa: E402

WAIT = 120_000


def as_json(report):
    return json.loads(json.dumps(to_json(report)))


def job_children() -> list:
    """Child processes running a job (the view keeps one idle spare beside them)."""
    return [p for p in multiprocessing.active_children() if "spare" not in p.name]


@pytest.fixture(autouse=True)
def _spare_ended():
    yield
    discard_spare()
    assert multiprocessing.active_children() == []


def in_process(qtbot, project, monkeypatch):
    view = make_view(qtbot, project)
    monkeypatch.setattr(view, "process_from_bytes", 0)        # every selection: a child
    return view


def test_the_process_run_report_equals_the_thread_run_one(project, qtbot, monkeypatch):
    thread_view = make_view(qtbot, project)
    assert ReliabilityView.process_from_bytes > 0             # the small fixture: a thread
    want = compute(qtbot, thread_view, WAIT)
    reads = []
    real = snapshot_read.read_snapshot
    monkeypatch.setattr(snapshot_read, "read_snapshot",
                        lambda *a, **k: reads.append(1) or real(*a, **k))
    view = in_process(qtbot, project, monkeypatch)
    seen = []
    view.settings.ci.setCurrentIndex(view.settings.ci.findData("analytic"))
    qtbot.mouseClick(view.settings.compute, Qt.LeftButton)
    view.job.progressed.connect(lambda d, t, m: seen.append((d, t, m)))
    with qtbot.waitSignal(view.computed, timeout=WAIT) as blocker:
        pass
    got = blocker.args[0]
    assert reads == []                                        # not read in this process
    assert as_json(got) == as_json(want)
    assert view.model.rowCount() == thread_view.model.rowCount() > 0
    assert (0, 0, "reading codings") in seen and any(t > 0 and d == t for d, t, _ in seen)
    assert view.result.matrices.keys() == thread_view.result.matrices.keys()
    assert view.disagreements.model.rowCount() == thread_view.disagreements.model.rowCount()
    qtbot.waitUntil(lambda: job_children() == [], timeout=10_000)


def test_cancel_ends_the_child_and_keeps_the_view_usable(project, qtbot, monkeypatch):
    view = in_process(qtbot, project, monkeypatch)
    previous = compute(qtbot, view, WAIT)
    view.compute()
    job = view.job
    qtbot.waitUntil(lambda: job_children() != [] or not has_spare(), timeout=WAIT)
    with qtbot.waitSignal(job.cancelled, timeout=WAIT):
        view.cancel()
    assert job_children() == []           # killed and reaped
    assert not view.is_running() and view.result.report is previous
    assert "Cancelled" in view.status.text() and view.settings.compute.isEnabled()
    assert compute(qtbot, view, WAIT).raters == ("A", "B", "C")


def test_an_error_in_the_child_is_one_line_in_the_banner(project, qtbot, monkeypatch):
    view = in_process(qtbot, project, monkeypatch)
    real = view.settings.selection
    monkeypatch.setattr(view.settings, "selection", lambda: (["A", "Zed"], real()[1]))
    view.compute()
    with qtbot.waitSignal(view.job.failed, timeout=WAIT) as blocker:
        pass
    (message,) = blocker.args
    assert "no rater 'Zed' in this project" in message and "\n" not in message
    assert view.banner.isVisible() and "Zed" in view.banner.text()
    assert "Traceback" not in view.banner.text() and view.result is None


def test_a_bug_in_the_child_goes_to_the_crash_log(qtbot):
    runner = JobRunner()
    failed = []
    job = runner.start("Reliability", run_in_process, a_bug, on_error=failed.append)
    with qtbot.waitSignal(job.ended, timeout=WAIT):
        pass
    (message,) = failed
    assert message.startswith("internal error (KeyError: 'missing key')")
    assert "\n" not in message and message.endswith("Nothing was changed.")
    log = Path(message.split("details were written to ", 1)[1].rsplit(" Nothing", 1)[0])
    text = log.read_text()
    assert "in a_bug" in text and "RemoteTraceback" in text    # the child's own frames


def test_a_blind_session_starts_no_child(project, qtbot, monkeypatch):
    view = in_process(qtbot, project, monkeypatch)
    project.sign_in(project.r["A"])
    view.refresh()
    view.compute()
    assert view.job is None and view.pages.currentWidget() is view.blind
    assert job_children() == []


def test_small_selections_stay_on_a_thread(project, qtbot, monkeypatch):
    view = make_view(qtbot, project)
    assert not hasattr(view._source(None, None), "file_bytes")    # the thread's read job
    monkeypatch.setattr(view, "process_from_bytes", 1)
    assert view._source(None, None).file_bytes > 0
    monkeypatch.setattr(view, "process_from_bytes", None)
    assert not hasattr(view._source(None, None), "file_bytes")


def test_shown_on_a_large_project_the_view_readies_a_child_that_computes(
        project, qtbot, monkeypatch):
    import coder.process_spare as spare_mod
    monkeypatch.setattr(ReliabilityView, "process_from_bytes", 0)    # "large": any size
    view = make_view(qtbot, project)
    qtbot.waitUntil(has_spare, timeout=WAIT)
    first = spare_mod._spare.proc.pid
    got = compute(qtbot, view, WAIT)
    assert got.raters == ("A", "B", "C") and view.model.rowCount() > 0
    with pytest.raises(ProcessLookupError):                          # it ran the job and ended
        os.kill(first, 0)
    qtbot.waitUntil(has_spare, timeout=WAIT)                         # ready for the next one
    assert spare_mod._spare.proc.pid != first
    # the spare read the settings' selection ahead: the next Compute takes that read
    messages = []
    view.compute()
    view.job.progressed.connect(lambda d, t, m: messages.append(m))
    qtbot.waitUntil(lambda: view.job is None, timeout=WAIT)
    assert messages and messages[0] == "codings read ahead"
    assert view.result.report.raters == got.raters
    assert json.dumps(to_json(view.result.report)) == json.dumps(to_json(got))
    qtbot.waitUntil(has_spare, timeout=WAIT)
    discard_spare()
    assert job_children() == []


def test_small_or_blind_projects_start_no_spare(project, qtbot, monkeypatch):
    make_view(qtbot, project)                                # the small fixture: a thread
    assert not has_spare()
    monkeypatch.setattr(ReliabilityView, "process_from_bytes", 0)
    project.sign_in(project.r["A"])
    blind = make_view(qtbot, project)
    assert blind.is_blocked() and not has_spare()
