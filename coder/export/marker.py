"""Telling our own exports from transcripts: a workbook we write says so in its document
properties (creator and subject), and our CSV files have fixed names and headers. The import
file chooser and folder imports leave these out, so a project's export is never offered back
as a transcript."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

EXPORT_CREATOR = "Session Coder"
EXPORT_SUBJECT = "Session Coder export"
_CSV_HEADS = {"codings.csv": "transcript,unit_kind,unit,", "matrix_": "transcript,unit_kind,unit"}


def mark_workbook(wb) -> None:
    wb.properties.creator = EXPORT_CREATOR
    wb.properties.subject = EXPORT_SUBJECT


def is_our_export(path: str | Path) -> bool:
    """Whether `path` is a workbook or CSV file that Session Coder exported (cheap: reads
    the workbook's small properties part, or a CSV file's first line)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                core = z.read("docProps/core.xml").decode("utf-8", "replace")
            return re.search(rf"<dc:subject[^>]*>{EXPORT_SUBJECT}</dc:subject>", core) is not None
        if suffix == ".csv":
            name = path.name.lower()
            head = next((h for prefix, h in _CSV_HEADS.items() if name.startswith(prefix)),
                        None)
            if head is None:
                return False
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                return fh.readline().startswith(head)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False
