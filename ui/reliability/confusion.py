"""Confusion heatmap of a category set, painted.

With two raters in the cut the report's confusion matrix is shown (rows: the first rater, or
the reference; columns: the other). With three or more it is Krippendorff's coincidence matrix
(each pair of values within a unit counted, weighted 1/(m−1); cells may be fractional). The
diagonal is agreement. Row and column totals are at the margins; the report's per-category
agreement is in the last column.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QScrollArea, QSizePolicy,
                               QToolTip, QVBoxLayout, QWidget)

from ui.reliability.data import fmt_value

CELL_MIN, CELL_MAX = 46, 84
AGREE = QColor(46, 125, 80)        # diagonal
DISAGREE = QColor(196, 90, 40)     # off the diagonal


def _num(v: float, integer: bool) -> str:
    return f"{round(v)}" if integer else f"{round(v, 2):g}"


class ConfusionHeatmap(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Confusion matrix")
        self.labels: list[str] = []
        self.values: list[list[float]] = []
        self.integer = True
        self.row_title = self.col_title = ""
        self.agreement: list[float | None] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_matrix(self, labels, values, *, integer: bool, row_title: str, col_title: str,
                   agreement: list | None = None) -> None:
        self.labels, self.values, self.integer = list(labels), [list(r) for r in values], integer
        self.row_title, self.col_title = row_title, col_title
        self.agreement = list(agreement or [])
        n = len(self.labels)
        _, _, w, _ = self._geometry()
        self.setMinimumSize(self._label_w() + int((n + 1) * w) + 140, 70 + (n + 1) * 34)
        self.update()

    def sizeHint(self) -> QSize:
        n = len(self.labels)
        _, _, w, _ = self._geometry()
        return QSize(self._label_w() + int((n + 1) * w) + 160, 90 + (n + 1) * 48)

    def _label_w(self) -> int:
        return min(220, max((self.fontMetrics().horizontalAdvance(s) for s in self.labels),
                            default=60) + 40)

    def _geometry(self):
        """(left, top, cell width, cell height): cells as wide as the longest label."""
        n = len(self.labels)
        fm = self.fontMetrics()
        widest = max((fm.horizontalAdvance(s) for s in self.labels), default=40)
        width = max(CELL_MIN, min(CELL_MAX + 40, widest + 16))
        height = max(34, min(CELL_MAX, (self.height() - 90) / (n + 1.2))) if n else 34
        return self._label_w(), 62, width, height

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        n = len(self.labels)
        if not n:
            return
        left, top, cell, ch = self._geometry()
        fm = p.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        peak = max((v for row in self.values for v in row), default=0) or 1
        # titles
        p.setFont(bold)
        p.setPen(QColor("#1f3b5c"))
        p.drawText(QRectF(left, 2, cell * (n + 1), 18), Qt.AlignCenter, self.col_title)
        p.save()
        p.translate(12, top + ch * n / 2)
        p.rotate(-90)
        p.drawText(QRectF(-ch * n / 2, -10, ch * n, 20), Qt.AlignCenter, self.row_title)
        p.restore()
        p.setFont(self.font())
        for j, lab in enumerate(self.labels + ["total"]):
            r = QRectF(left + j * cell, 22, cell, top - 24)
            p.setPen(QColor("#333333") if j < n else QColor("#777777"))
            p.drawText(r.adjusted(2, 0, -2, 0), Qt.AlignHCenter | Qt.AlignBottom | Qt.TextWordWrap,
                       lab)
        p.setPen(QColor("#777777"))
        p.drawText(QRectF(left + (n + 1) * cell + 8, 22, 120, top - 24),
                   Qt.AlignLeft | Qt.AlignBottom | Qt.TextWordWrap, "agreement")
        for i, lab in enumerate(self.labels + ["total"]):
            y = top + i * ch
            p.setPen(QColor("#333333") if i < n else QColor("#777777"))
            p.drawText(QRectF(24, y, left - 30, ch), Qt.AlignRight | Qt.AlignVCenter,
                       fm.elidedText(lab, Qt.ElideRight, left - 30))
        col_tot = [sum(self.values[i][j] for i in range(n)) for j in range(n)]
        for i in range(n):
            for j in range(n):
                v = self.values[i][j]
                base = AGREE if i == j else DISAGREE
                shade = QColor(base)
                shade.setAlphaF(0.08 + 0.85 * (v / peak) if v else 0.0)
                r = QRectF(left + j * cell, top + i * ch, cell, ch)
                p.fillRect(r, QColor("#fbfbfb"))
                p.fillRect(r, shade)
                p.setPen(QPen(QColor("#dde2e8"), 1))
                p.drawRect(r)
                p.setFont(bold if i == j else self.font())
                p.setPen(QColor("#ffffff") if v / peak > 0.55 else
                         QColor("#222222") if v else QColor("#b0b0b0"))
                p.drawText(r, Qt.AlignCenter, _num(v, self.integer))
            self._total(p, QRectF(left + n * cell, top + i * ch, cell, ch),
                        sum(self.values[i]))
            if i < len(self.agreement):
                p.setFont(self.font())
                p.setPen(QColor("#333333"))
                p.drawText(QRectF(left + (n + 1) * cell + 8, top + i * ch, 120, ch),
                           Qt.AlignLeft | Qt.AlignVCenter,
                           fmt_value("percent_agreement", self.agreement[i]))
        for j in range(n):
            self._total(p, QRectF(left + j * cell, top + n * ch, cell, ch), col_tot[j])
        self._total(p, QRectF(left + n * cell, top + n * ch, cell, ch), sum(col_tot))

    def _total(self, p: QPainter, r: QRectF, v: float) -> None:
        p.setFont(self.font())
        p.fillRect(r, QColor("#f2f4f7"))
        p.setPen(QPen(QColor("#dde2e8"), 1))
        p.drawRect(r)
        p.setPen(QColor("#555555"))
        p.drawText(r, Qt.AlignCenter, _num(v, self.integer))

    def event(self, ev) -> bool:
        if ev.type() == ev.Type.ToolTip and self.labels:
            left, top, cell, ch = self._geometry()
            pos = ev.pos()
            i, j = int((pos.y() - top) // ch), int((pos.x() - left) // cell)
            n = len(self.labels)
            if 0 <= i < n and 0 <= j < n and pos.x() >= left and pos.y() >= top:
                ids = getattr(self, "ids", None) or self.labels

                def named(k: int) -> str:
                    return (self.labels[k] if ids[k] == self.labels[k]
                            else f"{self.labels[k]} (id {ids[k]})")
                who = f"{self.row_title}: {named(i)}<br>{self.col_title}: {named(j)}"
                QToolTip.showText(ev.globalPos(),
                                  f"{who}<br>{_num(self.values[i][j], self.integer)}", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(ev)


class ConfusionPanel(QWidget):
    """A category-set chooser, the heatmap and a caption saying what the matrix is."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Confusion matrices")
        self.entries: list[dict] = []
        self.label_of = lambda cid: cid
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(24)
        self.choice.currentIndexChanged.connect(self._show)
        self.caption = QLabel()
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        self.heatmap = ConfusionHeatmap()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.heatmap)
        head = QHBoxLayout()
        head.addWidget(QLabel("Category set:"))
        head.addWidget(self.choice)
        head.addWidget(self.caption, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(head)
        lay.addWidget(scroll, 1)

    def set_entries(self, entries: list, label_of) -> None:
        key = self.current_key()
        self.label_of = label_of
        self.entries = [e for e in entries if e.kind == "category"]
        self.choice.blockSignals(True)
        self.choice.clear()
        for e in self.entries:
            self.choice.addItem(e.label, e.id)
        self.choice.setEnabled(bool(self.entries))
        keys = [e.id for e in self.entries]
        self.choice.setCurrentIndex(keys.index(key) if key in keys else 0)
        self.choice.blockSignals(False)
        self._show()

    def current_key(self) -> str | None:
        return self.choice.currentData()

    def select(self, key: str) -> None:
        i = self.choice.findData(key)
        if i >= 0:
            self.choice.setCurrentIndex(i)

    def _show(self) -> None:
        e = next((x for x in self.entries if x.id == self.current_key()), None)
        if e is None:
            self.heatmap.set_matrix([], [], integer=True, row_title="", col_title="")
            self.caption.setText("There is no category set among the codes of this cut." if
                                 not self.entries else "")
            return
        if e.coincidence_matrix is None:
            self.heatmap.set_matrix([], [], integer=True, row_title="", col_title="")
            self.caption.setText("Per-transcript figures carry no matrix: choose the pooled "
                                 "cut or a rater pair.")
            return
        labels = [e.category_name(c) for c in e.categories]
        self.heatmap.ids = list(e.categories)
        per = e.per_category_agreement or {}
        agreement = [per[c].value if c in per else None for c in e.categories]
        if e.confusion_matrix is not None:
            m = e.confusion_matrix
            self.heatmap.set_matrix(labels, [list(r) for r in m.counts], integer=True,
                                    row_title=m.rows, col_title=m.columns,
                                    agreement=agreement)
            self.caption.setText(
                f"Confusion matrix of {e.label}: {e.n_units} units rated by both "
                f"{m.rows} (rows) and {m.columns} (columns); the diagonal is agreement.")
        else:
            m = e.coincidence_matrix
            self.heatmap.set_matrix(labels, [list(r) for r in m.values], integer=False,
                                    row_title="value", col_title="paired value",
                                    agreement=agreement)
            self.caption.setText(
                f"Coincidence matrix of {e.label} ({', '.join(e.raters)}): every pair "
                f"of values within a unit, weighted 1/(m−1) as Krippendorff's α counts them; "
                f"{e.n_units} units. Choose a rater pair for a confusion matrix.")
