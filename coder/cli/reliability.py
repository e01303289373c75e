"""``python main.py reliability PROJECT ...``: the project's inter-rater reliability report.

Without ``--json`` a readable per-code table (value, interval, method, n, interpretation
with the scheme's name); with ``--json`` the whole report (pooled, per transcript, rater
pairs, reference). Unknown raters, transcripts or codes are one line on stderr, exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _list(text: str | None):
    if text is None:
        return None
    return [x.strip() for x in text.split(",") if x.strip()]


def cmd_reliability(args: argparse.Namespace) -> int:
    from ..reliability.project import format_report, to_json
    from ..project import Project
    from .auth import unlock_if_protected
    if args.ci == "bootstrap" and args.replicates < 1:
        from ..errors import SessionCoderError
        raise SessionCoderError("--replicates must be at least 1")
    with Project.open(args.project, readonly=True) as project:
        unlock_if_protected(project)
        report = project.reliability.report(
            _list(args.raters), _list(args.transcripts), codes=_list(args.codes),
            reference=args.reference, ci=args.ci, replicates=args.replicates,
            seed=args.seed, scheme=args.scheme)
    if args.json:
        print(json.dumps(to_json(report), ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(format_report(report))
    return 0


def add_parsers(sub) -> None:
    from ..reliability.schemes import SCHEMES
    p = sub.add_parser("reliability", help="inter-rater reliability of a project's codings")
    p.add_argument("project", type=Path)
    p.add_argument("--raters", metavar="A,B", help="raters to compare (default: all)")
    p.add_argument("--transcripts", metavar="n1,n2", help="transcripts (default: all)")
    p.add_argument("--codes", metavar="c1,c2",
                   help="code ids or category-set ids (default: every code not archived)")
    p.add_argument("--reference", metavar="NAME",
                   help="master coder: compare each other rater against this one")
    p.add_argument("--ci", choices=["analytic", "bootstrap"], default="analytic",
                   help="analytic intervals (default) or a bootstrap resampling transcripts")
    p.add_argument("--replicates", type=int, default=1000, help="bootstrap replicates")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (reproducible)")
    p.add_argument("--scheme", choices=list(SCHEMES),
                   help="interpretation scheme for every coefficient (default: Landis & Koch "
                        "for kappa-type, Krippendorff for alpha, Koo & Li for ICC)")
    p.add_argument("--json", action="store_true", help="the whole report as JSON")
    p.set_defaults(func=cmd_reliability)
