"""App start (issue 17): how long until the window is usable. Prints figures; asserts nothing.

Each run is a fresh process (`python main.py ...`, offscreen) with
``SESSION_CODER_EXIT_WHEN_READY=1``: the app paints its window, prints its CPU time and
quits (`ui/shell/app.py`). Measured per run: the wall time from spawning the process to
that line, and the process's CPU time (all its threads) at that moment. Runs are interleaved
(app, project, empty window, app, ...) so load changes hit all three alike; medians of N.

1. ``main.py``            — the start screen painted (target < 0.5 s); and the same run
                            left a moment longer: the areas and menus built after it
2. ``main.py PROJECT``    — a project with 2 transcripts × ~700 units: its first transcript's
                            units shown in the coding table, window painted
3. an empty ``QMainWindow`` started and painted the same way (the floor: Python + Qt)

``--root DIR`` runs another checkout's main.py (e.g. an export of main) for a before/after
in the same run; that checkout needs the same exit hook in its ui/shell/app.py.
``--importtime`` also prints the slowest imports of the start-screen path.
``--project FILE`` opens that project in case 2 instead (e.g. a copy of the 1,000-session
study: the app makes hourly backups beside it and locks it, so never the cached original);
its first open — no verified mark yet, no backup — is timed alone and printed first.

Run: python bench/bench_start.py [--runs 7] [--root DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EMPTY_WINDOW = """
import os
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1360, 840); w.show()
def ready():
    import time
    w.repaint(); print(f"ready {time.process_time():.4f} 0", flush=True); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def make_project(path: Path, root: Path) -> None:
    sys.path.insert(0, str(root))
    from coder.project import Project
    with Project.create(path) as p:
        for name in ("session01_full_length.vtt", "session04_roles.srt"):
            p.importing.import_file(root / "sample_transcripts" / name)
    sys.path.pop(0)


def one_run(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float, int]:
    """(wall s to the 'ready' line, the process's CPU s at that moment, units shown)."""
    if cmd and cmd[0] == "areas":
        cmd, env = cmd[1:], dict(env, SESSION_CODER_EXIT_WHEN_READY="areas")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=cwd)
    line = ""
    for line in proc.stdout:
        if line.startswith("ready "):
            break
    wall = time.perf_counter() - t0
    proc.kill()                  # our own child: its teardown is not part of the start
    _, err = proc.communicate()
    if not line.startswith("ready "):
        raise SystemExit(f"no 'ready' line from {cmd}: {err.strip()[-400:]}")
    return wall, float(line.split()[1]), int(line.split()[2])


def importtime(root: Path, env: dict, top: int = 12) -> None:
    out = subprocess.run([sys.executable, "-X", "importtime", str(root / "main.py")],
                         capture_output=True, text=True, env=env, cwd=root, timeout=120)
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cum, name = line.split("|")
            if cum.strip().isdigit():
                rows.append((int(cum), name.rstrip()))
    heavy = [n.strip() for _, n in rows if n.strip().split(".")[0] in
             ("sqlalchemy", "yaml", "numpy", "pandas", "scipy", "spacy", "openpyxl")]
    print("[imports] main.py until it quits (the areas are built right after the start screen), "
          "slowest, cumulative; -X importtime inflates them:")
    for cum, name in sorted(rows, reverse=True)[:top]:
        print(f"    {cum / 1000:7.1f} ms {name}")
    print(f"[imports] heavy libraries imported in that run: "
          f"{sorted({h.split('.')[0] for h in heavy}) or 'none'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--root", type=Path, default=ROOT, help="checkout whose main.py to run")
    ap.add_argument("--importtime", action="store_true")
    ap.add_argument("--project", type=Path, help="open this project in case 2 (a copy!)")
    opts = ap.parse_args()
    root = opts.root.resolve()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores; root {root}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        project = tmp / "bench.scproj"
        if opts.project is not None:
            project = opts.project.resolve()
        else:
            make_project(project, root)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SESSION_CODER_EXIT_WHEN_READY="1",
                   SESSION_CODER_HOME=str(tmp / "home"), PYTHONPATH=str(root))
        env.pop("PYTHONDONTWRITEBYTECODE", None)       # users run with compiled modules
        cases = {
            "start screen (main.py)": [sys.executable, str(root / "main.py")],
            "+ areas and menus built": ["areas", sys.executable, str(root / "main.py")],
            "project usable (main.py PROJECT)": [sys.executable, str(root / "main.py"),
                                                 str(project)],
            "empty Qt window (baseline)": [sys.executable, "-c", EMPTY_WINDOW],
        }
        for name, cmd in cases.items():                  # warm the file cache once
            first = one_run(cmd, env, root)
            if opts.project is not None and name.startswith("project usable"):
                print(f"[start] first open of {project.name} (no verified mark yet; a backup "
                      f"only if none is under an hour old): wall {first[0] * 1000:.0f} ms, CPU {first[1] * 1000:.0f} ms; "
                      f"units shown {first[2]}")
        results: dict[str, list] = {k: [] for k in cases}
        for _ in range(opts.runs):
            for name, cmd in cases.items():
                results[name].append(one_run(cmd, env, root))
        base_wall = statistics.median(r[0] for r in results["empty Qt window (baseline)"])
        base_cpu = statistics.median(r[1] for r in results["empty Qt window (baseline)"])
        for name, runs in results.items():
            walls = sorted(r[0] for r in runs)
            wall, cpu = statistics.median(walls), statistics.median(r[1] for r in runs)
            print(f"[start] {name:34s} wall median {wall * 1000:5.0f} ms "
                  f"(min {walls[0] * 1000:4.0f}, max {walls[-1] * 1000:4.0f}), CPU median "
                  f"{cpu * 1000:4.0f} ms; ×{wall / base_wall:.2f} wall, ×{cpu / base_cpu:.2f} "
                  f"CPU of the empty window; units shown {runs[0][2]}")
        print(f"load average after {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if opts.importtime:
            importtime(root, env)


if __name__ == "__main__":
    main()
