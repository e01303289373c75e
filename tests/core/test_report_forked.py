"""The full report on two cores (issue 17): part of the items in a forked child.

The split must not change one figure: the report made with ``workers=2`` is compared, as
its JSON, with the one made in one process, on the sample project (every kind of code,
three raters, spans, a reference). The helper itself (`coder.forked`) is checked for what
a job needs: progress from the child, cancel, the child's errors, a child that dies, and
no process left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from pathlib import Path

from coder import forked
from coder.errors import SessionCoderError
from coder.jobs import Cancelled
from coder.project import Project
from coder.reliability.project import build_report, build_report_with, to_json
from coder.reliability.project import report as report_module
from coder.sample import build_sample_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the report forks only on Linux")
ROOT = Path(__file__).resolve().parents[2]


def sample_snapshot_in(folder) -> object:
    """The reliability snapshot of the sample project, built in ``folder`` (the sample has
    every kind of code but category sets, three raters, spans)."""
    path = Path(folder) / "sample.scproj"
    build_sample_project(path)
    project = Project.open(path)
    try:
        return project.reliability.snapshot()
    finally:
        project.close()


@pytest.fixture(scope="module")
def sample_snapshot(tmp_path_factory):
    return sample_snapshot_in(tmp_path_factory.mktemp("forked"))


def _alone(check: str, tmp_path: Path) -> None:
    """Run ``check`` (a function of this module) in a fresh interpreter: this test process
    may run other tests' threads (Qt's, a job runner's), where the report rightly refuses
    to fork."""
    env = {**os.environ, "SESSION_CODER_HOME": str(tmp_path / "home"),
           "QT_QPA_PLATFORM": "offscreen"}
    env.pop(report_module.WORKERS_ENV, None)
    done = subprocess.run([sys.executable, "-c",
                           f"import tests.core.test_report_forked as t; t.{check}({str(tmp_path)!r})"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


class _Counting(forked.Forked):
    made = 0

    def __init__(self, fn) -> None:
        type(self).made += 1
        super().__init__(fn)


def _children() -> set[int]:
    """Process ids of this process's children (none should outlive a report)."""
    path = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    with open(path, encoding="ascii") as f:
        return {int(x) for x in f.read().split()}


def test_two_processes_give_the_same_report(tmp_path):
    _alone("check_the_same_report", tmp_path)


def check_the_same_report(folder: str) -> None:
    sample_snapshot = sample_snapshot_in(folder)
    assert forked.can_fork()
    report_module.Forked = _Counting
    before = _children()
    reference = sample_snapshot.rater_names[-1]
    for options in ({"reference": reference}, {"ci": "bootstrap", "replicates": 40}):
        one = build_report(sample_snapshot, workers=1, **options)
        made = _Counting.made
        ticks: list[tuple[int, int]] = []
        two = build_report(sample_snapshot, lambda d, t: ticks.append((d, t)), workers=2,
                           **options)
        assert _Counting.made == made + 1                 # the child really made a part
        assert json.dumps(to_json(two), sort_keys=True) == json.dumps(to_json(one),
                                                                      sort_keys=True)
        # progress counts both sides' steps, one at a time, up to the total
        assert [d for d, _ in ticks] == list(range(1, len(ticks) + 1))
        assert ticks[-1][0] == ticks[-1][1]
    # what a caller asks of each pooled matrix comes back from the child too, the same
    got = [build_report_with(sample_snapshot, _of_matrix, workers=w)[1] for w in (1, 2)]
    assert got[0] == got[1] and len(got[0]) == len(report_module.plan_items(sample_snapshot))
    assert _children() == before


def _of_matrix(m):
    return m.raters, m.values.shape, float(np.nansum(m.values)), m.clusters.tolist()


