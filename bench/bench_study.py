"""Benchmark: a study of 1,000 sessions (issue 17).

On the cached study project (`bench/study_project.py`: 1,000 transcripts x 1,000 units x
5 raters x 20 codes, built once through the store's bulk path):

* open the project and list its transcripts (target < 1 s), each open in its own process,
  cold (the file evicted from the OS cache) and warm: main's code (`git archive main`), ours
  on first open (no verified mark: the integrity check runs) and ours with the mark —
  baselines: main's code in the same run, a bare sqlite3 connect + SELECT of the same rows;
* open a transcript as the workspace does (target < 100 ms): its info, unit count, the first
  block of units with their codings, completions and notes, and the session globals; and the
  whole transcript read the same way — baseline: bare SELECTs of the same rows;
* the full reliability report run as the app runs it: the snapshot read, then
  `run_reliability` as a job on the one `JobRunner`, with progress; a QTimer every 5 ms
  records the longest gap of the Qt event loop meanwhile, and in which phase (target: report
  < 5 s, stall < 50 ms). Three ways are timed: the snapshot on the GUI thread (as
  `ui/reliability/view.py` did before), the snapshot read inside the job
  (`Reliability.snapshot_job`, as the view does now), and the view itself from Compute to
  the table and chart shown (the result's arrival included);
* codings export (CSV) and the Excel export, each in its own process, with peak memory over
  that process before the export (target < 150 MiB), its forked children included
  (`bench/tree_memory.py` samples the tree from here: the export makes its heavy sheets in
  short-lived forked children) — baseline: a bare SELECT streamed to a CSV file.

Where a target is missed, `--profile` prints the top cProfile entries of that step.
Asserts nothing (DESIGN.md: benchmarks print, tests never time).

    QT_QPA_PLATFORM=offscreen python bench/bench_study.py [--transcripts 1000] [--units 1000]
        [--skip report,export] [--exports bare,csv,xlsx] [--profile] [--no-fork]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from study_project import cached  # noqa: E402
from tree_memory import TreeMemory, resident_mib, tell  # noqa: E402

MiB = 2**20


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(fn):
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def line(label: str, wall: float, cpu: float, target: str, baseline: str) -> None:
    print(f"  {label:<46} {wall * 1000:9.1f} ms wall {cpu * 1000:9.1f} ms CPU | "
          f"target {target:<9} | {baseline}")


def profile(label: str, fn, top: int = 14) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    print(f"  -- profile of {label} (cumulative, top {top}) --")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)


# -- 1. open + list ---------------------------------------------------------------------------
def evict(path: Path) -> None:
    """Drop the file's pages (and its -wal's) from the OS cache: the next read is cold."""
    for p in (path, Path(str(path) + "-wal")):
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def child_open(root: str, path: str, cache: str) -> dict:
    """In its own process, with the code at `root` (this worktree or main's archive):
    `Project.open(path, backup=False)` + `transcripts.list()`, after evicting the file from
    the OS cache when `cache` is "cold". Marks go to $SESSION_CODER_HOME (set by the caller)."""
    sys.path.insert(0, root)
    from coder.project import Project
    assert Path(sys.modules["coder"].__file__).is_relative_to(root)
    if cache == "cold":
        evict(Path(path))
    t0, c0 = time.perf_counter(), time.process_time()
    project = Project.open(path, backup=False)
    t1, c1 = time.perf_counter(), time.process_time()
    infos = project.transcripts.list()
    t2, c2 = time.perf_counter(), time.process_time()
    how = getattr(project._store, "verified_by", "checked")
    project.close()
    return {"wall": t2 - t0, "cpu": c2 - c0, "open_wall": t1 - t0, "open_cpu": c1 - c0,
            "list_wall": t2 - t1, "list_cpu": c2 - c1, "n": len(infos), "how": how}


def main_archive(tmp: Path) -> Path | None:
    """main's code, from `git archive main`, as the same-run baseline."""
    out = tmp / "main"
    out.mkdir()
    git = subprocess.run(["git", "-C", str(ROOT), "archive", "main"], capture_output=True)
    if git.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(out)], input=git.stdout, check=True)
    return out


