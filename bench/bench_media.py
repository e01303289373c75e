"""Media benchmarks (issue 14). Prints figures and ratios; asserts nothing.

1. Selecting a unit to audio playing: the unit is selected in the workspace (the player seeks
   to its start), then play; the clock stops when the player reports a position past the
   unit's start while playing (target < 100 ms), and separately when the first decoded
   buffer is handed on for output (a QAudioBufferOutput on the player). Median, p95 and
   worst of 20 units. With no sound
   device (offscreen, no PulseAudio) the FFmpeg backend still runs its clock, which is what is
   measured here; a real device adds its own buffer latency.
2. Waveform of a 2-hour WAV (16 kHz mono 16-bit, 230 MB): the peaks job on the JobRunner
   (target < 2 s), and the longest gap of the GUI's event loop meanwhile (a 10 ms timer).
   A second run reads the cache.
3. App start, window shown, on a project with a transcript and no media (Qt Multimedia not
   loaded), beside an empty Qt window; and whether Qt Multimedia was loaded.

Run: python bench/bench_media.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_long_wav(path: Path, seconds: int, rate: int = 16000) -> None:
    import wave
    import numpy as np
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        rng = np.random.default_rng(1)
        for minute in range(0, seconds, 60):
            t = np.arange(60 * rate) / rate
            envelope = np.abs(np.sin(t / 1.7 + minute)) ** 2
            noise = rng.normal(0, 4000, t.size) * envelope
            w.writeframes(noise.clip(-32767, 32767).astype("<i2").tobytes())


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_select_to_play(app, tmp: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtMultimedia import QAudioBufferOutput, QMediaPlayer
    from coder.project import Project
    from tests.core.media_files import write_wav
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings
    project = tmp / "p.scproj"
    with Project.create(project) as p:
        p.importing.import_file(ROOT / "sample_transcripts" / "session04_roles.srt")
        tid = p.transcripts.list()[0].id
        end = max(t.end_ms or 0 for t in p.transcripts.turns(tid))
        p.media.link(tid, write_wav(tmp / "s.wav", end / 1000 + 5, rate=8000))
    w = MainWindow(AppSettings())
    w.rater_actions.switch_rater = lambda: None
    w.show()
    w.open_project(project, ask_rater=False)
    panel = w.media.panel
    deadline = time.perf_counter() + 10
    while panel.player.duration() <= 0 and time.perf_counter() < deadline:
        app.processEvents()
    # the first decoded buffer handed on for output while playing: audio leaving the player
    # Taken on the player's own thread (a direct connection), so it says when the audio left
    # the player, not when the GUI thread got round to hearing about it.
    first: dict = {}
    armed = [False]

    def heard(buffer) -> None:
        if armed[0] and "at" not in first:
            first.update(at=time.perf_counter(), start_ms=buffer.startTime() // 1000)
    tap = QAudioBufferOutput(panel.player)
    tap.audioBufferReceived.connect(heard, Qt.DirectConnection)
    panel.player.setAudioBufferOutput(tap)
    samples, to_state, to_buffer, select, skew = [], [], [], [], []
    units = w.workspace.model.rowCount()
    for n in range(20):
        position = 3 + n * (units - 6) // 20
        unit = w.service.transcripts.segments(tid, "turn", position, position)[0]
        first.clear()
        t0 = time.perf_counter()
        w.workspace.go_to_position(position)
        select.append(time.perf_counter() - t0)
        armed[0] = True
        w.media_actions.act_play.trigger()
        state_at = moved_at = None
        while time.perf_counter() - t0 < 5:
            app.processEvents()
            now = time.perf_counter()
            if state_at is None and panel.player.playbackState() == QMediaPlayer.PlayingState:
                state_at = now - t0
            if moved_at is None and panel.playing() and panel.player.position() > unit.start_ms:
                moved_at = now - t0
            if moved_at is not None and "at" in first:
                break
        samples.append(moved_at or 5.0)
        to_state.append(state_at or 5.0)
        to_buffer.append(first["at"] - t0 if "at" in first else 5.0)
        skew.append(abs(first.get("start_ms", unit.start_ms) - unit.start_ms))
        armed[0] = False
        panel.player.pause()
        idle = time.perf_counter()            # a rater pauses, then reads for a moment
        while time.perf_counter() - idle < 0.2:
            app.processEvents()
    w.close()
    median = statistics.median(samples)
    print(f"[play] select a unit -> the GUI sees the position past its start, 20 units: median "
          f"{median * 1000:.0f} ms, p95 {_p95(samples) * 1000:.0f} ms, worst "
          f"{max(samples) * 1000:.0f} ms (target < 100 ms; ratio {median / 0.1:.2f})")
    print(f"[play] select -> first audio buffer out (QAudioBufferOutput, player thread): median "
          f"{statistics.median(to_buffer) * 1000:.0f} ms, p95 {_p95(to_buffer) * 1000:.0f} ms; "
          f"its start is {statistics.median(skew):.0f} ms from the unit's (median)")
    print(f"[play] of which: the selection itself (table, detail pane, seek) median "
          f"{statistics.median(select) * 1000:.1f} ms; the player says 'playing' after "
          f"{statistics.median(to_state) * 1000:.0f} ms (median)")


def bench_waveform(app, tmp: Path) -> None:
    from PySide6.QtCore import QTimer
    from ui.media.waveform import load_peaks
    from ui.shell.jobs import JobRunner
    wav = tmp / "two_hours.wav"
    t0 = time.perf_counter()
    write_long_wav(wav, 2 * 3600)
    print(f"[wave] wrote a 2-hour 16 kHz WAV ({wav.stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - t0:.1f} s (not timed below)")
    runner = JobRunner()
    for label in ("first run", "cached"):
        gaps, last = [], [time.perf_counter()]

        def beat():
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(beat)
        timer.start()
        done = {}
        t0 = time.perf_counter()
        job = runner.start("Waveform", load_peaks, wav, "bench", tmp / "cache")
        job.finished.connect(lambda peaks: done.setdefault("peaks", peaks))
        job.failed.connect(lambda m: done.setdefault("error", m))
        while not done and time.perf_counter() - t0 < 60:
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - t0
        timer.stop()
        peaks = done.get("peaks")
        print(f"[wave] {label}: {elapsed * 1000:.0f} ms for {len(peaks.values)} peaks of "
              f"{peaks.duration_ms / 3.6e6:.2f} h (target < 2 s; ratio {elapsed / 2:.2f}); "
              f"longest GUI gap {max(gaps, default=0) * 1000:.0f} ms")
    runner.shutdown()


STARTUP = """
import time, sys
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
{body}
print(time.perf_counter() - t0)
"""
APP_BODY = """
from PySide6.QtWidgets import QApplication
from ui.shell.main_window import MainWindow
from ui.shell.settings import AppSettings
app = QApplication([])
w = MainWindow(AppSettings(), defer_areas=True); w.show(); w.repaint()   # as the app does
shown = time.perf_counter() - t0
w.open_project({project!r}, ask_rater=False); app.processEvents()
print(any(m.startswith('PySide6.QtMultimedia') for m in sys.modules))
print(shown); print(time.perf_counter() - t0)
"""
BARE_BODY = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
"""


