"""Benchmark: the full project reliability report on a large synthetic project.

100 transcripts x 500 units (plus 10 five-minute windows each) x 3 raters x 40 codes
(30 presence, one category set of 5, 2 segment ratings, 1 window rating, 2 session globals),
every unit completed by every rater. The project is generated with direct bulk inserts
(a bench, not a test). Prints the time to read the snapshot, to build the report (pooled,
per transcript, every pair, a reference), its parts, and a 1,000-replicate cluster bootstrap.
Each timing is the best of ``--repeat`` runs (the machine may be busy; the load average is
printed), and the total snapshot + full report is compared with issue 5's 3 s target.
Asserts nothing (DESIGN.md: benchmarks print, tests never time).

    python bench/bench_report.py [--transcripts 100] [--units 500] [--replicates 1000]
                                 [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coder.reliability.project import build_report, to_json  # noqa: E402
from coder.store.snapshot_read import read_snapshot  # noqa: E402
from coder.project import Project  # noqa: E402

RATERS = ("Ana", "Ben", "Cleo")


def codebook_yaml() -> str:
    def code(cid, kind, extra=""):
        return (f"      - id: {cid}\n        label: {cid.replace('_', ' ').title()}\n"
                f"        kind: {kind}\n        definition: Bench code.\n{extra}")
    roles = ("therapist", "client", "any")
    presence = "".join(code(f"p{i:02d}", "presence", f"        roles: [{roles[i % 3]}]\n")
                       for i in range(30))
    cats = "".join(code(f"cat{i}", "category", "        roles: [therapist]\n") for i in range(5))
    scale = "        scale: {min: 1, max: 5}\n"
    ratings = (code("r_seg1", "rating", scale + "        roles: [therapist]\n")
               + code("r_seg2", "rating", scale + "        roles: [any]\n")
               + code("r_win", "rating", scale + "        unit: window\n"))
    globals_ = code("g1", "global", scale) + code("g2", "global", scale)
    return ("id: bench\nname: Bench codebook\nversion: 1\ngroups:\n"
            "  - id: markers\n    label: Markers\n    codes:\n" + presence +
            "  - id: behaviour\n    label: Behaviour\n    category_set: true\n    codes:\n" + cats +
            "  - id: ratings\n    label: Ratings\n    codes:\n" + ratings +
            "  - id: globals\n    label: Globals\n    codes:\n" + globals_)


def make_project(folder: Path, n_t: int, n_u: int, seed: int = 1) -> Path:
    rng = np.random.default_rng(seed)
    book = folder / "bench.yaml"
    book.write_text(codebook_yaml(), encoding="utf-8")
    path = folder / "bench.scproj"
    project = Project.create(path, codebook=book)
    for name in RATERS:
        project.raters.add(name)
    codes = project.codebook.current().code_ids()
    project.close()
    from sqlalchemy import create_engine
    engine = create_engine(f"sqlite:///{path}")
    raw = engine.raw_connection()
    cur = raw.cursor()
    code_id = dict(cur.execute("SELECT key, id FROM code").fetchall())
    rater_ids = [r[0] for r in cur.execute("SELECT id FROM rater ORDER BY id")]
    now = "2026-01-01T00:00:00+00:00"
    n_w = 10
    seg, turns, speakers, status, codings = [], [], [], [], []
    tid = sid = turn_id = spk = 0
    for t in range(n_t):
        tid += 1
        cur.execute("INSERT INTO transcript (id, name, format, encoding, sha256, imported_at, "
                    "settings, unit, window_minutes, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (tid, f"s{t:03d}.vtt", "vtt", "utf-8", f"{t:064x}", now, "{}", "turn",
                     5.0, n_w * 300_000))
        speakers += [(spk + 1, tid, 1, "T", "therapist"), (spk + 2, tid, 2, "C", "client")]
        t_segs, w_segs = [], []
        for u in range(n_u):
            turn_id += 1
            sid += 1
            turns.append((turn_id, tid, u + 1, spk + 1 + u % 2, "text " * 10, None, None))
            seg.append((sid, tid, "turn", u + 1, turn_id, 0, 50, None, None, None, None))
            t_segs.append((sid, "therapist" if u % 2 == 0 else "client"))
        for w in range(n_w):
            sid += 1
            seg.append((sid, tid, "window", w + 1, None, None, None, None, None, None, None))
            w_segs.append(sid)
        spk += 2
        all_ids = [s for s, _ in t_segs] + w_segs
        status += [(s, r, now) for s in all_ids for r in rater_ids]
        roles = np.array([r for _, r in t_segs])
        ids = np.array([s for s, _ in t_segs])
        for i, c in enumerate(codes):
            kind = ("presence" if c.startswith("p") else "category" if c.startswith("cat")
                    else "window" if c == "r_win" else "rating" if c.startswith("r_")
                    else "global")
            role = ("therapist", "client", "any")[i % 3] if kind == "presence" else None
            if kind == "global":
                true = rng.integers(1, 6)
                for r in rater_ids:
                    v = float(np.clip(true + rng.integers(-1, 2), 1, 5))
                    codings.append((tid, None, r, code_id[c], v, None, None))
                continue
            if kind == "window":
                true = rng.integers(1, 6, n_w)
                for r in rater_ids:
                    v = np.clip(true + rng.integers(-1, 2, n_w), 1, 5)
                    codings += [(tid, w_segs[k], r, code_id[c], float(v[k]), None, None)
                                for k in range(n_w)]
                continue
            mask = (roles == role) if role in ("therapist", "client") else np.ones(n_u, bool)
            if kind == "category" or c == "r_seg1":
                mask = roles == "therapist"
            units = ids[mask]
            if kind == "presence":
                true = rng.random(units.size) < 0.12
                for r in rater_ids:
                    flip = rng.random(units.size) < 0.04
                    applied = units[true ^ flip]
                    codings += [(tid, int(s), r, code_id[c], None, 0, 30) for s in applied]
            elif kind == "category" and c == "cat0":
                true = rng.integers(0, 5, units.size)
                for r in rater_ids:
                    noisy = np.where(rng.random(units.size) < 0.15,
                                     rng.integers(0, 5, units.size), true)
                    codings += [(tid, int(s), r, code_id[f"cat{k}"], None, None, None)
                                for s, k in zip(units, noisy)]
            elif kind == "rating":
                true = rng.integers(1, 6, units.size)
                for r in rater_ids:
                    v = np.clip(true + rng.integers(-1, 2, units.size), 1, 5)
                    codings += [(tid, int(s), r, code_id[c], float(x), None, None)
                                for s, x in zip(units, v)]
    cur.executemany("INSERT INTO speaker (id, transcript_id, position, label, role) "
                    "VALUES (?,?,?,?,?)", speakers)
    cur.executemany("INSERT INTO turn (id, transcript_id, position, speaker_id, text, "
                    "start_ms, end_ms) VALUES (?,?,?,?,?,?,?)", turns)
    cur.executemany("INSERT INTO segment (id, transcript_id, kind, position, turn_id, "
                    "char_start, char_end, first_turn, last_turn, start_ms, end_ms) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)", seg)
    cur.executemany("INSERT INTO unit_status (segment_id, rater_id, completed_at) "
                    "VALUES (?,?,?)", status)
    cur.executemany("INSERT INTO coding (transcript_id, segment_id, rater_id, code_id, value, "
                    "span_start, span_end, note, codebook_version, created_at) "
                    f"VALUES (?,?,?,?,?,?,?,NULL,1,'{now}')", codings)
    raw.commit()
    raw.close()
    engine.dispose()
    print(f"project: {n_t} transcripts x {n_u} units (+{n_w} windows) x {len(RATERS)} raters "
          f"x {len(codes)} codes; {len(codings):,} codings, {len(status):,} completed units")
    return path


def timed(label: str, fn, repeat: int = 1):
    """Run ``fn`` ``repeat`` times; print and return the best time (other processes may be
    running on the machine: the best of N is the least disturbed run)."""
    times, cpus = [], []
    for _ in range(max(1, repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    best = min(times)
    note = f"   (best of {len(times)}; worst {max(times):.2f} s)" if len(times) > 1 else ""
    print(f"  {label:<56} {best:7.2f} s  CPU {min(cpus):6.2f} s{note}")
    timed.cpu = min(cpus)          # the best CPU time of the last call
    return out, best


def load() -> str:
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:                                   # not on every platform
        return "load average unknown"


TARGET = 3.0        # issue 5: snapshot + full project report under 3 s on this project


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--replicates", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs per timing")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = make_project(Path(tmp), args.transcripts, args.units)
        print(f"  {'generate the project (bench only)':<56} {time.perf_counter() - t0:7.2f} s")
        print(f"  {os.cpu_count()} CPUs, {load()} (before timing)")
        with Project.open(path, readonly=True) as project:
            def snap():
                with project._store.read() as conn:
                    return read_snapshot(conn, project.codebook.current())
            n = args.repeat
            snapshot, t_snap = timed("read the snapshot", snap, n)
            build_report(snapshot, cuts=())                  # warm up (scipy import)
            _, t_pool = timed("report: pooled only", lambda: build_report(snapshot, cuts=()), n)
            _, t_pairs = timed("report: pooled + pairs + reference",
                               lambda: build_report(snapshot, cuts=("pairs", "reference"),
                                                    reference="Ana"), n)
            import coder.reliability.project.report as report_module
            real = report_module.accuracy_extras
            report_module.accuracy_extras = lambda *a, **k: {}
            try:
                _, t_plain = timed("  reference cut without sensitivity/specificity/F1",
                                   lambda: build_report(snapshot, cuts=("reference",),
                                                        reference="Ana"), n)
                c_plain = timed.cpu
            finally:
                report_module.accuracy_extras = real
            _, t_acc = timed("  reference cut with sensitivity/specificity/F1",
                             lambda: build_report(snapshot, cuts=("reference",),
                                                  reference="Ana"), n)
            print(f"  with / without the reference statistics: wall {t_acc / t_plain:.2f}x, "
                  f"CPU {timed.cpu / c_plain:.2f}x")
            full, t_full = timed("report: full (pooled, per transcript, pairs, reference)",
                                 lambda: build_report(snapshot, reference="Ana"), n)
            timed("  its --json data (to_json, the one serialiser)", lambda: to_json(full), n)
            total = t_snap + t_full
            print(f"  {'total: snapshot + full report':<56} {total:7.2f} s")
            print(f"  total / {TARGET:g} s target: {total / TARGET:.2f} "
                  f"({'under' if total < TARGET else 'OVER'} target); snapshot share: "
                  f"{t_snap / total:.0%}; {load()}")
            print("  (issue 5's target, the snapshot read from the tables every time; issue "
                  "17's < 1 s, with the snapshot cache the app keeps: bench_snapshot.py)")
            calls = []
            _, t_boot = timed(f"pooled report, cluster bootstrap {args.replicates} replicates",
                              lambda: build_report(snapshot, cuts=(), ci="bootstrap",
                                                   replicates=args.replicates, seed=1,
                                                   progress=lambda d, t: calls.append(d)))
            print(f"  bootstrap / analytic pooled: {t_boot / t_pool:.1f}x "
                  f"({len(calls)} progress calls)")


if __name__ == "__main__":
    main()
