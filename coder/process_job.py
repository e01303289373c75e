"""Run a job in a child process, so that it shares no GIL with the GUI (issue 17, round three).

A thread job holds the GIL during each long C call it makes (the SQLite driver turning a big
aggregate string into a ``str``, numpy conversions, the statistics); the GUI thread then waits
for it, and the app stalls. :func:`run_in_process` is itself a job of the one contract
(`coder/jobs.py`): the one `JobRunner` runs it on a worker thread like any other, and it runs
``target(*args, progress=, cancel=, **kwargs)`` in a child started with the ``spawn`` context
(a fresh interpreter: no Qt, no copied locks), and waits on a pipe:

* progress messages from the child are passed to ``progress``;
* ``cancel()`` is asked every 50 ms; when it says stop, the child is terminated (then killed
  if it lingers) and joined, so no process is left behind, and :class:`Cancelled` is raised;
* a :class:`SessionCoderError` raised in the child is raised again here with the same text
  (the same class when it pickles); any other exception is raised again here with the child's
  traceback as its ``__cause__``, so the runner's crash log holds both;
* the result comes back as a stream of small pickles written by one `Pickler` and read by one
  `Unpickler` (their memo spans the pieces, so shared objects stay shared): the object graph
  is sent leaves first, a few hundred objects or one array per piece, so no single
  ``load()`` here holds the GIL for long.

``target`` and ``args`` must pickle (a module-level function; plain values). The child imports
the module of ``target``, nothing of the parent's state: it must open what it reads itself.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
import traceback
import types
from collections.abc import Callable

from .errors import SessionCoderError
from .jobs import Cancelled
from .process_spare import take_spare

#: Bytes per data message on the pipe (the parent copies one at a time).
CHUNK = 1 << 20
#: Objects per result piece (one ``load()`` in the parent).
BATCH = 64
#: How deep the result is split into pieces before a subtree goes whole.
DEPTH = 12
POLL_S = 0.05

_CONTROL, _DATA = b"c", b"d"


class ChildProcessFailed(RuntimeError):
    """The child ended without a result or an error (killed, out of memory, a crash)."""


class RemoteTraceback(Exception):
    """The child's traceback, attached as ``__cause__`` of the exception raised again here."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


def worth_a_process(file_bytes: int, chosen, everyone: int, from_bytes: int | None) -> bool:
    """Whether a job over ``chosen`` of ``everyone`` transcripts (None: all) of a project
    file of ``file_bytes`` is large enough for a child process (``from_bytes`` or more of
    the file, by the share of transcripts chosen; ``from_bytes`` None: never). Starting a
    process costs about a second: below that, a thread is quicker."""
    if from_bytes is None:
        return False
    share = min(1.0, len(chosen) / max(1, everyone)) if chosen else 1.0
    return file_bytes * share >= from_bytes


# -- the parent side -------------------------------------------------------------------------
def run_in_process(target: Callable, *args, progress=None, cancel=None, **kwargs):
    """The job contract around a child process: ``target(*args, progress=, cancel=,
    **kwargs)`` runs in a spawned child (the spare one `coder.process_spare.prewarm`
    started, when one waits); see the module doc."""
    import multiprocessing

    spare = take_spare()
    if spare is not None:
        proc, reader, jobs = spare.proc, spare.reader, spare.jobs
        try:
            jobs.send((target, args, kwargs))
        except BaseException as exc:
            stop_child(proc)
            reader.close()
            if not isinstance(exc, OSError):    # e.g. a target that does not pickle
                raise
            spare = None                        # it died while waiting: a fresh child
        finally:
            jobs.close()                        # the spare has its one job (or is gone)
    if spare is None:
        ctx = multiprocessing.get_context("spawn")
        reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child_main, args=(writer, target, args, kwargs),
                           daemon=True,
                           name=f"session-coder job {getattr(target, '__name__', '')}")
        proc.start()
        writer.close()                  # the child holds the only writing end now
    try:
        return _serve(reader, proc, progress, cancel or (lambda: False))
    finally:
        stop_child(proc)
        reader.close()


def stop_child(proc) -> None:
    """End the child if it still runs and reap it (no zombie)."""
    if proc.is_alive():
        proc.terminate()
        proc.join(2.0)
        if proc.is_alive():
            proc.kill()
    proc.join()
    proc.close()


def _serve(reader, proc, progress, cancel):
    stream = _Inbox(reader, proc, cancel)
    while True:
        tag, *rest = stream.control()
        if tag == "progress":
            if progress is not None:
                progress(*rest)
        elif tag == "result":
            (pieces,) = rest
            if progress is not None:
                progress(0, 0, "receiving the result")
            unpickler = pickle.Unpickler(stream)
            last = None
            for _ in range(pieces):
                last = unpickler.load()
                if cancel():
                    raise Cancelled("cancelled")
            return last[-1]
        elif tag == "cancelled":
            raise Cancelled("cancelled")
        elif tag == "error":
            exc, text = rest
            raise _rebuilt(exc, SessionCoderError) from None
        elif tag == "bug":
            exc, text = rest
            raise _rebuilt(exc, RuntimeError) from RemoteTraceback(text)


def _rebuilt(pickled: bytes | None, fallback: type):
    try:
        exc = pickle.loads(pickled)
        if isinstance(exc, BaseException):
            return exc
    except Exception:     # noqa: BLE001 - a class that does not pickle: keep its text
        pass
    return fallback("the job's process failed")


