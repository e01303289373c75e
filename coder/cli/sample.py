"""``python main.py sample OUT.scproj``: build the sample project headless.

The four sample sessions under the rupture & repair codebook, coded by a supervisor and two
raters, ready for `reliability` and `export`. The file must not exist yet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import SessionCoderError


def cmd_sample(args: argparse.Namespace) -> int:
    from ..sample import SAMPLE_SUPERVISOR, build_sample_project
    from ..project import Project
    if args.project.exists():
        raise SessionCoderError(f"{args.project}: already exists; choose a new file name")
    build_sample_project(args.project)
    with Project.open(args.project, readonly=True, backup=False) as project:
        transcripts = project.transcripts.list()
        raters = project.raters.list()
    print(f"{args.project}: sample project with {len(transcripts)} transcripts coded by "
          f"{len(raters)} raters ({', '.join(r.name for r in raters)}); "
          f"supervisor: {SAMPLE_SUPERVISOR}")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("sample", help="build the sample project (four sessions coded by "
                                      "three raters) into a new file")
    p.add_argument("project", type=Path, help="the .scproj file to create")
    p.set_defaults(func=cmd_sample)
