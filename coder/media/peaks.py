"""The waveform overview of a WAV file: one loudness peak per bucket, as a job
(``fn(path, buckets, progress=, cancel=) -> Peaks``). No Qt: other formats are decoded by the
GUI (Qt's QAudioDecoder) and reduced with `reduce_peaks`.

A 2-hour file has hundreds of millions of samples; an overview of a few thousand buckets
needs far fewer. Each bucket reads `RUNS` short stretches spread over it (a memory map, so
only those pages are read) and keeps the largest absolute sample: loud passages and silences
show as they are, at a cost that does not grow with the sample rate.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

from ..jobs import Cancel, Progress, check, report
from .model import MediaProblem

RUNS = 24          # stretches read per bucket
RUN_FRAMES = 256   # frames per stretch


@dataclass(frozen=True)
class Peaks:
    values: tuple[float, ...]      # 0..1 per bucket
    duration_ms: int


def _data_offset(path: Path) -> int:
    """Byte offset of the 'data' chunk's samples in a RIFF/WAVE file."""
    with open(path, "rb") as f:
        head = f.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise MediaProblem(f"{path}: not a WAV file")
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                raise MediaProblem(f"{path}: a WAV file without audio data")
            size = int.from_bytes(chunk[4:], "little")
            if chunk[:4] == b"data":
                return f.tell()
            f.seek(size + (size & 1), 1)


def wav_peaks(path: str | Path, buckets: int = 2000, *, progress: Progress | None = None,
              cancel: Cancel | None = None) -> Peaks:
    import numpy as np
    path = Path(path)
    try:
        with wave.open(str(path), "rb") as w:
            channels, width = w.getnchannels(), w.getsampwidth()
            rate, frames = w.getframerate(), w.getnframes()
    except (wave.Error, EOFError, OSError) as exc:
        raise MediaProblem(f"{path}: cannot read it as a WAV file ({exc})") from None
    dtype = {1: np.uint8, 2: np.int16, 4: np.int32}.get(width)
    if dtype is None or frames == 0:
        raise MediaProblem(f"{path}: {width * 8}-bit WAV is not shown as a waveform")
    data = np.memmap(path, dtype=dtype, mode="r", offset=_data_offset(path),
                     shape=(frames, channels))
    full = float(np.iinfo(dtype).max)
    buckets = max(1, min(buckets, frames))
    edges = np.linspace(0, frames, buckets + 1).astype(np.int64)
    out = np.zeros(buckets)
    for b in range(buckets):
        lo, hi = int(edges[b]), int(edges[b + 1])
        span = hi - lo
        if span <= RUNS * RUN_FRAMES:
            block = np.asarray(data[lo:hi])
        else:
            starts = np.linspace(lo, hi - RUN_FRAMES, RUNS).astype(np.int64)
            block = np.concatenate([np.asarray(data[s:s + RUN_FRAMES]) for s in starts])
        if dtype is np.uint8:
            block = block.astype(np.int16) - 128
            peak = float(np.abs(block).max()) / 128.0
        else:
            peak = float(np.abs(block.astype(np.int64)).max()) / full
        out[b] = min(1.0, peak)
        if b % 200 == 0:
            check(cancel)
            report(progress, b, buckets)
    del data
    return Peaks(tuple(float(v) for v in out), round(frames * 1000 / rate))


def reduce_peaks(samples, buckets: int, duration_ms: int) -> Peaks:
    """Peaks from decoded samples (floats in -1..1, any length)."""
    import numpy as np
    arr = np.abs(np.asarray(samples, dtype=float))
    if arr.size == 0:
        return Peaks((), duration_ms)
    edges = np.linspace(0, arr.size, min(buckets, arr.size) + 1).astype(np.int64)
    vals = np.maximum.reduceat(arr, edges[:-1])
    return Peaks(tuple(float(min(1.0, v)) for v in vals), duration_ms)
