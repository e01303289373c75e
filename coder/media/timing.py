"""Time arithmetic between a recording and its transcript (pure, no I/O).

The offset is the media time at the transcript's zero: a recording that started 12 s before
the transcript's first timestamp has offset 12000, so transcript time t plays at t + 12000.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

#: A recording this much longer than the transcript gets a warning.
LONGER_BY_MS = 10 * 60_000
LONGER_RATIO = 1.5


def media_ms(transcript_ms: int, offset_ms: int) -> int:
    return max(0, transcript_ms + offset_ms)


def transcript_ms(media_position_ms: int, offset_ms: int) -> int:
    return media_position_ms - offset_ms


def unit_at(starts: Sequence[int | None], position_ms: int, offset_ms: int) -> int | None:
    """Index of the unit being spoken at media time `position_ms` (the last that started at or
    before it; the first while nothing has started); None when no unit is timed."""
    timed = [(s, i) for i, s in enumerate(starts) if s is not None]
    if not timed:
        return None
    keys = [s for s, _ in timed]
    k = bisect_right(keys, transcript_ms(position_ms, offset_ms)) - 1
    return timed[max(k, 0)][1]


def play_range(start_ms: int | None, end_ms: int | None, offset_ms: int, pre_roll_ms: int,
               duration_ms: int | None = None) -> tuple[int, int | None] | None:
    """(from, to) in media time to play one unit with a pre-roll; None for an untimed unit."""
    if start_ms is None:
        return None
    begin = max(0, media_ms(start_ms, offset_ms) - max(0, pre_roll_ms))
    end = None if end_ms is None else media_ms(end_ms, offset_ms)
    if end is not None and duration_ms is not None:
        end = min(end, duration_ms)
    return begin, end


def warnings(last_ms: int | None, duration_ms: int | None, offset_ms: int) -> list[str]:
    """What looks wrong between the transcript's times and the recording's length."""
    if last_ms is None or duration_ms is None:
        return []
    out = []
    end = media_ms(last_ms, offset_ms)
    if end > duration_ms:
        out.append(f"the transcript's last time ({_clock(last_ms)}) runs past the end of the "
                   f"recording ({_clock(duration_ms)}) by {_clock(end - duration_ms)}: a "
                   "different recording, or the offset is wrong")
    elif duration_ms - end > LONGER_BY_MS and duration_ms > LONGER_RATIO * max(end, 1):
        out.append(f"the recording ({_clock(duration_ms)}) is much longer than the transcript "
                   f"({_clock(last_ms)}): a different recording, or a partial transcript")
    return out


def taps_to_times(taps: Sequence[int | None], offset_ms: int,
                  duration_ms: int | None) -> list[tuple[int | None, int | None]]:
    """Turn start taps (media times, one per turn, None for turns not tapped) into
    (start, end) transcript times: a turn ends where the next timed one starts; the last
    ends at the end of the recording. Taps must not go backwards."""
    starts = [None if t is None else transcript_ms(t, offset_ms) for t in taps]
    previous = None
    for i, s in enumerate(starts):
        if s is None:
            continue
        if s < 0:
            starts[i] = s = 0
        if previous is not None and s < previous:
            raise ValueError(f"turn {i + 1} would start before turn before it")
        previous = s
    out: list[tuple[int | None, int | None]] = []
    for i, s in enumerate(starts):
        nxt = next((n for n in starts[i + 1:] if n is not None), None)
        if s is None:
            out.append((None, None))
        elif nxt is not None:
            out.append((s, nxt))
        else:
            out.append((s, None if duration_ms is None else
                        max(s, transcript_ms(duration_ms, offset_ms))))
    return out


def nudged(times: Sequence[tuple[int | None, int | None]], position: int,
           delta_ms: int) -> list[tuple[int | None, int | None]]:
    """Turn times with turn `position`'s start (and the previous turn's end) moved by
    `delta_ms`; a start may not pass its neighbours'."""
    i = position - 1
    if not 0 <= i < len(times) or times[i][0] is None:
        raise ValueError(f"turn {position} has no time to nudge")
    start = max(0, times[i][0] + delta_ms)
    if i > 0 and times[i - 1][0] is not None and start < times[i - 1][0]:
        raise ValueError(f"turn {position} cannot start before turn {position - 1}")
    nxt = times[i + 1][0] if i + 1 < len(times) else None
    if nxt is not None and start > nxt:
        raise ValueError(f"turn {position} cannot start after turn {position + 1}")
    new = list(times)
    new[i] = (start, times[i][1])
    if i > 0 and times[i - 1][0] is not None:
        new[i - 1] = (times[i - 1][0], start)
    return new


def _clock(ms: int) -> str:
    s = abs(ms) // 1000
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
