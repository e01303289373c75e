"""Painted charts of the reliability view (QtCharts is not part of PySide6 Essentials).

* `ForestChart`: one row per code, a dot at the coefficient and whiskers for its interval,
  code labels on the left, an axis from 0 (or below, when a value is negative) to 1 with the
  interpretation scheme's thresholds as faint vertical lines and tinted bands; undefined codes
  are listed, greyed, with the reason.
* `BandLegend`: the colour bands of the scheme(s) in use, each named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from coder.reliability.schemes import Scheme

from ui.reliability.data import band, band_text, fmt_bound
from ui.reliability.table import band_color
from ui.shell import theme as themes

ROW_H = 24
TOP, BOTTOM = 44, 34
RIGHT_TEXT = 150
AXIS_COLOR = QColor("#8a94a0")


def _c(name: str, alpha: int = 255) -> QColor:
    """A colour of the current theme (ui.shell.theme), read at paint time."""
    colour = QColor(getattr(themes.current(), name))
    colour.setAlpha(alpha)
    return colour


@dataclass(frozen=True)
class ChartRow:
    key: str
    label: str
    kind: str
    value: float | None
    ci: tuple[float, float] | None
    reason: str | None             # why undefined / why not applicable
    stat: str                      # e.g. "Cohen's κ"
    caution: str | None = None     # why the value tells little (greyed, no band)


class ForestChart(QWidget):
    """Dot-and-whisker plot of one coefficient per code."""

    row_clicked = Signal(str)      # the code's key

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reliability forest chart")
        self.rows: list[ChartRow] = []
        self.scheme: Scheme | None = None
        self.title = ""
        self.selected: str | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.MinimumExpanding)
        self.setAttribute(Qt.WA_OpaquePaintEvent, True)

    def set_rows(self, rows: list[ChartRow], scheme: Scheme | None, title: str) -> None:
        self.rows, self.scheme, self.title = list(rows), scheme, title
        self.setMinimumHeight(TOP + BOTTOM + max(1, len(self.rows)) * ROW_H)
        self.updateGeometry()
        self.update()

    def set_selected(self, key: str | None) -> None:
        self.selected = key
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(800, TOP + BOTTOM + max(4, len(self.rows)) * ROW_H)

    # -- geometry -------------------------------------------------------------------------
    def _label_width(self) -> int:
        fm = self.fontMetrics()
        widest = max((fm.horizontalAdvance(r.label) for r in self.rows), default=60)
        return min(max(widest + 24, 120), max(140, self.width() // 3))

    def _axis_min(self) -> float:
        lows = [r.ci[0] if r.ci else r.value for r in self.rows if r.value is not None]
        low = min(lows, default=0.0)
        return 0.0 if low >= 0 else max(-1.0, math.floor(low * 5) / 5)

    def _plot_rect(self) -> QRectF:
        left = self._label_width()
        return QRectF(left, TOP, max(60, self.width() - left - RIGHT_TEXT - 12),
                      len(self.rows) * ROW_H)

    def _x(self, v: float, plot: QRectF, lo: float) -> float:
        return plot.left() + (min(1.0, max(lo, v)) - lo) / (1.0 - lo) * plot.width()

    def _row_at(self, y: float) -> int:
        i = int((y - TOP) // ROW_H)
        return i if 0 <= i < len(self.rows) and y >= TOP else -1

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), _c("base"))
        plot, lo = self._plot_rect(), self._axis_min()
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(_c("text"))
        p.drawText(QRectF(8, 4, self.width() - 16, 18), Qt.AlignLeft | Qt.AlignVCenter,
                   self.title)
        p.setFont(self.font())
        if not self.rows:
            p.setPen(_c("muted"))
            p.drawText(self.rect(), Qt.AlignCenter, "No codes in this cut")
            return
        self._paint_bands(p, plot, lo)
        for i, row in enumerate(self.rows):
            self._paint_row(p, plot, lo, i, row)
        self._paint_axis(p, plot, lo)

    def _paint_bands(self, p: QPainter, plot: QRectF, lo: float) -> None:
        if self.scheme is None:
            return
        bounds = [b[0] for b in self.scheme.bands]
        edges = [1.0] + bounds + [lo]
        n = len(edges) - 1
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        p.setFont(small)
        labels = [b[2] for b in self.scheme.bands] + [self.scheme.floor_label]
        for k in range(n):
            hi, low = edges[k], max(edges[k + 1], lo)
            if hi <= lo:
                continue
            x1, x2 = self._x(low, plot, lo), self._x(hi, plot, lo)
            tint = band_color(k, n)
            tint.setAlphaF(0.30)
            p.fillRect(QRectF(x1, plot.top(), x2 - x1, plot.height()), tint)
            p.setPen(_c("muted"))
            p.drawText(QRectF(x1 + 2, TOP - 18, x2 - x1 - 4, 16), Qt.AlignCenter,
                       p.fontMetrics().elidedText(labels[k], Qt.ElideRight, int(x2 - x1 - 4)))
        pen = QPen(QColor(90, 100, 115, 110), 1, Qt.DashLine)
        p.setPen(pen)
        for b in bounds:
            if b > lo:
                x = self._x(b, plot, lo)
                p.drawLine(QPointF(x, plot.top() - 2), QPointF(x, plot.bottom()))
        p.setFont(self.font())

    def _paint_row(self, p: QPainter, plot: QRectF, lo: float, i: int, row: ChartRow) -> None:
        y0 = plot.top() + i * ROW_H
        mid = y0 + ROW_H / 2
        if row.key == self.selected:
            p.fillRect(QRectF(0, y0, self.width(), ROW_H), _c("highlight", 150))
        elif i % 2:
            p.fillRect(QRectF(0, y0, plot.left(), ROW_H), _c("alt_base"))
        fm = p.fontMetrics()
        p.setPen(_c("text") if row.value is not None else _c("muted"))
        p.drawText(QRectF(8, y0, plot.left() - 16, ROW_H), Qt.AlignRight | Qt.AlignVCenter,
                   fm.elidedText(row.label, Qt.ElideRight, int(plot.left() - 16)))
        right = QRectF(plot.right() + 10, y0, RIGHT_TEXT, ROW_H)
        if row.value is None:
            italic = QFont(self.font())
            italic.setItalic(True)
            p.setFont(italic)
            p.setPen(_c("muted"))
            p.drawText(QRectF(plot.left() + 6, y0, plot.width() - 8, ROW_H),
                       Qt.AlignLeft | Qt.AlignVCenter,
                       p.fontMetrics().elidedText(f"undefined — {row.reason}",
                                                  Qt.ElideRight, int(plot.width() - 8)))
            p.drawText(right, Qt.AlignLeft | Qt.AlignVCenter, "undefined")
            p.setFont(self.font())
            return
        colour = QColor("#3b5b80")
        if row.caution:
            colour = _c("muted")
        elif self.scheme is not None:
            colour = band_color(*band(self.scheme, row.value), strong=True).darker(135)
        if row.ci:
            a, b = self._x(row.ci[0], plot, lo), self._x(row.ci[1], plot, lo)
            p.setPen(QPen(_c("muted"), 1.6))
            p.drawLine(QPointF(a, mid), QPointF(b, mid))
            for x in (a, b):
                p.drawLine(QPointF(x, mid - 5), QPointF(x, mid + 5))
        x = self._x(row.value, plot, lo)
        p.setPen(QPen(QColor("#ffffff"), 1.2))
        p.setBrush(colour)
        p.drawEllipse(QPointF(x, mid), 5.5, 5.5)
        p.setBrush(Qt.NoBrush)
        text = f"{row.value:.3f}"
        if row.ci:
            text += f"  [{row.ci[0]:.2f}, {row.ci[1]:.2f}]"
        p.setPen(_c("text"))
        p.drawText(right, Qt.AlignLeft | Qt.AlignVCenter, text)

    def _paint_axis(self, p: QPainter, plot: QRectF, lo: float) -> None:
        p.setPen(QPen(AXIS_COLOR, 1))
        y = plot.bottom() + 2
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        step = 0.1 if lo >= 0 else 0.2
        k = 0
        while lo + k * step <= 1.0 + 1e-9:
            v = lo + k * step
            x = self._x(v, plot, lo)
            p.drawLine(QPointF(x, y), QPointF(x, y + 4))
            p.drawText(QRectF(x - 20, y + 5, 40, 16), Qt.AlignCenter, fmt_bound(round(v, 2)))
            k += 1
        if lo < 0:
            zero = self._x(0.0, plot, lo)
            p.setPen(QPen(AXIS_COLOR, 1))
            p.drawLine(QPointF(zero, plot.top()), QPointF(zero, plot.bottom()))

    # -- interaction ----------------------------------------------------------------------
    def event(self, ev) -> bool:
        if ev.type() == ev.Type.ToolTip:
            i = self._row_at(ev.position().y() if hasattr(ev, "position") else ev.pos().y())
            if i >= 0:
                QToolTip.showText(ev.globalPos(), self._tip(self.rows[i]), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(ev)

    def _tip(self, row: ChartRow) -> str:
        if row.value is None:
            return f"<b>{row.label}</b><br>{row.stat}: undefined — {row.reason}"
        text = f"<b>{row.label}</b><br>{row.stat}: {row.value:.3f}"
        if row.ci:
            text += f"<br>95% CI {row.ci[0]:.3f} to {row.ci[1]:.3f}"
        if row.caution:
            text += f"<br>Caution: {row.caution} (no interpretation label)"
        elif self.scheme is not None:
            text += f"<br>{self.scheme.label(row.value)} ({self.scheme.display_name})"
        return text

    def mousePressEvent(self, ev) -> None:
        i = self._row_at(ev.position().y())
        if i >= 0 and ev.button() == Qt.LeftButton:
            self.row_clicked.emit(self.rows[i].key)
        super().mousePressEvent(ev)


class BandLegend(QWidget):
    """Colour swatches for each band of the schemes in use, with the scheme's name."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Interpretation bands legend")
        self.items: list[tuple[str, Scheme]] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_schemes(self, items: list[tuple[str, Scheme]]) -> None:
        """[(what it labels, scheme), ...], e.g. [("κ, AC", Landis & Koch)]."""
        self.items = list(items)
        self.setFixedHeight(6 + 18 * max(1, len(self.items)))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm = p.fontMetrics()
        y = 3
        for what, sch in self.items:
            x = 4
            head = f"{what} — {sch.display_name}:"
            p.setPen(_c("text"))
            p.drawText(QRectF(x, y, fm.horizontalAdvance(head) + 4, 16),
                       Qt.AlignLeft | Qt.AlignVCenter, head)
            x += fm.horizontalAdvance(head) + 12
            bands = band_text(sch)
            for k, (lab, rule) in enumerate(bands):
                p.setPen(_c("border"))
                p.setBrush(band_color(k, len(bands)))
                p.drawRoundedRect(QRectF(x, y + 3, 14, 11), 2, 2)
                text = f"{lab} {rule}" if rule != "below" else lab
                p.setPen(_c("text"))
                w = fm.horizontalAdvance(text)
                p.drawText(QRectF(x + 18, y, w + 4, 16), Qt.AlignLeft | Qt.AlignVCenter, text)
                x += 18 + w + 14
            y += 18
