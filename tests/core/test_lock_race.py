"""The project lock is an OS-level lock: it vanishes with its process, and two processes
racing for a stale lock never both win (a thousand races)."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import socket
import sys
import time

import pytest

from coder.errors import ProjectLockedError
from coder.store.lock import ProjectLock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses fork")
ROUNDS = 1000


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def _racer(path, barrier, wins, me) -> None:
    for r in range(ROUNDS):
        barrier.wait()                      # the stale lock file is in place: go
        lock = ProjectLock(path)
        try:
            lock.acquire()
            wins[r * 2 + me] = 1
        except ProjectLockedError:
            wins[r * 2 + me] = 0
        barrier.wait()                      # both have tried
        lock.release()
        barrier.wait()                      # the winner has let go


@pytest.mark.slow
def test_a_thousand_races_for_a_stale_lock_have_one_winner_each(tmp_path):
    ctx = mp.get_context("fork")
    project = tmp_path / "p.scproj"
    lock_file = ProjectLock(project).path
    stale = json.dumps({"host": socket.gethostname(), "pid": _dead_pid(), "since": "x"})
    barrier = ctx.Barrier(3, timeout=60)
    wins = ctx.Array("b", ROUNDS * 2, lock=False)
    racers = [ctx.Process(target=_racer, args=(project, barrier, wins, i)) for i in (0, 1)]
    for p in racers:
        p.start()
    try:
        for _ in range(ROUNDS):
            lock_file.write_text(stale)     # left behind by a crashed writer
            barrier.wait()
            barrier.wait()
            barrier.wait()
    finally:
        for p in racers:
            p.join(timeout=60)
    assert all(p.exitcode == 0 for p in racers)
    winners = [wins[2 * r] + wins[2 * r + 1] for r in range(ROUNDS)]
    assert winners.count(1) == ROUNDS, f"rounds without exactly one winner: " \
        f"{[r for r, w in enumerate(winners) if w != 1][:10]}"


def _hold(path, ready) -> None:
    lock = ProjectLock(path)
    lock.acquire()
    ready.set()
    time.sleep(60)          # killed long before


def test_a_live_holder_is_named_and_a_killed_one_leaves_no_lock(tmp_path):
    ctx = mp.get_context("fork")
    project = tmp_path / "p.scproj"
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(project, ready))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(ProjectLockedError) as err:
            ProjectLock(project).acquire()
        message = str(err.value)
        assert f"process {holder.pid} on {socket.gethostname()}" in message
        info = ProjectLock(project).holder()
        assert info["pid"] == holder.pid and info["user"]
        os.kill(holder.pid, signal.SIGKILL)          # no release, no cleanup
        holder.join(10)
    finally:
        if holder.is_alive():
            holder.kill()
            holder.join(10)
    assert ProjectLock(project).path.exists()         # the file is left behind ...
    lock = ProjectLock(project)
    lock.acquire()                                    # ... but its lock went with the process
    assert lock.holder()["pid"] == os.getpid()
    lock.release()
    assert not lock.path.exists()


def test_one_process_cannot_take_its_own_lock_twice(tmp_path):
    first, second = ProjectLock(tmp_path / "p.scproj"), ProjectLock(tmp_path / "p.scproj")
    first.acquire()
    with pytest.raises(ProjectLockedError):
        second.acquire()
    first.release()
    second.acquire()
    second.release()


def test_the_lock_file_follows_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        lock = ProjectLock(tmp_path / "p.scproj")
        lock.acquire()
        assert lock.path.stat().st_mode & 0o777 == 0o600
        lock.release()
    finally:
        os.umask(old)


def test_a_file_system_without_locks_is_one_clear_line(tmp_path, monkeypatch):
    import errno
    import fcntl

    from coder.errors import ProjectError

    def no_locks(fd, op):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(ProjectError, match=r"p\.scproj: the folder's file system does not "
                                           r"support file locks \(No locks available\)"):
        ProjectLock(tmp_path / "p.scproj").acquire()
