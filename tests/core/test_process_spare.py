"""A spare child started ahead (coder.process_spare, issue 17): the next process job runs in
it, with its modules already imported; one job per spare; a spare that died is replaced by a
fresh child; nothing is left running."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading

import pytest

from coder.jobs import Cancelled
from coder.process_job import run_in_process
from coder.process_spare import discard_spare, has_spare, prewarm
from tests.core.test_process_job import wait_forever

PROBE = "tests.core._spare_probe"          # a module nothing else imports


@pytest.fixture(autouse=True)
def _no_spare_after():
    yield
    discard_spare()
    assert multiprocessing.active_children() == []


# -- targets the child runs (module level: the child imports them) ---------------------------
def whoami(*, progress=None, cancel=None):
    return os.getpid(), PROBE in sys.modules


def test_the_next_job_runs_in_the_spare_with_its_modules_imported():
    import coder.process_spare as spare_mod
    assert PROBE not in sys.modules
    fresh_pid, fresh_has = run_in_process(whoami)
    assert not fresh_has                          # a fresh child never imported it
    prewarm((PROBE,))
    assert has_spare()
    spare_pid = spare_mod._spare.proc.pid
    pid, imported = run_in_process(whoami)
    assert (pid, imported) == (spare_pid, True)
    assert not has_spare()                        # one job per spare
    pid2, imported2 = run_in_process(whoami)     # the next one spawns again
    assert pid2 not in (pid, fresh_pid) and not imported2


def test_prewarm_twice_keeps_the_one_spare():
    import coder.process_spare as spare_mod
    prewarm((PROBE,))
    first = spare_mod._spare.proc.pid
    prewarm((PROBE,))
    assert spare_mod._spare.proc.pid == first
    prewarm((PROBE, "json"))                 # asks for more: a new spare
    assert spare_mod._spare.proc.pid != first
    assert len(multiprocessing.active_children()) == 1


def test_a_spare_that_died_is_replaced_by_a_fresh_child():
    import coder.process_spare as spare_mod
    prewarm((PROBE,))
    dead = spare_mod._spare.proc
    dead_pid = dead.pid
    dead.kill()
    dead.join()
    pid, _ = run_in_process(whoami)
    assert pid != dead_pid


def test_a_spare_ends_when_discarded():
    import coder.process_spare as spare_mod
    prewarm(())
    proc = spare_mod._spare.proc
    discard_spare()
    assert not has_spare()
    with pytest.raises(ValueError):              # closed: joined and released
        proc.is_alive()


def test_cancel_in_a_spare_kills_it():
    prewarm(())
    pids, started, stop, out = [], threading.Event(), threading.Event(), {}

    def progress(done, _total, _message):
        pids.append(done)
        started.set()

    def run():
        try:
            run_in_process(wait_forever, progress=progress, cancel=stop.is_set)
        except Cancelled:
            out["cancelled"] = True
    t = threading.Thread(target=run)
    t.start()
    assert started.wait(60)
    stop.set()
    t.join(30)
    assert out == {"cancelled": True}
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)