class _Inbox(io.RawIOBase):
    """The parent's end of the pipe: control messages, and a readable stream of the data
    messages for the unpickler. Waiting asks ``cancel()`` every POLL_S and notices a child
    that died."""

    def __init__(self, conn, proc, cancel) -> None:
        super().__init__()
        self.conn, self.proc, self.cancel = conn, proc, cancel
        self.data = memoryview(b"")

    def _next(self) -> bytes:
        while not self.conn.poll(POLL_S):
            if self.cancel():
                raise Cancelled("cancelled")
            if not self.proc.is_alive() and not self.conn.poll(0):
                raise ChildProcessFailed(
                    f"the job's process ended unexpectedly (exit code {self.proc.exitcode})")
        if self.cancel():
            raise Cancelled("cancelled")
        try:
            return self.conn.recv_bytes()
        except EOFError:
            self.proc.join(5.0)
            raise ChildProcessFailed("the job's process ended unexpectedly "
                                     f"(exit code {self.proc.exitcode})") from None

    def control(self) -> tuple:
        message = self._next()
        if message[:1] != _CONTROL:
            raise ChildProcessFailed("the job's process sent data out of turn")
        return pickle.loads(message[1:])

    def _fill(self) -> bool:
        message = self._next()
        if message[:1] != _DATA:
            raise ChildProcessFailed("the job's process sent a message inside its result")
        self.data = memoryview(message)[1:]
        return True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view):
            if not self.data:
                self._fill()
            n = min(len(view) - done, len(self.data))
            view[done:done + n] = self.data[:n]
            self.data = self.data[n:]
            done += n
        return done

    def read(self, n: int = -1) -> bytes:
        out = bytearray(n)
        self.readinto(out)
        return bytes(out)

    def readline(self, _limit: int = -1) -> bytes:
        out = bytearray()
        while True:
            if not self.data:
                self._fill()
            i = bytes(self.data[:4096]).find(b"\n")
            if i >= 0:
                out += self.data[:i + 1]
                self.data = self.data[i + 1:]
                return bytes(out)
            out += self.data[:4096]
            self.data = self.data[4096:]


# -- the child side --------------------------------------------------------------------------
def _child_main(conn, target, args, kwargs) -> None:
    def control(*message) -> None:
        conn.send_bytes(_CONTROL + pickle.dumps(message, protocol=5))

    def progress(done, total, message=""):
        control("progress", done, total, message or "")

    try:
        try:
            result = target(*args, progress=progress, cancel=lambda: False, **kwargs)
        except Cancelled:
            control("cancelled")
            return
        except SessionCoderError as exc:
            control("error", _pickled(exc), str(exc))
            return
        except Exception as exc:        # a bug: the parent logs it, with this traceback
            control("bug", _pickled(exc), "".join(traceback.format_exception(exc)))
            return
        _send_result(conn, control, result)
    except (BrokenPipeError, EOFError, OSError):
        return                          # the parent has gone: nobody is listening
    finally:
        conn.close()


def _pickled(exc: BaseException) -> bytes | None:
    try:
        data = pickle.dumps(exc, protocol=5)
        pickle.loads(data)
        return data
    except Exception:     # noqa: BLE001
        return None


class _Outbox(io.RawIOBase):
    def __init__(self, conn) -> None:
        super().__init__()
        self.conn = conn
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        n = len(view)
        while len(view):
            room = CHUNK - len(self.buffer)
            self.buffer += view[:room]
            view = view[room:]
            if len(self.buffer) >= CHUNK:
                self.flush()
        return n

    def flush(self) -> None:
        if self.buffer:
            self.conn.send_bytes(_DATA + bytes(self.buffer))
            self.buffer.clear()


def _mappingproxy(d: dict):
    return types.MappingProxyType(d)


def _reduce_mappingproxy(m):
    return _mappingproxy, (dict(m),)


def result_pickler(out) -> pickle.Pickler:
    """A pickler for results of the core (the report's read-only mappings included)."""
    pickler = pickle.Pickler(out, protocol=5)
    table = dict(copyreg.dispatch_table)
    table[types.MappingProxyType] = _reduce_mappingproxy
    pickler.dispatch_table = table
    return pickler


def _send_result(conn, control, result) -> None:
    batches = list(_batches(result))
    control("result", len(batches))
    out = _Outbox(conn)
    pickler = result_pickler(out)
    for batch in batches:
        pickler.dump(batch)
    out.flush()


_LEAVES = (str, bytes, bytearray, int, float, complex, bool, type(None), type)


def _children(obj) -> list:
    if isinstance(obj, _LEAVES):
        return []
    if dataclasses.is_dataclass(obj):
        return [getattr(obj, f.name) for f in dataclasses.fields(obj)]
    if isinstance(obj, (tuple, list, set, frozenset)):
        return list(obj)
    if isinstance(obj, (dict, types.MappingProxyType)):
        return [*obj.keys(), *obj.values()]
    if hasattr(obj, "__array_interface__"):
        return []
    state = getattr(obj, "__dict__", None)
    return list(state.values()) if isinstance(state, dict) else []


def _batches(root):
    """Lists of objects, leaves before what holds them, the root last: each list is one
    ``dump``; an array or a large leaf goes alone."""
    seen: set[int] = set()
    batch: list = []
    stack = [(root, 0, False)]
    while stack:
        obj, depth, expanded = stack.pop()
        if not expanded:
            if id(obj) in seen or isinstance(obj, (int, float, bool, type(None))):
                continue
            seen.add(id(obj))
            stack.append((obj, depth, True))
            if depth < DEPTH:
                for child in reversed(_children(obj)):
                    stack.append((child, depth + 1, False))
            continue
        if hasattr(obj, "__array_interface__") or isinstance(obj, (bytes, bytearray)):
            if batch:
                yield batch
                batch = []
            yield [obj]
            continue
        batch.append(obj)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if not batch or batch[-1] is not root:
        batch.append(root)
    yield batch
