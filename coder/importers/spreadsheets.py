"""Reading the rows of CSV/TSV text and of .xlsx workbooks (openpyxl, read-only)."""

from __future__ import annotations

import csv
import io

from ..errors import TranscriptFormatError
from .tables import Row
from .ziputil import check_zip

DELIMITERS = (",", ";", "\t")
XLSX_KIND = "Excel workbook (.xlsx)"


def sniff_delimiter(text: str, default: str = ",") -> str:
    """The delimiter (',' ';' or tab) used most in the header line; `default` on a tie of 0."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else default


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def csv_rows(text: str, name: str, delimiter: str) -> list[Row]:
    """All records of CSV/TSV text, numbered from 1 (the header is row 1)."""
    if len(delimiter) != 1 or delimiter in '"\n\r':
        raise TranscriptFormatError(f"cannot use {delimiter!r} as the column separator",
                                    file=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, 1):
            rows.append((number, list(cells)))
    except csv.Error as exc:
        raise TranscriptFormatError(f"cannot read the table: {exc}", file=name,
                                    line=reader.line_num) from None
    return rows


def xlsx_rows(data: bytes, name: str, sheet: str | None) -> list[Row]:
    """Every row of the chosen sheet (`sheet` or the first), numbered as in Excel."""
    check_zip(data, name, "xl/workbook.xml", XLSX_KIND)
    try:
        import openpyxl  # imported here so that loading the importers stays cheap

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in many library ways
        raise TranscriptFormatError(f"not a valid {XLSX_KIND}: it could not be read "
                                    f"({type(exc).__name__})", file=name) from None
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            listed = ", ".join(f"'{n}'" for n in names)
            raise TranscriptFormatError(f"there is no sheet '{sheet}'; the sheets are {listed}",
                                        file=name)
        if not names:
            raise TranscriptFormatError("the workbook has no sheets", file=name)
        worksheet = workbook[sheet if sheet is not None else names[0]]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()       # some writers store a wrong sheet size
        return [(number, list(cells))
                for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1)]
    except TranscriptFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - rows are parsed lazily, so damage shows up here
        raise TranscriptFormatError(f"not a valid {XLSX_KIND}: a sheet could not be read "
                                    f"({type(exc).__name__})", file=name) from None
    finally:
        workbook.close()


def sheet_names(data: bytes, name: str) -> list[str]:
    """Names of the sheets in a workbook (for a sheet chooser)."""
    check_zip(data, name, "xl/workbook.xml", XLSX_KIND)
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    except Exception as exc:  # noqa: BLE001
        raise TranscriptFormatError(f"not a valid {XLSX_KIND}: it could not be read "
                                    f"({type(exc).__name__})", file=name) from None
