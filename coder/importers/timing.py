"""Every timing anomaly of an imported transcript, counted, with the first few places.

Three kinds, judged on turns in file order (turns from one cue share its line and are not
compared with each other): a turn that ends before it starts; one that starts before the turn
before it (the times run backwards); one that starts before the turn before it has ended
(overlap: people talking over each other, or cues a tool wrote with sloppy times). None of
these stops an import — the times are kept as written — but the user is told about all of them.
"""

from __future__ import annotations

from ..model import ParsedTurn

SHOWN = 5            # places listed per kind


def _places(word: str, places: list[int]) -> str:
    listed = ", ".join(map(str, places[:SHOWN]))
    more = f" and {len(places) - SHOWN} more" if len(places) > SHOWN else ""
    return f"{word}{'s' if len(places) > 1 else ''} {listed}{more}"


def timing_warnings(turns: list[ParsedTurn], where: str = "line") -> list[str]:
    """One warning per kind of anomaly found: its count and the first places (`where` is
    what a turn's number counts: line, row or paragraph)."""
    ends_early: list[int] = []
    backwards: list[int] = []
    overlaps: list[int] = []
    prev: ParsedTurn | None = None
    for turn in turns:
        if turn.start_ms is None:
            continue
        place = turn.line if turn.line is not None else 0
        if turn.end_ms is not None and turn.end_ms < turn.start_ms:
            ends_early.append(place)
        if prev is not None and not (prev.line is not None and prev.line == turn.line):
            if turn.start_ms < prev.start_ms:
                backwards.append(place)
            elif prev.end_ms is not None and turn.start_ms < prev.end_ms:
                overlaps.append(place)
        prev = turn
    out = []
    if ends_early:
        n = len(ends_early)
        out.append(f"{n} turn{'s' if n > 1 else ''} end{'' if n > 1 else 's'} before "
                   f"{'they start' if n > 1 else 'it starts'} ({_places(where, ends_early)})")
    if backwards:
        n = len(backwards)
        out.append(f"times run backwards: {n} turn{'s' if n > 1 else ''} start"
                   f"{'' if n > 1 else 's'} before the turn above ({_places(where, backwards)})")
    if overlaps:
        n = len(overlaps)
        out.append(f"{n} turn{'s' if n > 1 else ''} start{'' if n > 1 else 's'} before the turn "
                   f"above has ended (overlap; {_places(where, overlaps)})")
    return out
