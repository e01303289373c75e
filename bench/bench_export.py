"""Excel export benchmark (issue 6): a project with ~2,000,000 cells in the Codings sheet.

Three writers get the same rows from the same read path (``coder.export`` reading the
project one transcript at a time):

* ours: ``coder.export`` (openpyxl write-only for the workbook; the Codings rows written as
  XML text by ``coder.export.rowxml``; styled cells, autofilter, atomic rename);
* ours_openpyxl: the same with every cell through openpyxl's write-only cells (the writer
  before issue 17);
* XlsxWriter ``constant_memory`` writing the same cells with the same formats (anchor:
  target ours <= 1.0x its time, issue 17);
* ``pandas.DataFrame.to_excel`` of the same rows (ours should be clearly faster);
* read: the rows read and dropped, nothing written (what every variant spends reading).

Each variant runs in its own subprocess and reports wall and CPU time
(``time.process_time``: the machine is shared, CPU time is what the load disturbs least;
the load average is printed); peak memory is the process's peak RSS minus its
RSS after imports and opening the project (target < 100 MiB for ours). Prints figures and
ratios; asserts nothing. Needs ``pip install xlsxwriter`` (bench/test only).

    python bench/bench_export.py [--cells 2000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N_COLUMNS = 18                      # the Codings sheet's columns


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def reset_peak() -> bool:
    """Start the peak (VmHWM) again from the resident set now (Linux: clear_refs 5), so that
    opening the project — its integrity check on a never-checked file peaks at ~100 MiB — is
    not counted as the export's. False where it cannot be reset."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_mib() -> float:
    """The peak resident set since :func:`reset_peak` (else since the process began)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(folder: Path, cells: int) -> Path:
    """Transcripts of 400 turns, three raters, codings inserted in bulk (bench only)."""
    from sqlalchemy import insert, select

    from coder.project import Project
    from coder.store.schema import code, coding, segment, unit_status
    rows_wanted = cells // N_COLUMNS
    per_unit = 3 * 1.5                       # 3 raters x ~1.5 codes per unit
    n_units = int(rows_wanted / per_unit) + 1
    n_t = max(1, n_units // 400)
    p = Project.create(folder / "bench.scproj")
    for t in range(n_t):
        lines = []
        for i in range(400):
            s = i * 7
            lines += [str(i + 1), f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d},000 --> "
                      f"{(s + 6) // 3600:02d}:{(s + 6) // 60 % 60:02d}:{(s + 6) % 60:02d},500",
                      f"{'T' if i % 2 == 0 else 'C'}: turn {i} of session {t}: so how did "
                      f"that feel when you said it to her, and what happened next?", ""]
        f = folder / f"session_{t:03d}.srt"
        f.write_text("\n".join(lines), encoding="utf-8")
        p.importing.import_file(f)
        f.unlink()
    raters = [p.raters.add(n).id for n in ("Ann Rater", "Bob Rater", "Cy Rater")]
    book = p.codebook.current()
    presence = [c.id for c in (e.code for e in book.codes()) if c.kind == "presence"]
    rng = random.Random(1)
    with p._store.write() as conn:
        ids = dict(conn.execute(select(code.c.key, code.c.id)).all())
        segs = conn.execute(select(segment.c.id, segment.c.transcript_id)
                            .where(segment.c.kind == "turn")).all()
        status, cods = [], []
        for sid, tid in segs:
            for rid in raters:
                status.append({"segment_id": sid, "rater_id": rid,
                               "completed_at": "2025-01-01T10:00:00+00:00"})
                for key in rng.sample(presence, rng.choice((1, 1, 2, 2))):
                    cods.append({"transcript_id": tid, "segment_id": sid, "rater_id": rid,
                                 "code_id": ids[key], "value": None,
                                 "span_start": 0 if rng.random() < .3 else None,
                                 "span_end": 12 if rng.random() < .3 else None,
                                 "note": "=check this" if rng.random() < .01 else None,
                                 "codebook_version": 1,
                                 "created_at": "2025-01-01T10:00:00.123+00:00"})
        conn.execute(insert(unit_status), status)
        conn.execute(insert(coding), cods)
    path = p.path
    p.close()
    return path


def rows(project):
    """Yield the Codings rows through the export's own read path (the Project's
    `exports.sheet_rows` reads the same way, one transcript at a time)."""
    from coder.export.context import Ctx
    from coder.export.sheets_data import CODING_COLUMNS, coding_rows
    from coder.export.ticker import Ticker
    snap = project.codings.snapshot(None)
    with project._store.read_view().snapshot() as conn:
        ctx = Ctx(None, conn, None, snap, snap.codebook, Ticker(None, None, 1), None)
        yield [c.name for c in CODING_COLUMNS]
        for tid, name in zip(snap.transcript_ids, snap.transcript_names):
            yield from coding_rows(ctx, tid, name)


def variant(name: str, project_path: Path, out: Path) -> dict:
    from coder.project import Project
    if name == "xlsxwriter":
        import xlsxwriter
    if name == "pandas":
        import pandas  # noqa: F401
    import openpyxl  # noqa: F401
    project = Project.open(project_path, readonly=True)
    reset_peak()
    base = rss_mib()
    t0 = time.perf_counter()
    c0 = time.process_time()
    n = 0
    if name == "ours_openpyxl":
        from coder.export import sheets_data
        sheets_data.STREAM_ROWS = False
        name = "ours"
    if name in ("ours", "ours_all"):
        from coder.export import ExportOptions
        sheets = ("Codings",) if name == "ours" else None
        opts = ExportOptions(sheets=sheets) if sheets else ExportOptions()
        res = project.exports.workbook(out, opts)
        n = res.rows.get("Codings", 0)
    elif name == "xlsxwriter":
        import xlsxwriter
        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                            "strings_to_formulas": False,
                                            "strings_to_numbers": False})
        ws = wb.add_worksheet("Codings")
        bold = wb.add_format({"bold": True})
        stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        it = rows(project)
        ws.write_row(0, 0, next(it), bold)
        ws.freeze_panes(1, 0)
        for r, row in enumerate(it, 1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if c == 14:
                    ws.write_datetime(r, c, v, stamp)
                else:
                    ws.write(r, c, v)
            n = r
        ws.autofilter(0, 0, n, N_COLUMNS - 1)
        wb.close()
    elif name == "read":                    # the shared read path alone, nothing written
        for n, _row in enumerate(rows(project)):
            pass
        out.write_bytes(b"")
    elif name == "pandas":
        import pandas as pd
        it = rows(project)
        head = next(it)
        df = pd.DataFrame(list(it), columns=head)
        n = len(df)
        df.to_excel(out, sheet_name="Codings", index=False, freeze_panes=(1, 0))
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    project.close()
    return {"variant": name, "seconds": seconds, "cpu": cpu, "rows": n, "cells": n * N_COLUMNS,
            "peak_over_baseline_mib": peak_mib() - base, "bytes": out.stat().st_size}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=2_000_000)
    ap.add_argument("--keep", type=Path, help="keep the project and files here")
    ap.add_argument("--variant")
    ap.add_argument("--project", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--only", default="read,ours,xlsxwriter,ours_openpyxl,pandas,ours_all")
    a = ap.parse_args()
    if a.variant:
        print(json.dumps(variant(a.variant, a.project, a.out)))
        return 0
    folder = a.keep or Path(tempfile.mkdtemp(prefix="bench_export_"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    project = folder / "bench.scproj"
    if not project.exists():
        project = build(folder, a.cells)
    print(f"project: {project} (built in {time.perf_counter() - t0:.1f} s)")
    print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    results = {}
    for name in a.only.split(","):
        out = folder / f"{name}.xlsx"
        res = subprocess.run([sys.executable, __file__, "--variant", name, "--project",
                              str(project), "--out", str(out)], capture_output=True, text=True)
        if res.returncode:
            print(f"{name}: failed\n{res.stderr[-2000:]}")
            continue
        r = json.loads(res.stdout.strip().splitlines()[-1])
        results[name] = r
        print(f"{name:<13} {r['seconds']:7.2f} s wall {r['cpu']:7.2f} s CPU  {r['rows']:>8} rows  {r['cells']:>9} cells  "
              f"peak +{r['peak_over_baseline_mib']:6.1f} MiB  {r['bytes'] / 2**20:6.1f} MiB file")
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if "ours" in results:
        ours = results["ours"]
        for other, target in (("xlsxwriter", "target <= 1.0"), ("ours_openpyxl", "before"),
                              ("pandas", "should be < 1")):
            if other in results:
                print(f"ours / {other}: {ours['seconds'] / results[other]['seconds']:.2f}x "
                      f"wall, {ours['cpu'] / results[other]['cpu']:.2f}x CPU ({target})")
        print(f"ours peak memory over baseline: {results['ours']['peak_over_baseline_mib']:.1f} "
              "MiB (target < 100 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
