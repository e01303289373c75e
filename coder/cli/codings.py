"""``python main.py codings import|export ...``: codings as a long table."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_import(args: argparse.Namespace) -> int:
    from ..project import Project
    from .auth import unlock_if_protected
    with Project.open(args.project) as project:
        unlock_if_protected(project)
        command = project.codings.import_table(args.file, complete=args.complete,
                                                 new_raters=args.new_raters,
                                                 missing=args.missing or ())
    print(command.summary)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..project import Project
    from .auth import unlock_if_protected
    with Project.open(args.project, readonly=True) as project:
        unlock_if_protected(project)
        n = project.codings.export_csv(args.out)
    print(f"wrote {n} coding(s) to {args.out}")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("codings", help="import or export codings as a long table")
    p.set_defaults(subparser=p)
    csub = p.add_subparsers(dest="codings_command", metavar="ACTION")
    i = csub.add_parser("import", help="import codings from CSV or XLSX (all rows or none)")
    i.add_argument("project", type=Path)
    i.add_argument("file", type=Path)
    i.add_argument("--complete", action="store_true",
                   help="mark every unit of each listed transcript completed by each rater "
                        "who appears for it (absent codes then count as 'not applied')")
    i.add_argument("--missing", metavar="a,b",
                   help="more value cells that mean a missing rating, e.g. \"n/a,.,-99\" "
                        "(rows with them are left out; a scale's own `missing` tokens always "
                        "count)")
    i.add_argument("--new-raters", action="store_true",
                   help="create new raters even when a name is close to another rater's "
                        "(by default such a name is refused as a probable misspelling)")
    i.set_defaults(func=cmd_import)
    e = csub.add_parser("export", help="write all codings as CSV")
    e.add_argument("project", type=Path)
    e.add_argument("out", type=Path)
    e.set_defaults(func=cmd_export)
