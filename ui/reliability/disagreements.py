"""The disagreement browser: every unit where the raters of the cut differ on one code.

One row per unit: transcript, unit, a snippet of its text and each rater's value side by side
("missing" where a rater gave none). Clicking a row (or Enter) asks to open the unit in the
coding workspace. The units and values are the very data matrices the report was computed
on; only the texts are read from the project, one transcript at a time, when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QStackedWidget, QTableView, QVBoxLayout, QWidget)

from ui.shell.formatting import one_line
from ui.shell import theme as themes
from ui.reliability.disagreement_rows import Disagreement, DisagreementRows, disagreements

SNIPPET = 160


class DisagreementModel(QAbstractTableModel):
    FIXED = ("Transcript", "Unit", "Text")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.raters: list[str] = []
        self.rows: list[Disagreement] = []
        self.texts: dict[tuple[int, str, int], str] = {}
        self.source, self.groups = None, set()

    def set_rows(self, raters: list[str], rows: list[Disagreement], texts: dict,
                 source=None) -> None:
        """``source(transcript_id, kind, positions) -> {position: text}``: read a
        transcript's texts when one of its rows is first shown (not all on arrival)."""
        self.beginResetModel()
        self.raters, self.texts = list(raters), dict(texts)
        self.rows = rows if hasattr(rows, "positions") else list(rows)   # lazy rows stay so
        self.source, self.groups = source, set()     # (transcript, kind) whose texts were read
        self.endResetModel()

    def _positions(self, transcript_id: int, kind: str) -> list[int]:
        if hasattr(self.rows, "positions"):
            return self.rows.positions(transcript_id, kind)
        return [d.position for d in self.rows if d.position is not None
                and (d.transcript_id, d.kind) == (transcript_id, kind)]

    def row(self, i: int) -> Disagreement | None:
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.FIXED) + len(self.raters)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        names = list(self.FIXED) + self.raters
        return names[section] if 0 <= section < len(names) else None

    def _text(self, d: Disagreement) -> str:
        if d.position is None:
            return "session global (one rating per session)"
        key = (d.transcript_id, d.kind)
        positions = None
        if self.source is not None and key not in self.groups:
            self.groups.add(key)
            positions = self._positions(*key)
        if positions:
            for pos, text in self.source(d.transcript_id, d.kind, positions).items():
                self.texts[(d.transcript_id, d.kind, pos)] = text
        return self.texts.get((d.transcript_id, d.kind, d.position), "")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d, col = self.rows[index.row()], index.column()
        k = col - len(self.FIXED)
        if role == Qt.DisplayRole:
            if col == 0:
                return d.transcript
            if col == 1:
                return "session" if d.position is None else f"{d.kind} {d.position}"
            if col == 2:
                text = one_line(self._text(d))
                return text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"
            return d.values[k] or "missing"
        if role == Qt.ToolTipRole:                 # the whole cell, never only its clipped part
            if col == 2:
                return self._text(d)
            if col > 2 and not d.values[k]:
                return "No value from this rater (unit not completed, or no value given)"
            if col > 2:
                return d.values[k]
            return f"{self.data(index)}\nEnter or a click opens this unit in the coding workspace"
        if role == Qt.ForegroundRole and col > 2 and not d.values[k]:
            return QColor(themes.current().muted)     # readable, set apart by italics
        if role == Qt.FontRole and col > 2 and not d.values[k]:
            f = QFont()
            f.setItalic(True)
            return f
        return None

    def flags(self, index):
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable if index.isValid() else Qt.NoItemFlags


class DisagreementPanel(QWidget):
    """Code chooser, count, and the table; a message instead while blinding is on."""

    open_unit = Signal(int, int)            # transcript id, unit position (0: session)
    open_unit_of_kind = Signal(int, str, int)

    def __init__(self, text_source, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Disagreements")
        self.text_source = text_source     # (transcript id, kind, positions) -> {pos: text}
        self.matrices: dict = {}
        self.found: dict = {}
        self.scope: tuple = (None, None)
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(24)
        self.choice.currentIndexChanged.connect(self._show)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.model = DisagreementModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.clicked.connect(self._activated)
        for keys in ("Return", "Enter"):
            QShortcut(QKeySequence(keys), self.view, self._open_current,
                      context=Qt.WidgetShortcut)
        self.blocked = QLabel()
        self.blocked.setWordWrap(True)
        self.blocked.setAlignment(Qt.AlignCenter)
        self.blocked.setObjectName("hint")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.blocked)
        head = QHBoxLayout()
        head.addWidget(QLabel("Code:"))
        head.addWidget(self.choice)
        head.addWidget(self.count, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(head)
        lay.addWidget(self.pages, 1)

    def set_blocked(self, message: str | None) -> None:
        """Hide every rater's values behind ``message`` (None: show them)."""
        if message:
            self.blocked.setText(message)
            self.model.set_rows([], [], {})
            self.pages.setCurrentWidget(self.blocked)
        else:
            self.pages.setCurrentWidget(self.view)

    def set_data(self, entries: list, matrices: dict, scope, found: dict | None = None) -> None:
        """``found``: per code, the disagreeing rows of the whole matrix, already found (the
        result's `disagreeing`), used for the pooled cut."""
        key = self.current_key()
        self.matrices, self.scope, self.found = matrices, scope, found or {}
        self.choice.blockSignals(True)
        self.choice.clear()
        for e in entries:
            if e.id in matrices:
                self.choice.addItem(e.label, e.id)
        i = self.choice.findData(key)
        self.choice.setCurrentIndex(max(0, i))
        self.choice.blockSignals(False)
        self._show()

    def current_key(self) -> str | None:
        return self.choice.currentData()

    def select(self, key: str) -> None:
        i = self.choice.findData(key)
        if i >= 0:
            self.choice.setCurrentIndex(i)

    def _show(self) -> None:
        m = self.matrices.get(self.current_key())
        if m is None:
            self.model.set_rows([], [], {})
            self.count.setText("")
            return
        raters, transcript = self.scope
        picked = self.found.get(self.current_key())
        if raters is None and transcript is None and picked is not None:
            names, rows = list(m.raters), DisagreementRows(m, list(range(len(m.raters))), picked)
        else:
            names, rows = disagreements(m, raters, transcript)
        self.model.set_rows(names, rows, {}, self.text_source)   # texts read when shown
        compared = m.n_units_pairable
        where = f" in {transcript}" if transcript else ""
        who = (" and ".join(names) if len(names) < 3
               else f"{', '.join(names[:-1])} and {names[-1]}")
        self.count.setText(
            f"{len(rows)} unit{'s' if len(rows) != 1 else ''} where {who} "
            f"differ{where} (of {compared} units rated by two or more raters). "
            "Click a row to open it in the coding workspace.")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        self.view.setColumnWidth(0, 150)
        self.view.setColumnWidth(1, 90)
        for c in range(3, self.model.columnCount()):
            self.view.setColumnWidth(c, 130)
        header.setSectionResizeMode(2, QHeaderView.Stretch)

    def _open_current(self) -> None:
        self._activated(self.view.currentIndex())

    def _activated(self, index) -> None:
        if not index.isValid():
            return
        d = self.model.row(index.row())
        if d is not None:
            self.open_unit.emit(d.transcript_id, d.position or 0)
            self.open_unit_of_kind.emit(d.transcript_id, d.kind, d.position or 0)
