"""Benchmark: importing a whole study — a folder of 500 two-hour transcripts (issue 17).

The bench writes 500 WebVTT files of ~1,500 turns each (two hours, therapist and client
alternating) into a temp folder, then, each in its own process:

* baseline: reading and parsing every file alone (`coder.importers.parse_bytes`), no project;
* ours (core): `Project.create`, then the path the CLI (`main.py import PROJECT FOLDER`)
  takes: `project.importing.prepare_all` (a forked child reads, parses and segments the next
  file while this process stores the one before, coder/importers/ahead.py) and `store` per
  file, one transaction per file through the store's bulk inserts; `core-serial` is the
  same with no child (the baseline for what reading ahead gains);
* ours (GUI): the import dialog's `ImportRun` on the one `JobRunner` (each file prepared in a
  job, stored on the main thread), offscreen, with its progress signals counted, the longest
  event-loop stall recorded (5 ms QTimer) and, in a second run, Cancel pressed after 50 files.

Peak memory is each process's maximum resident size over the same process before the import,
also after the first 50 files (flat memory: the two should be close). Target: < 15 s.
Asserts nothing (DESIGN.md: benchmarks print, tests never time).

    QT_QPA_PLATFORM=offscreen python bench/bench_import.py [--files 500] [--turns 1500]
                                                           [--skip gui] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("so", "I", "felt", "that", "when", "she", "said", "it", "again", "and", "you",
         "notice", "how", "this", "week", "was", "hard", "maybe", "we", "could", "talk")


def ts(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def write_folder(folder: Path, n_files: int, n_turns: int) -> int:
    import random
    rnd = random.Random(1)
    step = 7_200_000 // n_turns
    size = 0
    for f in range(n_files):
        parts = ["WEBVTT\n"]
        for i in range(n_turns):
            who = "Therapist" if i % 2 == 0 else "Client"
            words = " ".join(rnd.choices(WORDS, k=rnd.randint(4, 30)))
            parts.append(f"\n{ts(i * step)} --> {ts(i * step + step - 200)}\n"
                         f"<v {who}>{words.capitalize()}.\n")
        data = "".join(parts).encode("utf-8")
        (folder / f"session_{f:04d}.vtt").write_bytes(data)
        size += len(data)
    return size


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_baseline(folder: str, _project: str) -> dict:
    from coder import importers
    from coder.importers.pipeline import files_in
    files = files_in(Path(folder))
    importers.parse_bytes(files[0].read_bytes(), files[0].name)      # warm: lazy imports
    base = rss()
    t0, c0 = time.perf_counter(), time.process_time()
    turns = 0
    for path in files:
        turns += len(importers.parse_bytes(path.read_bytes(), path.name).turns)
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
            "turns": turns, "peak_over": rss() - base}


def run_preview(folder: str, _project: str) -> dict:
    """What the import dialog holds before Import is pressed: `read_preview` of every file
    (each parsed once; the file's entry keeps its `FilePreview`: the first turns and counts)."""
    from coder.importers.pipeline import files_in
    from ui.importing.run import read_preview
    held = []

    class Service:                  # read_preview calls only the static, database-free calls
        from coder.project.importing import Importing as importing
    files = files_in(Path(folder))
    read_preview(Service, files[0], False, None, True)                 # warm: lazy imports
    base = rss()
    t0, c0 = time.perf_counter(), time.process_time()
    for path in files:
        held.append(read_preview(Service, path, False, None, True))
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
            "files": sum(1 for r in held if r.preview is not None), "peak_over": rss() - base}


def run_core(folder: str, project_path: str, fork: bool | None = None) -> dict:
    """The CLI's path (`main.py import PROJECT FOLDER`): `prepare_all` (a forked child reads,
    parses and segments ahead) and `store` per file; ``fork=False``: all in this process."""
    from coder.importers.pipeline import files_in
    from coder.model import ImportOptions, SegmentationOptions
    from coder.project import Project
    project = Project.create(project_path)
    seg = SegmentationOptions(unit="turn")
    files = files_in(Path(folder))
    project.importing.prepare(files[0], segmentation=seg)             # warm: lazy imports
    base = rss()
    t0, c0 = time.perf_counter(), time.process_time()
    turns, early = 0, None
    store_cpu = 0.0
    for i, (path, prepared) in enumerate(project.importing.prepare_all(
            files, ImportOptions(), seg, fork=fork)):
        s0 = time.process_time()
        info = project.importing.store(prepared).transcript
        store_cpu += time.process_time() - s0
        turns += info.turns
        if i == 49:
            early = rss() - base
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "turns": turns,
           "files": len(files), "peak_over": rss() - base, "peak_after_50": early,
           "store_cpu": store_cpu, "child_cpu": children.ru_utime + children.ru_stime}
    project.close()
    out["size"] = Path(project_path).stat().st_size / 2**20
    return out


