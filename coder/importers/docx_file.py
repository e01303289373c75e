"""Word transcripts (.docx) via python-docx.

Two layouts:
- Teams/Word export: a paragraph whose first line is ``Name   0:04`` (name, 2+ spaces or a tab,
  m:ss or h:mm:ss) opens a turn; the speech follows after a line break in the same paragraph
  and/or in the next paragraphs. Paragraphs before the first such header (meeting title, date)
  and "X started/stopped transcription" notices are dropped.
- Any other document: ``Speaker: text`` lines, read like a plain-text transcript.
Line numbers in turns and messages are paragraph numbers (1-based).
"""

from __future__ import annotations

import io
import re

from ..errors import TranscriptFormatError
from ..model import ParsedTurn
from .labels import split_label
from .plaintext import OTTER_HEADER, match_header, parse_labelled_lines
from .timecodes import TimeError, parse_clock
from .turns import TurnDraft
from .ziputil import check_zip

KIND = "Word document (.docx)"
_TRANSCRIPTION_NOTICE = re.compile(r".{1,80}\s(started|stopped|paused|resumed) transcription\.?",
                                   re.IGNORECASE)


def read_paragraphs(data: bytes, name: str) -> tuple[list[str], bool]:
    """The text of every body paragraph (line breaks as "\\n") and whether tables hold text."""
    check_zip(data, name, "word/document.xml", KIND)
    try:
        import docx  # python-docx; imported here so that loading the importers stays cheap

        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        tables = any(cell.text.strip() for table in document.tables
                     for row in table.rows for cell in row.cells)
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in many library ways
        raise TranscriptFormatError(f"not a valid {KIND}: it could not be read "
                                    f"({type(exc).__name__})", file=name) from None
    return paragraphs, tables


def parse_docx(data: bytes, name: str) -> tuple[list[ParsedTurn], list[str]]:
    """A .docx transcript -> turns and warnings."""
    paragraphs, tables = read_paragraphs(data, name)
    warnings = ["tables in the document were ignored"] if tables else []
    numbered = [(i, p) for i, p in enumerate(paragraphs, 1) if p.strip()]
    headers = sum(1 for _, p in numbered if _first_line_header(p))
    labelled = sum(1 for _, p in numbered if split_label(p.strip()))
    if headers and headers >= labelled:
        turns, more = _parse_teams(numbered, name)
    else:
        lines = [(i, s.strip()) for i, p in numbered for s in p.split("\n") if s.strip()]
        turns, more = parse_labelled_lines(lines, "paragraph")
    return turns, warnings + more


def _first_line_header(paragraph: str) -> re.Match[str] | None:
    return match_header(OTTER_HEADER, paragraph.split("\n", 1)[0].strip())


def _parse_teams(numbered: list[tuple[int, str]], name: str
                 ) -> tuple[list[ParsedTurn], list[str]]:
    turns: list[TurnDraft] = []
    for number, paragraph in numbered:
        lines = paragraph.split("\n")
        header = _first_line_header(paragraph)
        if header:
            try:
                start = parse_clock(header["time"])
            except TimeError as exc:
                raise TranscriptFormatError(f"broken time: {exc}", file=name,
                                            line=number) from None
            turns.append(TurnDraft(header["name"], number, start_ms=start))
            lines = lines[1:]
        elif not turns or _TRANSCRIPTION_NOTICE.fullmatch(paragraph.strip()):
            continue
        for line in lines:
            turns[-1].add(line)
    return [t.build() for t in turns], []
