"""Project reliability: from a project's codings to a per-code reliability report.

* :class:`ReliabilitySnapshot` — the selected raters' work as plain arrays (read by
  :func:`coder.store.snapshot_read.read_snapshot`);
* :func:`build_report` — worker-shaped ``fn(snapshot, progress, cancel, **options)``;
* :func:`data_matrices` — each code's units × raters data, the numbers the Excel
  "Matrix <code>" sheets show (the report's pooled figures use exactly these);
* :func:`format_report` — a readable per-code table (CLI);
* :func:`to_json` — the report as the JSON of ``reliability --json`` (the one serialiser).

The report is typed (:mod:`.results`): :class:`Report`, :class:`CodeEntry`, :class:`Statistic`.
"""

from .matrices import DataMatrix
from .report import build_report, build_report_with, count_matrices, data_matrices
from .results import CodeEntry, Report, Statistic
from .serialise import to_json
from ...snapshots import ReliabilitySnapshot
from .text import format_report

__all__ = ["CodeEntry", "DataMatrix", "ReliabilitySnapshot", "Report", "Statistic",
           "build_report", "build_report_with", "count_matrices", "data_matrices",
           "format_report", "to_json"]