def run_gui(folder: str, project_path: str, cancel_after: int = 0) -> dict:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from coder.importers.pipeline import files_in
    from coder.model import ImportOptions, SegmentationOptions
    from coder.project import Project
    from ui.importing.models import IMPORTED, FileEntry
    from ui.importing.run import ImportRun
    from ui.shell.project_events import ProjectEvents
    from ui.shell.jobs import JobRunner

    app = QApplication.instance() or QApplication([])
    project = Project.create(project_path)
    events = ProjectEvents()
    events.set_project(project)
    runner = JobRunner()
    entries = [FileEntry(p) for p in files_in(Path(folder))]
    project.importing.prepare(entries[0].path, segmentation=SegmentationOptions(unit="turn"))
    run = ImportRun(events, entries, lambda e: ImportOptions(), SegmentationOptions(unit="turn"),
                    False, runner)
    gaps, signals = [], {"progress": 0, "files": 0}
    clock, loop, tick = QElapsedTimer(), QEventLoop(), QTimer()
    last = [0]

    def on_tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    def on_file(_entry):
        signals["files"] += 1
        if cancel_after and signals["files"] == cancel_after:
            run.cancel()
    tick.timeout.connect(on_tick)
    tick.setInterval(5)
    run.progressed.connect(lambda *a: signals.__setitem__("progress", signals["progress"] + 1))
    run.file_finished.connect(on_file)
    run.finished.connect(lambda _s: loop.quit())
    base = rss()
    clock.start()
    tick.start()
    t0, c0 = time.perf_counter(), time.process_time()
    QTimer.singleShot(0, run.start)
    loop.exec()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    tick.stop()
    runner.shutdown()
    stored = sum(1 for e in entries if e.status == IMPORTED)
    in_project = len(project.transcripts.list())
    project.close()
    del app
    gaps.sort()
    return {"wall": wall, "cpu": cpu, "files": stored, "in_project": in_project,
            "progress": signals["progress"], "max_gap": gaps[-1] if gaps else 0,
            "p99_gap": gaps[int(len(gaps) * 0.99)] if gaps else 0, "peak_over": rss() - base}


MODES = {"baseline": run_baseline, "preview": run_preview, "core": run_core,
         "core-serial": lambda f, p: run_core(f, p, fork=False), "gui": run_gui,
         "gui-cancel": lambda f, p: run_gui(f, p, cancel_after=50)}


def child(mode: str, folder: Path, project: Path, profile: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, str(folder), str(project)]
    if profile:
        cmd.append("--profile")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    *text, last = proc.stdout.strip().splitlines()
    if text:
        print("\n".join(text[-45:]))
    return json.loads(last)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--turns", type=int, default=1500)
    ap.add_argument("--skip", default="")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args()
    if args.child:
        mode, folder, project = args.child
        fn = MODES[mode]
        if args.profile:
            prof = cProfile.Profile()
            result = prof.runcall(fn, folder, project)
            pstats.Stats(prof).sort_stats("tottime").print_stats(int(os.environ.get("BENCH_PROFILE_TOP", "18")))
        else:
            result = fn(folder, project)
        print(json.dumps(result))
        return
    skip = set(filter(None, args.skip.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        folder.mkdir()
        t0 = time.perf_counter()
        size = write_folder(folder, args.files, args.turns)
        print(f"folder: {args.files} VTT files x {args.turns} turns, {size / 2**20:.0f} MiB "
              f"(written in {time.perf_counter() - t0:.1f} s, bench only)")
        print(f"{os.cpu_count()} CPUs, load average "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        base = child("baseline", folder, Path(tmp) / "none", False)
        print(f"  baseline: read + parse every file alone     {base['wall']:6.2f} s wall "
              f"{base['cpu']:6.2f} s CPU, {base['turns']:,} turns, peak "
              f"{base['peak_over']:.0f} MiB over the process before")
        for mode in ("preview", "core-serial", "core", "gui", "gui-cancel"):
            if mode.split("-")[0] in skip:
                continue
            r = child(mode, folder, Path(tmp) / f"{mode}.scproj", args.profile)
            label = {"preview": "GUI dialog: every file read for its preview",
                     "core": "ours: CLI path (child prepares ahead)",
                     "core-serial": "ours: CLI path in one process",
                     "gui": "ours: ImportRun on the JobRunner (GUI)",
                     "gui-cancel": "ours: GUI, Cancel after 50 files"}[mode]
            print(f"  {label:<44} {r['wall']:6.2f} s wall {r['cpu']:6.2f} s CPU "
                  f"({r['wall'] / base['wall']:.1f}x the baseline; target < 15 s); "
                  f"{r['files']} files; peak {r['peak_over']:.0f} MiB over the process before"
                  + (f" ({r['peak_after_50']:.0f} MiB after 50 files)"
                     if r.get("peak_after_50") is not None else "")
                  + (f"; {r['progress']} progress signals, longest event-loop stall "
                     f"{r['max_gap']} ms (p99 {r['p99_gap']} ms); {r['in_project']} "
                     "transcripts in the project" if "progress" in r else "")
                  + (f"; file {r['size']:.0f} MiB" if "size" in r else "")
                  + (f"; CPU: store {r['store_cpu']:.2f} s, the rest here "
                     f"{r['cpu'] - r['store_cpu']:.2f} s, child {r['child_cpu']:.2f} s"
                     if "store_cpu" in r else ""))
        print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
