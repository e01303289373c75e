"""A spare child process for :func:`coder.process_job.run_in_process`, started ahead.

Starting a child costs ~0.5 s (a fresh interpreter, the target's modules) and its first
statistics as much again (numpy's and scipy's lazy imports). A caller that knows a process
job may come soon (the reliability view, shown on a large project) starts one spare child
ahead: it imports the modules named and waits, idle, on a pipe; the next run_in_process
hands it its job instead of spawning. A spare runs one job and ends, like any child; it holds
no project state (a job names the file it reads), and ends by itself when this process
goes (its job pipe closes).
"""

from __future__ import annotations

import dataclasses
import threading

@dataclasses.dataclass
class _Spare:
    proc: object
    jobs: object            # the job pipe's sending end
    reader: object          # the result pipe's reading end
    modules: tuple[str, ...]
    ahead: object = None    # what it does while it waits (see prewarm)


_spare: _Spare | None = None
_spare_lock = threading.Lock()


def prewarm(modules: tuple[str, ...] = (), ahead=None) -> None:
    """Start a spare child that imports ``modules``, then calls ``ahead()`` (a picklable
    callable, e.g. a report source's read ahead: what it keeps in that process is the next
    job's to use) and waits for the next job. Nothing when such a spare already waits."""
    import multiprocessing

    global _spare
    with _spare_lock:
        if _spare is not None:
            if (_spare.proc.is_alive() and set(modules) <= set(_spare.modules)
                    and ahead == _spare.ahead):
                return
            _discard(_spare)
            _spare = None
        ctx = multiprocessing.get_context("spawn")
        job_reader, jobs = ctx.Pipe(duplex=False)
        reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_spare_main,
                           args=(job_reader, writer, tuple(modules), ahead),
                           daemon=True, name="session-coder spare job process")
        proc.start()
        job_reader.close()
        writer.close()
        _spare = _Spare(proc, jobs, reader, tuple(modules), ahead)


def discard_spare() -> None:
    """End the spare child, if one waits (the app closing; tests)."""
    global _spare
    with _spare_lock:
        if _spare is not None:
            _discard(_spare)
            _spare = None


def has_spare() -> bool:
    with _spare_lock:
        return _spare is not None and _spare.proc.is_alive()


def take_spare() -> _Spare | None:
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is not None and not spare.proc.is_alive():
        _discard(spare)
        return None
    return spare


def _discard(spare: _Spare) -> None:
    from .process_job import stop_child
    spare.jobs.close()                  # a waiting spare reads EOF and ends; one still
    spare.proc.join(0.1)                # working ahead is stopped (the caller may be the
    stop_child(spare.proc)              # GUI thread: never wait on it for long)
    spare.reader.close()


def _spare_main(jobs, conn, modules: tuple[str, ...], ahead=None) -> None:
    """A spare child: import ``modules``, call ``ahead()``, then wait for one job (EOF: end
    unused)."""
    import importlib
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that fails here fails in the job, clearly
            pass
    if ahead is not None:
        try:
            ahead()
        except Exception:  # noqa: BLE001 - work done ahead is a guess; the job does its own
            pass
    try:
        target, args, kwargs = jobs.recv()
    except (EOFError, OSError):
        conn.close()
        return
    finally:
        jobs.close()
    from .process_job import _child_main
    _child_main(conn, target, args, kwargs)
