"""Small display helpers shared by the panels (no Qt widgets here)."""

from __future__ import annotations

ROLE_COLORS = {"therapist": "#2f6db5", "client": "#2e8b57", "other": "#7a7a7a"}
ROLE_TINTS = {"therapist": "#e8f0fa", "client": "#e9f5ee", "other": "#f1f1f1"}


def fmt_time(ms: int | None) -> str:
    """m:ss under an hour, h:mm:ss from an hour; an en dash when there is no time."""
    if ms is None:
        return "–"
    s = ms // 1000
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def fmt_span(start: int | None, end: int | None) -> str:
    if start is None:
        return "–"
    return fmt_time(start) if end is None else f"{fmt_time(start)}–{fmt_time(end)}"


def one_line(text: str) -> str:
    return " ⏎ ".join(part.strip() for part in text.splitlines() if part.strip())
