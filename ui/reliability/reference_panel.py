"""The "Against reference" tab of the reliability view: each code of the reference cut with
the rater's 2 × 2 counts against the reference rater and sensitivity, specificity, precision
and F1 with their intervals (presence codes; each category of a set against the rest).

The numbers are the report's (:mod:`coder.reliability.project.accuracy`); nothing is
computed here. Outside the reference cut the tab says how to get there. An undefined figure
shows "–" with the reason on hover; a figure over fewer than 10 units is greyed with the
caution on hover.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableView,
                               QVBoxLayout, QWidget)

from coder.reliability.project import CodeEntry
from ui.reliability.data import fmt_ci, fmt_value

HEADERS = ("Code", "Category", "TP", "FP", "FN", "TN", "Sensitivity", "Specificity",
           "Precision", "F1")
FIGURES = ("sensitivity", "specificity", "precision", "f1")
TIPS = {"sensitivity": "Share of the reference's 'applied' units the rater also applied "
                       "(Wilson score interval)",
        "specificity": "Share of the reference's 'not applied' units the rater also left "
                       "(Wilson score interval)",
        "precision": "Share of the rater's 'applied' units the reference applied too",
        "f1": "Harmonic mean of sensitivity and precision (jackknife interval over units)"}
KEY_ROLE = Qt.UserRole + 1
HINT = ("Choose a reference rater in the settings, compute, and pick the “Against reference” "
        "cut to see each rater's sensitivity, specificity, precision and F1 against it.")
GREY = QColor("#808080")


def accuracy_rows(entries: list[CodeEntry]):
    """(entry, category label or "", ReferenceAccuracy) for the entries that have one."""
    for e in entries:
        if e.against_reference is not None:
            yield e, "", e.against_reference
        for c, acc in (e.per_category_against_reference or {}).items():
            yield e, e.category_name(c), acc


class ReferencePanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        for i, name in enumerate(FIGURES, 6):
            self.model.horizontalHeaderItem(i).setToolTip(TIPS[name])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.title = QLabel(HINT)
        self.title.setWordWrap(True)
        self.title.setObjectName("hint")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.table, 1)

    def set_entries(self, entries: list[CodeEntry]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        rows = list(accuracy_rows(entries))
        if not rows:
            self.title.setText(HINT)
            return
        acc0 = rows[0][2]
        self.title.setText(f"{acc0.rater} against the reference {acc0.reference}: units both "
                           "rated, the reference's “applied” taken as the truth.")
        for e, category, acc in rows:
            items = [QStandardItem(e.label), QStandardItem(category)]
            items[0].setToolTip(f"{e.label} ({e.id})")
            items += [QStandardItem(str(n)) for n in (acc.true_positive, acc.false_positive,
                                                      acc.false_negative, acc.true_negative)]
            items += [self._figure(acc.statistics[name]) for name in FIGURES]
            for it in items:
                it.setData(e.id, KEY_ROLE)
            self.model.appendRow(items)
        self.table.setColumnHidden(1, not any(category for _, category, _ in rows))
        self.table.resizeColumnsToContents()

    @staticmethod
    def _figure(st) -> QStandardItem:
        if st.value is None:
            it = QStandardItem("–")
            it.setToolTip(f"Undefined: {st.undefined_reason}")
            return it
        it = QStandardItem(f"{fmt_value('', st.value)} {fmt_ci('', st.ci)}".strip())
        it.setData(st.value, Qt.UserRole)
        tip = [f"{st.value:.4f}"] + ([f"interval: {st.ci_method}"] if st.ci_method else [])
        if st.caution:
            it.setForeground(GREY)
            tip.append(f"caution: {st.caution}")
        it.setToolTip("\n".join(tip))
        return it

    def select(self, key: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(KEY_ROLE) == key:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return
