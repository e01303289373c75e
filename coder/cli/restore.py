"""``python main.py restore PROJECT --list | --from BACKUP``: see a project's backups with
their verdicts, and put a good one back in place of the (perhaps damaged) project file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import SessionCoderError


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def cmd_list(args: argparse.Namespace) -> int:
    from ..backups import list_backups
    backups = list_backups(args.project)
    if args.json:
        print(json.dumps({"project": str(args.project), "backups": [
            {"path": str(b.path), "name": b.path.name, "taken": b.taken.isoformat(
                timespec="seconds"), "size": b.size, "kind": b.kind, "ok": b.verdict.ok,
             "verdict": b.verdict.text, "schema": b.verdict.schema} for b in backups]},
            ensure_ascii=False, indent=2))
        return 0
    if not backups:
        print(f"no backups of {args.project}")
        return 0
    width = max(len(b.path.name) for b in backups)
    for b in backups:
        print(f"{b.taken:%Y-%m-%d %H:%M:%S}  {_size(b.size):>9}  {b.path.name:<{width}}  "
              f"{b.kind:<14}  {b.verdict.text}")
    newest_good = next((b for b in backups if b.verdict.ok), None)
    if newest_good is not None:
        print(f"restore the newest good one with: python main.py restore {args.project} "
              f"--from {newest_good.path.name}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..backups import find_backup, restore_backup
    backup = find_backup(args.project, args.source)
    result = restore_backup(args.project, backup)
    kept = (f"; the file it replaced is kept as {result.kept.name}" if result.kept
            else "")
    if args.json:
        print(json.dumps({"project": str(result.project), "restored_from": str(result.source),
                          "kept": str(result.kept) if result.kept else None}, indent=2))
    else:
        print(f"restored {result.project} from {result.source.name}{kept}")
    return 0


def cmd(args: argparse.Namespace) -> int:
    if args.list == (args.source is not None):
        print("error: give either --list or --from BACKUP", file=sys.stderr)
        return 2
    if args.list:
        return cmd_list(args)
    if not args.project.parent.is_dir():
        raise SessionCoderError(f"{args.project}: the folder {args.project.parent} does not "
                                "exist")
    return cmd_restore(args)


def add_parsers(sub) -> None:
    p = sub.add_parser("restore", help="list a project's backups, or restore one")
    p.add_argument("project", type=Path)
    p.add_argument("--list", action="store_true",
                   help="list the backups: date, size, and whether each passes its check")
    p.add_argument("--from", dest="source", metavar="BACKUP",
                   help="restore this backup (a name from --list, or a path); the current "
                        "file is kept beside it under a new name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd)
