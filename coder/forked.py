"""Run part of a computation in a forked child while this process does the rest (issue 17).

The full reliability report of a large project spends its time in many numpy calls too
small to release the GIL, so a second thread does not help; a second process does. ``fork``
gives the child everything already in memory (the snapshot's arrays, copy-on-write): nothing
is read again or pickled on the way in. Only the child's part comes back, pickled, through a
pipe.

Forking is safe only in a process whose one Python thread is the caller: the CLI, and the
``spawn`` child of :mod:`coder.process_job` that runs the GUI's large reports. A GUI process
has Qt's threads, so :func:`can_fork` says no there and the caller does all the work itself.
Linux only (macOS frameworks are not fork-safe; Windows has no fork).

On the pipe the child writes one byte ``.`` per step it finishes (the caller's progress),
then ``R`` and the pickled result, or ``E`` and a pickled ``(is_user_error, text,
traceback)``; then it ends with ``os._exit`` (no ``atexit`` handler, no buffer of the
parent's flushed twice, no database closed from the child).

:func:`stream` is the same for a computation whose result is a long sequence (the rows of a
million-row sheet): the child sends its items in pickled batches as it makes them, and the
caller takes them one at a time while the child goes on (the pipe's buffer holds it back when
the caller is slower). What the child allocated to make them goes back to the system with the
child: the caller's heap never holds more than a batch (the study's Excel export, issue 17).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .errors import SessionCoderError
from .jobs import Cancelled
from .process_job import result_pickler

POLL_S = 0.05
_TICK, _RESULT, _ERROR = ord("."), ord("R"), ord("E")
#: Items the child of :func:`stream` pickles at once (one frame on the pipe).
STREAM_BATCH = 1000
_BATCH, _END = ord("B"), ord("Z")


class ForkedPartFailed(RuntimeError):
    """The child ended without a result (killed, out of memory) or raised a bug."""


def can_fork() -> bool:
    """True where :class:`Forked` may be used: Linux, called on the main thread of a process
    that runs no other Python thread."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1)


def fork_with_pipe() -> tuple[int, int, int]:
    """``os.fork()`` with a pipe made before it: ``(pid, read_fd, write_fd)`` (pid 0 in the
    child). Only where :func:`can_fork` says so."""
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns when the process has other threads at the OS level: here they
        # are numpy's BLAS pool (which re-creates itself in a forked child), never a Python
        # thread (can_fork).
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    return pid, read_fd, write_fd


