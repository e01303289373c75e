"""DriftChart: one code's statistic per batch as a line, its interval as a shaded band.

Painted with QPainter (QtCharts is not in PySide6 Essentials). Batches run left to right in
time (or round) order; the y axis runs from 0 (or the lowest bound below it) to 1, with a
dashed line at the threshold. Points whose statistic is undefined are left out of the line
and listed under the chart with the reason."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

LINE = QColor("#2f6db5")
BAND = QColor(47, 109, 181, 50)
AXIS = QColor("#8a94a0")
TEXT = QColor("#1d2733")
MUTED = QColor("#8a8a8a")
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 56, 64


class DriftChart(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rater drift chart")
        self.points: list = []
        self.title = ""
        self.threshold: float | None = 0.8
        self.setMinimumSize(420, 260)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_series(self, points: list, title: str, threshold: float | None) -> None:
        self.points, self.title, self.threshold = list(points), title, threshold
        self.update()

    def _y_range(self) -> tuple[float, float]:
        lows = [p.ci[0] for p in self.points if p.ci] + [p.value for p in self.points
                                                        if p.value is not None]
        low = min([0.0] + lows)
        return (max(-1.0, low), 1.0)

    def paintEvent(self, _event) -> None:   # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        p.setPen(TEXT)
        p.drawText(QRectF(LEFT, 6, self.width() - LEFT - RIGHT, 24), Qt.AlignLeft | Qt.AlignVCenter,
                   self.title)
        area = QRectF(LEFT, TOP, self.width() - LEFT - RIGHT, self.height() - TOP - BOTTOM)
        lo, hi = self._y_range()
        n = len(self.points)

        def x(i: int) -> float:
            return area.left() + (area.width() * (i + 0.5) / n if n else 0)

        def y(v: float) -> float:
            return area.bottom() - (v - lo) / (hi - lo) * area.height()

        p.setPen(QPen(AXIS, 1))
        p.drawLine(QPointF(area.left(), area.top()), QPointF(area.left(), area.bottom()))
        p.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()))
        step = 0.2 if hi - lo <= 1.01 else 0.5
        v = lo
        while v <= hi + 1e-9:
            p.setPen(QPen(QColor("#e6e9ed"), 1))
            p.drawLine(QPointF(area.left(), y(v)), QPointF(area.right(), y(v)))
            p.setPen(MUTED)
            p.drawText(QRectF(4, y(v) - 9, LEFT - 10, 18), Qt.AlignRight | Qt.AlignVCenter,
                       f"{v:.1f}")
            v += step
        if self.threshold is not None and lo <= self.threshold <= hi:
            p.setPen(QPen(QColor("#c0392b"), 1, Qt.DashLine))
            p.drawLine(QPointF(area.left(), y(self.threshold)),
                       QPointF(area.right(), y(self.threshold)))
            p.drawText(QRectF(area.right() - 120, y(self.threshold) - 18, 118, 16),
                       Qt.AlignRight, f"threshold {self.threshold:.2f}")
        if not n:
            p.setPen(MUTED)
            p.drawText(area, Qt.AlignCenter, "No batches with two or more raters yet")
            return
        band = [(i, pt) for i, pt in enumerate(self.points) if pt.ci and pt.value is not None]
        if len(band) >= 2:
            poly = QPolygonF([QPointF(x(i), y(pt.ci[1])) for i, pt in band]
                             + [QPointF(x(i), y(pt.ci[0])) for i, pt in reversed(band)])
            p.setPen(Qt.NoPen)
            p.setBrush(BAND)
            p.drawPolygon(poly)
        for i, pt in band:                       # whiskers, also for a lone point
            p.setPen(QPen(BAND.darker(200), 1))
            p.drawLine(QPointF(x(i), y(pt.ci[0])), QPointF(x(i), y(pt.ci[1])))
        path = QPainterPath()
        started = False
        for i, pt in enumerate(self.points):
            if pt.value is None:
                started = False
                continue
            if started:
                path.lineTo(x(i), y(pt.value))
            else:
                path.moveTo(x(i), y(pt.value))
                started = True
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(LINE, 2))
        p.drawPath(path)
        undefined = []
        for i, pt in enumerate(self.points):
            p.setPen(TEXT)
            p.drawText(QRectF(x(i) - 60, area.bottom() + 4, 120, 18), Qt.AlignCenter, pt.batch)
            p.setPen(MUTED)
            p.drawText(QRectF(x(i) - 60, area.bottom() + 20, 120, 16), Qt.AlignCenter,
                       f"n = {pt.n_units}")
            if pt.value is None:
                undefined.append(f"{pt.batch}: {pt.undefined_reason or 'undefined'}")
                continue
            p.setBrush(LINE)
            p.setPen(Qt.NoPen)
            p.drawEllipse(QPointF(x(i), y(pt.value)), 4, 4)
            p.setPen(TEXT)
            p.drawText(QRectF(x(i) + 8, y(pt.value) - 8, 60, 16), Qt.AlignLeft | Qt.AlignVCenter,
                       f"{pt.value:.2f}")
        if undefined:
            p.setPen(MUTED)
            p.drawText(QRectF(LEFT, self.height() - 22, self.width() - LEFT, 18), Qt.AlignLeft,
                       "undefined — " + "; ".join(undefined))
