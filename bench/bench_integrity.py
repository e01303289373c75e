"""Integrity check on open (issue 10). Prints figures and ratios against a baseline measured
in the same run; asserts nothing.

A ~100 MB project is built by importing generated transcripts (turn units). Then, each the
best of five:
- opening it read-only WITHOUT the check (engine + the first query, as every open does) —
  the baseline;
- the open-time check alone: `quick_check` on files over 50 MB (target < 0.3 s), and the full
  `integrity_check` the app runs in the background on such files;
- a whole read-only open with the check (`Project.open(readonly=True)`);
- reading the file's bytes once (1 MB reads): the floor for any check that reads every page.
"Warm" is with the file in the OS page cache (the usual case: it was just written or
opened); "cold" first drops the file's cached pages with posix_fadvise(DONTNEED).

Run: python bench/bench_integrity.py [--mb 100] [--keep DIR]
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

from bench.bench_foundation import make_vtt  # noqa: E402


def build(path: Path, megabytes: int) -> None:
    from coder.model import ImportOptions, SegmentationOptions
    from coder.project import Project
    src = path.parent / "src"
    src.mkdir(exist_ok=True)
    with Project.create(path) as project:
        seed = 0
        while path.stat().st_size < megabytes * 1024 * 1024:
            vtt = src / f"s{seed:04d}.vtt"
            make_vtt(vtt, turns=3000, words_per_turn=60, seed=seed)
            project.importing.import_file(vtt, ImportOptions(), SegmentationOptions(unit="turn"))
            vtt.unlink()
            seed += 1
    print(f"built {path.name}: {path.stat().st_size / 2**20:.1f} MB, {seed} transcripts")


def drop_cache(path: Path) -> bool:
    if not hasattr(os, "posix_fadvise"):
        return False
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


CPU: dict[str, float] = {}


def best(fn, path: Path, cold: bool, repeat: int = 5) -> float:
    """Best wall time; the CPU time of that run goes to CPU[fn.__name__] (on a busy machine
    the wall time is CPU time divided by the share of a core this process got)."""
    times = []
    for _ in range(repeat):
        if cold:
            drop_cache(path)
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    wall, cpu = min(times)
    CPU[fn.__name__] = cpu
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    args = parser.parse_args()
    from coder.project import Project
    from coder.store.database import open_project_file
    from coder.store.integrity import check_file, check_on_open

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_integrity_"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"big{args.mb}.scproj"
    if not path.exists():
        t0 = time.perf_counter()
        build(path, args.mb)
        print(f"(build took {time.perf_counter() - t0:.0f} s)")
    size = path.stat().st_size / 2**20

    def open_unchecked() -> None:
        engine = open_project_file(path, readonly=True, check=False)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'project_name'").all()
        engine.dispose()

    def open_checked() -> None:
        Project.open(path, readonly=True).close()

    def read_through() -> None:       # what any check must at least do: read every byte
        with open(path, "rb", buffering=0) as fh:
            while fh.read(1 << 20):
                pass

    def quick() -> None:
        assert check_on_open(path).ok

    def full() -> None:
        assert check_file(path, full=True).ok

    print(f"load average {os.getloadavg()[0]:.2f}; project {size:.1f} MB")
    from coder.store.integrity import needs_background_check
    kind = "quick_check" if needs_background_check(path) else "integrity_check"
    for cold in (False, True):
        if cold and not drop_cache(path):
            print("cold: posix_fadvise not available here")
            continue
        label = "cold" if cold else "warm"
        base = best(open_unchecked, path, cold)
        raw = best(read_through, path, cold)
        q = best(quick, path, cold)
        whole = best(open_checked, path, cold)
        f = best(full, path, cold, repeat=2)
        print(f"[{label}] open without check {base * 1000:7.1f} ms | open-time {kind} "
              f"{q * 1000:7.1f} ms (CPU {CPU['quick'] * 1000:.0f} ms; target < 300 ms: {q / 0.3:.2f}) | read-only open with "
              f"check {whole * 1000:7.1f} ms = {whole / base:.1f} x without | reading the file "
              f"{raw * 1000:7.1f} ms (check / read = {q / raw:.2f}) | full integrity_check "
              f"(background) {f * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
