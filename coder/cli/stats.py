"""``python main.py stats TABLE.csv --level ...``: the reliability calculator for any
units x raters spreadsheet."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_stats(args: argparse.Namespace) -> int:
    from ..reliability.table import format_report, stats_report
    categories = None
    if args.categories:
        categories = [c.strip() for c in args.categories.split(",") if c.strip()]
    report = stats_report(args.table, args.level, categories, missing=args.missing,
                          sheet=args.sheet, id_columns=args.id_columns,
                          single_rated=args.single_rated)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("stats", help="reliability statistics for a units x raters table")
    p.add_argument("table", type=Path,
                   help=".csv, .tsv or .xlsx: header row (unit id, then one column per "
                        "rater), one row per unit; empty cell or NA = missing")
    p.add_argument("--level", required=True, choices=["nominal", "ordinal", "interval", "ratio"])
    p.add_argument("--categories", metavar="a,b,c",
                   help="all categories in order: at ordinal level this is the scale order "
                        "(unused ones count); default: the values found, sorted (as numbers "
                        "at ordinal, interval and ratio level)")
    p.add_argument("--missing", metavar="a,b",
                   help="more cell values that mean a missing rating, e.g. \"n/a,.,-99\" "
                        "(empty cells and NA always do)")
    p.add_argument("--sheet", help="the workbook sheet to read (default: the first)")
    p.add_argument("--id-columns", type=int, default=None, metavar="N",
                   help="how many leading columns identify a unit (default 1; 3 for the "
                        "transcript, unit_kind, unit columns of exported data matrices)")
    p.add_argument("--single-rated", choices=["in_chance", "exclude"], default="in_chance",
                   help="units rated by one rater: in_chance (default; Gwet 2014, irrCAC) "
                        "counts them in chance agreement of Fleiss/Conger/BP/AC1/AC2; "
                        "exclude leaves them out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)
