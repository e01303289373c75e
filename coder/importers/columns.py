"""Finding the speaker/text/start/end/turn columns of a table by their header names."""

from __future__ import annotations

import re

from ..errors import TranscriptFormatError
from ..model import ColumnMap

# Normalised header names (lower case, runs of other characters -> "_"), best first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("text", "utterance", "utterance_text", "transcript", "transcription", "content",
             "speech", "words", "sentence", "statement", "dialogue", "dialog", "verbatim",
             "caption", "message", "turn_text", "said", "what_was_said"),
    "speaker": ("speaker", "speaker_name", "speakername", "speaker_label", "speaker_role",
                "name", "role", "participant", "who", "person", "talker", "spk",
                "speaker_id", "actor", "voice"),
    "start": ("start", "start_time", "starttime", "start_ms", "start_s", "start_sec",
              "start_seconds", "begin", "begin_time", "begin_ms", "from", "onset", "time",
              "timestamp", "time_in", "tc_in", "in"),
    "end": ("end", "end_time", "endtime", "end_ms", "end_s", "end_sec", "end_seconds", "stop",
            "stop_time", "finish", "to", "time_out", "tc_out", "out"),
    "turn": ("turn", "turn_no", "turn_nr", "turn_number", "turn_id", "turn_index", "order",
             "index", "seq", "sequence", "utterance_id", "utterance_no", "no", "nr", "number",
             "#", "position"),
}
_ROLES = ("text", "speaker", "start", "end", "turn")
# Second pass: a header containing one of these words ("Start time (s)", "Speaker (role)").
_WORDS = {"text": ("text", "utterance", "transcript"), "speaker": ("speaker",),
          "start": ("start", "begin"), "end": ("end",), "turn": ("turn",)}
_MS_UNIT = re.compile(r"(^|_)(ms|msec|millis|milliseconds)$")


def normalise(header: str) -> str:
    """'Start Time (s)' -> 'start_time_s'; '#' stays '#'."""
    return re.sub(r"[^a-z0-9#]+", "_", str(header).strip().lower()).strip("_")


def guess_columns(headers: list[str]) -> ColumnMap | None:
    """A ColumnMap from header names (any case, common synonyms); None without a text column."""
    keys = [normalise(h) for h in headers]
    used: set[int] = set()
    found: dict[str, str] = {}
    for finder, table in ((_find, SYNONYMS), (_find_word, _WORDS)):  # exact names first
        for role in _ROLES:
            if role in found:
                continue
            index = finder(keys, table[role], used)
            if index is not None:
                used.add(index)
                found[role] = str(headers[index])
    if "text" not in found:
        return None
    return ColumnMap(**found)


def _find(keys: list[str], names: tuple[str, ...], used: set[int]) -> int | None:
    for name in names:
        for i, key in enumerate(keys):
            if key == name and i not in used:
                return i
    return None


def _find_word(keys: list[str], words: tuple[str, ...], used: set[int]) -> int | None:
    for word in words:
        for i, key in enumerate(keys):
            if i not in used and word in key.split("_"):
                return i
    return None


def is_ms_column(header: str) -> bool:
    """True when a time column's name says its values are milliseconds ('start_ms')."""
    return bool(_MS_UNIT.search(normalise(header)))


def resolve_columns(headers: list[str], mapping: ColumnMap | None, name: str
                    ) -> dict[str, int]:
    """Column index for each mapped role. `mapping` None -> `guess_columns`. Names match
    case-insensitively; a missing column is an error that lists the columns there are."""
    listed = ", ".join(f"'{h}'" for h in headers if str(h).strip()) or "(none)"
    if mapping is None:
        mapping = guess_columns(headers)
        if mapping is None:
            raise TranscriptFormatError(
                f"no text column found; the columns are {listed}. Choose the columns by hand "
                "(text is required; speaker, start, end and turn are optional)",
                file=name, line=1)
    lowered = [str(h).strip().lower() for h in headers]
    indexes: dict[str, int] = {}
    for role in _ROLES:
        wanted = getattr(mapping, role)
        if wanted is None:
            continue
        key = str(wanted).strip().lower()
        if key not in lowered:
            raise TranscriptFormatError(
                f"there is no column '{wanted}' (for {role}); the columns are {listed}",
                file=name, line=1)
        indexes[role] = lowered.index(key)
    return indexes
