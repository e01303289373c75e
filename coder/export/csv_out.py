"""CSV for R users: the Codings table and one file per data matrix, same rows as the sheets.

UTF-8, comma-separated, a header row, empty fields for missing values (R's ``read.csv``
reads them as NA), TRUE/FALSE for logicals, ISO 8601 date-times (UTC). Text that a
spreadsheet would run as a formula (starting with = + - @ and not a number) gets a leading
apostrophe, as ``coder.coding_io`` does for the codings CSV. Each file is written atomically.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

from ..atomic import write_atomic
from .context import Ctx
from .sheets_data import CODING_COLUMNS, coding_rows
from .sheets_stats import _matrix_rows

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def safe(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@") and not _NUMBER.match(text):
        return "'" + text
    return text


def _write(path: Path, header: list[str], rows_fn, ctx: Ctx) -> None:
    def write(fh) -> None:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        w = csv.writer(text, lineterminator="\r\n")
        w.writerow([safe(h) for h in header])
        for row in rows_fn():
            w.writerow([safe(v) for v in row])
            ctx.ticker.advance()
        text.flush()
        text.detach()
    write_atomic(path, write)


def file_name(key: str) -> str:
    return "matrix_" + re.sub(r"[^A-Za-z0-9_.-]+", "_", key) + ".csv"


def write_csv_files(ctx: Ctx, folder: Path) -> list[Path]:
    """codings.csv and matrix_<code>.csv (when the export includes reliability), and then
    analysis.R beside them (not in the returned list of CSV files)."""
    out = []
    snap = ctx.snap

    def codings():
        for tid, name in zip(snap.transcript_ids, snap.transcript_names):
            yield from coding_rows(ctx, tid, name)
    ctx.ticker.stage("CSV files")
    path = folder / "codings.csv"
    _write(path, [c.name for c in CODING_COLUMNS], codings, ctx)
    out.append(path)
    for key, m in (ctx.matrices or {}).items():
        path = folder / file_name(key)
        _write(path, ["transcript", "unit_kind", "unit", *m.raters],
               lambda m=m: ((*head, *vals) for head, vals in _matrix_rows(m)), ctx)
        out.append(path)
    if ctx.matrices:
        from .r_script import write_r_script
        write_r_script(folder, ctx.matrices, file_name)
    return out
