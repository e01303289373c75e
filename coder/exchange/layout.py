"""Where our units lie in a REFI-QDA plain-text source.

Export writes one line per turn, ``Speaker: text`` (the label as written in the transcript;
no prefix for unnamed speakers), so every unit is a character range of that text (REFI-QDA
positions count Unicode code points, as Python does). Import finds each of our turns' text
in a source's text, in order, so selections made elsewhere can be laid onto our units.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Segment, Turn


def source_text(turns: Sequence[Turn]) -> tuple[str, dict[int, int]]:
    """The plain text and the offset where each turn's own text starts (by position)."""
    parts, starts, at = [], {}, 0
    for t in turns:
        prefix = f"{t.speaker}: " if t.speaker else ""
        starts[t.position] = at + len(prefix)
        line = f"{prefix}{t.text}\n"
        parts.append(line)
        at += len(line)
    return "".join(parts), starts


def align(text: str, turns: Sequence[Turn]) -> dict[int, int]:
    """Offsets of our turns' texts found in order in `text` (turns not found are absent)."""
    starts, cursor = {}, 0
    for t in turns:
        if not t.text:
            continue
        i = text.find(t.text, cursor)
        if i < 0:
            continue
        starts[t.position] = i
        cursor = i + len(t.text)
    return starts


def unit_ranges(units: Sequence[Segment], turns: Sequence[Turn],
                starts: dict[int, int]) -> dict[int, tuple[int, int]]:
    """segment id -> (start, end) in the source text, for units whose turns were placed."""
    length = {t.position: len(t.text) for t in turns}
    out = {}
    for u in units:
        if u.kind == "window":
            if u.first_turn in starts and u.last_turn in starts:
                out[u.id] = (starts[u.first_turn], starts[u.last_turn] + length[u.last_turn])
            continue
        if u.turn_position not in starts:
            continue
        base = starts[u.turn_position]
        a = u.char_start or 0
        b = u.char_end if u.char_end is not None else length[u.turn_position]
        out[u.id] = (base + a, base + b)
    return out