def bench_open(path: Path, args) -> None:
    def bare():
        conn = sqlite3.connect(path)
        rows = conn.execute("SELECT id, name, format, unit, duration_ms FROM transcript "
                            "ORDER BY name").fetchall()
        conn.close()
        return rows

    bare()
    rows, b_wall, b_cpu = timed(bare)
    base = f"bare SELECT of {len(rows):,} rows {b_wall * 1000:.1f} ms"
    print(f"  (each open in its own process; marks in a temporary data folder; {load()})")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def run(root: Path, cache: str, home: str) -> dict | None:
            env = dict(os.environ, SESSION_CODER_HOME=str(tmp / home))
            proc = subprocess.run([sys.executable, __file__, "--child-open", str(root),
                                   str(path), cache], capture_output=True, text=True, env=env)
            if proc.returncode != 0:
                print(f"  FAILED: {proc.stderr.strip().splitlines()[-1:]}")
                return None
            return json.loads(proc.stdout.strip().splitlines()[-1])

        def show(label: str, r: dict | None) -> None:
            if r is not None:
                line(label, r["wall"], r["cpu"], "< 1 s", base)
                print(f"      open {r['open_wall'] * 1000:.0f} ms wall {r['open_cpu'] * 1000:.0f}"
                      f" ms CPU ({r['how']}); list {r['list_wall'] * 1000:.0f} ms wall "
                      f"{r['list_cpu'] * 1000:.0f} ms CPU; {r['n']:,} transcripts")

        main = None if args.no_main else main_archive(tmp)
        for cache in ("cold", "warm"):
            if main is not None:
                show(f"main: open + list, {cache} cache", run(main, cache, "main"))
            show(f"ours, no mark (first open: the check), {cache}",
                 run(ROOT, cache, f"fresh-{cache}"))
        run(ROOT, "warm", "marked")                        # writes the mark
        for cache in ("cold", "warm"):
            show(f"ours, the mark vouches, {cache} cache", run(ROOT, cache, "marked"))

        from coder.project import Project
        from coder.store import transcripts as store_rows
        home = os.environ.get("SESSION_CODER_HOME")
        os.environ["SESSION_CODER_HOME"] = str(tmp / "marked")
        project = Project.open(path, backup=False, readonly=True)
        with project._store.read() as conn:
            fast, f_wall, f_cpu = timed(lambda: store_rows.list_infos(conn))
            counted, c_wall, c_cpu = timed(lambda: store_rows.list_infos(conn, counted=True))
        line("  transcripts.list() (last positions)", f_wall, f_cpu, "", base)
        line("  the same, rows counted (main's way)", c_wall, c_cpu, "",
             f"equal: {fast == counted}")
        project.close()
        if args.profile:
            profile("open + list (mark)", lambda: (lambda p: (p.transcripts.list(), p.close()))(
                Project.open(path, backup=False)))
        if home is not None:
            os.environ["SESSION_CODER_HOME"] = home


# -- 2. open a transcript ---------------------------------------------------------------------
def read_like_workspace(project, info, last: int | None):
    """What `CodingWorkspace.show_transcript` reads before its first paint (the models read
    a block of 40 rows at a time; `last=None` reads the whole transcript at once)."""
    n = project.transcripts.count(info.id, "turn")
    segs = project.transcripts.segments(info.id, "turn", 1, last)
    ids = [s.id for s in segs]
    views = project.codings.on(ids)
    done = project.codings.completed(ids)
    notes = project.codings.notes(ids)
    globals_ = project.codings.session_globals(info.id)
    return n, len(segs), len(views), len(done), len(notes), len(globals_)


