"""Build a Teams/Word-style transcript DOCX from a plain-text source.

Usage (from the repository root):

    python sample_transcripts/tools/make_docx.py \
        sample_transcripts/tools/session02_source.txt \
        sample_transcripts/session02_teams.docx

The DOCX has the layout of a Teams transcript exported to Word (see
tests/data/format_samples/teams_transcript.docx):

* a title paragraph, a date paragraph and "<Name> started transcription";
* one paragraph per talk turn: the first run is ``Name   m:ss`` (display name,
  three spaces, m:ss or h:mm:ss) followed by a line break, then one run per
  speech line, each but the last followed by a line break;
* a closing "<Name> stopped transcription" paragraph.

Source format: see the comment block at the top of session02_source.txt.
Needs python-docx (already a project dependency).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document

HEADER_RE = re.compile(r"^(?P<name>\S.*?)   (?P<time>\d{1,2}:\d{2}(?::\d{2})?)$")
META_KEYS = ("title", "date", "start", "end")


def parse_source(text: str) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """Return (meta, turns); each turn is (header line, speech lines)."""
    meta: dict[str, str] = {}
    turns: list[tuple[str, list[str]]] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        header, *speech = block
        if not HEADER_RE.match(header):
            raise ValueError(f"turn header is not 'Name   m:ss': {header!r}")
        if not speech:
            raise ValueError(f"turn without speech: {header!r}")
        turns.append((header, list(speech)))
        block.clear()

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            if key not in META_KEYS:
                raise ValueError(f"line {lineno}: unknown directive @{key}")
            meta[key] = value.strip()
            continue
        if not line.strip():
            flush()
            continue
        block.append(line)
    flush()
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        raise ValueError(f"missing directives: {', '.join('@' + k for k in missing)}")
    return meta, turns


def build_docx(meta: dict[str, str], turns: list[tuple[str, list[str]]], out: Path) -> None:
    doc = Document()
    doc.core_properties.author = "Session Coder sample transcripts"
    doc.core_properties.title = meta["title"]
    for key in ("title", "date", "start"):
        doc.add_paragraph(meta[key])
    for header, speech in turns:
        p = doc.add_paragraph()
        p.add_run(header).add_break()
        for i, line in enumerate(speech):
            run = p.add_run(line)
            if i < len(speech) - 1:
                run.add_break()
    doc.add_paragraph(meta["end"])
    doc.save(str(out))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: make_docx.py SOURCE.txt OUTPUT.docx", file=sys.stderr)
        return 2
    src, out = Path(argv[1]), Path(argv[2])
    meta, turns = parse_source(src.read_text(encoding="utf-8"))
    build_docx(meta, turns, out)
    print(f"wrote {out} ({len(turns)} turns)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
