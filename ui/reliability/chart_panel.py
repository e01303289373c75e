"""The chart tab of the reliability view: a coefficient chooser over the `ForestChart`.

Krippendorff's α by default; κ on request (Cohen's with two raters, Fleiss' with three or
more, quadratic weighted for ratings: the row's tooltip names it). Codes for which the
coefficient is undefined or not reported are listed, greyed, with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.reliability.chart import ChartRow, ForestChart
from ui.reliability.data import KIND_NAMES, cell, scheme_for, stat_title

CHOICES = (("alpha", "Krippendorff's α", "krippendorff_alpha"),
           ("kappa", "κ (Cohen's; Fleiss' with 3+ raters; weighted for ratings)", "cohen_kappa"))


def alpha_interval_text(rows, entries) -> str:
    """Which interval the α whiskers show, as the report names it: Krippendorff's own
    bootstrap (Hayes & Krippendorff 2007) with analytic intervals, the cluster bootstrap over
    transcripts when that was chosen."""
    methods = []
    for e in entries:
        c = cell(e, "alpha")
        if c is not None and c.stat.ci_method:
            methods.append(c.stat.ci_method)
    if not methods:
        return "no interval could be made"
    return methods[0] if len(set(methods)) == 1 else "; ".join(dict.fromkeys(methods))


class ChartPanel(QWidget):
    row_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reliability chart")
        self.entries: list[dict] = []
        self.scheme_key = ""
        self.where = ""
        self.ci_method = "analytic"
        self.stat = QComboBox()
        for key, text, _ in CHOICES:
            self.stat.addItem(text, key)
        self.stat.currentIndexChanged.connect(self._redraw)
        self.chart = ForestChart()
        self.chart.row_clicked.connect(self.row_clicked)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.chart)
        row = QHBoxLayout()
        row.addWidget(QLabel("Coefficient"))
        row.addWidget(self.stat)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addLayout(row)
        lay.addWidget(scroll, 1)

    def show_entries(self, entries: list[dict], scheme_key: str, where: str,
                     ci_method: str) -> None:
        self.entries, self.scheme_key = list(entries), scheme_key
        self.where, self.ci_method = where, ci_method
        self._redraw()

    def set_selected(self, key: str | None) -> None:
        self.chart.set_selected(key)

    def clear(self) -> None:
        self.entries = []
        self.chart.set_rows([], None, "")

    def rows(self) -> list[ChartRow]:
        return list(self.chart.rows)

    def _redraw(self) -> None:
        which = self.stat.currentData()
        default_stat = next(s for k, _, s in CHOICES if k == which)
        rows, scheme = [], None
        for e in self.entries:
            c = cell(e, which)
            if c is None:
                kind = KIND_NAMES.get(e.kind, e.kind)
                rows.append(ChartRow(e.id, e.label, e.kind, None, None,
                                     f"not reported for {kind} data", ""))
                continue
            st = c.stat
            rows.append(ChartRow(e.id, e.label, e.kind, st.value,
                                 tuple(st.ci) if st.ci else None,
                                 st.undefined_reason, stat_title(c.name, e), st.caution))
            scheme = scheme or scheme_for(c.name, self.scheme_key)
        scheme = scheme or scheme_for(default_stat, self.scheme_key)
        name = self.stat.currentText().split(" (")[0]
        title = f"{name} per code — {self.where}; thresholds: {scheme.display_name}"
        if which == "alpha":
            title += f"  (whiskers: {alpha_interval_text(rows, self.entries)})"
        selected = self.chart.selected
        self.chart.set_rows(rows, scheme, title)
        self.chart.set_selected(selected)
