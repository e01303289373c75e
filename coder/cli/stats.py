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
    report = stats_report(args.table, args.level, categories)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("stats", help="reliability statistics for a units x raters table")
    p.add_argument("table", type=Path,
                   help="CSV: header row (unit id, then one column per rater), one row per "
                        "unit, empty cell = missing")
    p.add_argument("--level", required=True, choices=["nominal", "ordinal", "interval", "ratio"])
    p.add_argument("--categories", metavar="a,b,c",
                   help="all categories in order (unused ones count); default: the values "
                        "found, sorted")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)
