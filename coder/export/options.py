"""What an export includes (:class:`ExportOptions`), the job a worker runs (:class:`ExportJob`)
and what it reports back (:class:`ExportResult`); checks of the target file.

A job is made on the main thread (``project.exports.job``): names are checked, blinding is applied
and the target is checked there, so a user hears about a wrong name or a read-only file
before any work starts. The job holds a read-only view of the project (:class:`coder.store.ReadView`); the worker
reads everything in one read transaction (a consistent view while coding goes on) and never writes to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import SessionCoderError

SHEETS = ("README", "Codebook", "Segments", "Codings", "Matrix", "Reliability", "Pairwise",
          "Reference", "Confusion", "Sessions", "Disagreements", "Consensus audit", "Training", "Drift",
          "Episodes", "Profile", "Measures")
#: Sheets that compare raters: left out of a blind rater's export.
RELIABILITY_SHEETS = ("Matrix", "Reliability", "Pairwise", "Reference", "Confusion", "Disagreements",
                      "Consensus audit", "Training", "Drift")
SHEET_GUIDE = {
    "README": "this page: what the file holds and how it was made",
    "Codebook": "every code: id, group, label, kind, scale, definition, shortcut, colour",
    "Segments": "every unit of the selected transcripts: speaker, role, times, text",
    "Codings": "one row per rater x unit x code (long format), with completion state",
    "Matrix": "reliability data per code: one row per unit, one column per rater "
              "(1/0/blank presence, category id, rating value) for R irr/irrCAC or SPSS",
    "Reliability": "one row per code: n, prevalence per rater, every statistic with its "
                   "interval and interpretation label (the numbers of "
                   "'main.py reliability --json')",
    "Pairwise": "the same statistics per rater pair and against the reference rater",
    "Reference": "each rater against the reference rater per presence code (and per category "
                 "of a set against the rest): true/false positives and negatives, "
                 "sensitivity, specificity, precision and F1 with intervals (only with a "
                 "reference rater)",
    "Confusion": "confusion (two raters) and coincidence matrices per category set",
    "Sessions": "per transcript x rater: counts of each code (and per 10 minutes), mean "
                "ratings, session globals",
    "Disagreements": "every unit where raters differ, with each rater's codes",
    "Consensus audit": "every consensus decision: unit, code, outcome, each rater's code, "
                       "who decided, when, why (only when the project has a consensus layer)",
    "Training": "each trainee against the master coding: agreement per code with its "
                "interval, misses, extras, pass / not yet (only when a master is marked)",
    "Drift": "the reliability statistics per batch (named rounds, else month of coding) "
             "per code, with intervals (only with two or more batches)",
    "Episodes": "one row per rupture -> repair episode per transcript x rater: type, marker "
                "and first repair unit, latency, strategies, resolved (the rule is in "
                "coder/analytics/episodes.py)",
    "Profile": "per transcript x rater: episodes, code-group counts and rates per 10 "
               "minutes, consistent / inconsistent moves, globals, MI scores, client measures",
    "Measures": "the client's session measures: transcript, measure, value",
}

@dataclass(frozen=True)
class ExportOptions:
    """``sheets``: names from :data:`SHEETS` (in any order; the workbook keeps the standard
    order). ``raters``/``transcripts``/``codes``: names or ids (None: all; codes: every code
    not archived; a category-set id selects its set). ``reference``, ``ci``, ``replicates``,
    ``seed``, ``scheme``: as for the reliability report. ``matrix_sheets``: at most this
    many ``Matrix <code>`` sheets, else one ``Matrices`` sheet holds every code."""

    sheets: tuple[str, ...] = SHEETS
    raters: tuple[str, ...] | None = None
    transcripts: tuple[str, ...] | None = None
    codes: tuple[str, ...] | None = None
    reference: str | None = None
    ci: str = "analytic"
    replicates: int = 1000
    seed: int = 0
    scheme: str | None = None
    matrix_sheets: int = 20


@dataclass(frozen=True, eq=False)
class ExportJob:
    """Everything a worker needs: run it with :func:`coder.export.run_export`."""

    view: object = field(repr=False)     # coder.store.ReadView
    project: str
    project_path: Path
    target: Path
    options: ExportOptions
    blind_rater: str | None = None       # set: a blind rater's own export
    csv_dir: Path | None = None

    @property
    def sheets(self) -> tuple[str, ...]:
        wanted = set(self.options.sheets)
        if self.blind_rater is not None:
            wanted -= set(RELIABILITY_SHEETS)
        return tuple(s for s in SHEETS if s in wanted)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sheets: tuple[str, ...]              # worksheet names as written
    rows: dict                           # rows per sheet (header not counted)
    csv_files: tuple[Path, ...] = ()
    seconds: float = 0.0
    #: tables longer than a sheet: first sheet -> its continuation sheets, in order
    continued: dict = field(default_factory=dict)

    def continuation_note(self) -> str | None:
        """One line saying which tables go on over several sheets (None: none do)."""
        if not self.continued:
            return None
        from .table import MAX_ROWS
        parts = "; ".join(f"{first} continues on {', '.join(more)}"
                          for first, more in self.continued.items())
        return (f"{parts} (Excel holds {MAX_ROWS - 1:,} rows below the header on a sheet; "
                f"the header is repeated; the codings CSV export has every coding in one "
                f"file: python main.py codings export PROJECT OUT.csv)")


def _names(value) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    out = tuple(str(v).strip() for v in value if str(v).strip())
    return out or None


def normalise(options: ExportOptions) -> ExportOptions:
    unknown = [s for s in options.sheets if s not in SHEETS]
    if unknown:
        raise SessionCoderError(f"unknown sheet(s) {', '.join(unknown)}; the sheets are "
                                f"{', '.join(SHEETS)}")
    if not options.sheets:
        raise SessionCoderError("choose at least one sheet to export")
    return replace(options, sheets=tuple(options.sheets), raters=_names(options.raters),
                   transcripts=_names(options.transcripts), codes=_names(options.codes))


def check_target(target: Path) -> Path:
    """Refuse a target that cannot be written, with a message a user can act on."""
    target = Path(target)
    if target.suffix.lower() != ".xlsx":
        raise SessionCoderError(f"{target.name}: an Excel workbook needs the extension .xlsx")
    if target.is_dir():
        raise SessionCoderError(f"{target}: is a folder")
    if not target.parent.is_dir():
        raise SessionCoderError(f"{target}: the folder {target.parent} does not exist")
    if target.exists() and (not os.access(target, os.W_OK)
                            or not target.stat().st_mode & 0o222):   # root ignores access()
        raise SessionCoderError(f"{target}: the file is read-only; choose another name or "
                                "make it writable")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise SessionCoderError(f"{target}: cannot write in the folder {target.parent} "
                                "(no permission)")
    _check_not_locked(target)
    return target


def _check_not_locked(target: Path) -> None:
    """A workbook open in Excel (Windows) cannot be replaced; LibreOffice leaves a lock file."""
    lock = target.with_name(f".~lock.{target.name}#")
    if lock.exists():
        raise SessionCoderError(f"{target}: the file is open in LibreOffice; close it first")
    if target.exists() and os.name == "nt":
        try:
            with open(target, "r+b"):
                pass
        except OSError:
            raise SessionCoderError(f"{target}: the file is open in another program "
                                    "(Excel?); close it first") from None
