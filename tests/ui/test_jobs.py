"""JobRunner, the one runner for background jobs: results, progress, cancel, and every error
shown exactly once."""

import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from coder.errors import SessionCoderError  # noqa: E402
from coder.jobs import Cancelled  # noqa: E402
from ui.shell.jobs import JobRunner  # noqa: E402

WAIT_MS = 10_000


def counted(n, *, progress=None, cancel=None):
    for i in range(n):
        progress(i + 1, n, f"step {i + 1}")
    return n * 10


def record(job):
    seen = {"progressed": [], "finished": [], "failed": [], "cancelled": 0, "ended": 0}
    job.progressed.connect(lambda d, t, m: seen["progressed"].append((d, t, m)))
    job.finished.connect(seen["finished"].append)
    job.failed.connect(seen["failed"].append)
    job.cancelled.connect(lambda: seen.__setitem__("cancelled", seen["cancelled"] + 1))
    job.ended.connect(lambda: seen.__setitem__("ended", seen["ended"] + 1))
    return seen


def test_result_and_progress_arrive_on_the_main_thread(qtbot):
    runner = JobRunner()
    job = runner.start("Count", counted, 3)
    seen = record(job)
    with qtbot.waitSignal(job.ended, timeout=WAIT_MS):
        pass
    assert seen["finished"] == [30] and seen["ended"] == 1
    assert seen["progressed"] == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    assert not job.running and runner.running() == []
    qtbot.waitUntil(lambda: runner.active_count() == 0, timeout=WAIT_MS)


def test_cancel_stops_the_job_and_nothing_is_reported_as_an_error(qtbot):
    runner = JobRunner()
    errors = []
    runner.error.connect(lambda title, m: errors.append(m))
    started = threading.Event()

    def slow(*, progress=None, cancel=None):
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        raise Cancelled()

    job = runner.start("Slow", slow)
    seen = record(job)
    assert started.wait(5)
    with qtbot.waitSignal(job.ended, timeout=WAIT_MS):
        job.cancel()
    assert seen["cancelled"] == 1 and seen["finished"] == [] and errors == []


def test_a_result_after_cancel_counts_as_cancelled(qtbot):
    runner = JobRunner()
    go = threading.Event()

    def stubborn(*, progress=None, cancel=None):
        go.wait(5)
        return "too late"

    job = runner.start("Stubborn", stubborn)
    seen = record(job)
    job.cancel()
    with qtbot.waitSignal(job.ended, timeout=WAIT_MS):
        go.set()
    assert seen["cancelled"] == 1 and seen["finished"] == []


def test_an_error_goes_to_the_caller_when_it_has_a_place_for_it(qtbot):
    runner = JobRunner()
    boxes, mine = [], []
    runner.error.connect(lambda title, m: boxes.append((title, m)))

    def refuses(*, progress=None, cancel=None):
        raise SessionCoderError("the file is locked")

    job = runner.start("Export", refuses, on_error=mine.append)
    with qtbot.waitSignal(job.ended, timeout=WAIT_MS):
        pass
    assert mine == ["the file is locked"] and boxes == []


def test_an_error_nobody_took_is_raised_once_by_the_runner(qtbot, capsys):
    runner = JobRunner()
    boxes = []
    runner.error.connect(lambda title, m: boxes.append((title, m)))

    def buggy(*, progress=None, cancel=None):
        return {}["missing"]

    job = runner.start("Sample project", buggy)
    with qtbot.waitSignal(job.ended, timeout=WAIT_MS):
        pass
    ((title, message),) = boxes
    assert title == "Sample project"
    assert message.startswith("internal error (KeyError: 'missing')")
    assert message.endswith("Nothing was changed.")
    log = Path(message.split("details were written to ", 1)[1].rsplit(" Nothing", 1)[0])
    assert log.read_text().count("Traceback") == 1               # logged once, for us
    assert "Traceback" not in capsys.readouterr().err            # never on the terminal


def test_shutdown_cancels_and_waits_for_every_job(qtbot):
    runner = JobRunner()
    started = threading.Barrier(3, timeout=5)

    def waits(*, progress=None, cancel=None):
        started.wait()
        while not cancel():
            threading.Event().wait(0.005)
        raise Cancelled()

    jobs = [runner.start(f"Job {i}", waits) for i in range(2)]
    started.wait()
    assert runner.active_count() == 2
    runner.shutdown()
    assert runner.active_count() == 0 and all(j.is_cancelled() for j in jobs)
