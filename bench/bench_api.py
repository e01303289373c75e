"""The analyst's API on the report bench project (100 transcripts x 500 units x 3 raters x 40
codes): time of ``coder.open_project(...).codings()`` (target < 1 s), with the bare read of
the same codings (the reliability snapshot the frame is built from) as the baseline in the
same run.

    python bench/bench_api.py [--transcripts 100] [--units 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import make_project  # noqa: E402


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import coder
    with tempfile.TemporaryDirectory() as tmp:
        path = make_project(Path(tmp), args.transcripts, args.units)
        with coder.open_project(path) as study:
            base, snap = best(lambda: study.project.codings.snapshot(), args.repeat)

            def frame():
                study._snap = None              # read the snapshot again each time
                return study.codings()
            t, df = best(frame, args.repeat)
            t_sheet, sheet = best(lambda: study.codings(state=False), 1)
    print(f"codings() long frame: {len(df):,} rows in {t:.2f} s "
          f"(snapshot alone {base:.2f} s; ratio {t / base:.2f}); target < 1 s")
    print(f"codings(state=False) (the Codings sheet's rows): {len(sheet):,} rows in "
          f"{t_sheet:.2f} s")


if __name__ == "__main__":
    main()
