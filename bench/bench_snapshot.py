"""Snapshot, ``codings()`` and the full report on the report bench project (100 transcripts x
500 units x 3 raters x 40 codes), in CPU time (``time.process_time``) and wall time, best of
``--repeat``; the baseline in the same run is a bare sqlite3 read of the same rows (codings,
completions, units as Python tuples, what any reader pays at least once).

To compare two trees on one file (e.g. main's code from ``git archive``), build the project
once and run the script against each tree:

    python bench/bench_snapshot.py --keep /tmp/bench.scproj          # builds it, times here
    python bench/bench_snapshot.py --project /tmp/bench.scproj --tree /tmp/main_tree
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


def best(fn, repeat: int):
    """(best CPU s, best wall s, last result)."""
    cpu, wall, out = [], [], None
    for _ in range(max(1, repeat)):
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c)
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
        row("full report (pooled, per transcript, pairs, ref.)", c_rep, w_rep)
        row("snapshot + full report", c_snap + c_rep, w_snap + w_rep, "target < 1 s")
    print(f"  load average after: {load()}")


if __name__ == "__main__":
    main()
