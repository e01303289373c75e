"""Foundation benchmarks (issue 2). Prints figures and ratios against baselines measured in
the same run; asserts nothing.

1. Import + sentence segmentation of a generated 2-hour transcript (~1,500 turns,
   ~15,000 words) into a fresh project, beside spaCy's blank-English sentencizer alone on the
   same turn texts. Target ratio <= 1.5.
2. Time to first paint of the segment table with 2,000 segments (target < 0.5 s).
3. App start to main window shown, beside an empty Qt window started the same way
   (target < 1.5 s).

Run: python bench/bench_foundation.py
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = ("I think that the week was hard because my sister called and we argued about "
         "money again and I just felt like nobody was listening to me at all so I went quiet "
         "and stayed in my room which is what I always do when things get like that").split()


def make_vtt(path: Path, turns: int, words_per_turn: int, seed: int = 7) -> int:
    rnd = random.Random(seed)
    t = 0
    lines = ["WEBVTT", ""]
    total_words = 0
    for i in range(turns):
        n = max(2, int(rnd.gauss(words_per_turn, words_per_turn / 2)))
        words = [rnd.choice(WORDS) for _ in range(n)]
        # sentences of 6-14 words
        text, k = [], 0
        while k < n:
            m = rnd.randint(6, 14)
            chunk = words[k:k + m]
            text.append(" ".join(chunk).capitalize() + rnd.choice([".", "?", "."]))
            k += m
        total_words += n
        dur = int(n * 400)
        who = "Dr. Mara Linden" if i % 2 == 0 else "Client R."
        lines += [str(i + 1), f"{ms(t)} --> {ms(t + dur)}", f"{who}: {' '.join(text)}", ""]
        t += dur + 300
    path.write_text("\n".join(lines), encoding="utf-8")
    return total_words


def ms(v: int) -> str:
    return f"{v // 3_600_000:02d}:{v // 60_000 % 60:02d}:{v // 1000 % 60:02d}.{v % 1000:03d}"


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_import(tmp: Path) -> None:
    from coder.model import SegmentationOptions
    from coder.segmentation import sentence_pipeline
    from coder.project import Project
    from coder import importers

    source = tmp / "two_hours.vtt"
    words = make_vtt(source, 1500, 10)
    texts = [t.text for t in importers.parse_file(source).turns]
    nlp, description = sentence_pipeline()          # load once, outside both timings
    # One fresh project per run, made before the clock starts: creating a project is not
    # part of an import.
    projects = iter([Project.create(tmp / f"p{i}.scproj") for i in range(5)])

    def ours():
        project = next(projects)
        project.importing.import_file(source, segmentation=SegmentationOptions("sentence"))
        project.close()

    def spacy_alone():
        for doc in nlp.pipe(texts, batch_size=256):
            list(doc.sents)

    t_ours, t_spacy = best(ours, 5), best(spacy_alone, 5)
    parse = best(lambda: importers.parse_file(source), 5)
    print(f"[import] 2-hour transcript: {len(texts)} turns, {words} words ({description})")
    print(f"[import] import + sentence segmentation + store: {t_ours * 1000:8.1f} ms")
    print(f"[import] spaCy sentencizer alone (baseline):     {t_spacy * 1000:8.1f} ms")
    print(f"[import]   of which reading + parsing the VTT:    {parse * 1000:8.1f} ms")
    print(f"[import] ratio {t_ours / t_spacy:.2f} (target <= 1.5)")


def bench_first_paint(tmp: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from coder.project import Project
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings

    source = tmp / "two_thousand.vtt"
    make_vtt(source, 2000, 12, seed=3)
    path = tmp / "paint.scproj"
    with Project.create(path) as project:
        info = project.importing.import_file(source).transcript
    os.environ["SESSION_CODER_HOME"] = str(tmp / "home")
    app = QApplication.instance() or QApplication([])
    window = MainWindow(AppSettings())
    window.show()
    window.open_project(path, ask_rater=False)
    ws = window.workspace
    ws.show_hints = False
    QTest.qWait(50)
    samples = []
    for _ in range(5):
        ws.clear()
        QTest.qWait(20)
        t0 = time.perf_counter()
        ws.show_transcript(info)
        ws.table.viewport().repaint()      # paint now, synchronously
        samples.append(time.perf_counter() - t0)
    fetched = ws.model.fetches
    window.close()
    med = statistics.median(samples)
    print(f"[paint] segment table, {info.segments} segments: first paint median "
          f"{med * 1000:.1f} ms (best {min(samples) * 1000:.1f} ms), {fetched} block(s) read; "
          f"ratio to 0.5 s target {med / 0.5:.3f}")


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
from ui.shell.style import STYLE
app = QApplication([])
app.setStyle("Fusion"); app.setStyleSheet(STYLE)
w = MainWindow(AppSettings()); w.show(); app.processEvents()
"""
BARE_BODY = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
"""


def bench_startup(tmp: Path) -> None:
    env = dict(os.environ, SESSION_CODER_HOME=str(tmp / "home2"), QT_QPA_PLATFORM="offscreen")

    def run(body: str) -> tuple[float, float]:
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", STARTUP.format(root=str(ROOT), body=body)],
                             capture_output=True, text=True, env=env, check=True)
        return time.perf_counter() - t0, float(out.stdout.strip().splitlines()[-1])

    app = [run(APP_BODY) for _ in range(5)]
    bare = [run(BARE_BODY) for _ in range(5)]
    wall_app = statistics.median(a[0] for a in app)
    wall_bare = statistics.median(b[0] for b in bare)
    print(f"[start] app start to window shown (process wall time, median of 5): "
          f"{wall_app * 1000:.0f} ms (target < 1500 ms)")
    print(f"[start] empty Qt window, same way (baseline):                     "
          f"{wall_bare * 1000:.0f} ms")
    print(f"[start] ratio {wall_app / wall_bare:.2f}; in-script import+show "
          f"{statistics.median(a[1] for a in app) * 1000:.0f} ms vs "
          f"{statistics.median(b[1] for b in bare) * 1000:.0f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_import(tmp)
        bench_first_paint(tmp)
        bench_startup(tmp)


if __name__ == "__main__":
    main()
