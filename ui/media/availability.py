"""Whether Qt Multimedia can load on this machine, and if not, why in one line.

PySide6's Qt Multimedia links the PulseAudio client library (libpulse.so.0) and fails to
import without it, even when no sound is ever played; a machine may also lack the
PySide6-Addons wheel. The media area then says so in its place instead of a player, and
the waveform job gives the same line as its error."""

from __future__ import annotations

from functools import lru_cache


def reason(err: ImportError) -> str:
    text = str(err)
    if "libpulse" in text:
        return ("Playback needs the PulseAudio client library (libpulse.so.0): install the "
                "package libpulse0 (Debian/Ubuntu) or pulseaudio-libs, then restart")
    return f"Playback is unavailable: Qt Multimedia could not load ({text})"


@lru_cache(maxsize=1)
def multimedia_problem() -> str | None:
    """None when Qt Multimedia imports; else the one line that says why not."""
    try:
        import PySide6.QtMultimedia  # noqa: F401
    except ImportError as err:
        return reason(err)
    return None
