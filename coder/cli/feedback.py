"""The supervisor's feedback, headless: ``measures``, ``dyad``, ``episode-rule``, ``feedback``.

``measures define|list|set|import`` records the client's own session measures;
``dyad`` files a transcript under a therapist or dyad; ``episode-rule`` sets N and M of the
rupture -> repair episode rule; ``feedback`` prints one session's episodes and profile.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import SessionCoderError


def _num(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise SessionCoderError(f"{text!r} is not a number") from None


def cmd_define(args: argparse.Namespace) -> int:
    from ..analytics.measures import Measure
    from ..project import Project
    m = Measure(args.name, _num(args.min), _num(args.max), not args.lower_is_better,
                args.subscale_of, args.alliance)
    with Project.open(args.project) as project:
        project.feedback.define_measure(m)
    print(f"defined measure {m.name} ({m.range_text})"
          + (f", a sub-scale of {m.parent}" if m.parent else "")
          + (", rates the alliance" if m.alliance else ""))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..analytics.measures import format_value
    from ..project import Project
    with Project.open(args.project, readonly=True) as project:
        defs, values = project.feedback.measures(), project.feedback.measure_values()
    if args.json:
        print(json.dumps({
            "measures": [{"name": m.name, "min": m.min, "max": m.max,
                          "higher_is_better": m.higher_is_better, "subscale_of": m.parent,
                          "alliance": m.alliance} for m in defs],
            "values": [{"transcript": v.transcript, "measure": v.measure, "value": v.value}
                       for v in values]}, ensure_ascii=False, indent=2))
        return 0
    if not defs:
        print("no measures yet (python main.py measures define PROJECT NAME --min A --max B)")
    for m in defs:
        print(f"{m.name}: {m.range_text}" + (f" (sub-scale of {m.parent})" if m.parent else "")
              + (" [alliance]" if m.alliance else ""))
    for v in values:
        print(f"  {v.transcript}  {v.measure} = {format_value(v.value)}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from ..project import Project
    value = None if args.value.lower() in ("", "-", "none") else _num(args.value)
    with Project.open(args.project) as project:
        info = project.transcripts.get(args.transcript)
        project.feedback.set_values(info.id, {args.measure: value})
    print(f"{info.name}: {args.measure} = {args.value}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project) as project:
        command = project.feedback.import_measures(args.file)
    print(command.summary)
    return 0


def cmd_dyad(args: argparse.Namespace) -> int:
    from ..project import Project
    with Project.open(args.project) as project:
        info = project.transcripts.get(args.transcript)
        project.feedback.set_dyad(info.id, None if args.clear else args.name)
    print(f"{info.name}: dyad {'cleared' if args.clear else repr(args.name)}")
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from ..analytics.data import EpisodeSettings
    from ..analytics.episodes import rule_text
    from ..project import Project
    with Project.open(args.project, readonly=args.join is None and args.resolve is None
                      ) as project:
        current = project.feedback.settings()
        if args.join is not None or args.resolve is not None:
            current = EpisodeSettings(args.join if args.join is not None else current.join_units,
                                      args.resolve if args.resolve is not None
                                      else current.resolve_units)
            project.feedback.set_rule(current)
    print(rule_text(current))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from ..report.gather import gather
    from ..project import Project
    from ..report.text import summary_json, summary_lines
    from .auth import unlock_if_protected
    with Project.open(args.project, readonly=True) as project:
        unlock_if_protected(project)
        if args.per_rater:
            from ..report.compare import COLUMNS, per_rater, rows, table_lines
            feedbacks = per_rater(project, args.transcript)
            if args.json:
                print(json.dumps([dict(zip(COLUMNS, r)) for r in rows(feedbacks)],
                                 ensure_ascii=False, indent=2))
            else:
                print("\n".join(table_lines(feedbacks)))
            return 0
        report = gather(project, args.transcript, rater=args.rater, consensus=args.consensus)
    if args.json:
        print(json.dumps(summary_json(report), ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(report)))
    return 0


def _rater_args(p) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rater", metavar="NAME", help="whose codings (default: the only rater)")
    g.add_argument("--consensus", action="store_true",
                   help="the consensus layer (decided by adjudication; see docs/TEAM.md)")


def add_parsers(sub) -> None:
    p = sub.add_parser("measures", help="the client's own session measures")
    p.set_defaults(subparser=p)
    msub = p.add_subparsers(dest="measures_command", metavar="ACTION")
    d = msub.add_parser("define", help="add a measure (name, range, which end is better)")
    d.add_argument("project", type=Path)
    d.add_argument("name")
    d.add_argument("--min", required=True)
    d.add_argument("--max", required=True)
    d.add_argument("--lower-is-better", action="store_true")
    d.add_argument("--subscale-of", metavar="MEASURE")
    d.add_argument("--alliance", action="store_true",
                   help="the measure rates the relationship (read by the discordance rules)")
    d.set_defaults(func=cmd_define)
    ls = msub.add_parser("list", help="measures and their values")
    ls.add_argument("project", type=Path)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)
    s = msub.add_parser("set", help="enter one session's value ('-' clears it)")
    s.add_argument("project", type=Path)
    s.add_argument("transcript")
    s.add_argument("measure")
    s.add_argument("value")
    s.set_defaults(func=cmd_set)
    i = msub.add_parser("import", help="import a table: transcript, measure, value "
                                       "(all rows or none)")
    i.add_argument("project", type=Path)
    i.add_argument("file", type=Path)
    i.set_defaults(func=cmd_import)

    p = sub.add_parser("dyad", help="file a transcript under a therapist or dyad")
    p.add_argument("project", type=Path)
    p.add_argument("transcript")
    p.add_argument("name", nargs="?", default="")
    p.add_argument("--clear", action="store_true")
    p.set_defaults(func=cmd_dyad)

    p = sub.add_parser("episode-rule", help="show or set N and M of the episode rule")
    p.add_argument("project", type=Path)
    p.add_argument("--join", type=int, metavar="N", help="units within which markers join "
                   "and repairs belong (default 10)")
    p.add_argument("--resolve", type=int, metavar="M", help="units after the last repair "
                   "that must be free of markers (default 5)")
    p.set_defaults(func=cmd_rule)

    p = sub.add_parser("feedback", help="one session's episodes, profile and measures")
    p.add_argument("project", type=Path)
    p.add_argument("transcript")
    _rater_args(p)
    p.add_argument("--per-rater", action="store_true",
                   help="each rater's figures side by side (episodes, repairs, moves)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feedback)
