"""Benchmark: `codings import --complete` at study scale against a bare executemany.

A project of 500 transcripts x 700 turns (therapist and client alternating) and a codebook of
20 presence codes, 1 rating (1-5) and 1 session global; a CSV of ~1,000,000 codings by 3 raters
(who do not exist yet: the import creates them). Two copies of the empty project:

* ours: `Project.open` + `project.codings.import_table(csv, complete=True)` — reading the
  file, checking every row, writing the codings and completions in one transaction;
* baseline: one raw sqlite3 transaction that `executemany`s the same rows (ids already
  resolved) into `coding` and every (unit, rater) into `unit_status` — what the database
  itself costs, with no reading or checking.

Each runs in its own process (peak memory is the process's, reported over the same process
before the work). Prints times, the ratio ours / baseline (target <= 3x) and the 20 s target.
Asserts nothing (DESIGN.md: benchmarks print, tests never time).

    python bench/bench_bulk.py [--transcripts 500] [--units 700] [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RATERS = ("Ana", "Ben", "Cleo")
NOW = "2026-01-01T00:00:00+00:00"


def codebook_yaml() -> str:
    def code(cid, kind, extra=""):
        return (f"      - id: {cid}\n        label: {cid.replace('_', ' ').title()}\n"
                f"        kind: {kind}\n        definition: Bench code.\n{extra}")
    presence = "".join(code(f"p{i:02d}", "presence", "        roles: [any]\n")
                       for i in range(20))
    scale = "        scale: {min: 1, max: 5}\n"
    return ("id: bulk\nname: Bulk bench codebook\nversion: 1\ngroups:\n"
            "  - id: markers\n    label: Markers\n    codes:\n" + presence
            + code("r1", "rating", scale + "        roles: [therapist]\n")
            + code("g1", "global", scale))


def make_project(folder: Path, n_t: int, n_u: int) -> Path:
    from coder.project import Project
    book = folder / "bulk.yaml"
    book.write_text(codebook_yaml(), encoding="utf-8")
    path = folder / "empty.scproj"
    Project.create(path, codebook=book).close()
    raw = sqlite3.connect(path)
    cur = raw.cursor()
    speakers, turns, segs = [], [], []
    sid = turn_id = spk = 0
    for t in range(1, n_t + 1):
        cur.execute("INSERT INTO transcript (id, name, format, encoding, sha256, imported_at, "
                    "settings, unit, window_minutes, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (t, f"s{t:04d}.vtt", "vtt", "utf-8", f"{t:064x}", NOW, "{}", "turn",
                     None, 7_200_000))
        speakers += [(spk + 1, t, 1, "T", "therapist"), (spk + 2, t, 2, "C", "client")]
        for u in range(n_u):
            turn_id += 1
            sid += 1
            turns.append((turn_id, t, u + 1, spk + 1 + u % 2, "text " * 10))
            segs.append((sid, t, "turn", u + 1, turn_id, 0, 50))
        spk += 2
    cur.executemany("INSERT INTO speaker (id, transcript_id, position, label, role) "
                    "VALUES (?,?,?,?,?)", speakers)
    cur.executemany("INSERT INTO turn (id, transcript_id, position, speaker_id, text) "
                    "VALUES (?,?,?,?,?)", turns)
    cur.executemany("INSERT INTO segment (id, transcript_id, kind, position, turn_id, "
                    "char_start, char_end) VALUES (?,?,?,?,?,?,?)", segs)
    raw.commit()
    raw.close()
    return path


def make_table(folder: Path, n_t: int, n_u: int, n_rows: int) -> Path:
    """~n_rows codings: per transcript and rater, one global, ratings on some therapist
    turns and presence codes on random (unit, code) cells."""
    rng = np.random.default_rng(1)
    per = max(1, n_rows // (n_t * len(RATERS)) - 1)
    path = folder / "codings.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["transcript", "segment", "rater", "code", "value", "note"])
        for t in range(1, n_t + 1):
            name = f"s{t:04d}.vtt"
            for r in RATERS:
                w.writerow([name, "", r, "g1", int(rng.integers(1, 6)), ""])
                n_rating = per // 10
                units = rng.choice(np.arange(1, n_u + 1, 2), n_rating, replace=False)
                for u in units:
                    w.writerow([name, int(u), r, "r1", int(rng.integers(1, 6)), ""])
                cells = rng.choice(n_u * 20, per - n_rating, replace=False)
                for c in cells:
                    w.writerow([name, int(c // 20) + 1, r, f"p{c % 20:02d}", "", ""])
    return path


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(project_path: str, table: str) -> dict:
    from coder.project import Project
    base = rss_mib()
    t0 = time.perf_counter()
    project = Project.open(project_path, backup=False)
    t_open = time.perf_counter() - t0
    calls = []
    command = project.codings.import_command(table, complete=True)
    command.progress = lambda d, t, m=None: calls.append((d, t, m))
    t1, c1 = time.perf_counter(), time.process_time()
    project.perform(command)
    t_import, c_import = time.perf_counter() - t1, time.process_time() - c1
    project.close()
    return {"open": t_open, "import": t_import, "cpu_import": c_import,
            "total": time.perf_counter() - t0,
            "summary": command.summary, "progress_calls": len(calls),
            "peak_over_base_mib": rss_mib() - base}


def run_baseline(project_path: str, table: str, triggers: bool = True) -> dict:
    raw = sqlite3.connect(project_path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    names = {f"s{t:04d}.vtt": t for t in range(1, 100_000)}
    with open(table, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    code_id = dict(raw.execute("SELECT key, id FROM code").fetchall())
    pos = {(t, p): s for s, t, p in raw.execute(
        "SELECT id, transcript_id, position FROM segment WHERE kind='turn'")}
    t0 = time.perf_counter()
    cur = raw.cursor()
    cur.execute("BEGIN")
    if not triggers:            # the database's own cost: no snapshot-cache trigger per row
        for (name,) in cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                   ).fetchall():
            cur.execute(f'DROP TRIGGER "{name}"')
    rater_ids = {}
    for r in RATERS:
        cur.execute("INSERT INTO rater (name, initials, role, created_at) VALUES (?,?,?,?)",
                    (r, r[0], "rater", NOW))
        rater_ids[r] = cur.lastrowid
    tuples = [(names[t], pos[(names[t], int(s))] if s else None, rater_ids[r], code_id[c],
               float(v) if v else None, None, 1, NOW) for t, s, r, c, v, _ in rows]
    t_prep = time.perf_counter() - t0
    t1, c1 = time.perf_counter(), time.process_time()
    cur.executemany("INSERT INTO coding (transcript_id, segment_id, rater_id, code_id, value, "
                    "note, codebook_version, created_at) VALUES (?,?,?,?,?,?,?,?)", tuples)
    pairs = sorted({(tp[0], tp[2]) for tp in tuples})
    by_t: dict[int, list[int]] = {}
    for (t, p), s in pos.items():
        by_t.setdefault(t, []).append(s)
    cur.executemany("INSERT INTO unit_status (segment_id, rater_id, completed_at) "
                    "VALUES (?,?,?)", ((s, r, NOW) for t, r in pairs for s in by_t[t]))
    raw.commit()
    t_db, c_db = time.perf_counter() - t1, time.process_time() - c1
    triggers = raw.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                           ).fetchone()[0]
    raw.close()
    return {"executemany": t_db, "cpu_executemany": c_db, "prepare": t_prep,
            "rows": len(tuples), "triggers": triggers}


def child(mode: str, project_path: str, table: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, project_path, table],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=500)
    ap.add_argument("--units", type=int, default=700)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args()
    if args.child:
        mode, project_path, table = args.child
        result = (run_ours(project_path, table) if mode == "ours" else
                  run_baseline(project_path, table, triggers=mode == "baseline"))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        empty = make_project(folder, args.transcripts, args.units)
        table = make_table(folder, args.transcripts, args.units, args.rows)
        lines = sum(1 for _ in open(table, encoding="utf-8")) - 1
        print(f"project {args.transcripts} transcripts x {args.units} units; table {lines:,} "
              f"rows, {table.stat().st_size / 2**20:.1f} MiB "
              f"(generated in {time.perf_counter() - t0:.1f} s, bench only)")
        print(f"{os.cpu_count()} CPUs, load average "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        ours_path, base_path = folder / "ours.scproj", folder / "base.scproj"
        shutil.copy(empty, ours_path)
        shutil.copy(empty, base_path)
        bare_path = folder / "bare.scproj"
        shutil.copy(empty, bare_path)
        base = child("baseline", str(base_path), str(table))
        bare = child("bare", str(bare_path), str(table))
        ours = child("ours", str(ours_path), str(table))
        print(f"  baseline: bare executemany of {base['rows']:,} codings + completions, one "
              f"transaction: {base['executemany']:.2f} s")
        print(f"  ours: open {ours['open']:.2f} s + import --complete {ours['import']:.2f} s "
              f"= {ours['total']:.2f} s; {ours['summary']}")
        print(f"  ours: {ours['progress_calls']} progress calls; peak memory "
              f"{ours['peak_over_base_mib']:.0f} MiB over the process before the import")
        print(f"  CPU: baseline executemany {base['cpu_executemany']:.2f} s "
              f"({base['triggers']} triggers in the file), ours import "
              f"{ours['cpu_import']:.2f} s, ratio {ours['cpu_import'] / base['cpu_executemany']:.2f}x")
        print(f"  baseline without the snapshot cache's triggers (the database's own cost): "
              f"{bare['executemany']:.2f} s, CPU {bare['cpu_executemany']:.2f} s; ratio ours / "
              f"it {ours['import'] / bare['executemany']:.2f}x wall, "
              f"{ours['cpu_import'] / bare['cpu_executemany']:.2f}x CPU (target <= 3x)")
        ratio = ours["import"] / base["executemany"]
        print(f"  ratio ours / baseline: {ratio:.2f}x (target <= 3x); import "
              f"{ours['import']:.1f} s vs 20 s target "
              f"({'met' if ours['import'] < 20 else 'NOT met'})")
        print(f"  file size after import: {ours_path.stat().st_size / 2**20:.0f} MiB; load "
              "average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
