"""A report's snapshot read ahead in the spare child (coder.project.read_ahead, issue 17): taken
only by the same source and only while nothing was written to the file; the idle holder
keeps no read transaction; its own snapshot-cache save is not a write; through a spare, the
report equals the one read on a thread."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import shutil
import sqlite3

import pytest

from coder.process_job import run_in_process
from coder.process_spare import discard_spare, prewarm
from coder.project import read_ahead
from coder.reliability.project import build_report, to_json
from coder.store import snapshot_cache
from tests.core.test_project_reliability import project  # noqa: F401  (fixture)
from tests.core.test_project_reliability_data import apply
from ui.reliability.data import run_reliability


@pytest.fixture(autouse=True)
def _nothing_left():
    yield
    read_ahead.drop()
    discard_spare()
    assert multiprocessing.active_children() == []


def report_of(snapshot) -> str:
    return json.dumps(to_json(build_report(snapshot)), sort_keys=True)


def test_the_same_source_takes_the_read_once(project):
    source = project.reliability.process_source()
    read_ahead.read(source)
    got = read_ahead.take(source)
    assert got is not None
    assert report_of(got) == report_of(project.reliability.snapshot())
    assert read_ahead.take(source) is None                   # taken: nothing held now
    # the file's size is not part of the question (a checkpoint may move it)
    read_ahead.read(source)
    assert read_ahead.take(dataclasses.replace(source, file_bytes=1)) is not None


def test_a_write_after_the_read_makes_it_stale(project):
    source = project.reliability.process_source()
    read_ahead.read(source)
    apply(project, "B", "validate", "s3.srt", 5)            # another connection commits
    assert read_ahead.take(source) is None


def test_another_selection_or_access_is_not_served(project):
    source = project.reliability.process_source()
    read_ahead.read(source)
    assert read_ahead.take(project.reliability.process_source(raters=["A", "B"])) is None
    read_ahead.read(source)
    project.sign_in(project.r["C"])                         # other access facts
    other = dataclasses.replace(source, access=project.access.facts())
    assert other != source
    assert read_ahead.take(other) is None


def test_a_replaced_file_is_not_served(project, tmp_path):
    source = project.reliability.process_source()
    copy = tmp_path / "copy.scproj"
    with sqlite3.connect(project.path) as live, sqlite3.connect(copy) as out:
        live.backup(out)
    read_ahead.read(source)
    shutil.copyfile(copy, tmp_path / "swap")
    (tmp_path / "swap").replace(project.path)               # a restored backup: a new file
    assert read_ahead.take(source) is None


def test_the_idle_holder_keeps_no_read_transaction(project):
    source = project.reliability.process_source()
    apply(project, "B", "validate", "s3.srt", 7)            # something in the write-ahead log
    read_ahead.read(source)
    con = sqlite3.connect(project.path)
    try:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        con.close()
    assert busy == 0                                        # no reader pins the log
    # (a log reset by another connection counts as a change: the next report reads again)


def test_its_own_cache_save_is_not_a_write(project):
    with project._store.write() as conn:
        snapshot_cache.clear(conn)
    source = project.reliability.process_source()
    assert source.cache == "warm"
    read_ahead.read(source)                                 # reads and saves the cache rows
    with project._store.read() as conn:
        rows = conn.exec_driver_sql("SELECT count(*) FROM snapshot_cache").scalar()
    assert rows == len(project.transcripts.list())
    assert read_ahead.take(source) is not None


@dataclasses.dataclass(frozen=True)
class ReadThenMark:
    """A spare's work ahead that says when it is done (a file appears)."""

    source: object
    marker: str

    def __call__(self) -> None:
        self.source.read_ahead()()
        with open(self.marker, "w", encoding="ascii") as f:
            f.write("read")


def thread_report(project) -> str:
    return json.dumps(to_json(run_reliability(project.reliability.snapshot_job()).report),
                      sort_keys=True)


def test_through_a_spare_the_report_is_the_thread_ones(project, tmp_path):
    source = project.reliability.process_source()
    marker = tmp_path / "read"
    prewarm(("ui.reliability.data",), ahead=ReadThenMark(source, str(marker)))
    _wait_for(marker)
    seen = []
    got = run_in_process(run_reliability, source, progress=lambda *a: seen.append(a))
    assert json.dumps(to_json(got.report), sort_keys=True) == thread_report(project)
    assert seen[0] == (0, 0, "codings read ahead")          # the spare's read was taken
    # written after the spare's read: the job reads again, and the report has the write
    marker.unlink()
    prewarm(("ui.reliability.data",), ahead=ReadThenMark(source, str(marker)))
    _wait_for(marker)
    before = thread_report(project)
    apply(project, "B", "validate", "s3.srt", 3)
    after = thread_report(project)
    assert after != before
    seen.clear()
    got = run_in_process(run_reliability, source, progress=lambda *a: seen.append(a))
    assert json.dumps(to_json(got.report), sort_keys=True) == after
    assert seen[0] == (0, 0, "reading codings")


def _wait_for(path, seconds: float = 60.0) -> None:
    import time
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, "the spare never finished its read ahead"
        time.sleep(0.02)


def test_the_same_read_asked_twice_keeps_the_waiting_spare(project):
    import coder.process_spare as spare_mod
    source = project.reliability.process_source()
    prewarm(("json",), ahead=source.read_ahead())
    pid = spare_mod._spare.proc.pid
    again = project.reliability.process_source()            # equal, another object
    assert again is not source and again == source
    prewarm(("json",), ahead=again.read_ahead())
    assert spare_mod._spare.proc.pid == pid
    other = project.reliability.process_source(raters=["A", "B"])
    prewarm(("json",), ahead=other.read_ahead())             # another read: a new spare
    assert spare_mod._spare.proc.pid != pid
    assert len(multiprocessing.active_children()) == 1


@dataclasses.dataclass(frozen=True)
class Busy:
    """Work ahead that takes far longer than anyone should wait for it."""

    seconds: float

    def __call__(self) -> None:
        import time
        time.sleep(self.seconds)


def test_a_spare_busy_ahead_is_stopped_not_awaited():
    import time
    prewarm(("json",), ahead=Busy(120.0))
    start = time.monotonic()
    discard_spare()
    assert time.monotonic() - start < 30.0                  # stopped, not waited for
    assert multiprocessing.active_children() == []
