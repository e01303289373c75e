"""The study-scale bench project: 1,000 transcripts x 1,000 units x 5 raters x 20 codes.

Built through the store's bulk path (`coder.store.bulk.bulk_insert` for transcripts,
speakers, turns, units and completions; `coder.store.bulk_codings.insert_many` for the
codings), in one write transaction, from a seeded generator, a transcript at a time so memory
stays flat. Every rater completed every unit; each of 17 presence codes is applied to about 3 %
of units (1 % of a rater's cells flipped), a 1-5 rating on every fifth therapist turn and a
1-5 session global. The file is cached under the temp directory, keyed by the parameters, so
repeated runs do not rebuild it (`--rebuild` forces it). Not a test fixture: a bench.

    python bench/study_project.py [--transcripts 1000] [--units 1000] [--raters 5]
                                  [--codes 20] [--rebuild]
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

VERSION = 1                   # bump when the generator changes: the cache key changes with it
NOW = "2026-01-01T00:00:00+00:00"
BATCH = 20                    # transcripts per bulk_insert of their turns and units
RATER_NAMES = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo")
WORDS = ("so", "I", "felt", "that", "when", "she", "said", "it", "again", "and", "you",
         "notice", "how", "this", "week", "was", "hard", "maybe", "we", "could", "talk")


def cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "session-coder-bench"


def cache_path(n_t: int, n_u: int, n_r: int, n_c: int, seed: int = 1) -> Path:
    return cache_dir() / f"study-t{n_t}-u{n_u}-r{n_r}-c{n_c}-s{seed}-v{VERSION}.scproj"


def codebook_yaml(n_c: int) -> str:
    def code(cid, kind, extra=""):
        return (f"      - id: {cid}\n        label: {cid.replace('_', ' ').title()}\n"
                f"        kind: {kind}\n        definition: Bench code.\n{extra}")
    scale = "        scale: {min: 1, max: 5}\n"
    presence = "".join(code(f"p{i:02d}", "presence", "        roles: [any]\n")
                       for i in range(max(1, n_c - 2)))
    return ("id: study\nname: Study bench codebook\nversion: 1\ngroups:\n"
            "  - id: markers\n    label: Markers\n    codes:\n" + presence
            + "  - id: ratings\n    label: Ratings\n    codes:\n"
            + code("r1", "rating", scale + "        roles: [therapist]\n")
            + code("g1", "global", scale))


def _texts(rng, n: int) -> list[str]:
    lengths = rng.integers(4, 24, n)
    picks = rng.integers(0, len(WORDS), int(lengths.sum()))
    out, k = [], 0
    for ln in lengths:
        out.append(" ".join(WORDS[i] for i in picks[k:k + ln]).capitalize() + ".")
        k += ln
    return out


def build(path: Path, n_t: int, n_u: int, n_r: int, n_c: int, seed: int = 1) -> dict:
    """Write the project to `path` (which must not exist); returns counts."""
    from coder.project import Project
    from coder.store import bulk_codings
    from coder.store.bulk import bulk_insert
    from coder.store.schema import segment, speaker, transcript, turn, unit_status

    book = path.with_suffix(".yaml")
    book.write_text(codebook_yaml(n_c), encoding="utf-8")
    project = Project.create(path, codebook=book)
    for name in RATER_NAMES[:n_r]:
        project.raters.add(name)
    store = project._store                       # the bench writes below the commands
    rng = np.random.default_rng(seed)
    counts = {"codings": 0, "completions": 0, "units": 0}
    with store.write() as conn:
        code_id = dict(conn.exec_driver_sql("SELECT key, id FROM code").fetchall())
        rater_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM rater ORDER BY id")]
        presence = [code_id[k] for k in sorted(code_id) if k.startswith("p")]

        def codings_of(tid: int, seg_ids: np.ndarray):
            therapist = seg_ids[0::2]
            rated = therapist[::5]
            for c in presence:
                true = rng.random(n_u) < 0.03
                for r in rater_ids:
                    applied = seg_ids[true ^ (rng.random(n_u) < 0.01)]
                    for s in applied.tolist():
                        yield (tid, s, r, c, None, None, 1, NOW)
            truth = rng.integers(1, 6, rated.size)
            for r in rater_ids:
                values = np.clip(truth + rng.integers(-1, 2, rated.size), 1, 5)
                for s, v in zip(rated.tolist(), values.tolist()):
                    yield (tid, s, r, code_id["r1"], float(v), None, 1, NOW)
            g = int(rng.integers(1, 6))
            for r in rater_ids:
                yield (tid, None, r, code_id["g1"], float(np.clip(g + rng.integers(-1, 2), 1, 5)),
                       None, 1, NOW)

        def all_codings():
            for t in range(1, n_t + 1):
                first = (t - 1) * n_u + 1
                yield from codings_of(t, np.arange(first, first + n_u))

        sid = 0
        for lo in range(1, n_t + 1, BATCH):
            ts, sps, tus, segs, done = [], [], [], [], []
            for t in range(lo, min(lo + BATCH, n_t + 1)):
                ts.append((t, f"session_{t:04d}.vtt", "vtt", "utf-8", f"{t:064x}", NOW, "{}",
                           "turn", None, n_u * 7_000))
                sps += [(2 * t - 1, t, 1, "T", "therapist"), (2 * t, t, 2, "C", "client")]
                texts = _texts(rng, n_u)
                for u in range(n_u):
                    sid += 1
                    tus.append((sid, t, u + 1, 2 * t - 1 + u % 2, texts[u], u * 7_000,
                                u * 7_000 + 6_500))
                    segs.append((sid, t, "turn", u + 1, sid, 0, len(texts[u])))
                    done += [(sid, r, NOW) for r in rater_ids]
            bulk_insert(conn, transcript, ("id", "name", "format", "encoding", "sha256",
                                           "imported_at", "settings", "unit", "window_minutes",
                                           "duration_ms"), ts)
            bulk_insert(conn, speaker, ("id", "transcript_id", "position", "label", "role"), sps)
            bulk_insert(conn, turn, ("id", "transcript_id", "position", "speaker_id", "text",
                                     "start_ms", "end_ms"), tus)
            bulk_insert(conn, segment, ("id", "transcript_id", "kind", "position", "turn_id",
                                        "char_start", "char_end"), segs)
            bulk_insert(conn, unit_status, ("segment_id", "rater_id", "completed_at"), done)
            counts["units"] += len(segs)
            counts["completions"] += len(done)
        counts["codings"] = bulk_codings.insert_many(conn, all_codings())
    project.close()
    book.unlink()
    return counts


def cached(n_t: int = 1000, n_u: int = 1000, n_r: int = 5, n_c: int = 20, seed: int = 1,
           rebuild: bool = False) -> tuple[Path, float | None, dict | None]:
    """(path, build seconds or None when it came from the cache, counts or None)."""
    path = cache_path(n_t, n_u, n_r, n_c, seed)
    if path.exists() and not rebuild:
        return path, None, None
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + f".{os.getpid()}.part")
    for stale in (part, Path(str(part) + "-wal"), Path(str(part) + "-shm")):
        stale.unlink(missing_ok=True)
    t0 = time.perf_counter()
    counts = build(part, n_t, n_u, n_r, n_c, seed)
    seconds = time.perf_counter() - t0
    for leftover in path.parent.glob(part.name + "*"):
        if leftover != part:                     # -wal/-shm of the closed file, and backups
            leftover.unlink(missing_ok=True) if leftover.is_file() else None
    os.replace(part, path)
    return path, seconds, counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--raters", type=int, default=5)
    ap.add_argument("--codes", type=int, default=20)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    c0 = time.process_time()
    path, seconds, counts = cached(args.transcripts, args.units, args.raters, args.codes,
                                   rebuild=args.rebuild)
    size = path.stat().st_size / 2**20
    if seconds is None:
        print(f"cached: {path} ({size:.0f} MiB); --rebuild to build again")
    else:
        print(f"built {path} in {seconds:.1f} s wall, {time.process_time() - c0:.1f} s CPU; "
              f"{counts['units']:,} units, {counts['codings']:,} codings, "
              f"{counts['completions']:,} completions; file {size:.0f} MiB; load average "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
