"""``python main.py export PROJECT OUT.xlsx ...``: the Excel workbook (and CSV files with an R
script); ``OUT.sav`` / ``OUT.dta``: SPSS or Stata files with labels.

The project is opened read-only (export never changes it). Problems a user can fix (an
unknown rater, a read-only target) are one line on stderr with exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _list(text: str | None):
    if text is None:
        return None
    return tuple(x.strip() for x in text.split(",") if x.strip()) or None


def cmd_stats_files(args: argparse.Namespace) -> int:
    """SPSS .sav or Stata .dta (by the extension), with variable and value labels."""
    from ..analysis import Study
    from ..export.stats_files import write_stats_files
    from ..project import Project
    from .auth import unlock_if_protected
    project = Project.open(args.project, readonly=True)
    with Study(project) as study:
        unlock_if_protected(project)
        written = write_stats_files(study, args.out)
    print(f"{args.out}: long codings table; wide tables "
          + ", ".join(p.name for p in written[1:]))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() in (".sav", ".dta"):
        return cmd_stats_files(args)
    from ..export import SHEETS, ExportOptions
    from ..project import Project
    from .auth import unlock_if_protected
    sheets = _list(args.sheets) or SHEETS
    options = ExportOptions(sheets=sheets, raters=_list(args.raters),
                            transcripts=_list(args.transcripts), codes=_list(args.codes),
                            reference=args.reference, ci=args.ci, replicates=args.replicates,
                            seed=args.seed, scheme=args.scheme)

    def progress(done: int, total: int, message: str = "") -> None:
        if args.verbose:
            print(f"\r{message:<20} {100 * done // max(total, 1):3d}%", end="",
                  file=sys.stderr, flush=True)
    with Project.open(args.project, readonly=True) as project:
        unlock_if_protected(project)
        result = project.exports.workbook(args.out, options, csv_dir=args.csv_dir,
                                          progress=progress)
    if args.verbose:
        print(file=sys.stderr)
    rows = result.rows.get("Codings")
    print(f"{result.path}: {len(result.sheets)} sheets"
          + (f", {rows} coding rows" if rows is not None else "")
          + (f"; {len(result.csv_files)} CSV file(s)"
             + (" and analysis.R" if any(p.name.startswith("matrix_") for p in result.csv_files)
                else "") + f" in {args.csv_dir}" if result.csv_files else "")
          + f" ({result.seconds:.1f} s)")
    note = result.continuation_note()
    if note:
        print(note)
    return 0


def add_parsers(sub) -> None:
    from ..export import SHEETS
    from ..reliability.schemes import SCHEMES
    p = sub.add_parser("export", help="Excel workbook of codings, data matrices, reliability "
                                      "and session summaries (and CSV for R)")
    p.add_argument("project", type=Path)
    p.add_argument("out", type=Path, help="the workbook to write (.xlsx), or SPSS (.sav) / "
                                          "Stata (.dta) files with labels")
    p.add_argument("--raters", metavar="A,B", help="raters to include (default: all)")
    p.add_argument("--transcripts", metavar="n1,n2", help="transcripts (default: all)")
    p.add_argument("--codes", metavar="c1,c2",
                   help="code ids or category-set ids (default: every code)")
    p.add_argument("--sheets", metavar="S1,S2",
                   help=f"sheets to include (default: all of {', '.join(SHEETS)})")
    p.add_argument("--csv-dir", type=Path, metavar="DIR",
                   help="also write codings.csv, matrix_<code>.csv files and an "
                        "analysis.R script (irr, irrCAC) here")
    p.add_argument("--reference", metavar="NAME", help="master coder for the Pairwise sheet")
    p.add_argument("--ci", choices=["analytic", "bootstrap"], default="analytic")
    p.add_argument("--replicates", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scheme", choices=list(SCHEMES), help="interpretation scheme")
    p.add_argument("-v", "--verbose", action="store_true", help="show progress on stderr")
    p.set_defaults(func=cmd_export)