def kill_and_reap(pid: int) -> int:
    """Kill a forked child if it still runs and reap it (no zombie); its wait status."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return os.waitpid(pid, 0)[1]


class _Closing:
    """``with`` closes it (:meth:`close`), however the block ends."""

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class Forked(_Closing):
    """``fn(tick)`` running in a forked child; :meth:`ticks` and :meth:`result` collect it.
    Use it as a context manager: leaving the block early (an error or a cancel in the
    caller's own part) kills the child and reaps it."""

    def __init__(self, fn: Callable[[Callable[[], None]], object]) -> None:
        pid, read_fd, write_fd = fork_with_pipe()
        if pid == 0:                                   # the child: never returns
            os.close(read_fd)
            _child(fn, write_fd)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        self.pid, self.fd = pid, read_fd
        self.body: bytearray | None = None             # after the tick bytes
        self.eof = False

    # -- the parent side -----------------------------------------------------------------
    def _read(self) -> int:
        """Read what the pipe holds now; the number of new ticks."""
        new = 0
        while not self.eof:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                self.eof = True
                break
            if self.body is not None:
                self.body += chunk
                continue
            ticks = len(chunk) - len(chunk.lstrip(b"."))
            new += ticks
            if ticks < len(chunk):
                self.body = bytearray(chunk[ticks:])
        return new

    def ticks(self) -> int:
        """Steps the child finished since the last call (never waits)."""
        return self._read()

    def result(self, cancel: Callable[[], bool] | None = None,
               on_tick: Callable[[], None] | None = None):
        """Wait for the child's result, passing its ticks to ``on_tick`` and asking
        ``cancel()`` every POLL_S (then :class:`Cancelled`). A :class:`SessionCoderError`
        in the child is raised here with its text; any other failure as
        :class:`ForkedPartFailed` carrying the child's traceback."""
        while True:
            for _ in range(self._read()):
                if on_tick is not None:
                    on_tick()
            if self.eof:
                break
            if cancel is not None and cancel():
                raise Cancelled("cancelled")
            select.select([self.fd], [], [], POLL_S)
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        body = bytes(self.body or b"")
        if body[:1] == bytes([_RESULT]):
            return pickle.loads(body[1:])
        if body[:1] == bytes([_ERROR]):
            _raise_failure(pickle.loads(body[1:]))
        raise ForkedPartFailed(f"the forked part ended without a result (status {status})")

    def close(self) -> None:
        """Kill the child if it still runs, reap it, close the pipe."""
        if self.pid is not None:
            kill_and_reap(self.pid)
            self.pid = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _failure(exc: BaseException) -> tuple[bool, str, str]:
    """What a child sends back of its exception: ``(is_user_error, text, traceback)``."""
    return (isinstance(exc, SessionCoderError), str(exc),
            "".join(traceback.format_exception(exc)))


def _raise_failure(failure: tuple[bool, str, str]) -> None:
    """Raise here what :func:`_failure` sent: a user error with its text, else a bug."""
    user, text, trace = failure
    if user:
        raise SessionCoderError(text)
    raise ForkedPartFailed(f"the forked part failed: {text}\n{trace}")


def _child(fn, write_fd: int) -> None:
    code = 0
    try:
        gc.freeze()                 # the parent's objects: never walked, never copied here
        out = os.fdopen(write_fd, "wb", buffering=1 << 16)

        def tick() -> None:
            out.write(b".")
            out.flush()

        try:
            result = fn(tick)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            out.write(bytes([_ERROR]))
            pickle.dump(_failure(exc), out, protocol=5)
        else:
            out.write(bytes([_RESULT]))
            result_pickler(out).dump(result)
        out.flush()
    except BaseException:  # noqa: BLE001 - the parent sees no result and says so
        code = 1
    finally:
        os._exit(code)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS held to one thread inside the block, for this process and the children it
    forks there. Two processes sharing a computation already use both cores; with OpenBLAS's
    own pool in each (a thread per core, spinning while it waits for work) four threads
    fought for two cores: the 1,000-session study's report took 4.9-5.2 s on two processes
    against 3.7 s on one, and 2.3-2.4 s with one BLAS thread each (2026-12-07)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                 # a runtime dependency; without it, as before
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# -- work shared by claims ------------------------------------------------------------------
class Claims(_Closing):
    """The indices ``0 .. n - 1``, each handed to whichever process asks first: this one or
    a child forked after it was made. A pipe holds them as 2-byte numbers, its write end
    closed; :meth:`next` reads one (Linux serves a pipe read under the pipe's lock, so two
    readers never split a number) and gets ``None`` once all are taken. Two processes sharing
    items this way end within one item of each other, whatever the items weigh."""

    LIMIT = 16_384                  # 2 bytes each: well inside a pipe's 64 KiB buffer

    def __init__(self, n: int) -> None:
        if not 0 <= n <= self.LIMIT:
            raise ValueError(f"Claims holds 0 to {self.LIMIT} indices, not {n}")
        read_fd, write_fd = os.pipe()
        try:
            data = memoryview(b"".join(i.to_bytes(2, "little") for i in range(n)))
            while data:
                data = data[os.write(write_fd, data):]
        finally:
            os.close(write_fd)
        self.fd: int | None = read_fd

    def next(self) -> int | None:
        """The next unclaimed index, or None when every one is taken."""
        got = os.read(self.fd, 2)
        return int.from_bytes(got, "little") if got else None

    def __iter__(self) -> Iterator[int]:
        return iter(self.next, None)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


# -- a stream of items -----------------------------------------------------------------------
def stream(produce: Callable[[], Iterator], cancel: Callable[[], bool] | None = None,
           batch: int = STREAM_BATCH) -> Iterator:
    """The items of ``produce()``, made in a forked child (only where :func:`can_fork`).

    A generator: the child starts on the first ``next()``, and closing the generator early
    (the caller's error, a cancel) kills the child and reaps it. ``cancel()`` is asked every
    POLL_S while waiting (then :class:`Cancelled`). A :class:`SessionCoderError` in the child
    is raised here with its text; any other failure as :class:`ForkedPartFailed`. Items must
    pickle; what ``produce`` changes in memory stays in the child."""
    pid, read_fd, write_fd = fork_with_pipe()
    if pid == 0:                                       # the child: never returns
        os.close(read_fd)
        _stream_child(produce, write_fd, batch)
    os.close(write_fd)
    frames = _Frames(read_fd, cancel)
    try:
        while True:
            got = frames.next()
            if got is None:
                _, status = os.waitpid(pid, 0)
                pid = None
                raise ForkedPartFailed(f"the forked part ended early (status {status})")
            tag, body = got
            if tag == _BATCH:
                yield from pickle.loads(body)
            elif tag == _END:
                os.waitpid(pid, 0)
                pid = None
                return
            else:
                _raise_failure(pickle.loads(body))
    finally:
        if pid is not None:
            kill_and_reap(pid)
        os.close(read_fd)


class _Frames:
    """``(tag, body)`` frames read from the child's pipe: a tag byte, a 4-byte length."""

    def __init__(self, fd: int, cancel) -> None:
        self.fd, self.cancel = fd, cancel
        self.buf = bytearray()
        self.eof = False

    def next(self) -> tuple[int, bytes] | None:
        while True:
            if len(self.buf) >= 5:
                n = int.from_bytes(self.buf[1:5], "little")
                if len(self.buf) >= 5 + n:
                    tag, body = self.buf[0], bytes(self.buf[5:5 + n])
                    del self.buf[:5 + n]
                    return tag, body
            if self.eof:
                return None
            ready, _, _ = select.select([self.fd], [], [], POLL_S)
            if ready:
                chunk = os.read(self.fd, 1 << 20)
                if chunk:
                    self.buf += chunk
                else:
                    self.eof = True
            elif self.cancel is not None and self.cancel():
                raise Cancelled("cancelled")


def _stream_child(produce, write_fd: int, batch: int) -> None:
    code = 0
    try:
        gc.freeze()                 # as in _child
        out = os.fdopen(write_fd, "wb", buffering=1 << 16)

        def frame(tag: int, obj) -> None:
            body = pickle.dumps(obj, protocol=5)
            out.write(bytes([tag]) + len(body).to_bytes(4, "little"))
            out.write(body)
            out.flush()

        try:
            items: list = []
            for item in produce():
                items.append(item)
                if len(items) >= batch:
                    frame(_BATCH, items)
                    items = []
            if items:
                frame(_BATCH, items)
            frame(_END, None)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            frame(_ERROR, _failure(exc))
    except BaseException:  # noqa: BLE001 - the parent sees no end and says so
        code = 1
    finally:
        os._exit(code)