def bench_transcript(path: Path, args) -> None:
    from coder.project import Project
    project = Project.open(path, backup=False)
    project.sign_in("Ana")                   # a rater opens a session: her codings, her marks
    infos = project.transcripts.list()
    picks = [infos[i] for i in (0, len(infos) // 2, len(infos) - 1)]
    conn = sqlite3.connect(path)

    def bare(tid, last):
        segs = conn.execute(
            "SELECT s.id, s.position, t.text, sp.label, sp.role FROM segment s JOIN turn t "
            "ON t.id = s.turn_id JOIN speaker sp ON sp.id = t.speaker_id WHERE "
            "s.transcript_id = ? AND s.kind = 'turn' AND s.position <= ? ORDER BY s.position",
            (tid, last)).fetchall()
        ids = ",".join(str(s[0]) for s in segs)
        cods = conn.execute(f"SELECT * FROM coding WHERE segment_id IN ({ids})").fetchall()
        done = conn.execute(f"SELECT segment_id FROM unit_status WHERE segment_id IN ({ids})"
                            ).fetchall()
        return len(segs), len(cods), len(done)

    for last, label in ((40, "first block (40 units)"), (None, "whole transcript")):
        walls, cpus, bases = [], [], []
        shape = None
        for info in picks:
            shape, w, c = timed(lambda: read_like_workspace(project, info, last))
            _, bw, _ = timed(lambda: bare(info.id, last or 10**9))
            walls.append(w), cpus.append(c), bases.append(bw)
        line(f"open a transcript: {label}", max(walls), max(cpus), "< 100 ms",
             f"bare SELECTs {max(bases) * 1000:.1f} ms (worst of {len(picks)}); "
             f"{shape[1]} units, {shape[2]} codings, {shape[3]} done")
        if args.profile and max(walls) > 0.1:
            profile(f"open a transcript ({label})",
                    lambda: read_like_workspace(project, picks[0], last))
    conn.close()
    project.close()


# -- 3. the report as a job, with the event loop watched ------------------------------------
def bench_report(path: Path, args) -> None:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from coder.project import Project
    from ui.reliability.data import run_reliability
    from ui.shell.jobs import JobRunner

    app = QApplication.instance() or QApplication([])
    if not args.no_freeze:     # as the app does once its areas are built, before any project
        from ui.shell.long_lived import freeze_long_lived
        freeze_long_lived()
    project = Project.open(path, backup=False)
    runner = JobRunner()

    names = [i.name for i in project.transcripts.list()]
    selection = names[:args.report_transcripts] if args.report_transcripts else None
    if selection:
        print(f"  the report on the first {len(selection)} of {len(names):,} transcripts "
              "(--report-transcripts)")
    conn = sqlite3.connect(path)
    ids = ",".join(str(i.id) for i in project.transcripts.list()
                   if selection is None or i.name in selection)

    def bare():
        a = conn.execute("SELECT transcript_id, segment_id, rater_id, code_id, value "
                         f"FROM coding WHERE transcript_id IN ({ids})").fetchall()
        b = conn.execute("SELECT u.segment_id, u.rater_id FROM unit_status u JOIN segment s ON "
                         f"s.id = u.segment_id WHERE s.transcript_id IN ({ids})").fetchall()
        return len(a), len(b)

    (n_cod, n_done), b_wall, b_cpu = timed(bare)
    conn.close()
    print(f"  baseline: bare SELECT of {n_cod:,} codings + {n_done:,} completions: "
          f"{b_wall:.2f} s wall, {b_cpu:.2f} s CPU")

    def watched(start_job, done_signal=None) -> dict:
        """Run the event loop until the job ends (or ``done_signal(job)`` fires); a 5 ms
        timer records the longest gap, and in which phase (the last progress message) it
        fell."""
        gaps, progress = [], []
        clock = QElapsedTimer()
        loop = QEventLoop()
        state = {"last": 0, "result": None, "phase": "start"}
        tick = QTimer()
        tick.setInterval(5)

        def on_tick():
            now = clock.elapsed()
            gaps.append((now - state["last"], state["phase"]))
            state["last"] = now
        tick.timeout.connect(on_tick)

        entered: dict[str, float] = {}            # phase -> seconds from Compute

        def enter(phase: str) -> None:
            if phase != state["phase"] or phase not in entered:
                entered.setdefault(phase, time.perf_counter() - state["t0"])
            state["phase"] = phase

        def on_progress(d, t, m):
            progress.append(d)
            enter(m or ("report" if t else "busy"))

        def begin():
            state["t0"] = time.perf_counter()
            job = start_job()
            job.progressed.connect(on_progress)
            job.finished.connect(lambda r: (state.__setitem__("result", r),
                                            enter("result shown")))
            job.failed.connect(lambda m: state.__setitem__("result", m))
            if done_signal:           # let the ticks after the result's arrival count too
                def shown(*_):
                    state["shown_at"] = time.perf_counter()      # the wall time ends here
                    QTimer.singleShot(200, loop.quit)
                done_signal(job).connect(shown)
            else:
                job.ended.connect(loop.quit)
            if done_signal:
                job.failed.connect(loop.quit)
            state["job"] = job

        clock.start()
        tick.start()
        QTimer.singleShot(20, begin)
        c0 = time.process_time()
        loop.exec()
        # (Until the result is shown; the 200 ms watched after it count for the stalls only.
        # Before 2026-12-06 03:45 they counted in the wall time too.)
        wall = state.get("shown_at", time.perf_counter()) - state["t0"]
        tick.stop()
        gaps.sort()
        shown = [g for g, phase in gaps if phase == "result shown"]
        by_phase: dict[str, float] = {}
        for g, phase in gaps:
            by_phase[phase] = max(g, by_phase.get(phase, 0))
        return {"wall": wall, "cpu": time.process_time() - c0, "max_gap": gaps[-1][0],
                "by_phase": by_phase,
                "shown_gap": max(shown, default=None),
                "where": gaps[-1][1], "p99_gap": gaps[int(len(gaps) * 0.99)][0],
                "progress": len(progress), "result": state["result"],
                "entered": entered}

    options = {"reference": None}
    # warm up imports (scipy, numpy paths) on a small selection
    run_reliability(project.reliability.snapshot(transcripts=[project.transcripts.list()[0].name]),
                    **options)

    def snapshot_on_gui_thread():
        snapshot = project.reliability.snapshot(transcripts=selection)   # GUI thread, as
        # ui/reliability/view.py's compute did before issue 17's second round
        return runner.start("Reliability", run_reliability, snapshot, **options)

    def snapshot_in_job():            # the app now: the view's compute
        read = project.reliability.snapshot_job(transcripts=selection)
        return runner.start("Reliability", run_reliability, read, **options)

    from ui.reliability.view import ReliabilityView
    from ui.shell.project_events import ProjectEvents
    view = ReliabilityView(project, ProjectEvents(project), runner)
    view.resize(1300, 800)
    view.show()
    from coder.process_spare import discard_spare as _discard_spare
    _discard_spare()                  # the spare it started: each way below says its own
    if selection:                     # the same transcripts as the other runs
        view.settings.selection = lambda: (None, selection)

    from coder.process_spare import discard_spare
    from ui.reliability.view_parts import prewarm_for

    def in_a_process():               # the job in a child: no GIL shared with this thread
        from coder.process_job import run_in_process
        discard_spare()               # a child spawned for it (no spare started ahead)
        source = project.reliability.process_source(transcripts=selection)
        return runner.start("Reliability", run_in_process, run_reliability, source, **options)

    def through_the_view():
        view.process_from_bytes = None          # the report on a worker thread
        view.result = None
        view.compute()
        return view.job

    def view_in_a_process():
        view.process_from_bytes = 0             # the report in a child process
        view.result = None
        discard_spare()                         # none started ahead: a child spawned
        view.compute()
        return view.job

    def spare_ready():
        """As the app: the view, shown, started a spare child (which imports the report's
        modules and reads the settings' selection ahead); the user presses Compute 3 s
        later."""
        discard_spare()
        view.process_from_bytes = 0
        prewarm_for(view)
        wait = QEventLoop()
        QTimer.singleShot(3000, wait.quit)
        wait.exec()

    def spare_just_started():
        """Compute pressed the moment the tab appeared: the spare only just spawned."""
        discard_spare()
        view.process_from_bytes = 0
        prewarm_for(view)

    def view_with_spare():
        view.process_from_bytes = 0
        view.result = None
        view.compute()
        return view.job

    from coder.store import snapshot_packed, snapshot_sql

    class Idle:                      # the baseline: the loop alone for 3 s, no job
        def __init__(self):
            from PySide6.QtCore import QObject, Signal

            class Signals(QObject):
                progressed, finished, failed, ended = (Signal(int, int, str), Signal(object),
                                                       Signal(str), Signal())
            self.s = Signals()
            self.progressed, self.finished = self.s.progressed, self.s.finished
            self.failed, self.ended = self.s.failed, self.s.ended
            QTimer.singleShot(3000, self.s.ended.emit)

    rows_piece = snapshot_sql.ROWS, snapshot_packed._PIECE
    idle = watched(Idle)
    print(f"  baseline: the event loop alone for 3 s (no job): longest gap {idle['max_gap']} ms, "
          f"p99 {idle['p99_gap']} ms (the machine's own scheduling noise)")

    def whole_conversions():          # the job as first moved: numpy converts in one call
        snapshot_sql.ROWS = snapshot_packed._PIECE = 10**12
        return snapshot_in_job()

    for label, starter, done, *before in (
            ("snapshot on the GUI thread (before)", snapshot_on_gui_thread, None),
            ("snapshot inside the job, lists converted whole", whole_conversions, None),
            ("snapshot read inside the job (Reliability.snapshot_job)", snapshot_in_job, None),
            ("the view: Compute to table and chart shown", through_the_view,
             lambda job: view.computed),
            ("the report in a child process (run_in_process)", in_a_process, None),
            ("the view, report in a child process: Compute to table and chart shown",
             view_in_a_process, lambda job: view.computed),
            ("the view, report in a child process started ahead (spare ready): Compute to "
             "table and chart shown", view_with_spare, lambda job: view.computed, spare_ready),
            ("the view, report in a child process started ahead (spare just started): Compute "
             "to table and chart shown", view_with_spare, lambda job: view.computed,
             spare_just_started)):
        if args.report_ways and not any(w in label for w in args.report_ways.split("|")):
            continue
        for step in before:
            step()
        r = watched(starter, done)
        snapshot_sql.ROWS, snapshot_packed._PIECE = rows_piece
        ok = not isinstance(r["result"], str)
        print(f"  full report, {label}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU "
              f"(target < 5 s; {r['wall'] / b_wall:.1f}x the bare SELECT); longest event-loop "
              f"stall {r['max_gap']} ms during '{r['where']}', p99 {r['p99_gap']} ms "
              f"(target < 50 ms); {r['progress']} progress signals; longest stall once the "
              f"result arrived {r['shown_gap']} ms"
              f"{'' if ok else '; FAILED: ' + str(r['result'])}")
        print("    longest stall by phase: " + ", ".join(
            f"{phase} {gap} ms" for phase, gap in r["by_phase"].items()))
        if r["entered"]:
            marks = sorted(r["entered"].items(), key=lambda kv: kv[1]) + [("end", r["wall"])]
            print("    time in each phase (from its first message): " + ", ".join(
                f"{a} {t2 - t1:.2f} s" for (a, t1), (_, t2) in zip(marks, marks[1:])))
    snap, s_wall, s_cpu = timed(lambda: project.reliability.snapshot(transcripts=selection))
    print(f"  of which the snapshot read alone: {s_wall:.2f} s wall ({s_cpu:.2f} s CPU)")
    if args.profile:
        profile("the snapshot read", lambda: project.reliability.snapshot(transcripts=selection))
        profile("the report", lambda: run_reliability(snap, **options), top=25)
    runner.shutdown()
    project.close()
    del app


# -- 4. exports in their own processes -------------------------------------------------------
def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_export(kind: str, path: str, out: str) -> dict:
    from coder.project import Project
    if kind == "bare":
        base = rss()
        t0, c0 = time.perf_counter(), time.process_time()
        conn = sqlite3.connect(path)
        names = dict(conn.execute("SELECT id, name FROM transcript"))
        raters = dict(conn.execute("SELECT id, name FROM rater"))
        codes = dict(conn.execute("SELECT id, key FROM code"))
        n = 0
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["transcript", "segment", "rater", "code", "value", "note"])
            for tid, pos, rid, cid, value, note in conn.execute(
                    "SELECT c.transcript_id, s.position, c.rater_id, c.code_id, c.value, c.note "
                    "FROM coding c LEFT JOIN segment s ON s.id = c.segment_id "
                    "ORDER BY c.transcript_id, s.position"):
                w.writerow([names[tid], pos or "", raters[rid], codes[cid],
                            "" if value is None else value, note or ""])
                n += 1
        conn.close()
        return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                "peak_over": rss() - base, "rows": n}
    project = Project.open(path, backup=False, readonly=True)
    base = rss()
    t0, c0 = time.perf_counter(), time.process_time()
    if kind == "csv":
        n = project.codings.export_csv(out)
    else:
        from coder.export import SHEETS, ExportOptions
        options = ExportOptions()
        if ":" in kind:                        # xlsx:N — the first N transcripts only
            names = [i.name for i in project.transcripts.list()][:int(kind.split(":")[1])]
            options = ExportOptions(transcripts=tuple(names))
            base = rss()
            t0, c0 = time.perf_counter(), time.process_time()
        if kind == "xlsx-stats":               # every sheet but Codings (4 M rows: the CSV)
            options = ExportOptions(sheets=tuple(s for s in SHEETS if s != "Codings"))
        stage_file = os.environ.get("BENCH_STAGE_FILE")

        last = [None]

        def progress(_done, _total, message=""):
            stage = "Matrix sheets" if message.startswith("Matrix ") else message
            if stage and stage != last[0]:
                last[0] = stage
                tell(stage_file, stage)
        tell(stage_file, f"base {resident_mib():.1f}")
        result = project.exports.workbook(out, options, progress=progress)
        tell(stage_file, "done")
        n = sum(result.rows.values())
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
            "peak_over": rss() - base, "rows": n, "size": Path(out).stat().st_size / MiB}


