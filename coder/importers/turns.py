"""Shared last steps for every format: a turn under construction, cleaning, merging, and
packing the result into a ParsedTranscript."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import TranscriptFormatError
from ..model import ImportOptions, ParsedTranscript, ParsedTurn
from .timing import timing_warnings

_WHERE = {"csv": "row", "tsv": "row", "xlsx": "row", "docx": "paragraph"}


@dataclass
class TurnDraft:
    """A turn being read: text arrives in pieces (lines, cues) and is joined with spaces."""

    speaker: str
    line: int | None
    start_ms: int | None = None
    end_ms: int | None = None
    parts: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        """Append one piece of text (surrounding whitespace dropped, blank pieces ignored)."""
        text = text.strip()
        if text:
            self.parts.append(text)

    def build(self) -> ParsedTurn:
        return ParsedTurn(self.speaker, " ".join(self.parts), self.start_ms, self.end_ms,
                          self.line)


def merge_consecutive(turns: list[ParsedTurn]) -> list[ParsedTurn]:
    """Merge runs of turns with the same non-empty speaker: texts joined with a space, start
    and line of the first, end of the last (or the latest known end). Speaker "" never merges."""
    groups: list[list[ParsedTurn]] = []
    for turn in turns:
        if groups and turn.speaker and turn.speaker == groups[-1][0].speaker:
            groups[-1].append(turn)
        else:
            groups.append([turn])
    return [group[0] if len(group) == 1 else _merged(group) for group in groups]


def _merged(group: list[ParsedTurn]) -> ParsedTurn:
    starts = [t.start_ms for t in group if t.start_ms is not None]
    ends = [t.end_ms for t in group if t.end_ms is not None]
    first = group[0]
    return ParsedTurn(first.speaker, " ".join(t.text for t in group),
                      starts[0] if starts else None, ends[-1] if ends else None, first.line)


#: Formats that hold one utterance per row: merged only on request (`merge_table_rows`).
TABLE_FORMATS = ("csv", "tsv", "xlsx")


def finish(name: str, fmt: str, encoding: str | None, turns: list[ParsedTurn],
           options: ImportOptions, warnings: list[str] | tuple[str, ...] = ()
           ) -> ParsedTranscript:
    """Drop turns without text, merge where the format calls for it (cues, lines and
    paragraphs that split one speaker's turn; table rows only on request), say how many were
    merged, and refuse a file with no speech at all. (Whisper's TSV, a table of cues, has no
    speaker column, so nothing in it merges either way.)"""
    warnings = list(warnings)
    cleaned = [t if t.text == t.text.strip() else
               ParsedTurn(t.speaker, t.text.strip(), t.start_ms, t.end_ms, t.line)
               for t in turns]
    kept = [t for t in cleaned if t.text]
    if len(kept) < len(cleaned):
        n = len(cleaned) - len(kept)
        what = "entry with a speaker or time but no text was" if n == 1 else \
            "entries with a speaker or time but no text were"
        warnings.append(f"{n} {what} skipped")
    if not kept:
        raise TranscriptFormatError("no talk turns were found in this file", file=name)
    warnings.extend(timing_warnings(kept, _WHERE.get(fmt, "line")))
    table = fmt in TABLE_FORMATS
    if options.merge_table_rows if table else options.merge_consecutive:
        before = len(kept)
        kept = merge_consecutive(kept)
        if len(kept) < before:
            n = before - len(kept)
            what = ("row" if table else "cue") + ("" if n == 1 else "s")
            how = ("as asked (--merge-rows)" if table
                   else "keep them apart with --keep-split")
            warnings.append(f"{n} {what} joined to the same speaker's turn before "
                            f"({before} -> {len(kept)} turns); {how}")
    return ParsedTranscript(name=name, format=fmt, encoding=encoding, turns=tuple(kept),
                            warnings=tuple(warnings))
