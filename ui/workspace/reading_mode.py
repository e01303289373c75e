"""ReadingMode: rows of the unit table grow to show a whole utterance, wrapped.

The table keeps a fixed row height by default (DESIGN.md rule 4: never resize-to-contents over
thousands of rows). In reading mode only the rows on screen (and a few beyond) are measured, as
they come into view, so opening a 2,000-unit transcript or pressing a code key costs what it
did: a handful of text measurements per scroll step, not one per unit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QTableView

MAX_LINES = 12            # a very long turn still leaves room for its neighbours
AHEAD = 4                 # rows measured beyond the visible ones


class ReadingMode(QObject):
    def __init__(self, table: QTableView, text_column: int, base_height: int) -> None:
        super().__init__(table)
        self.table, self.column, self.base = table, text_column, base_height
        self.enabled = False
        self._grown: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit_visible)
        table.verticalScrollBar().valueChanged.connect(lambda _v: self.schedule())
        table.horizontalHeader().sectionResized.connect(self._column_resized)

    def set_enabled(self, on: bool) -> None:
        if on == self.enabled:
            return
        self.enabled = on
        self.table.setWordWrap(on)
        if on:
            self.fit_visible()
        else:
            self.reset()

    def reset(self) -> None:
        """Back to one line per row (e.g. another transcript was opened)."""
        model = self.table.model()
        rows = model.rowCount() if model is not None else 0
        for row in self._grown:
            if row < rows:
                self.table.setRowHeight(row, self.base)
        self._grown.clear()

    def forget(self) -> None:
        """The table gets a new model (its rows start at the default height)."""
        self._grown.clear()

    def schedule(self) -> None:
        if self.enabled:
            self._timer.start()

    def _column_resized(self, index: int, _old: int, _new: int) -> None:
        if index == self.column and self.enabled:
            self.reset()
            self.schedule()

    def fit_visible(self) -> None:
        model = self.table.model()
        if not self.enabled or model is None or model.rowCount() == 0:
            return
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else min(model.rowCount() - 1, last + AHEAD)
        width = max(40, self.table.columnWidth(self.column) - 8)
        fm = self.table.fontMetrics()
        cap = fm.lineSpacing() * MAX_LINES + 12
        for row in range(first, last + 1):
            text = model.index(row, self.column).data(Qt.DisplayRole) or ""
            needed = fm.boundingRect(QRect(0, 0, width, 100_000), Qt.TextWordWrap, text).height()
            height = max(self.base, min(cap, needed + 10))
            if self.table.rowHeight(row) != height:
                self.table.setRowHeight(row, height)
                if height != self.base:
                    self._grown.add(row)
                else:
                    self._grown.discard(row)
