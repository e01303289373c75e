"""``python main.py report PROJECT TRANSCRIPT OUT [--rater NAME | --consensus] [--html]``.

The HTML report is made by the core. The PDF is drawn with Qt (QTextDocument + QPdfWriter),
which the core never imports: the launcher (`main.py`) hands this module a PDF writer from
the front end (`ui.feedback.report_pdf.write_pdf`) in `PDF_WRITER`. Run without the launcher
(no writer given), the command writes HTML only and says so.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..errors import SessionCoderError

#: (report, text, path) -> number of pages; set by the launcher.
PDF_WRITER: Callable | None = None


def cmd_report(args: argparse.Namespace) -> int:
    from ..report.save import save_html
    from ..report.gather import default_text, gather
    from ..report.html import render_html
    from ..project import Project
    from .auth import unlock_if_protected
    out = Path(args.out)
    html = args.html or out.suffix.lower() in (".html", ".htm")
    if not html and PDF_WRITER is None:
        raise SessionCoderError("PDF needs the desktop front end's Qt (run through main.py), "
                                "or write HTML with --html")
    with Project.open(args.project, readonly=True) as project:
        unlock_if_protected(project)
        report = gather(project, args.transcript, rater=args.rater, consensus=args.consensus)
    text = default_text(report)
    if html:
        save_html(out, render_html(report, text))
        print(f"wrote {out} (HTML)")
        return 0
    pages = PDF_WRITER(report, text, out)
    print(f"wrote {out} (PDF, {pages} page(s))")
    return 0


def add_parsers(sub) -> None:
    p = sub.add_parser("report", help="a feedback report on one session, for supervision "
                                      "(PDF, or HTML with --html)")
    p.add_argument("project", type=Path)
    p.add_argument("transcript")
    p.add_argument("out", type=Path)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rater", metavar="NAME", help="whose codings (default: the only rater)")
    g.add_argument("--consensus", action="store_true",
                   help="the consensus layer (decided by adjudication; see docs/TEAM.md)")
    p.add_argument("--html", action="store_true", help="write HTML instead of PDF")
    p.set_defaults(func=cmd_report)
