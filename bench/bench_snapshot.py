"""Snapshot, ``codings()`` and the full report on the report bench project (100 transcripts x
500 units x 3 raters x 40 codes), in CPU time (``time.process_time``) and wall time, best of
``--repeat``; the baseline in the same run is a bare sqlite3 read of the same rows (codings,
completions, units as Python tuples, what any reader pays at least once).

To compare two trees on one file (e.g. main's code from ``git archive``), build the project
once and run the script against each tree:

    python bench/bench_snapshot.py --keep /tmp/bench.scproj          # builds it, times here
    python bench/bench_snapshot.py --project /tmp/bench.scproj --tree /tmp/main_tree

A tree with the snapshot cache (coder/store/snapshot_cache.py) migrates the file (use a copy
per tree: main's code refuses a newer schema) and times the snapshot and ``codings()`` cold
(no cache rows), while warming (the first report's read, which saves), warm (every
transcript cached) and after one keypress (a real ToggleCode, then one transcript read).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def cpu_now() -> float:
    """CPU seconds of this process and of its children that ended (the report's forked
    worker is reaped before the report returns, so its CPU counts here)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best(fn, repeat: int):
    """(best CPU s, best wall s, last result)."""
    cpu, wall, out = [], [], None
    for _ in range(max(1, repeat)):
        c, w = cpu_now(), time.perf_counter()
        out = fn()
        cpu.append(cpu_now() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall), out


