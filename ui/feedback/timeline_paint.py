"""Draws a core `Timeline` with QPainter: one drawing for the widget and the PDF report."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from coder.analytics.timeline import LANE_COLORS, LANE_LABELS, LANES, Timeline

#: label column and axis height, in multiples of the font's pixel size
LABEL_EM = 8.5
AXIS_EM = 1.7


def _label_w(font_px: int) -> float:
    return LABEL_EM * font_px


def lane_rect(rect: QRectF, index: int, font_px: int = 11) -> QRectF:
    lw = _label_w(font_px)
    h = (rect.height() - AXIS_EM * font_px) / len(LANES)
    return QRectF(rect.left() + lw, rect.top() + index * h, rect.width() - lw - 8, h)


def x_at(rect: QRectF, x: float, font_px: int = 11) -> float:
    lw = _label_w(font_px)
    return rect.left() + lw + x * (rect.width() - lw - 8)


def _episode_label(p: QPainter, metrics: QFontMetricsF, sp, x: float, limit: float,
                   top: float, height: float) -> float:
    """Label an episode below the axis, from x (where the previous label left room) to limit
    (where the next one starts): "3 unresolved", or just "3" when that is all that fits, or
    nothing (the summary panel lists every episode). Returns the next free x."""
    texts = [f"{sp.episode}"] if sp.resolved else [f"{sp.episode} unresolved", f"{sp.episode}"]
    for text in texts:
        width = metrics.horizontalAdvance(text)
        if x + width <= limit:
            p.drawText(QRectF(x, top, width + 2, height), Qt.AlignLeft | Qt.AlignVCenter, text)
            return x + width + metrics.horizontalAdvance(" ")
    return x


def paint_timeline(p: QPainter, rect: QRectF, t: Timeline, *, current: int | None = None,
                   font_px: int = 11) -> None:
    p.save()
    p.setRenderHint(QPainter.Antialiasing, True)
    p.fillRect(rect, QColor("#FFFFFF"))
    font = QFont(p.font())
    font.setPixelSize(font_px)
    p.setFont(font)
    AXIS_H = AXIS_EM * font_px
    LABEL_W = _label_w(font_px)
    plot_top = rect.top()
    plot_bottom = rect.bottom() - AXIS_H
    metrics = QFontMetricsF(font)
    end = (f"{round((t.length_ms or 0) / 60000)} min" if t.by_time else f"unit {t.units}")
    free_x = x_at(rect, 0, font_px) + metrics.horizontalAdvance("0 ")   # the axis' "0"
    spans = list(t.spans)
    for i, sp in enumerate(spans):
        x0 = x_at(rect, sp.x0, font_px)
        x1 = max(x_at(rect, sp.x1, font_px), x0 + 3)
        colour = QColor("#DDEEDD") if sp.resolved else QColor("#F6D5D5")
        p.fillRect(QRectF(x0, plot_top, x1 - x0, plot_bottom - plot_top), colour)
        p.setPen(QColor("#2F6B2F") if sp.resolved else QColor("#B00000"))
        limit = (x_at(rect, spans[i + 1].x0, font_px) + 2 if i + 1 < len(spans)
                 else x_at(rect, 1, font_px) - metrics.horizontalAdvance(end + " "))
        free_x = _episode_label(p, metrics, sp, max(x0 + 2, free_x), limit, plot_bottom, AXIS_H)
    for i, lane in enumerate(LANES):
        r = lane_rect(rect, i, font_px)
        p.setPen(QColor("#333333"))
        p.drawText(QRectF(rect.left() + 4, r.top(), LABEL_W - 6, r.height()),
                   Qt.AlignLeft | Qt.AlignVCenter, LANE_LABELS[lane])
        p.setPen(QPen(QColor("#CCCCCC"), 1))
        p.drawLine(r.left(), r.center().y(), r.right(), r.center().y())
        colour = QColor(LANE_COLORS[lane])
        for m in t.lane(lane):
            x = x_at(rect, m.x, font_px)
            p.fillRect(QRectF(x - 1.5, r.top() + 4, 3, max(4.0, r.height() - 8)), colour)
    if current is not None and t.units:
        marks = [m for m in t.marks if m.position == current]
        if marks:
            x = x_at(rect, marks[0].x, font_px)
            p.setPen(QPen(QColor("#111111"), 1.5, Qt.DashLine))
            p.drawLine(x, plot_top, x, plot_bottom)
    p.setPen(QColor("#555555"))
    p.drawText(QRectF(x_at(rect, 0, font_px) - 2, plot_bottom, 6 * font_px, AXIS_H), Qt.AlignLeft | Qt.AlignVCenter,
               "0")
    p.drawText(QRectF(x_at(rect, 1, font_px) - 16 * font_px, plot_bottom, 16 * font_px, AXIS_H),
               Qt.AlignRight | Qt.AlignVCenter, end)
    p.restore()
