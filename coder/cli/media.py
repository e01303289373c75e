"""``media``: link, relocate, offset or unlink the recording of a transcript."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import SessionCoderError


def _ms(seconds: str) -> int:
    try:
        return round(float(seconds) * 1000)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{seconds!r} is not a number of seconds") from None


def print_link(project, tid: int, name: str) -> None:
    info = project.media.get(tid)
    duration = "unknown length" if info.duration_ms is None else \
        f"{info.duration_ms / 1000:.1f} s"
    print(f"{name}: media {info.path} ({duration}, offset {info.offset_ms / 1000:+.1f} s)")
    for warning in project.media.warnings(tid):
        print(f"  note: {name}: {warning}")


def cmd_media(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project) as project:
        info = project.transcripts.get(args.transcript)
        if args.unlink:
            project.media.unlink(info.id)
            print(f"{info.name}: media unlinked")
            return 0
        if args.media is not None:
            current = project.media.get(info.id)
            if args.relocate:
                if current is None:
                    raise SessionCoderError(f"{info.name}: no media linked; link one first")
                project.media.relocate(info.id, args.media)
            else:
                project.media.link(info.id, args.media, offset_ms=args.offset)
        elif args.offset is not None:
            project.media.set_offset(info.id, args.offset)
        if project.media.get(info.id) is None:
            print(f"{info.name}: no media linked")
            return 0
        print_link(project, info.id, info.name)
        located = project.media.locate(info.id)
        if located.path is None:
            print(f"  note: {info.name}: {located.reason}", file=sys.stderr)
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("media", help="link a recording (audio or video) to a transcript, "
                                     "or show, relocate, offset or unlink it")
    p.add_argument("project", type=Path)
    p.add_argument("transcript", help="transcript name (its file name)")
    p.add_argument("media", nargs="?", type=Path, metavar="MEDIA",
                   help="the recording to link (never copied into the project)")
    p.add_argument("--offset", type=_ms, metavar="SECONDS",
                   help="the recording's time at the transcript's zero (e.g. 12.5)")
    p.add_argument("--relocate", action="store_true",
                   help="MEDIA is the linked recording moved elsewhere (checked by its hash)")
    p.add_argument("--unlink", action="store_true", help="remove the link")
    p.set_defaults(func=cmd_media)
