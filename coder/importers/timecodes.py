"""Times as people write them -> integer milliseconds (fractions round half up)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_MS = 100 * 3600 * 1000          # nothing we import lasts 100 hours; beyond is a broken file

# h:mm:ss(.f), mm:ss(.f) or m:ss(.f); "," may stand for the decimal point.
_CLOCK = re.compile(r"(?:(\d{1,6}):)?(\d{1,6}):(\d{1,2})(?:[.,](\d{1,9}))?")
_SECONDS = re.compile(r"\d{1,12}(?:[.,]\d{1,9})?")


class TimeError(ValueError):
    """A time that cannot be read; the caller adds file and line (never leaves the package)."""


def seconds_to_ms(seconds: Decimal | int | float | str) -> int:
    """Seconds (number or decimal string) -> ms, rounding half up; rejects NaN, <0, huge."""
    if isinstance(seconds, bool):
        raise TimeError("a yes/no value is not a time")
    if isinstance(seconds, float):
        if not math.isfinite(seconds):
            raise TimeError(f"{seconds} is not a time")
        seconds = repr(seconds)           # 4.2 -> "4.2", not 4.2000000000000001776...
    try:
        value = seconds if isinstance(seconds, (Decimal, int)) else \
            Decimal(str(seconds).replace(",", "."))
        value = Decimal(value)
    except InvalidOperation:
        raise TimeError(f"{seconds!r} is not a number of seconds") from None
    if not value.is_finite() or value < 0:
        raise TimeError(f"{seconds} is not a time")
    if value > MAX_MS / 1000:
        raise TimeError(f"{seconds} seconds is out of range (over 100 hours)")
    return int((value * 1000).to_integral_value(rounding=ROUND_HALF_UP))


def clock_to_ms(hours: str | None, minutes: str, seconds: str, fraction: str | None) -> int:
    """Clock parts -> ms. Minutes must be < 60 when hours are given; seconds always < 60."""
    h = int(hours) if hours else 0
    m, s = int(minutes), int(seconds)
    if s >= 60 or (hours and m >= 60):
        raise TimeError("minutes and seconds must be below 60")
    ms = ((h * 60 + m) * 60 + s) * 1000
    if fraction:                       # integer arithmetic, half up (cues are many: be quick)
        scale = 10 ** len(fraction)
        q, r = divmod(int(fraction) * 1000, scale)
        ms += q + (1 if 2 * r >= scale else 0)
    if ms > MAX_MS:
        raise TimeError(f"{hours or 0}:{minutes}:{seconds} is out of range (over 100 hours)")
    return ms


def parse_clock(text: str) -> int:
    """``h:mm:ss(.f)``, ``mm:ss(.f)`` or ``m:ss`` -> ms. Raises TimeError."""
    m = _CLOCK.fullmatch(text.strip())
    if not m:
        raise TimeError(f"'{text.strip()}' is not a time like 1:02:03 or 02:03.5")
    return clock_to_ms(*m.groups())


def parse_time_cell(value: object, *, unit_ms: bool = False) -> int | None:
    """A spreadsheet cell -> ms: numbers are seconds (ms when `unit_ms`), strings may be clock
    times or numbers; empty -> None. Raises TimeError."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise TimeError(f"{value} is a date, not a time")
    if isinstance(value, dt.time):            # an Excel cell formatted as a time
        return seconds_to_ms(Decimal(value.hour * 3600 + value.minute * 60 + value.second)
                             + Decimal(value.microsecond) / 1_000_000)
    if isinstance(value, dt.timedelta):       # an Excel cell formatted as a duration
        micro = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
        return seconds_to_ms(Decimal(micro) / 1_000_000)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit_ms:
            if isinstance(value, float) and not math.isfinite(value):
                raise TimeError(f"{value} is not a time")
            return seconds_to_ms(Decimal(repr(value)) / 1000)
        return seconds_to_ms(value)
    text = str(value).strip()
    if not text:
        return None
    if _SECONDS.fullmatch(text):
        if unit_ms:
            return seconds_to_ms(Decimal(text.replace(",", ".")) / 1000)
        return seconds_to_ms(text)
    return parse_clock(text)

