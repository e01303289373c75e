"""Core values: frozen dataclasses shared by importers, store, service and UI.

Times are integer milliseconds (``None`` when the source has no times). Text offsets are
Python code points; the UI converts from Qt's UTF-16 positions at its boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .rowcolumns import column

Role = Literal["therapist", "client", "other"]
ROLES: tuple[str, ...] = ("therapist", "client", "other")

UnitKind = Literal["turn", "sentence", "window"]
UNIT_KINDS: tuple[str, ...] = ("turn", "sentence", "window")


@dataclass(frozen=True)
class ParsedTurn:
    """One talk turn as read from a file, before it is stored."""

    speaker: str                 # label exactly as written; "" when the file names no speaker
    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    line: int | None = None      # 1-based line (or row) in the source where the turn starts


@dataclass(frozen=True)
class ParsedTranscript:
    """What an importer read from one file."""

    name: str                            # source file name (no folder)
    format: str                          # e.g. "vtt", "srt", "docx", "text", "otter", "rev", "csv"
    encoding: str | None                 # "utf-8", "utf-8-sig", "utf-16", "cp1252"; None for binary
    turns: tuple[ParsedTurn, ...]
    warnings: tuple[str, ...] = ()

    @property
    def speakers(self) -> tuple[str, ...]:
        """Non-empty speaker labels in order of first appearance."""
        return tuple(label for label in dict.fromkeys(column(self.turns, "speaker")) if label)

    @property
    def duration_ms(self) -> int | None:
        """From the first start to the last end (a turn without an end counts by its start);
        None when untimed. A recording that starts at 00:00:02 and ends at 00:49:54 lasted
        49 min 52 s."""
        start_col, end_col = column(self.turns, "start_ms"), column(self.turns, "end_ms")
        starts = [s for s in start_col if s is not None]
        ends = [e if e is not None else s for s, e in zip(start_col, end_col)]
        ends = [e for e in ends if e is not None]
        if not starts or not ends:
            return None
        return max(0, max(ends) - min(starts))


@dataclass(frozen=True)
class ColumnMap:
    """Which columns of a CSV/XLSX hold what. Names are matched case-insensitively."""

    text: str
    speaker: str | None = None
    start: str | None = None
    end: str | None = None
    turn: str | None = None      # an ordering column (rows are sorted by it when given)


@dataclass(frozen=True)
class ImportOptions:
    merge_consecutive: bool = True          # merge split cues/lines of one named speaker
    merge_table_rows: bool = False          # tables keep one unit per row unless asked
    columns: ColumnMap | None = None        # CSV/XLSX: explicit mapping (else found by header names)
    delimiter: str | None = None            # CSV: "," or ";" (else sniffed)
    sheet: str | None = None                # XLSX: sheet name (else the first)


@dataclass(frozen=True)
class SegmentSpec:
    """One unit as segmentation makes it, before it is stored."""

    kind: str                       # turn | sentence | window
    turn_index: int | None          # 0-based index into the turns (turn/sentence)
    char_start: int | None
    char_end: int | None
    start_ms: int | None
    end_ms: int | None
    first_turn: int | None = None   # windows: 0-based indexes of the turns held
    last_turn: int | None = None


@dataclass(frozen=True)
class SegmentationOptions:
    unit: UnitKind = "turn"
    window_minutes: float = 5.0
    windows: bool = True          # also make time windows (for window ratings) when timed


@dataclass(frozen=True)
class TranscriptInfo:
    """A stored transcript as listed to the user."""

    id: int
    name: str
    format: str
    encoding: str | None
    sha256: str
    imported_at: str
    turns: int
    speakers: tuple[str, ...]
    duration_ms: int | None
    unit: str
    window_minutes: float | None
    segments: int
    dyad: str | None = None   # the therapist or dyad the session belongs to


@dataclass(frozen=True)
class Speaker:
    id: int
    label: str
    role: str


@dataclass(frozen=True)
class Turn:
    id: int
    position: int            # 1-based within its transcript
    speaker: str
    role: str
    text: str
    start_ms: int | None
    end_ms: int | None


@dataclass(frozen=True)
class Segment:
    """A unit raters code. ``id`` is stable for the life of the project."""

    id: int
    transcript_id: int
    kind: str                 # "turn", "sentence" or "window"
    position: int             # 1-based among this transcript's units of this kind
    speaker: str              # "" for a window
    role: str                 # "" for a window
    text: str
    start_ms: int | None
    end_ms: int | None
    turn_position: int | None = None      # the turn it lies in (turn/sentence)
    char_start: int | None = None         # offsets into that turn's text (code points)
    char_end: int | None = None
    first_turn: int | None = None         # windows: the turns they hold (1-based positions)
    last_turn: int | None = None


@dataclass(frozen=True)
class ImportResult:
    transcript: TranscriptInfo
    warnings: tuple[str, ...] = field(default=())


RATER_ROLES: tuple[str, ...] = ("rater", "supervisor", "master")


@dataclass(frozen=True)
class Rater:
    id: int
    name: str
    initials: str
    role: str                 # rater | supervisor | master (master coder: the reference)


@dataclass(frozen=True)
class CodingView:
    """One coding as the workspace shows it."""

    id: int
    transcript_id: int
    segment_id: int | None     # None: a session global
    rater_id: int
    code: str                  # the code's stable id
    value: float | None
    span_start: int | None
    span_end: int | None
    note: str | None
    codebook_version: int