def bench_exports(path: Path, args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kinds = (("bare", "bare.csv"), ("csv", "codings.csv"), ("xlsx", "study.xlsx"),
                 ("xlsx-stats", "stats.xlsx"))
        if args.export_transcripts:
            kinds = ((f"xlsx:{args.export_transcripts}", "part.xlsx"),)
        if args.exports:
            kinds = tuple(k for k in kinds if k[0].split(":")[0] in args.exports.split(","))
        for kind, out in kinds:
            target = str(Path(tmp) / out)
            cmd = [sys.executable, __file__, "--child", kind, str(path), target]
            if args.profile and kind != "bare":
                cmd.append("--profile")
            if args.no_fork:
                cmd.append("--no-fork")
            stage_file = str(Path(tmp) / f"{kind}.stages")
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, env={**os.environ, "BENCH_STAGE_FILE": stage_file})
            tree = TreeMemory(proc.pid, stage_file)
            stdout, stderr = proc.communicate()
            tree.stop()
            if proc.returncode != 0:
                print(f"  {kind} export FAILED: {stderr.strip().splitlines()[-1:]}")
                continue
            *text, last = stdout.strip().splitlines()
            r = json.loads(last)
            tree_over, stage_over = tree.over()
            label = {"bare": "baseline: bare SELECT streamed to CSV",
                     "csv": "codings export (CSV)", "xlsx": "Excel export",
                     "xlsx-stats": "Excel export, every sheet but Codings"}.get(
                         kind, f"Excel export, first {args.export_transcripts} transcripts")
            if args.no_fork and kind != "bare":
                label += " (no fork)"
            print(f"  {label:<38} {r['wall']:7.2f} s wall {r['cpu']:7.2f} s CPU, "
                  f"{r['rows']:,} rows, peak memory {tree_over:.0f} MiB over the process "
                  f"before it, its forked children included (target < 150 MiB); the process "
                  f"alone {r['peak_over']:.0f} MiB; at most {tree.most_children} children "
                  f"at once")
            if stage_over:
                print("    peak by stage (MiB over the process before, children included): "
                      + ", ".join(f"{stage} {peak:.0f}" for stage, peak in stage_over.items()))
            if text:
                print("\n".join(text[-40:]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--raters", type=int, default=5)
    ap.add_argument("--codes", type=int, default=20)
    ap.add_argument("--skip", default="", help="comma list of: open,transcript,report,export")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-fork", action="store_true",
                    help="export: every stage in the one process (workbook.FORK_STAGES off), "
                         "the baseline of the forked stages")
    ap.add_argument("--report-transcripts", type=int, default=0,
                    help="report on the first N transcripts only (0: all)")
    ap.add_argument("--export-transcripts", type=int, default=0,
                    help="only the Excel export, of the first N transcripts (0: every export)")
    ap.add_argument("--exports", default="",
                    help="comma list of the exports to run: bare,csv,xlsx (default: all)")
    ap.add_argument("--report-ways", default="",
                    help="'|'-separated label parts of the report runs to make (default: all)")
    ap.add_argument("--child", nargs=3)
    ap.add_argument("--child-open", nargs=3)
    ap.add_argument("--path", type=Path,
                    help="use this project file (e.g. a copy of the cached study, so that "
                         "other runs holding the cached one's lock do not get in the way)")
    ap.add_argument("--no-freeze", action="store_true",
                    help="report step: do not freeze the objects made before the runs (the "
                         "app freezes them once its areas are built: ui/shell/long_lived.py)")
    ap.add_argument("--no-main", action="store_true",
                    help="open step: skip main's code (git archive main) as the baseline")
    args = ap.parse_args()
    if args.child_open:
        print(json.dumps(child_open(*args.child_open)))
        return
    if args.child:
        kind, path, out = args.child
        if args.no_fork:
            from coder.export import workbook
            workbook.FORK_STAGES = False
        if args.profile:
            prof = cProfile.Profile()
            result = prof.runcall(child_export, kind, path, out)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(12)
        else:
            result = child_export(kind, path, out)
        print(json.dumps(result))
        return
    # verified marks (coder/store/verified.py) of this run go to a folder of its own
    os.environ.setdefault("SESSION_CODER_HOME", tempfile.mkdtemp(prefix="bench-study-home-"))
    if args.path is not None:
        path, seconds, counts = args.path.resolve(), None, None
    else:
        path, seconds, counts = cached(args.transcripts, args.units, args.raters, args.codes)
    size = path.stat().st_size / MiB
    if seconds is None:
        print(f"study project (cached): {path.name}, {size:.0f} MiB")
    else:
        print(f"study project built in {seconds:.1f} s: {counts['units']:,} units, "
              f"{counts['codings']:,} codings, {counts['completions']:,} completions; "
              f"{size:.0f} MiB")
    print(f"{os.cpu_count()} CPUs, {load()}")
    skip = set(filter(None, args.skip.split(",")))
    steps = (("open", bench_open), ("transcript", bench_transcript), ("report", bench_report),
             ("export", bench_exports))
    for key, fn in steps:
        if key not in skip:
            print(f"[{key}]")
            fn(path, args)
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
