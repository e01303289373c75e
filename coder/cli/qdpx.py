"""``python main.py qdpx export|import ...``: REFI-QDA project exchange."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_export(args: argparse.Namespace) -> int:
    from ..exchange.qdpx_export import export_qdpx
    from ..project import Project
    from ..team.access import check_team
    from .auth import unlock_if_protected
    with Project.open(args.project, readonly=True) as project:
        unlock_if_protected(project)
        check_team(project.access)          # every rater's codings leave with the file
        with project._store.read() as conn:
            counts = export_qdpx(conn, args.out)
    extra = f"; {counts['skipped']} coding(s) of codes no longer in the codebook left out" \
        if counts["skipped"] else ""
    print(f"wrote {args.out}: {counts['sources']} source(s), {counts['users']} user(s), "
          f"{counts['selections']} coded selection(s){extra}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..exchange.qdpx_project import create_from_qdpx, import_qdpx
    from ..project import Project
    from .auth import unlock_if_protected
    if args.project.exists():
        with Project.open(args.project) as project:
            unlock_if_protected(project)
            result = import_qdpx(project, args.file, complete=args.complete)
        notes = []
    else:
        project, result, notes = create_from_qdpx(args.project, args.file,
                                                   complete=args.complete)
        project.close()
        print(f"created {args.project} from {args.file.name}")
    for line in notes + result.report():
        print(line)
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("qdpx", help="REFI-QDA project exchange (.qdpx): export or import")
    p.set_defaults(subparser=p)
    qsub = p.add_subparsers(dest="qdpx_command", metavar="ACTION")
    e = qsub.add_parser("export", help="write sources, codebook and every rater's codings")
    e.add_argument("project", type=Path)
    e.add_argument("out", type=Path)
    e.set_defaults(func=cmd_export)
    i = qsub.add_parser("import", help="lay a .qdpx's codings onto our units (a new project "
                                       "is made when PROJECT does not exist)")
    i.add_argument("project", type=Path)
    i.add_argument("file", type=Path)
    i.add_argument("--complete", action="store_true",
                   help="mark every unit of each imported transcript completed by each rater "
                        "who coded it (absent codes then count as 'not applied')")
    i.set_defaults(func=cmd_import)
