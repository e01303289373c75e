"""A job in a child process (`coder/process_job.py`, issue 17 round three): the report read
and computed in a spawned child equals the thread-run one, progress crosses the pipe, a
cancel ends the child and leaves no process behind, errors come back as one line (a bug
with the child's traceback), the child applies exactly the parent's access decision, and it
never imports Qt."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import threading
import time

import numpy as np
import pytest

from coder.errors import SessionCoderError
from coder.jobs import Cancelled
from coder.process_job import ChildProcessFailed, RemoteTraceback, run_in_process
from coder.project import BlindingError
from coder.reliability.project import to_json
from tests.core.test_project_reliability import project  # noqa: F401  (fixture)
from ui.reliability.data import run_reliability


def as_json(report):
    return json.loads(json.dumps(to_json(report)))


def no_children_left():
    assert multiprocessing.active_children() == []


# -- targets the child runs (module level: the child imports them) ---------------------------
def wait_forever(*, progress=None, cancel=None):
    progress(os.getpid(), 0, "started")
    while True:
        time.sleep(0.01)


def bad_input(*, progress=None, cancel=None):
    raise SessionCoderError("s9.srt: no such transcript in this project")


def a_bug(*, progress=None, cancel=None):
    return {}["missing key"]


def die(*, progress=None, cancel=None):
    os._exit(3)


def qt_modules(*, progress=None, cancel=None):
    import sys
    import ui.reliability.data  # noqa: F401  (what the report's child imports)
    return sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken")))


def a_graph(seed, *, progress=None, cancel=None):
    """Nested values with shared objects, arrays (read-only and writable) and a proxy."""
    import types
    rng = np.random.default_rng(seed)
    shared = rng.normal(size=(300, 4))
    frozen = np.arange(5000, dtype=np.int64)
    frozen.flags.writeable = False
    leaf = {"name": "x" * 10, "values": tuple(rng.integers(0, 9, size=50).tolist())}
    items = [Item(i, shared if i % 2 else frozen, leaf) for i in range(700)]
    return {"items": items, "shared": shared, "frozen": frozen, "leaf": leaf,
            "proxy": types.MappingProxyType({"a": 1, "b": [leaf]}),
            "big": np.ones(3 * 2**20 // 8 + 5)}


@dataclasses.dataclass(frozen=True)
class Item:
    n: int
    data: object
    leaf: dict


# -- the report --------------------------------------------------------------------------------
@pytest.mark.parametrize("selection, options", [
    ({}, {}),
    ({}, {"reference": "B"}),
    ({"raters": ["A", "B"], "transcripts": ["s1.srt", "s2.srt"]}, {"codes": ["validate"]}),
    ({"raters": "A,C"}, {"ci": "bootstrap", "replicates": 50, "seed": 3}),
])
def test_process_report_equals_thread_report(project, selection, options):
    thread = run_reliability(project.reliability.snapshot_job(**selection), **options)
    seen = []
    source = project.reliability.process_source(**selection)
    assert source is not None and source.file_bytes > 0
    got = run_in_process(run_reliability, source, progress=lambda *a: seen.append(a),
                         cancel=lambda: False, **options)
    assert as_json(got.report) == as_json(thread.report)
    assert got.options == thread.options
    assert sorted(got.matrices) == sorted(thread.matrices)
    for key, m in thread.matrices.items():
        g = got.matrices[key]
        assert np.array_equal(g.values, m.values, equal_nan=True), key
        assert np.array_equal(g.clusters, m.clusters) and g.raters == m.raters
        for name in ("seg_kind", "seg_position"):
            assert np.array_equal(getattr(g.snapshot, name), getattr(m.snapshot, name))
        assert g.snapshot.codebook is got.snapshot.codebook   # shared objects stay shared
    assert got.snapshot.transcript_names == thread.snapshot.transcript_names
    assert got.snapshot.codebook == thread.snapshot.codebook
    assert seen[0] == (0, 0, "reading codings") and (0, 0, "computing") in seen
    counted = [a for a in seen if a[1] > 0]
    assert counted and counted[-1][0] == counted[-1][1]
    no_children_left()


def test_unknown_name_in_the_child_is_the_same_one_line(project):
    with pytest.raises(SessionCoderError) as thread:
        run_reliability(project.reliability.snapshot_job(raters=["A", "Zed"]))
    with pytest.raises(SessionCoderError) as child:
        run_in_process(run_reliability, project.reliability.process_source(raters=["A", "Zed"]))
    assert str(child.value) == str(thread.value) and "Zed" in str(child.value)
    assert type(child.value) is type(thread.value)
    assert "\n" not in str(child.value)
    no_children_left()


def test_blind_session_is_refused_the_same_way_in_the_child(project):
    """The child takes the parent's access facts as they are: a blind rater's session is
    refused there with the parent's own line, whatever the file says; facts that allow the
    report give the whole report."""
    allowed = project.reliability.process_source()
    project.sign_in(project.r["A"])
    with pytest.raises(BlindingError) as parent:
        project.reliability.process_source()
    blind = dataclasses.replace(allowed, access=project.access.facts())
    assert blind.access.viewer.name == "A" and blind.access.blind
    with pytest.raises(BlindingError) as child:
        run_in_process(run_reliability, blind)
    assert str(child.value) == str(parent.value)
    # an app session (interactive) of a blind project with nobody signed in: refused too
    project.access.sign_out()
    app = dataclasses.replace(allowed.access, interactive=True, viewer=None)
    with pytest.raises(BlindingError, match="supervisor can turn blinding off"):
        run_in_process(run_reliability, dataclasses.replace(allowed, access=app))
    # the facts, not the file: blinding lifted in the parent's session is what counts
    lifted = dataclasses.replace(allowed.access, blind=False, interactive=True)
    got = run_in_process(run_reliability, dataclasses.replace(allowed, access=lifted))
    assert got.report.raters == ("A", "B", "C")
    no_children_left()


# -- the process machinery ---------------------------------------------------------------------
def test_cancel_kills_the_child_and_leaves_no_process():
    pids, flag = [], threading.Event()

    def progress(done, _total, message):
        pids.append(done)
        flag.set()
    out = {}

    def run():
        try:
            run_in_process(wait_forever, progress=progress, cancel=lambda: stop.is_set())
        except Cancelled as exc:
            out["cancelled"] = exc
    stop = threading.Event()
    t = threading.Thread(target=run)
    t.start()
    assert flag.wait(60)
    pid = pids[0]
    os.kill(pid, 0)                                  # the child runs
    stop.set()
    t.join(30)
    assert not t.is_alive() and "cancelled" in out
    with pytest.raises(ProcessLookupError):          # gone and reaped: not even a zombie
        os.kill(pid, 0)
    no_children_left()


def test_a_bug_in_the_child_carries_its_traceback():
    with pytest.raises(KeyError) as info:
        run_in_process(a_bug)
    cause = info.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "a_bug" in cause.text and "missing key" in cause.text
    no_children_left()


def test_bad_input_in_the_child_is_one_line():
    with pytest.raises(SessionCoderError, match="^s9.srt: no such transcript in this project$"):
        run_in_process(bad_input)


def test_a_child_that_dies_is_reported():
    with pytest.raises(ChildProcessFailed, match="exit code 3"):
        run_in_process(die)
    no_children_left()


def test_the_child_imports_no_qt():
    assert run_in_process(qt_modules) == []


@pytest.mark.parametrize("seed", [0, 1])
def test_results_stream_back_equal_with_shared_objects(seed, monkeypatch):
    want = a_graph(seed)
    got = run_in_process(a_graph, seed)
    assert sorted(got) == sorted(want)
    assert np.array_equal(got["shared"], want["shared"])
    assert np.array_equal(got["frozen"], want["frozen"]) and not got["frozen"].flags.writeable
    assert np.array_equal(got["big"], want["big"])
    assert [(i.n, i.leaf) for i in got["items"]] == [(i.n, i.leaf) for i in want["items"]]
    assert all(i.data is (got["shared"] if i.n % 2 else got["frozen"]) for i in got["items"])
    assert all(i.leaf is got["leaf"] for i in got["items"])
    assert dict(got["proxy"]) == {"a": 1, "b": [got["leaf"]]}
    assert got["proxy"]["b"][0] is got["leaf"]


def _cache_rows(path) -> int:
    import sqlite3
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM snapshot_cache").fetchone()[0]
    finally:
        con.close()


def test_the_child_keeps_the_snapshot_cache_only_where_the_app_may_write(project):
    """A report in a child on a file whose snapshot cache is cold saves the rows it read when
    the app holds the project for writing (else every report read every coding again), and
    writes nothing when the app opened it read-only; the report is the same either way."""
    from coder.project import Project
    from coder.store import snapshot_cache
    thread = as_json(run_reliability(project.reliability.snapshot_job()).report)
    with project._store.write() as conn:
        snapshot_cache.clear(conn)
    assert _cache_rows(project.path) == 0
    source = project.reliability.process_source()
    assert source.cache == "warm"
    assert as_json(run_in_process(run_reliability, source).report) == thread
    assert _cache_rows(project.path) == len(project.transcripts.list())
    # from the cache now: the same report
    assert as_json(run_in_process(run_reliability, source).report) == thread
    with project._store.write() as conn:
        snapshot_cache.clear(conn)
    viewer = Project.open(project.path, readonly=True)
    try:
        source = viewer.reliability.process_source()
        assert source.cache == "use"
        assert as_json(run_in_process(run_reliability, source).report) == thread
    finally:
        viewer.close()
    assert _cache_rows(project.path) == 0
    no_children_left()
