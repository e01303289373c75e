"""Short media made in the tests: a PCM WAV written with the standard library."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path


def write_wav(path: Path, seconds: float, rate: int = 8000, tone_hz: float = 220.0,
              loud_from: float = 0.0) -> Path:
    """A mono 16-bit WAV of `seconds`: silence until `loud_from` s, then a tone."""
    frames = int(seconds * rate)
    start = int(loud_from * rate)
    data = bytearray()
    for i in range(frames):
        v = int(12000 * math.sin(2 * math.pi * tone_hz * i / rate)) if i >= start else 0
        data += struct.pack("<h", v)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(data))
    return path


PLAIN = "T: Hello, how was your week?\nC: Hard. I did not sleep much.\nT: Tell me more.\n" \
        "C: Work, mostly.\n"
