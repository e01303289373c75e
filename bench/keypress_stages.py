"""Where a coding keypress spends its time (issue 17, "one frame per keypress").

Presses the shortcut of a presence code on the 2,000-unit transcript of `bench_workspace.py`
(20,000 codings of another rater visible) and splits each press, keypress to the changed
cells painted, into stages:

- command:   key handling and building the command, up to `apply` being called
- apply:     the command's reads and writes inside the transaction (this builds the change set)
- commit:    from the end of `apply` to the project's listeners being called (the COMMIT)
- model:     the workspace's reaction to the change set (model update, panel, detail, progress)
- other:     the rest of the listeners and the undo stack's bookkeeping
- repaint:   the event loop painting what the model said changed

Prints p50/p95 per stage and of the whole, the CPU time, the load average and a bare SQLite
commit (WAL, synchronous=FULL, one row) measured in the same run. Asserts nothing.

Run: python bench/keypress_stages.py [--presses N] [--profile] [--dir /dev/shm]
(--profile: also a cProfile of the presses, top 25 by cumulative time; --dir: where the
project and the bare baseline live — /dev/shm takes the disk's flush out of both)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_workspace import bare_commits, make_project, pct  # noqa: E402

STAGES = ("command", "apply", "commit", "model", "other", "repaint", "total")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dir", default=None,
                        help="where the project file goes (e.g. /dev/shm: no disk flush)")
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from coder.coding import commands as coding_commands
    from coder.project import Project
    from ui.shell.jobs import JobRunner
    from ui.shell.project_events import ProjectEvents
    from ui.workspace.coding_workspace import CodingWorkspace

    app = QApplication.instance() or QApplication([])
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}            # the main thread's CPU time at the same marks

    def mark(name: str) -> None:
        marks[name] = time.perf_counter()
        cpu[name] = time.thread_time()

    # time stamps around the stages, by wrapping the seams (not the code under test)
    apply = coding_commands.ToggleCode.apply

    def timed_apply(self, conn):
        mark("apply0")
        try:
            return apply(self, conn)
        finally:
            mark("apply1")
    coding_commands.ToggleCode.apply = timed_apply

    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        tmp = Path(d)
        path, _ = make_project(tmp)
        service = Project.open(path, backup=False)
        service.raters.add("Supervisor", role="supervisor")
        service.sign_in(service.raters.get("Supervisor").id)
        service.raters.set_blind(False)
        service.sign_in(service.raters.get("Bench Rater").id)
        info = service.transcripts.list()[0]
        events = ProjectEvents()
        ws = CodingWorkspace(events, JobRunner())
        ws.show_hints = False
        ws.resize(1400, 900)
        ws.show()
        events.set_project(service)
        ws.show_transcript(info)
        QTest.qWait(50)

        def first_listener(_changes) -> None:
            mark("listen")
        service._listeners.insert(0, first_listener)     # heard first: the commit is done
        on_changed = ws._on_changed

        def timed_changed(changes) -> None:
            mark("model0")
            on_changed(changes)
            mark("model1")
        events.changed.disconnect(ws._on_changed)
        events.changed.connect(timed_changed)

        ws.table.setFocus()
        rows = {s: [] for s in STAGES}
        cpus = {s: [] for s in STAGES}
        profiler = None
        if args.profile:
            import cProfile
            profiler = cProfile.Profile()
        cpu0 = time.process_time()
        for i in range(args.presses):
            ws.go_to_position(1 + (i * 7) % 2000)
            for _ in range(3):               # moving is another keypress: its paint (and the
                app.processEvents()          # delayed item layout it starts) is done first
            marks.clear()
            if profiler:
                profiler.enable()
            mark("t0")
            QTest.keyClick(ws.table, Qt.Key_V)
            mark("t1")
            app.processEvents()
            mark("t2")
            if profiler:
                profiler.disable()
            for out, m in ((rows, marks), (cpus, cpu)):
                out["command"].append(m["apply0"] - m["t0"])
                out["apply"].append(m["apply1"] - m["apply0"])
                out["commit"].append(m["listen"] - m["apply1"])
                out["model"].append(m["model1"] - m["model0"])
                out["other"].append(m["t1"] - m["listen"] - out["model"][-1])
                out["repaint"].append(m["t2"] - m["t1"])
                out["total"].append(m["t2"] - m["t0"])
        process_cpu = time.process_time() - cpu0
        bare = bare_commits(tmp)
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.presses} presses, "
              f"process CPU {process_cpu / args.presses * 1000:.2f} ms per press and move")
        print(f"{'stage':<9} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}   main-thread CPU "
              f"{'p50 ms':>8} {'p95 ms':>8}")
        for stage in STAGES:
            v, c = rows[stage], cpus[stage]
            print(f"{stage:<9} {pct(v, 50) * 1000:8.2f} {pct(v, 95) * 1000:8.2f} "
                  f"{sum(v) / len(v) * 1000:8.2f}   {'':15} {pct(c, 50) * 1000:8.2f} "
                  f"{pct(c, 95) * 1000:8.2f}")
        b50, b95 = pct(bare, 50), pct(bare, 95)
        t50, t95 = pct(rows["total"], 50), pct(rows["total"], 95)
        print(f"bare SQLite commit (WAL, synchronous=FULL), 500 commits: p50 {b50 * 1000:.2f} ms, "
              f"p95 {b95 * 1000:.2f} ms; keypress / bare: p50 {t50 / b50:.1f}x, "
              f"p95 {t95 / b95:.1f}x; target p95 < 8.3 ms ({t95 / 0.0083:.2f} of it)")
        if profiler:
            import pstats
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(25)
            stats.print_callees("commands.py:[0-9]+.(apply|insert|_new_row)")
        ws.close()
        service.close()


if __name__ == "__main__":
    main()
