"""AdjudicationModel: units where raters differ, one row each, the raters side by side.

Columns: unit, speaker, text, one column per rater (their codes on the unit), consensus.
Blind adjudication shows "Rater 1", "Rater 2" ... instead of names (in a fixed order per
unit, the raters' order in the project), so the adjudicator judges codes, not people."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor


def codes_text(codes, labels: dict[str, str]) -> str:
    if not codes:
        return "—"
    return ", ".join(labels.get(k, k) + ("" if v is None else f" = {v:g}") for k, v in codes)


class AdjudicationModel(QAbstractTableModel):
    FIXED = ("Unit", "Speaker", "Text")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.raters: list[tuple[int, str]] = []      # (id, name) in column order
        self.labels: dict[str, str] = {}
        self.blind = False

    def set_rows(self, rows: list, labels: dict[str, str], blind: bool) -> None:
        self.beginResetModel()
        self.rows, self.labels, self.blind = list(rows), dict(labels), blind
        seen: dict[int, str] = {}
        for d in self.rows:
            for r in d.raters:
                seen.setdefault(r.rater_id, r.name)
        self.raters = sorted(seen.items())
        self.endResetModel()

    def rater_title(self, i: int) -> str:
        return f"Rater {i + 1}" if self.blind else self.raters[i][1]

    def row(self, i: int):
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def replace_row(self, i: int, diff) -> None:
        self.rows[i] = diff
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.FIXED) + len(self.raters) + 1

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        k = section - len(self.FIXED)
        if section < len(self.FIXED):
            return self.FIXED[section]
        if k < len(self.raters):
            return f"{k + 1}: {self.rater_title(k)}"
        return "Consensus"

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d, col = self.rows[index.row()], index.column()
        k = col - len(self.FIXED)
        if role == Qt.DisplayRole:
            if col == 0:
                return d.unit.position
            if col == 1:
                return d.unit.speaker or d.unit.role or ""
            if col == 2:
                return d.unit.text.replace("\n", " ")
            if k < len(self.raters):
                rid = self.raters[k][0]
                mine = next((r for r in d.raters if r.rater_id == rid), None)
                return "(not coded)" if mine is None else codes_text(mine.codes, self.labels)
            return "undecided" if d.consensus is None else codes_text(d.consensus, self.labels)
        if role == Qt.ForegroundRole and k == len(self.raters) and d.consensus is None:
            return QColor("#a05a00")
        if role == Qt.ToolTipRole and col == 2:
            return d.unit.text
        if role == Qt.TextAlignmentRole and col == 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None