def bare_read(path: Path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        n = len(con.execute("SELECT segment_id, transcript_id, rater_id, code_id, value, "
                            "span_start, span_end, id FROM coding").fetchall())
        con.execute("SELECT segment_id, rater_id FROM unit_status").fetchall()
        con.execute("SELECT s.id, s.transcript_id, s.kind, s.position, sp.role FROM segment s "
                    "LEFT JOIN turn t ON t.id = s.turn_id "
                    "LEFT JOIN speaker sp ON sp.id = t.speaker_id").fetchall()
        return n
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", type=Path, help="an existing bench project (else built)")
    ap.add_argument("--keep", type=Path, help="build the project at this path and keep it")
    ap.add_argument("--tree", type=Path, help="import coder from this source tree instead")
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tree = (args.tree or HERE.parent).resolve()
    sys.path.insert(0, str(tree))
    import coder
    from coder.reliability.project import build_report
    print(f"code from {Path(coder.__file__).parent.parent}; 2 cores? {os.cpu_count()} CPUs; "
          f"load average {load()}")
    path = args.project
    if path is None:
        sys.path.insert(1, str(HERE))
        from bench_report import make_project
        folder = args.keep.parent if args.keep else Path(os.environ.get("TMPDIR", "/tmp"))
        made = make_project(folder, args.transcripts, args.units)
        path = made if args.keep is None else made.replace(args.keep)
    n = args.repeat
    rows = []

    def row(label, cpu, wall, note=""):
        rows.append((label, cpu, wall))
        print(f"  {label:<44} CPU {cpu:6.2f} s   wall {wall:6.2f} s  {note}")

    try:
        import coder.store.snapshot_cache  # noqa: F401
        from coder.project import Project
        warm = Project.open(path, backup=False)          # the new schema, once, and the
        try:                                             # cache as the app leaves it (its
            warm.reliability.snapshot()                  # first report and every close
        finally:                                         # save it); the cold read is
            warm.close()                                 # timed below, on its own
    except (ImportError, AttributeError):
        pass
    c_bare, w_bare, n_rows = best(lambda: bare_read(path), n)
    row("bare sqlite3 read of the same rows (baseline)", c_bare, w_bare, f"{n_rows:,} codings")
    with coder.open_project(path) as study:
        study.project.codings.snapshot()                 # warm: imports, codebook
        c_snap, w_snap, snap = best(study.project.codings.snapshot, n)
        row("snapshot (project.codings.snapshot)", c_snap, w_snap,
            f"ratio to bare read: CPU {c_snap / c_bare:.2f}")

        def frame():
            study._snap = None                           # read the snapshot again each time
            return study.codings()
        c_cod, w_cod, df = best(frame, n)
        row("codings() (snapshot + long frame)", c_cod, w_cod,
            f"{len(df):,} rows; target < 1 s")
        build_report(snap, cuts=())                      # warm up (scipy import)
        c_rep, w_rep, _ = best(lambda: build_report(snap, reference="Ana"), n)
        row("full report (pooled, per transcript, pairs, ref.)", c_rep, w_rep,
            "as the CLI and the app's child process run it")
        try:
            c_one, w_one, _ = best(lambda: build_report(snap, reference="Ana", workers=1), n)
        except TypeError:                                # a tree without workers
            pass
        else:
            row("full report, one process (workers=1)", c_one, w_one)
        row("snapshot + full report", c_snap + c_rep, w_snap + w_rep,
            "target < 1 s (the snapshot as the app finds it: cache kept)")
    try:
        import coder.store.snapshot_cache  # noqa: F401
    except ImportError:
        print("  (no snapshot cache in this tree)")
    else:
        cold = cache_rows(path, n, row)
        row("snapshot with no cache rows + full report", cold[0] + c_rep, cold[1] + w_rep,
            "a file no writer of this version has closed (once)")
    print(f"  load average after: {load()}")


def cache_rows(path: Path, n: int, row) -> tuple[float, float]:
    """The snapshot and ``codings()`` through the snapshot cache: cold, warming, warm, after
    one keypress; returns the cold snapshot's (CPU, wall)."""
    import coder
    from coder.coding.commands import CodingError, ToggleCode
    from coder.project import Project
    from coder.store import snapshot_cache
    from coder.store.snapshot_read import read_snapshot
    p = Project.open(path, backup=False)                # migrates a schema-5 copy
    book = p.codebook.current()

    def clear():
        with p._store.write() as conn:
            snapshot_cache.clear(conn)

    def read(cache):
        with p._store.read() as conn:
            return read_snapshot(conn, book, cache=cache)

    def timed(prep, fn):
        cpu, wall = [], []
        for _ in range(max(1, n)):
            prep()
            c, w = time.process_time(), time.perf_counter()
            fn()
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
        return min(cpu), min(wall)

    cold = timed(clear, lambda: read("use"))
    row("cache: snapshot cold (no rows, nothing saved)", *cold)
    row("cache: snapshot cold, saving (first report)", *timed(clear, lambda: read("warm")))
    read("warm")
    row("cache: snapshot warm (every transcript cached)", *timed(lambda: None,
                                                                  lambda: read("use")))
    info = p.transcripts.list()[len(p.transcripts.list()) // 2]
    seg = p.transcripts.segments(info.id, "turn", 1, 1)[0]
    rid = p.raters.list()[0].id
    codes = [e.code for e in book.codes() if e.code.kind == "presence"]
    state = {"on": True}

    def keypress():
        for code in codes:
            try:
                p.perform(ToggleCode(rid, code, [seg], on=state["on"]))
                break
            except CodingError:
                continue
        state["on"] = not state["on"]
    row("cache: snapshot after one keypress (1 read again)", *timed(keypress,
                                                                     lambda: read("warm")))
    with p._store.read() as conn:
        size = conn.exec_driver_sql("SELECT sum(length(codings) + length(completions)), "
                                    "count(*) FROM snapshot_cache").one()
    print(f"  cache: {size[1]} rows, {size[0] / 2**20:.1f} MiB in the file")
    with coder.open_project(path) as study:            # read-only: uses, never writes

        def frame():
            study._snap = None
            return study.codings()
        row("cache: codings() cold (read-only open, no rows)", *timed(clear, frame))
        p.reliability.snapshot()                        # the app's report warms it
        row("cache: codings() warm (read-only open)", *timed(lambda: None, frame),
            "target < 1 s")
        row("cache: codings() after one keypress", *timed(keypress, frame), "target < 1 s")
        keypress()                                      # a session's last write, then
    p.close()                                           # its close rebuilds that row

    def analyst():
        with coder.open_project(path) as study:
            return study.codings()
    row("cache: open_project + codings() after a close", *timed(lambda: None, analyst),
        "the analyst's case; target < 1 s")
    return cold


if __name__ == "__main__":
    main()
