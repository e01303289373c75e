"""Read, parse and segment the next files in a child process while this process stores the
one before (issue 17: a folder of 500 two-hour transcripts). Two ways: :func:`prepared_ahead`
forks (the CLI), :func:`prepare_in_process` spawns and is a job (the import dialog).

Storing a file must happen in the one process that writes the project, but reading,
parsing and segmenting touch no database and are independent per file. On two cores the
child prepares file k+1 while the caller stores file k: the import takes about the longer
of the two halves instead of their sum.

:func:`prepared_ahead` yields ``(path, PreparedImport or SessionCoderError)`` in the files'
order, exactly what calling :func:`prepare_import` on each file would give (a file that
cannot be read or parsed is its error, the files after it go on). The child writes one
frame per file on a pipe: a tag byte, an 8-byte length and the pickled value. The pipe's
small buffer keeps the child at most one file ahead, so memory stays flat. The child is
forked only where :func:`coder.forked.can_fork` says it is safe (Linux, the caller's
process runs one Python thread: the CLI) and when there are at least two files and two
CPUs; otherwise the files are prepared here, one at a time. Leaving the loop early (an
error, Ctrl+C, a cancel) kills the child and reaps it. The child never touches the open
project: it parses, pickles and ends with ``os._exit``.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import SessionCoderError
from ..forked import ForkedPartFailed, can_fork, fork_with_pipe, kill_and_reap

_PREPARED, _USER_ERROR, _BUG = b"P", b"U", b"X"
_HEAD = struct.Struct("<cQ")

Prepare = Callable[[Path], object]


def prepared_ahead(paths: Sequence[Path], prepare: Prepare, *,
                   fork: bool | None = None) -> Iterator[tuple[Path, object]]:
    """``(path, prepare(path) or the SessionCoderError it raised)`` for every path, in
    order; a child process prepares ahead when that is safe and helps (``fork=None``)."""
    paths = list(paths)
    if fork is None:
        fork = len(paths) > 1 and (os.cpu_count() or 1) > 1 and can_fork()
    if not fork:
        for path in paths:
            yield path, _prepared_here(prepare, path)
        return
    child = _Child(paths, prepare)
    try:
        for path in paths:
            yield path, child.next()
    finally:
        child.close()


def _prepared_here(prepare: Prepare, path: Path):
    try:
        return prepare(path)
    except SessionCoderError as exc:
        return exc


class _Child:
    def __init__(self, paths: list[Path], prepare: Prepare) -> None:
        pid, read_fd, write_fd = fork_with_pipe()
        if pid == 0:                                  # the child: never returns
            os.close(read_fd)
            _child(paths, prepare, write_fd)
        os.close(write_fd)
        self.pid: int | None = pid
        self.pipe = os.fdopen(read_fd, "rb", buffering=1 << 16)

    def next(self):
        head = self.pipe.read(_HEAD.size)
        if len(head) < _HEAD.size:
            raise ForkedPartFailed(f"the import's reading process ended early "
                                   f"(status {self._reap()})")
        tag, size = _HEAD.unpack(head)
        body = self.pipe.read(size)
        if len(body) < size:
            raise ForkedPartFailed(f"the import's reading process ended mid-file "
                                   f"(status {self._reap()})")
        value = pickle.loads(body)
        if tag == _PREPARED:
            return value
        if tag == _USER_ERROR:
            return value
        raise ForkedPartFailed(f"reading a file failed: {value}")

    def _reap(self) -> int | None:
        if self.pid is None:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return status

    def close(self) -> None:
        """Kill the child if it still runs (the caller stopped early), reap it."""
        if self.pid is not None:
            kill_and_reap(self.pid)
            self.pid = None
        self.pipe.close()


def _sendable(exc: SessionCoderError) -> SessionCoderError:
    """The error itself, with its class, when it pickles; else its text."""
    try:
        pickle.loads(pickle.dumps(exc, protocol=5))
        return exc
    except Exception:  # noqa: BLE001 - an error that does not pickle: its text
        return SessionCoderError(str(exc))


def _frame(out, tag: bytes, value) -> None:
    body = pickle.dumps(value, protocol=5)
    out.write(_HEAD.pack(tag, len(body)))
    out.write(body)
    out.flush()


def _prepare_each(items, prepare, send) -> None:
    """``prepare(item)`` for each file, in order, sent as ``send(tag, value)``: the prepared
    import, a file's own error (the files after it go on), or a bug's traceback (the last).
    The loop of both children, forked and spawned."""
    for item in items:
        try:
            value = prepare(item)
        except SessionCoderError as exc:
            send(_USER_ERROR, _sendable(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a bug: the parent reports it
            send(_BUG, "".join(traceback.format_exception(exc)))
            return
        send(_PREPARED, value)


def _child(paths: list[Path], prepare: Prepare, write_fd: int) -> None:
    code = 0
    try:
        gc.freeze()                  # the parent's objects: never walked, never copied here
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is the parent's to handle
        out = os.fdopen(write_fd, "wb", buffering=1 << 16)
        _prepare_each(paths, prepare, lambda tag, value: _frame(out, tag, value))
    except BaseException:  # noqa: BLE001 - a closed pipe (the parent stopped) or a bug
        code = 1
    finally:
        os._exit(code)


# -- in a spawned process: the import dialog's files ---------------------------------------
# The GUI process cannot fork (Qt's threads), and a parse on a thread holds the GIL the main
# thread needs to store (measured: storing while a thread parses stalled the event loop
# ~100 ms). `prepare_in_process` is a job (`fn(..., progress=, cancel=)`) for the app's
# JobRunner: a spawned child prepares the files in order and sends each back; the job puts
# ``(index, prepared or error)`` on ``ready`` (a small queue.Queue: when the main thread falls
# behind, the job and then the child wait, so memory stays flat) and says so through
# progress ``(index + 1, n, "prepared")``. While a file is segmented the child's progress
# comes through as ``(done, total, "segmenting <index>")``.

#: How much lower the reading child's priority is than the app's (Unix ``nice``).
NICE = 5


def prepare_in_process(paths: Sequence[Path], options: Sequence, segmentation, ready, *,
                       progress=None, cancel=None) -> int:
    """Prepare ``paths`` (with ``options[i]`` each) in a child; the number sent."""
    import multiprocessing

    from ..jobs import Cancelled
    from ..process_job import stop_child
    cancel = cancel or (lambda: False)
    ctx = multiprocessing.get_context("spawn")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_serve_spawned, daemon=True, name="session-coder import",
                       args=(writer, [str(p) for p in paths], list(options), segmentation))
    proc.start()
    writer.close()
    sent = 0
    try:
        while sent < len(paths):
            while not reader.poll(0.05):
                if cancel():
                    raise Cancelled("cancelled")
                if not proc.is_alive() and not reader.poll(0):
                    raise ForkedPartFailed("the import's reading process ended early "
                                           f"(exit code {proc.exitcode})")
            try:
                message = reader.recv_bytes()
            except EOFError:
                raise ForkedPartFailed("the import's reading process ended early") from None
            tag, value = message[:1], pickle.loads(message[1:])
            if tag == b"G":
                if progress is not None:
                    progress(value[0], value[1], f"segmenting {sent}")
                continue
            if tag == _BUG:
                raise ForkedPartFailed(f"reading a file failed: {value}")
            _put(ready, (sent, value), cancel)
            sent += 1
            if progress is not None:
                progress(sent, len(paths), "prepared")
        return sent
    finally:
        stop_child(proc)
        reader.close()


def _put(ready, item, cancel) -> None:
    import queue

    from ..jobs import Cancelled
    while True:
        try:
            ready.put(item, timeout=0.05)
            return
        except queue.Full:
            if cancel():
                raise Cancelled("cancelled") from None


def _serve_spawned(conn, paths: list[str], options: list, segmentation) -> None:
    from .pipeline import prepare_compact
    if hasattr(os, "nice"):
        os.nice(NICE)          # on two cores the window's thread comes first

    def send(tag: bytes, value) -> None:
        conn.send_bytes(tag + pickle.dumps(value, protocol=5))

    def progress(done, total, *_):
        send(b"G", (done, total))
    try:
        _prepare_each(range(len(paths)), lambda i: prepare_compact(
            Path(paths[i]), options[i], segmentation, progress=progress), send)
    except (BrokenPipeError, EOFError, OSError):
        return                                  # the parent stopped listening
    finally:
        conn.close()
