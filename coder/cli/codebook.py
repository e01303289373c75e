"""``python main.py codebook validate|show|history|diff|import|export ...``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_validate(args: argparse.Namespace) -> int:
    from ..codebook import validate_files
    problems = validate_files(args.files)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        files = len({p.file for p in problems})
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    print(f"{len(args.files)} codebook file(s) valid")
    return 0


def code_json(entry, counts: dict[str, int]) -> dict:
    c = entry.code
    out = {"id": c.id, "label": c.label, "group": entry.group.id,
           "group_label": entry.group.label, "kind": c.kind, "definition": c.definition,
           "roles": list(c.roles), "unit": c.unit, "shortcut": c.shortcut, "color": c.color,
           "archived": c.archived, "codings": counts.get(c.id, 0)}
    if c.scale is not None:
        out["scale"] = {"min": c.scale.min, "max": c.scale.max,
                        "labels": {str(p): lab for p, lab in c.scale.labels}}
    if c.item:
        out["item"], out["aspect"] = c.item, c.aspect
    return out


def cmd_show(args: argparse.Namespace) -> int:
    from ..errors import SessionCoderError
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        book = project.codebook.current(args.version)
        counts = project.codebook.coding_counts()
        versions = project.codebook.versions()
    if book is None:
        raise SessionCoderError(f"{args.project}: no codebook"
                                + (f" version {args.version}" if args.version else ""))
    codes = [code_json(e, counts) for e in book.codes()]
    if args.json:
        print(json.dumps({"id": book.id, "name": book.name,
                          "version": args.version or versions[-1]["version"],
                          "codes": codes}, ensure_ascii=False, indent=2))
        return 0
    print(f"{book.name} (project version {args.version or versions[-1]['version']})")
    for c in codes:
        scale = f" {c['scale']['min']}–{c['scale']['max']}" if "scale" in c else ""
        key = f"[{c['shortcut']}]" if c["shortcut"] else "   "
        flag = " (archived)" if c["archived"] else ""
        print(f"  {key:5} {c['id']:<32} {c['kind']}{scale:6} {c['label']}{flag}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        versions = project.codebook.versions()
    if args.json:
        print(json.dumps(versions, ensure_ascii=False, indent=2))
        return 0
    for v in versions:
        print(f"version {v['version']}  {v['created_at']}  from {v['source']}")
        for line in v["summary"].splitlines():
            print(f"    {line}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        diff = project.codebook.diff(args.old, args.new)
    lines = diff.describe()
    print("\n".join(lines) if lines else "no differences in codes")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project) as project:
        _changes, notes = project.codebook.use_file(args.file)
        version = project.codebook.versions()[-1]["version"]
        book = project.codebook.current()
    print(f"codebook '{book.name}' is now version {version} of {args.project}")
    for note in notes:
        print(f"  note: {note}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        project.codebook.export(args.out, args.version)
    print(f"wrote {args.out}")
    return 0


def add_parsers(sub) -> None:
    cb = sub.add_parser("codebook", help="validate, inspect, import and export codebooks")
    cb.set_defaults(subparser=cb)
    csub = cb.add_subparsers(dest="codebook_command", metavar="ACTION")

    p = csub.add_parser("validate", help="check codebook files (YAML or .qdc)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = csub.add_parser("show", help="list the project's codes")
    p.add_argument("project", type=Path)
    p.add_argument("--version", type=int, help="an earlier codebook version")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = csub.add_parser("history", help="the project's codebook versions")
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = csub.add_parser("diff", help="what changed between two codebook versions")
    p.add_argument("project", type=Path)
    p.add_argument("old", type=int)
    p.add_argument("new", type=int)
    p.set_defaults(func=cmd_diff)

    p = csub.add_parser("import", help="make a YAML or .qdc codebook the project's codebook")
    p.add_argument("project", type=Path)
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_import)

    p = csub.add_parser("export", help="write the codebook as YAML, or .qdc by extension")
    p.add_argument("project", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--version", type=int)
    p.set_defaults(func=cmd_export)
