"""WaveformStrip: the recording's loudness overview under the player, with the playing
position, the selected unit and the coded episodes marked; a click seeks.

Peaks come from a job on the app's JobRunner (`load_peaks`: a WAV read by the core, other
formats decoded with QAudioDecoder in the worker) and are cached in the app's data folder by
the file's hash, so a recording is decoded once.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from coder.media.peaks import Peaks

BUCKETS = 2000


def load_peaks(path: Path, sha256: str, cache_dir: Path, *, progress=None, cancel=None) -> Peaks:
    """Peaks of a recording (a job): from the cache, else decoded and cached."""
    cache = Path(cache_dir) / f"{sha256}.json"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        return Peaks(tuple(data["values"]), int(data["duration_ms"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from coder.media.files import wav_duration_ms
    if wav_duration_ms(path) is not None:
        from coder.media.peaks import wav_peaks
        peaks = wav_peaks(path, BUCKETS, progress=progress, cancel=cancel)
    else:
        from ui.media.decode import decoded_peaks
        peaks = decoded_peaks(path, BUCKETS, progress=progress, cancel=cancel)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps({"values": [round(v, 4) for v in peaks.values],
                                   "duration_ms": peaks.duration_ms}), encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass                                  # no cache this time; the strip still shows
    return peaks


class WaveformStrip(QWidget):
    seek_requested = Signal(int)              # media ms

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Waveform of the recording")
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setFocusPolicy(Qt.NoFocus)       # never takes the keyboard from coding
        self.setToolTip("Click to play from there")
        self.peaks: Peaks | None = None
        self.duration_ms = 0
        self.position_ms = 0
        self.unit: tuple[int, int] | None = None          # media ms
        self.episodes: list[tuple[int, int]] = []
        self.note = "reading the waveform…"
        self._wave: tuple[tuple, QPixmap] | None = None    # the peaks drawn once per size

    def set_peaks(self, peaks: Peaks | None, note: str = "") -> None:
        self.peaks, self.note = peaks, note
        if peaks is not None and peaks.duration_ms:
            self.duration_ms = self.duration_ms or peaks.duration_ms
        self.update()

    def set_duration(self, ms: int) -> None:
        self.duration_ms = ms
        self.update()

    def set_position(self, ms: int) -> None:
        """Repaint only when the playing line moves by a pixel (the player reports its
        position many times a second; one pixel is about a second of a long recording)."""
        moved = int(self._x(ms)) != int(self._x(self.position_ms))
        self.position_ms = ms
        if moved:
            self.update()

    def set_marks(self, unit: tuple[int, int] | None,
                  episodes: list[tuple[int, int]] | None = None) -> None:
        self.unit = unit
        if episodes is not None:
            self.episodes = episodes
        self.update()

    def _x(self, ms: int) -> float:
        return 0 if not self.duration_ms else ms / self.duration_ms * self.width()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor("#f4f6f8"))
        for start, end in self.episodes:               # coded episodes: an amber band below
            p.fillRect(QRectF(self._x(start), h - 6, max(2, self._x(end) - self._x(start)), 6),
                       QColor("#e0a030"))
        if self.unit is not None:
            start, end = self.unit
            p.fillRect(QRectF(self._x(start), 0, max(2, self._x(end) - self._x(start)), h - 6),
                       QColor(60, 120, 200, 60))
        if self.peaks is not None and self.peaks.values:
            p.drawPixmap(0, 0, self._wave_pixmap(w, h))
        else:
            p.setPen(QColor("#7a8793"))
            p.drawText(self.rect().adjusted(8, 0, 0, -6), Qt.AlignVCenter | Qt.AlignLeft,
                       self.note)
        p.setPen(QPen(QColor("#c0392b"), 2))
        x = self._x(self.position_ms)
        p.drawLine(int(x), 0, int(x), h)

    def _wave_pixmap(self, w: int, h: int) -> QPixmap:
        """The peaks as lines on a transparent pixmap, drawn again only when the peaks or
        the size change (a paint then costs one blit, not a line per pixel column)."""
        ratio = self.devicePixelRatioF()
        key = (self.peaks, w, h, ratio)
        if self._wave is not None and self._wave[0][0] is self.peaks \
                and self._wave[0][1:] == key[1:]:
            return self._wave[1]
        pixmap = QPixmap(max(1, round(w * ratio)), max(1, round(h * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.transparent)
        p = QPainter(pixmap)
        p.setPen(QPen(QColor("#5b6b7b"), 1))
        values, mid = self.peaks.values, (h - 6) / 2
        n = len(values)
        for x in range(w):
            v = values[min(n - 1, int(x * n / max(1, w)))]
            half = max(0.5, v * (mid - 2))
            p.drawLine(x, int(mid - half), x, int(mid + half))
        p.end()
        self._wave = (key, pixmap)
        return pixmap

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.duration_ms and event.button() == Qt.LeftButton:
            x = event.position().x()
            self.seek_requested.emit(int(max(0, min(1, x / max(1, self.width())))
                                         * self.duration_ms))
