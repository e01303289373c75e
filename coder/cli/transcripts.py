"""Project and transcript commands: ``new``, ``import``, ``transcripts``, ``show``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import SessionCoderError

def _fmt_ms(ms: int | None) -> str:
    if ms is None:
        return "-"
    s = ms // 1000
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def cmd_new(args: argparse.Namespace) -> int:
    from ..model import SegmentationOptions
    from ..project import Project
    seg = SegmentationOptions(unit=args.unit or "turn", window_minutes=args.window_minutes or 5.0)
    with Project.create(args.project, name=args.name, codebook=args.codebook,
                        segmentation=seg) as project:
        book = project.codebook.current()
        print(f"created {project.path} ({project.name}) with codebook '{book.name}' "
              f"({len(book.code_ids())} codes)")
    return 0


def _import_options(args: argparse.Namespace):
    from ..model import ColumnMap, ImportOptions
    columns = None
    if args.text_col:
        columns = ColumnMap(text=args.text_col, speaker=args.speaker_col, start=args.start_col,
                            end=args.end_col, turn=args.turn_col)
    elif any((args.speaker_col, args.start_col, args.end_col, args.turn_col)):
        raise SessionCoderError("--text-col is required when you map columns")
    return ImportOptions(merge_consecutive=not args.keep_split,
                         merge_table_rows=args.merge_rows, columns=columns,
                         delimiter=args.delimiter, sheet=args.sheet)


def _roles(pairs: list[str]) -> dict[str, str]:
    roles = {}
    for pair in pairs:
        label, sep, role = pair.rpartition("=")
        if not sep or not label:
            raise SessionCoderError(f"--role {pair!r}: write it as LABEL=ROLE, e.g. 'T=therapist'")
        roles[label] = role.strip().lower()
    return roles


def cmd_import(args: argparse.Namespace) -> int:
    from ..importers.pipeline import files_in
    from ..model import SegmentationOptions
    from ..project import Project
    options = _import_options(args)
    roles = _roles(args.role)
    files: list[Path] = []
    for f in args.files:
        p = Path(f)
        files.extend(files_in(p) if p.is_dir() else [p])
    failed = 0
    if args.media is not None and len(files) != 1:
        raise SessionCoderError(f"--media {args.media}: give exactly one transcript file "
                                f"with it ({len(files)} given)")
    with Project.open(args.project) as project:
        default = project.importing.default_segmentation()
        seg = SegmentationOptions(unit=args.unit or default.unit,
                                  window_minutes=args.window_minutes or default.window_minutes,
                                  windows=args.windows or project.codebook.rates_windows())
        for _path, prepared in project.importing.prepare_all(files, options, seg):
            try:
                if isinstance(prepared, SessionCoderError):
                    raise prepared
                result = project.importing.store(prepared, roles=roles or None,
                                                 replace=args.replace, require_roles=True)
            except SessionCoderError as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            info = result.transcript
            if args.dyad:
                project.feedback.set_dyad(info.id, args.dyad)
            print(f"imported {info.name}: {info.turns} turns, {info.segments} {info.unit} "
                  f"units, speakers {', '.join(info.speakers) or '(none named)'}, "
                  f"duration {_fmt_ms(info.duration_ms)}, {info.encoding or info.format}")
            for warning in result.warnings:
                print(f"  note: {info.name}: {warning}")
            if args.media is not None:
                from .media import print_link
                try:
                    project.media.link(info.id, args.media)
                except SessionCoderError as exc:
                    failed += 1
                    print(f"error: {exc} (the transcript was imported without media)",
                          file=sys.stderr)
                    continue
                print_link(project, info.id, info.name)
    if failed:
        print(f"{failed} of {len(files)} file(s) not imported", file=sys.stderr)
    return 1 if failed else 0


def cmd_transcripts(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        infos = project.transcripts.list()
        media = project.media.all()
    if args.json:
        print(json.dumps([{
            "name": i.name, "turns": i.turns, "speakers": list(i.speakers),
            "duration_ms": i.duration_ms, "format": i.format, "encoding": i.encoding,
            "unit": i.unit, "units": i.segments, "window_minutes": i.window_minutes,
            "sha256": i.sha256, "imported_at": i.imported_at, "dyad": i.dyad,
            "media": media[i.id].as_json() if i.id in media else None} for i in infos],
            ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print("no transcripts yet (python main.py import PROJECT FILE...)")
    width = max((len(i.name) for i in infos), default=4)
    for i in infos:
        linked = f"  [media: {media[i.id].name}]" if i.id in media else ""
        print(f"{i.name:<{width}}  {i.turns:>5} turns  {_fmt_ms(i.duration_ms):>8}  "
              f"{', '.join(i.speakers)}{linked}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        info = project.transcripts.get(args.name)
        turns = project.transcripts.turns(info.id)
    if args.json:
        print(json.dumps({"name": info.name, "turns": [
            {"speaker": t.speaker, "role": t.role, "text": t.text, "start_ms": t.start_ms,
             "end_ms": t.end_ms} for t in turns]}, ensure_ascii=False, indent=2))
        return 0
    for t in turns:
        print(f"{t.position:>4}  {_fmt_ms(t.start_ms):>8}  {t.speaker or '?'} ({t.role}): "
              f"{t.text}")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("new", help="create a project file (.scproj) with a codebook")
    p.add_argument("project", type=Path)
    p.add_argument("--name", help="project name (default: the file name)")
    p.add_argument("--codebook", type=Path, metavar="FILE",
                   help="codebook (YAML or .qdc) to start with (default: the shipped "
                        "alliance & safeness codebook)")
    p.add_argument("--unit", choices=["turn", "sentence", "window"],
                   help="the unit of coding imports start from (default: turn)")
    p.add_argument("--window-minutes", type=float, metavar="N",
                   help="window length in minutes (default: 5)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import transcript files or folders into a project")
    p.add_argument("project", type=Path)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--unit", choices=["turn", "sentence", "window"],
                   help="coding unit (default: the project's, chosen with new; else turn)")
    p.add_argument("--window-minutes", type=float, metavar="N",
                   help="window length in minutes for window units (default: the "
                        "project's, else 5)")
    p.add_argument("--windows", action="store_true",
                   help="also make time windows on timed transcripts (made anyway when the "
                        "codebook has window ratings)")
    p.add_argument("--keep-split", action="store_true",
                   help="keep consecutive cues of one speaker as separate turns (subtitles, "
                        "text, DOCX; every merge is reported with a count)")
    p.add_argument("--merge-rows", action="store_true",
                   help="CSV/TSV/XLSX: join consecutive rows of one speaker into one turn "
                        "(default: one unit per row)")
    p.add_argument("--role", action="append", default=[], metavar="LABEL=ROLE",
                   help="set a speaker's role (therapist, client, other); repeatable")
    p.add_argument("--dyad", metavar="NAME",
                   help="the therapist or dyad these sessions belong to (for trends)")
    p.add_argument("--replace", action="store_true",
                   help="replace a transcript of the same name that is already imported")
    p.add_argument("--media", type=Path, metavar="MEDIA",
                   help="link this recording (audio or video) to the imported transcript")
    g = p.add_argument_group("CSV/XLSX column mapping (else found by header names)")
    g.add_argument("--text-col")
    g.add_argument("--speaker-col")
    g.add_argument("--start-col")
    g.add_argument("--end-col")
    g.add_argument("--turn-col")
    g.add_argument("--delimiter", choices=[",", ";", "\t"])
    g.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("transcripts", help="list a project's transcripts")
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_transcripts)

    p = sub.add_parser("show", help="print one transcript's turns")
    p.add_argument("project", type=Path)
    p.add_argument("name", help="transcript name (its file name)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
