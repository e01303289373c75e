"""``python main.py drift PROJECT``: reliability per batch (week, month or named round)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path


def cmd_drift(args: argparse.Namespace) -> int:
    from ..project import Project
    from ..team.access import check_team
    from ..team.drift import SetRound, drift_report
    from .auth import unlock_if_protected
    with Project.open(args.project, readonly=not args.round, backup=False) as project:
        if args.round:
            if not args.transcripts:
                from ..errors import SessionCoderError
                raise SessionCoderError("--round needs --transcripts (comma-separated names)")
            tids = [project.transcripts.get(n.strip()).id for n in args.transcripts.split(",")
                    if n.strip()]
            project.perform(SetRound(tids, args.round))
            print(f"{len(tids)} transcript(s) in round '{args.round}'")
            return 0
        unlock_if_protected(project)
        check_team(project.access)
        with project._store.read() as conn:
            report = drift_report(conn, by=args.by,
                                  raters=args.raters.split(",") if args.raters else None,
                                  codes=args.codes.split(",") if args.codes else None,
                                  statistic=args.statistic)
    if args.json:
        print(json.dumps({"by": report.by,
                          "batches": [{"batch": b, "transcripts": list(t)}
                                      for b, t in report.batches],
                          "points": [asdict(p) for p in report.points]}, indent=2))
        return 0
    if not report.batches:
        print("no batch has units completed by two raters yet")
    for batch, names in report.batches:
        print(f"{batch}: {len(names)} transcript(s)")
        for p in report.points:
            if p.batch != batch or not p.used:
                continue
            value = "undefined" if p.value is None else f"{p.value:.3f}"
            ci = f" [{p.ci[0]:.3f}, {p.ci[1]:.3f}]" if p.ci else ""
            why = f" ({p.undefined_reason})" if p.value is None and p.undefined_reason else ""
            print(f"  {p.code:<28} {p.statistic} {value}{ci}{why}  n={p.n_units}")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("drift", help="reliability per batch over time (week, month, round)")
    p.add_argument("project", type=Path)
    p.add_argument("--by", choices=("week", "month", "round"), default="month")
    p.add_argument("--statistic", default="gwet_ac1",
                   help="statistic for unit codes (default gwet_ac1; e.g. krippendorff_alpha)")
    p.add_argument("--raters", help="comma-separated rater names (default: all)")
    p.add_argument("--codes", help="comma-separated code ids (default: all)")
    p.add_argument("--round", help="put --transcripts into this named round (and stop)")
    p.add_argument("--transcripts", help="with --round: comma-separated transcript names")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_drift)
