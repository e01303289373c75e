"""``python main.py training PROJECT --master NAME``: trainees against the master coding."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _fmt(v) -> str:
    return "undefined" if v is None else f"{v:.3f}"


def cmd_training(args: argparse.Namespace) -> int:
    from ..project import Project
    from ..team.access import check_team
    from ..team.training import MarkMaster, training_reports
    from .auth import unlock_if_protected
    with Project.open(args.project, readonly=not args.mark, backup=False) as project:
        unlock_if_protected(project)
        check_team(project.access)
        if args.mark:
            master = project.raters.get(args.master)
            tids = [project.transcripts.get(n.strip()).id for n in args.mark.split(",")
                    if n.strip()]
            project.perform(MarkMaster(master.id, tids))
        with project._store.read() as conn:
            reports = training_reports(
                conn, args.master, codes=args.codes.split(",") if args.codes else None,
                trainees=args.trainee.split(",") if args.trainee else None,
                alpha=args.alpha, icc=args.icc, ci=args.ci)
    if args.json:
        print(json.dumps({"master": args.master, "alpha_threshold": args.alpha,
                          "icc_threshold": args.icc,
                          "trainees": [r.as_json() for r in reports]}, indent=2))
        return 0
    if not reports:
        print(f"no trainee has coded the master transcripts of {args.master} yet")
    for r in reports:
        print(f"{r.trainee} vs master {r.master} on {', '.join(r.transcripts)}: "
              f"{'PASS' if r.passed else 'not yet'}")
        for a in r.codes:
            if a.passed is None:
                continue
            ci = f" [{a.ci[0]:.3f}, {a.ci[1]:.3f}]" if a.ci else ""
            mark = "ok" if a.passed else "below"
            why = f" ({a.undefined_reason})" if a.value is None and a.undefined_reason else ""
            print(f"  {a.code:<28} {a.statistic} {_fmt(a.value)}{ci}{why}  "
                  f"agreement {_fmt(a.percent_agreement)}  n={a.n_units}  "
                  f"{mark} (>= {a.threshold:.2f})")
        for label, items in (("missed", r.misses), ("extra", r.extras),
                             ("differs", r.differs)):
            for d in items:
                text = d.text if len(d.text) <= 70 else d.text[:67] + "..."
                print(f"  {label:<7} {d.code} at {d.transcript} {d.unit_kind} {d.position}: "
                      f"{text}")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("training", help="trainees' agreement with a master coding")
    p.add_argument("project", type=Path)
    p.add_argument("--master", required=True, help="the rater whose coding is the master")
    p.add_argument("--mark", help="first mark the master's coding of these transcripts "
                                  "(comma-separated names)")
    p.add_argument("--trainee", help="only these trainees (comma-separated)")
    p.add_argument("--codes", help="only these codes (comma-separated ids)")
    p.add_argument("--alpha", type=float, default=0.80,
                   help="pass threshold for Krippendorff's alpha (unit codes; default .80)")
    p.add_argument("--icc", type=float, default=0.75,
                   help="pass threshold for ICC(A,1) (session globals; default .75)")
    p.add_argument("--ci", choices=("analytic", "bootstrap"), default="analytic")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_training)
