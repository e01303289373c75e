"""The code list's model: group headers and codes in codebook order, with the check state
of each code on the selected units (`ui.workspace.code_panel.CodePanel` shows it)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from coder.codebook import Code

from ui.workspace.globals_form import code_tooltip

CODE_ID_ROLE = Qt.UserRole + 1
ROW_ROLE = Qt.UserRole + 2
NO_PARENT = QModelIndex()
DEFAULT_COLOR = "#8a8f96"


@dataclass(frozen=True)
class Row:
    code: Code | None           # None: a group header
    title: str
    one_of: bool = False        # a header of a category set
    depth: int = 0


class CodeListModel(QAbstractListModel):
    """Group headers and codes in codebook order; check states come from the selection."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._states: dict[str, Qt.CheckState] = {}
        self._enabled = False

    def set_rows(self, rows: list[Row], states: dict[str, Qt.CheckState], enabled: bool) -> None:
        """Same rows: repaint in place (keeps the current row); other rows: reset."""
        same = rows == self._rows and enabled == self._enabled
        if not same:
            self.beginResetModel()
        old = self._states
        self._rows, self._states, self._enabled = list(rows), dict(states), enabled
        if not same:
            self.endResetModel()
        else:                                   # repaint only the rows whose check changed
            for i, row in enumerate(rows):
                if row.code and old.get(row.code.id) != self._states.get(row.code.id):
                    self.dataChanged.emit(self.index(i), self.index(i))

    def set_states(self, states: dict[str, Qt.CheckState]) -> None:
        """New check states for the same rows: repaint only the rows whose state changed."""
        old, self._states = self._states, dict(states)
        for i, row in enumerate(self._rows):
            if row.code and old.get(row.code.id) != self._states.get(row.code.id):
                self.dataChanged.emit(self.index(i), self.index(i), [Qt.CheckStateRole])

    def row_of_code(self, code_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.code and r.code.id == code_id),
                    -1)

    def code_ids(self) -> list[str]:
        return [r.code.id for r in self._rows if r.code]

    def rowCount(self, parent: QModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.NoItemFlags
        if self._rows[index.row()].code is None or not self._enabled:
            return Qt.ItemNeverHasChildren
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return row.title
        if role == ROW_ROLE:
            return row
        if row.code is None:
            if role == Qt.ToolTipRole and row.title:     # the header may be elided
                return row.title + ("\nA category set: exactly one of these codes per unit."
                                    if row.one_of else "")
            return None
        code = row.code
        if role == Qt.ToolTipRole:
            return code_tooltip(code)
        if role == Qt.CheckStateRole:
            return self._states.get(code.id, Qt.Unchecked)
        if role == CODE_ID_ROLE:
            return code.id
        if role == Qt.DecorationRole:
            return QColor(code.color or DEFAULT_COLOR)
        return None
