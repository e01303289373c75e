"""Benchmark: live per-code agreement while coding, on the report bench's project.

100 transcripts x 500 units x 3 raters x 40 codes (bench_report.make_project). Times the
first build of the counts (`project.reliability.live()`), then 300 coding keypresses
(ToggleCode on one unit, alternating on/off over random units and presence codes): for each,
the command alone (perform: commit) and the live update after it (read the rows the change
set names, update the counts, alpha of the changed items). Compared with the 50 ms target
and with a full recompute (snapshot + pooled report) measured in the same run. Asserts
nothing.

    python bench/bench_live.py [--transcripts 100] [--units 500] [--presses 300]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_report import make_project  # noqa: E402
from coder.coding.commands import ToggleCode  # noqa: E402
from coder.project import Project  # noqa: E402
from coder.reliability.project import build_report  # noqa: E402
from coder.store.codings import codings_on_segments  # noqa: E402

TARGET_MS = 50.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--presses", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_project(Path(tmp), args.transcripts, args.units)
        print(f"{os.cpu_count()} CPUs, load average "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        project = Project.open(path, backup=False)
        t0 = time.perf_counter()
        live = project.reliability.live()
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        build_report(project.reliability.snapshot(), cuts=())
        t_full = time.perf_counter() - t0
        book = project.codebook.current()
        rng = random.Random(1)
        raters = [r.id for r in project.raters.list()]
        infos = project.transcripts.list()
        presence = [c for c in book.code_ids() if book.code(c).kind == "presence"]
        t_cmd, t_live = [], []
        for _ in range(args.presses):
            info = rng.choice(infos)
            pos = rng.randint(1, args.units)
            seg = project.transcripts.segments(info.id, "turn", pos, pos)[0]
            codes = [c for c in presence if "any" in book.code(c).roles
                     or seg.role in book.code(c).roles]
            code = book.code(rng.choice(codes))
            with project._store.read() as conn:          # bench only: every rater's rows
                existing = {v.code for v in codings_on_segments(conn, [seg.id], raters[:1])}
            command = ToggleCode(raters[0], code, [seg], on=code.id not in existing)
            t0 = time.perf_counter()
            changes = project.perform(command)
            t1 = time.perf_counter()
            keys = live.update(project.reliability.live_states(changes))
            for key in keys:
                live.alpha(key)
            t2 = time.perf_counter()
            t_cmd.append((t1 - t0) * 1000)
            t_live.append((t2 - t1) * 1000)
        same = live.state() == project.reliability.live().state()
        project.close()

    def pct(xs, q):
        return float(np.percentile(xs, q))
    print(f"  first build of the live counts: {t_build:.2f} s "
          f"(full recompute, snapshot + pooled report: {t_full:.2f} s)")
    print(f"  keypress command (perform, commit): p50 {pct(t_cmd, 50):.2f} ms, "
          f"p95 {pct(t_cmd, 95):.2f} ms")
    print(f"  live update after it: p50 {pct(t_live, 50):.2f} ms, p95 {pct(t_live, 95):.2f} ms,"
          f" max {max(t_live):.2f} ms  (target < {TARGET_MS:g} ms: "
          f"{'met' if pct(t_live, 95) < TARGET_MS else 'NOT met'})")
    print(f"  live update / full recompute: {pct(t_live, 50) / 1000 / t_full:.5f}; "
          f"counts equal a fresh build after {args.presses} presses: {same}")
    print("  load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
