"""Media files on disk: hash, size, duration, the stored path, and finding a moved file.

Durations: WAV through the standard library's `wave`; other formats through probers that a
front end registers (`register_prober`: the GUI and `main.py` register a Qt Multimedia one,
loaded only when called). Without one the duration stays unknown until the GUI plays the file.
"""

from __future__ import annotations

import hashlib
import os
import wave
from collections.abc import Callable
from pathlib import Path

from .model import Located, MediaFacts, MediaInfo, MediaProblem

#: Suffixes offered in file dialogs; anything Qt's FFmpeg backend plays works.
MEDIA_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".mp4", ".m4v", ".mov", ".webm", ".ogg",
                  ".opus", ".flac", ".mkv")

Prober = Callable[[Path], "int | None"]
_probers: list[Prober] = []


def register_prober(prober: Prober) -> None:
    """Add a duration prober (path -> milliseconds or None) for formats `wave` cannot read."""
    if prober not in _probers:
        _probers.append(prober)


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def wav_duration_ms(path: Path) -> int | None:
    """Duration of a PCM WAV file, or None when it is not one `wave` reads."""
    try:
        with wave.open(str(path), "rb") as w:
            rate = w.getframerate()
            return round(w.getnframes() * 1000 / rate) if rate else None
    except (wave.Error, EOFError, OSError):
        return None


def probe_duration_ms(path: Path) -> int | None:
    duration = wav_duration_ms(path)
    for prober in _probers:
        if duration is not None:
            break
        duration = prober(path)
    return duration


def read_facts(path: str | Path, duration_ms: int | None = None) -> MediaFacts:
    """Size, hash and duration of a media file (the caller may pass a duration it knows)."""
    path = Path(path).expanduser().absolute()
    if not path.is_file():
        raise MediaProblem(f"{path}: no such media file")
    try:
        size = path.stat().st_size
        if size == 0:
            raise MediaProblem(f"{path}: the media file is empty")
        sha = sha256_of(path)
    except OSError as exc:
        raise MediaProblem(f"{path}: cannot read the media file ({exc.strerror})") from None
    if duration_ms is None:
        duration_ms = probe_duration_ms(path)
    return MediaFacts(path, size, sha, duration_ms)


def stored_path(media: Path, project: Path) -> str:
    """The path to store: relative to the project's folder when the two share a drive (so a
    study folder can move as a whole), else absolute; always with forward slashes."""
    try:
        rel = os.path.relpath(Path(media).absolute(), Path(project).absolute().parent)
    except ValueError:                       # another drive (Windows)
        return Path(media).absolute().as_posix()
    return Path(rel).as_posix()


def absolute(stored: str, project: Path) -> Path:
    p = Path(stored)
    return p if p.is_absolute() else (Path(project).absolute().parent / p).resolve()


def recording_beside(transcript: Path) -> Path | None:
    """A recording of the same name in the transcript's folder (session01.vtt ->
    session01.mp3), the first by `MEDIA_SUFFIXES` order; None when there is none."""
    transcript = Path(transcript)
    for suffix in MEDIA_SUFFIXES:
        for candidate in (transcript.with_suffix(suffix), transcript.with_suffix(suffix.upper())):
            if candidate.is_file() and candidate != transcript:
                return candidate
    return None


def locate(info: MediaInfo, project: Path) -> Located:
    """Find a linked file: where it was stored, else beside the project by the same name and
    the same content. A different file of the same name is refused with the reason."""
    first = absolute(info.path, project)
    if first.is_file() and first.stat().st_size == info.size:
        return Located(first)
    beside = Path(project).absolute().parent / info.name
    if beside != first and beside.is_file():
        if beside.stat().st_size == info.size and sha256_of(beside) == info.sha256:
            return Located(beside, moved=True, reason=f"found beside the project: {beside}")
        return Located(None, reason=f"{beside}: a different file of the same name (its "
                                    "content does not match the linked recording)")
    if first.is_file():
        return Located(None, reason=f"{first}: the file there has changed (size "
                                    f"{first.stat().st_size} bytes, linked {info.size})")
    return Located(None, reason=f"{first}: the media file is missing (moved or renamed?)")


def check_same(info: MediaInfo, candidate: Path) -> MediaFacts:
    """Facts of a file offered as the moved recording; refused when its content differs."""
    facts = read_facts(candidate, info.duration_ms)
    if facts.sha256 != info.sha256:
        raise MediaProblem(f"{facts.path}: not the linked recording (its content differs "
                           f"from {info.name!r}, linked {info.linked_at[:10]}); link it as a "
                           "new recording instead if that is what you mean")
    return facts
