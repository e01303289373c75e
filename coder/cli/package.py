"""``python main.py package export|import|submit|info ...``: rater packages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _secret(confirm: bool = False):
    from ..team.crypto import passphrase_from_env_or_prompt
    return lambda: passphrase_from_env_or_prompt(confirm=confirm)


def cmd_export(args: argparse.Namespace) -> int:
    from ..project import Project
    from ..team.access import check_team
    from ..team.packages import export_package
    from .auth import unlock_if_protected
    with Project.open(args.project, backup=False) as project:
        unlock_if_protected(project)
        check_team(project.access)
        secret = _secret(confirm=True)() if args.encrypt else None
        info = export_package(project._store, args.rater, args.out, secret)
    names = ", ".join(t["name"] for t in info.transcripts)
    print(f"wrote package for {info.rater_name} to {args.out}"
          f"{' (encrypted)' if args.encrypt else ''}: {len(info.transcripts)} "
          f"transcript(s) ({names}), codebook {info.codebook_id} version "
          f"{info.codebook_version}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..project import Project
    from ..team.access import check_team
    from ..team.merge import MergePackage, plan_import
    from .auth import unlock_if_protected
    resolution = "theirs" if args.theirs else "ours" if args.ours else None
    with Project.open(args.project) as project:
        unlock_if_protected(project)
        check_team(project.access)
        plan = plan_import(project._store, args.package, _secret(), resolution)
        if plan.conflicts:
            print(f"error: {args.package.name}: {len(plan.conflicts)} conflict(s) with changes "
                  f"made in the project since the package was exported; decide with --theirs "
                  f"(take the package) or --ours (keep the project):", file=sys.stderr)
            for c in plan.conflicts:
                print(f"  {c.line()}", file=sys.stderr)
            return 1
        if not plan.empty:
            project.perform(MergePackage(plan))
    for note in plan.notes_out:
        print(f"note: {note}")
    state = "submitted" if plan.info.submitted_at else "not marked submitted"
    print(f"{plan.summary()} ({state})")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from ..team.packages import submit_package
    info = submit_package(args.package, _secret())
    print(f"{args.package}: marked submitted by {info.rater_name} at {info.submitted_at}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from ..team.packages import RaterPackage
    pkg = RaterPackage.open(args.package, _secret())
    pkg.discard()
    info = pkg.info
    if args.json:
        print(json.dumps(json.loads(info.to_json()) | {"encrypted": pkg.encrypted}, indent=2))
    else:
        print(f"package {info.package_uuid} of project '{info.project_name}' for "
              f"{info.rater_name}; codebook {info.codebook_id} v{info.codebook_version}; "
              f"{len(info.transcripts)} transcript(s); "
              f"{'submitted ' + info.submitted_at if info.submitted_at else 'not submitted'}"
              f"{'; encrypted' if pkg.encrypted else ''}")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("package", help="rater packages: export, import, submit, info")
    p.set_defaults(subparser=p)
    psub = p.add_subparsers(dest="package_command", metavar="ACTION")
    e = psub.add_parser("export", help="build a package holding one rater's share only")
    e.add_argument("project", type=Path)
    e.add_argument("--rater", required=True, help="rater name")
    e.add_argument("out", type=Path)
    e.add_argument("--encrypt", action="store_true",
                   help="protect with a passphrase (SESSION_CODER_PACKAGE_PASSPHRASE or a prompt)")
    e.set_defaults(func=cmd_export)
    i = psub.add_parser("import", help="merge a rater's package back (one undoable step)")
    i.add_argument("project", type=Path)
    i.add_argument("package", type=Path)
    g = i.add_mutually_exclusive_group()
    g.add_argument("--theirs", action="store_true", help="conflicts: take the package's value")
    g.add_argument("--ours", action="store_true", help="conflicts: keep the project's value")
    i.set_defaults(func=cmd_import)
    s = psub.add_parser("submit", help="mark a package submitted (the rater is done)")
    s.add_argument("package", type=Path)
    s.set_defaults(func=cmd_submit)
    n = psub.add_parser("info", help="what a package holds and whom it is for")
    n.add_argument("package", type=Path)
    n.add_argument("--json", action="store_true")
    n.set_defaults(func=cmd_info)
