"""Short media made in the tests: a PCM WAV written with the standard library."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path


def write_wav(path: Path, seconds: float, rate: int = 8000, tone_hz: float = 220.0,
              loud_from: float = 0.0, speechy: bool = False) -> Path:
    """A mono 16-bit WAV of `seconds`: silence until `loud_from` s, then a tone (`speechy`:
    its loudness rises and falls over a few seconds, as talk does)."""
    frames = int(seconds * rate)
    start = int(loud_from * rate)
    data = bytearray()
    for i in range(frames):
        gain = 1.0
        if speechy:
            t = i / rate
            gain = max(0.0, math.sin(t / 1.7) * math.sin(t / 23.0 + 1) * 1.3) ** 2
        v = int(12000 * min(1.5, gain) * math.sin(2 * math.pi * tone_hz * i / rate)) \
            if i >= start else 0
        data += struct.pack("<h", max(-32767, min(32767, v)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(data))
    return path


PLAIN = "T: Hello, how was your week?\nC: Hard. I did not sleep much.\nT: Tell me more.\n" \
        "C: Work, mostly.\n"
