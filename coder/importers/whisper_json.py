"""Whisper's JSON output: ``{"segments": [{"start": s, "end": s, "text": "..."}]}`` (a bare
list of segments is accepted too). A ``speaker`` key (WhisperX, diarised output) is used."""

from __future__ import annotations

import json

from ..errors import TranscriptFormatError
from ..model import ParsedTurn
from .timecodes import TimeError, seconds_to_ms


def parse_whisper_json(text: str, name: str) -> tuple[list[ParsedTurn], list[str]]:
    """Decoded JSON text -> turns (no line numbers: JSON has no lines to speak of)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptFormatError(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno,
                                    column=exc.colno) from None
    except (RecursionError, ValueError):
        raise TranscriptFormatError("not valid JSON (nested too deeply or numbers too long)",
                                    file=name) from None
    segments = document.get("segments") if isinstance(document, dict) else document
    if not isinstance(segments, list):
        raise TranscriptFormatError(
            "not a Whisper transcript: expected a \"segments\" list with start, end and text",
            file=name)
    turns = []
    for number, segment in enumerate(segments, 1):
        if not isinstance(segment, dict) or not isinstance(segment.get("text"), str):
            raise TranscriptFormatError(f"segment {number} has no text", file=name)
        speaker = segment.get("speaker")
        turns.append(ParsedTurn(speaker.strip() if isinstance(speaker, str) else "",
                                segment["text"].strip(), _time(segment, "start", number, name),
                                _time(segment, "end", number, name)))
    return turns, []


def _time(segment: dict, key: str, number: int, name: str) -> int | None:
    value = segment.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TranscriptFormatError(f"segment {number}: '{key}' is not a number of seconds",
                                    file=name)
    try:
        return seconds_to_ms(value)
    except TimeError as exc:
        raise TranscriptFormatError(f"segment {number}: {exc}", file=name) from None