def bench_startup(tmp: Path) -> None:
    from coder.project import Project
    project = tmp / "plain.scproj"
    with Project.create(project) as p:
        p.importing.import_file(ROOT / "sample_transcripts" / "session04_roles.srt")
    env = dict(os.environ, SESSION_CODER_HOME=str(tmp / "home2"), QT_QPA_PLATFORM="offscreen")

    def run(body: str):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", STARTUP.format(root=str(ROOT), body=body)],
                             capture_output=True, text=True, env=env, check=True)
        return time.perf_counter() - t0, out.stdout.strip().splitlines()

    app = [run(APP_BODY.format(project=str(project))) for _ in range(5)]
    bare = [run(BARE_BODY) for _ in range(5)]
    wall_app = statistics.median(a[0] for a in app)
    wall_bare = statistics.median(b[0] for b in bare)
    loaded = {a[1][0] for a in app}
    shown = statistics.median(float(a[1][1]) for a in app)
    opened = statistics.median(float(a[1][2]) for a in app)
    print(f"[start] in the process: window shown {shown * 1000:.0f} ms (target < 1000 ms; "
          f"ratio {shown:.2f}), a project without media open and its transcript shown "
          f"{opened * 1000:.0f} ms; Qt Multimedia loaded: {', '.join(sorted(loaded))}")
    print(f"[start] process wall time, median of 5 (includes waiting at exit for the "
          f"suggestion job's spaCy import on a worker): {wall_app * 1000:.0f} ms")
    print(f"[start] empty Qt window, same way: {wall_bare * 1000:.0f} ms "
          f"(ratio app/empty {wall_app / wall_bare:.2f})")


def main() -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["SESSION_CODER_HOME"] = str(tmp / "home")
        print(f"load average {os.getloadavg()[0]:.1f}")
        bench_select_to_play(app, tmp)
        bench_waveform(app, tmp)
        bench_startup(tmp)


if __name__ == "__main__":
    main()
