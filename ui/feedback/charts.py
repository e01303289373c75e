"""Two small charts painted with QPainter: a line over sessions and bars per 10 minutes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class SparkChart(QWidget):
    """One series across sessions (None leaves a gap), its label and last value."""

    def __init__(self, label: str, values, colour: str = "#4363D8", fmt: str = "{:.1f}",
                 current: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Trend chart")
        self.label, self.values, self.colour, self.fmt = label, list(values), colour, fmt
        self.current = current                 # index of the session on screen (drawn ringed)
        self.setMinimumSize(180, 64)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setToolTip(f"{label}: " + ", ".join("–" if v is None else fmt.format(v)
                                                 for v in self.values))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(220, 64)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing, True)
        r = QRectF(self.rect()).adjusted(4, 16, -44, -6)
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(4, 0, self.width() - 8, 15), Qt.AlignLeft | Qt.AlignVCenter, self.label)
        pts = [(i, v) for i, v in enumerate(self.values) if v is not None]
        p.setPen(QPen(QColor("#DDDDDD"), 1))
        p.drawLine(r.bottomLeft(), r.bottomRight())
        if not pts:
            return
        lo, hi = min(v for _, v in pts), max(v for _, v in pts)
        span = (hi - lo) or 1.0
        n = max(1, len(self.values) - 1)

        def at(i: int, v: float) -> QPointF:
            return QPointF(r.left() + r.width() * i / n, r.bottom() - r.height() * (v - lo) / span)
        p.setPen(QPen(QColor(self.colour), 2))
        for (i0, v0), (i1, v1) in zip(pts, pts[1:]):
            if i1 == i0 + 1:
                p.drawLine(at(i0, v0), at(i1, v1))
        p.setBrush(QColor(self.colour))
        for i, v in pts:
            p.drawEllipse(at(i, v), 2.5, 2.5)
            if i == self.current:
                p.save()
                p.setBrush(Qt.NoBrush)
                p.setPen(QPen(self.palette().text().color(), 1.2))
                p.drawEllipse(at(i, v), 5, 5)
                p.restore()
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(r.right() + 4, r.top(), 40, r.height()), Qt.AlignVCenter | Qt.AlignLeft,
                   self.fmt.format(pts[-1][1]))


class BinChart(QWidget):
    """Grouped bars per 10-minute bin: [(label, colour, counts per bin)]."""

    def __init__(self, series, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Codes over the session chart")
        self.series = list(series)
        self.setMinimumSize(220, 90)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        bins = max((len(c) for _, _, c in self.series), default=0)
        self.setToolTip("Units per 10 minutes: " + "; ".join(
            f"{lab} {list(c)}" for lab, _, c in self.series) if bins else "No times")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(300, 100)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        bins = max((len(c) for _, _, c in self.series), default=0)
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(4, 0, self.width() - 8, 15), Qt.AlignLeft | Qt.AlignVCenter,
                   "Per 10 minutes")
        x = 4 + p.fontMetrics().horizontalAdvance("Per 10 minutes") + 12
        for label, colour, _ in self.series:          # legend
            p.fillRect(QRectF(x, 4, 9, 9), QColor(colour))
            p.drawText(QRectF(x + 12, 0, 200, 15), Qt.AlignLeft | Qt.AlignVCenter, label)
            x += 12 + p.fontMetrics().horizontalAdvance(label) + 10
        r = QRectF(self.rect()).adjusted(4, 18, -4, -16)
        if not bins:
            p.drawText(r, Qt.AlignCenter, "(no times in this transcript)")
            return
        top = max((max(c) for _, _, c in self.series if c), default=0) or 1
        group_w = r.width() / bins
        bar_w = max(2.0, group_w * 0.8 / max(1, len(self.series)))
        for b in range(bins):
            x = r.left() + b * group_w + group_w * 0.1
            for k, (_, colour, counts) in enumerate(self.series):
                v = counts[b] if b < len(counts) else 0
                h = r.height() * v / top
                p.fillRect(QRectF(x + k * bar_w, r.bottom() - h, bar_w - 1, h), QColor(colour))
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(r.left() + b * group_w, r.bottom() + 1, group_w, 14),
                       Qt.AlignCenter, f"{b * 10}–{b * 10 + 10}")
