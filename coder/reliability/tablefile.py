"""Read a spreadsheet into rows of text cells, each with its 1-based line (row) number.

``.xlsx``/``.xlsm`` (the first sheet, or ``sheet``) through openpyxl in read-only mode; every
other file as delimited text: ``.tsv`` is tab-separated, otherwise the separator is ``,``,
``;`` or tab, whichever the header row has most of. Text is decoded BOM first, then strict
UTF-8, then cp1252 (DOMAIN.md). Numbers from a workbook become text the way they are shown
(``3`` not ``3.0``), so a table reads the same from Excel and from CSV.
Errors are :class:`coder.errors.InputError` naming the file (and line where known).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

from coder.errors import InputError

EXCEL = (".xlsx", ".xlsm")


def decode(raw: bytes, name: str) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"the file is not valid {enc.upper()}: {exc.reason}",
                                 file=name) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _text_rows(text: str, name: str, sep: str | None):
    if sep is None:
        first = text.split("\n", 1)[0]
        sep = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as exc:
        raise InputError(f"cannot read the table: {exc}", file=name,
                         line=reader.line_num) from None
    return sep, out


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    return str(v).strip()


def _excel_rows(path, name: str, sheet: str | None):
    import openpyxl   # lazy: only for workbooks
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is one clear line
        raise InputError(f"cannot read the workbook: {exc}", file=name) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise InputError(f"no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})",
                             file=name)
        out = []
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in row]
            if any(cells):
                out.append((i, cells))
        return out
    finally:
        wb.close()


def read_rows(path, sheet: str | None = None) -> tuple[str, str, list[tuple[int, list[str]]]]:
    """``(file name, separator, rows)``; rows are ``(line, cells)`` with blank rows left out.
    The separator is ``","`` for workbooks (numbers never carry a decimal comma there)."""
    name = os.path.basename(str(path))
    ext = os.path.splitext(name)[1].lower()
    if ext in EXCEL:
        if not os.path.exists(path):
            raise InputError("cannot open the table: No such file or directory", file=name)
        return name, ",", _excel_rows(path, name, sheet)
    if sheet is not None:
        raise InputError("--sheet applies to .xlsx workbooks only", file=name)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputError(f"cannot open the table: {exc.strerror}", file=name) from None
    sep, rows = _text_rows(decode(raw, name), name, "\t" if ext == ".tsv" else None)
    return name, sep, rows
