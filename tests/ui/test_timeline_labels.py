"""Episode labels under the session timeline never run into each other or into the axis'
end label, however close the episodes are (they once read "1 unresolved2 resolved")."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from coder.analytics.timeline import Span, Timeline
from ui.feedback.timeline_paint import paint_timeline


class RecordingPainter:
    """Stands in for QPainter: keeps every text drawn with its rectangle."""

    def __init__(self) -> None:
        self._font = QFont()
        self.texts: list[tuple[QRectF, str]] = []

    def font(self):
        return self._font

    def setFont(self, font):
        self._font = font

    def drawText(self, rect, flags, text):
        self.texts.append((QRectF(rect), flags, text))

    def __getattr__(self, _name):            # save, restore, fillRect, setPen, drawLine, ...
        return lambda *args, **kwargs: None


def spans(*xs, resolved=False):
    return tuple(Span(episode=i + 1, first=i, last=i, x0=x, x1=x + 0.01, resolved=resolved)
                 for i, x in enumerate(xs))


def drawn_labels(timeline, width=600.0):
    painter = RecordingPainter()
    paint_timeline(painter, QRectF(0, 0, width, 120), timeline, font_px=11)
    metrics = QFontMetricsF(painter.font())
    # below the plot (its axis starts at 120 - 1.7 em): episode labels, the axis' "0" and its end label
    rows = []
    for r, flags, t in painter.texts:
        if r.top() > 100:
            width = metrics.horizontalAdvance(t)
            left = r.right() - width if flags & Qt.AlignRight else r.left()
            rows.append((left, left + width, t))
    return sorted(rows)


def test_close_episodes_get_short_labels_that_do_not_overlap(qapp):
    timeline = Timeline(units=100, by_time=False, length_ms=None, marks=(),
                        spans=spans(0.30, 0.31, 0.33, 0.60, 0.98))
    rows = drawn_labels(timeline)
    texts = [t for _l, _r, t in rows]
    assert "4 unresolved" in texts                   # room to spare: the long form
    assert "1 unresolved" not in texts               # no room before episode 2's band
    for (l1, r1, t1), (l2, _r2, t2) in zip(rows, rows[1:]):
        assert r1 <= l2, f"{t1!r} runs into {t2!r}"


def test_every_label_fits_when_there_is_room(qapp):
    timeline = Timeline(units=100, by_time=False, length_ms=None, marks=(),
                        spans=spans(0.2, 0.5, resolved=True))
    texts = [t for _l, _r, t in drawn_labels(timeline)]
    assert {"1", "2", "0", "unit 100"} <= set(texts)
