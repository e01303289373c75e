"""Plain-text transcripts (.txt): ``Label: text`` lines, Otter and Rev exports, and bare lines
(Whisper .txt). Which one a file is, is decided from its content (`sniff_text`)."""

from __future__ import annotations

import re

from ..errors import TranscriptFormatError
from ..model import ParsedTurn
from .labels import choose_labels, label_shape_ok, split_label
from .timecodes import TimeError, parse_clock
from .turns import TurnDraft

_TIME = r"\d{1,2}(?::\d{2}){1,2}"
# Otter: "Ana Ruiz  0:09" (two or more spaces, then m:ss or h:mm:ss; trailing spaces allowed).
OTTER_HEADER = re.compile(rf"(?P<name>\S.{{0,59}}?)(?:[ \t]{{2,}}|\t)(?P<time>{_TIME})\s*")
OTTER_FOOTER = re.compile(r"transcribed by\s+(https?://)?(www\.)?otter\.ai/?\s*", re.IGNORECASE)
# Rev: "Speaker 1 (00:06):" or "(01:00:31):", speech on the next line or after the colon.
REV_HEADER = re.compile(
    rf"(?P<name>\S.{{0,59}}?)[ \t]{{0,5}}\((?P<time>{_TIME})\):(?:\s+(?P<rest>.*))?", re.DOTALL)
MAX_HEADER_CHARS = 100    # Otter/Teams header lines are short; Rev checks only its first part

NumberedLines = list[tuple[int, str]]


def sniff_text(lines: NumberedLines) -> str:
    """'otter', 'rev' or 'text' for the non-blank numbered lines of a .txt file."""
    otter = sum(1 for _, s in lines if match_header(OTTER_HEADER, s))
    rev = sum(1 for _, s in lines if match_header(REV_HEADER, s))
    labelled = sum(1 for _, s in lines if split_label(s))
    for kind, hits, pattern in (("rev", rev, REV_HEADER), ("otter", otter, OTTER_HEADER)):
        early = any(match_header(pattern, s) for _, s in lines[:3])
        if hits and hits >= labelled and (hits >= 3 or early):
            return kind
    return "text"


def parse_text(text: str, name: str) -> tuple[str, list[ParsedTurn], list[str]]:
    """Parse a .txt transcript: returns (format, turns, warnings)."""
    lines = [(i, s.strip()) for i, s in enumerate(text.split("\n"), 1) if s.strip()]
    kind = sniff_text(lines)
    if kind == "otter":
        lines = [(i, s) for i, s in lines if not OTTER_FOOTER.fullmatch(s)]
        return kind, *parse_headed_lines(lines, OTTER_HEADER, name)
    if kind == "rev":
        return kind, *parse_headed_lines(lines, REV_HEADER, name)
    return kind, *parse_labelled_lines(lines)


def parse_labelled_lines(lines: NumberedLines, what: str = "line"
                         ) -> tuple[list[ParsedTurn], list[str]]:
    """``Label: text`` lines (labels chosen by `labels.choose_labels`); an unlabelled line
    continues the previous turn. With no labels at all, every line is a turn of speaker ""."""
    candidates = [(c[0], i) for i, s in lines if (c := split_label(s))]
    accepted, warnings = choose_labels(candidates, len(lines), what)
    turns: list[TurnDraft] = []
    for i, s in lines:
        c = split_label(s)
        if c and c[0] in accepted:
            turns.append(TurnDraft(c[0], i))
            turns[-1].add(c[1])
        elif not accepted or not turns:
            turns.append(TurnDraft("", i))
            turns[-1].add(s)
        else:
            turns[-1].add(s)
    if accepted and turns and not turns[0].speaker:
        warnings.insert(0, f"text before the first speaker label ({what} {turns[0].line}) "
                           "was imported with no speaker")
    return [t.build() for t in turns], warnings


def parse_headed_lines(lines: NumberedLines, header: re.Pattern[str], name: str,
                       what: str = "line") -> tuple[list[ParsedTurn], list[str]]:
    """Lines where a header (speaker + start time) opens each turn and the lines after it are
    the speech (Otter, Rev). Text before the first header becomes a turn of speaker ""."""
    turns: list[TurnDraft] = []
    for i, s in lines:
        m = match_header(header, s)
        if m:
            turns.append(TurnDraft(m["name"], i, start_ms=_start(m["time"], name, i)))
            turns[-1].add(m.groupdict().get("rest") or "")
        elif turns:
            turns[-1].add(s)
        else:
            turns.append(TurnDraft("", i))
            turns[-1].add(s)
    warnings = []
    if turns and not turns[0].speaker:
        warnings.append(f"text before the first speaker ({what} {turns[0].line}) was imported "
                        "with no speaker")
    return [t.build() for t in turns], warnings


def match_header(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    """The header match for a whole line, when its name part is shaped like a name."""
    if pattern is OTTER_HEADER and len(line) > MAX_HEADER_CHARS:
        return None
    if pattern is REV_HEADER and "):" not in line[:MAX_HEADER_CHARS]:
        return None
    m = pattern.fullmatch(line)
    return m if m and label_shape_ok(m["name"]) else None


def _start(clock: str, name: str, line: int) -> int:
    try:
        return parse_clock(clock)
    except TimeError as exc:
        raise TranscriptFormatError(f"broken time: {exc}", file=name, line=line) from None