def test_the_automatic_choice(sample_snapshot, monkeypatch):
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)   # as in the CLI
    items = report_module.plan_items(sample_snapshot)
    n_r = len(sample_snapshot.rater_names)
    # the sample project is small: one process
    assert report_module._workers(None, sample_snapshot, items, n_r) == 1
    monkeypatch.setattr(report_module, "FORK_FROM_CELLS", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert report_module._workers(None, sample_snapshot, items, n_r) == 2
    monkeypatch.setenv(report_module.WORKERS_ENV, "1")
    assert report_module._workers(None, sample_snapshot, items, n_r) == 1
    monkeypatch.setattr(forked.threading, "active_count", lambda: 3)   # e.g. a GUI process
    assert report_module._workers(2, sample_snapshot, items, n_r) == 1
    assert report_module._workers(2, sample_snapshot, items[:1], n_r) == 1


def test_cancel_while_the_child_works_leaves_no_process(tmp_path):
    _alone("check_cancel_while_the_child_works", tmp_path)


def check_cancel_while_the_child_works(folder: str) -> None:
    sample_snapshot = sample_snapshot_in(folder)
    waiting = []

    class Waiting(forked.Forked):
        def __init__(self, fn) -> None:
            def slow(tick):                 # the child's part outlasts the parent's
                time.sleep(60)
                return fn(tick)
            super().__init__(slow)

        def result(self, cancel=None, on_tick=None):
            waiting.append(1)               # the parent's own part is done: now cancel
            return super().result(cancel, on_tick)

    report_module.Forked = Waiting
    before = _children()
    start = time.monotonic()
    with pytest.raises(Cancelled):
        build_report(sample_snapshot, cancel=lambda: bool(waiting), workers=2,
                     reference=sample_snapshot.rater_names[0])
    assert waiting == [1]
    assert time.monotonic() - start < 60      # the sleeping child was killed, not awaited
    assert _children() == before


def test_the_childs_errors_come_back():
    with forked.Forked(lambda tick: (tick(), tick(), "done")[-1]) as child:
        ticks = []
        assert child.result(on_tick=lambda: ticks.append(1)) == "done"
        assert ticks == [1, 1]

    def user_error(tick):
        raise SessionCoderError("the reference rater 'Zed' is not among the raters")

    with forked.Forked(user_error) as child:
        with pytest.raises(SessionCoderError, match="'Zed' is not among"):
            child.result()

    def bug(tick):
        return {}["missing"]

    with forked.Forked(bug) as child:
        with pytest.raises(forked.ForkedPartFailed, match="KeyError"):
            child.result()

    def dies(tick):
        os._exit(3)

    with forked.Forked(dies) as child:
        with pytest.raises(forked.ForkedPartFailed, match="without a result"):
            child.result()


def test_a_result_larger_than_the_pipe_and_a_cancel_that_kills():
    big = list(range(200_000))                       # ~1 MB pickled: many pipe buffers
    with forked.Forked(lambda tick: big) as child:
        assert child.result() == big
    before = _children()

    def forever(tick):
        import time
        while True:
            time.sleep(0.01)

    with forked.Forked(forever) as child:
        with pytest.raises(Cancelled):
            child.result(cancel=lambda: True)
    assert _children() == before


def test_claims_hand_each_index_to_one_process():
    def take(claims) -> list[int]:
        got = []
        for i in claims:
            got.append(i)
            time.sleep(0.001)                       # both sides keep asking for a while
        return got

    with forked.Claims(300) as claims:
        with forked.Forked(lambda tick: take(claims)) as child:
            mine = take(claims)
            theirs = child.result()
        assert claims.next() is None                # every index taken, and it stays so
    assert mine and theirs                          # both processes took some
    assert sorted(mine + theirs) == list(range(300))
    assert mine == sorted(mine) and theirs == sorted(theirs)    # each in the order made
    with forked.Claims(0) as none:
        assert list(none) == []
    with pytest.raises(ValueError, match="0 to 16384"):
        forked.Claims(forked.Claims.LIMIT + 1)


def _blas_threads(_matrix=None) -> tuple[int, int]:
    """(process id, numpy's BLAS threads there) as the item's computation sees them."""
    from threadpoolctl import threadpool_info
    return os.getpid(), max(i["num_threads"] for i in threadpool_info()
                            if i["user_api"] == "blas")


def test_two_processes_keep_one_blas_thread_each(tmp_path):
    _alone("check_one_blas_thread_each", tmp_path)


def check_one_blas_thread_each(folder: str) -> None:
    """Each process of a two-process report computes with one BLAS thread (two pools of a
    thread per core each fought for the cores: the study's report took twice as long), and
    the process has its own number again afterwards."""
    from threadpoolctl import threadpool_limits
    sample_snapshot = sample_snapshot_in(folder)
    with threadpool_limits(limits=2, user_api="blas"):      # as on a two-core machine
        assert _blas_threads()[1] == 2
        seen = build_report_with(sample_snapshot, _blas_threads, workers=2)[1].values()
        assert {n for _, n in seen} == {1}
        assert len({pid for pid, _ in seen}) == 2            # both processes computed items
        assert _blas_threads()[1] == 2
        one = build_report_with(sample_snapshot, _blas_threads, workers=1)[1].values()
        assert {n for _, n in one} == {2}                    # one process keeps its pool
