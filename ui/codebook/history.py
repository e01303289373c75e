"""HistoryDialog: the project's codebook versions (date, source, summary) and a comparison
of any two of them (`Project.codebook.diff(a, b).describe()`)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from coder.errors import SessionCoderError


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def summary_line(summary: str) -> str:
    lines = [s for s in (summary or "").splitlines() if s.strip()]
    if not lines:
        return ""
    more = len(lines) - 1
    return lines[0] + (f"  (+{more} more)" if more else "")


class VersionTableModel(QAbstractTableModel):
    HEADERS = ("Version", "Saved", "Source", "Changes")

    def __init__(self, versions: list[dict], parent=None) -> None:
        super().__init__(parent)
        self._rows = list(reversed(versions))          # newest first

    def version_at(self, row: int) -> int:
        return self._rows[row]["version"]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return (str(row["version"]), local_time(row["created_at"]), row["source"],
                    summary_line(row["summary"]))[index.column()]
        if role == Qt.ToolTipRole and index.column() == 3:
            return row["summary"]
        if role == Qt.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class HistoryDialog(QDialog):
    def __init__(self, service, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Codebook history")
        self.setWindowTitle("Codebook history")
        self._service = service
        versions = service.codebook.versions()
        self.model = VersionTableModel(versions, self)
        self.table = QTableView()
        self.table.setAccessibleName("Codebook versions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(True)
        for col, text in enumerate(("Version", "0000-00-00 00:00", "alliance_safeness.yaml")):
            self.table.setColumnWidth(col, self.fontMetrics().horizontalAdvance(text) + 24)

        self.old_box, self.new_box = QComboBox(), QComboBox()
        for v in versions:
            for box in (self.old_box, self.new_box):
                box.addItem(f"Version {v['version']}  ({local_time(v['created_at'])})",
                            v["version"])
        self.old_box.setCurrentIndex(max(0, len(versions) - 2))
        self.new_box.setCurrentIndex(max(0, len(versions) - 1))
        self.compare_button = QPushButton("Compare")
        self.compare_button.clicked.connect(self.compare)
        self.table.selectionModel().selectionChanged.connect(self._rows_selected)
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)

        pick = QHBoxLayout()
        pick.addWidget(QLabel("Compare"))
        pick.addWidget(self.old_box, 1)
        pick.addWidget(QLabel("with"))
        pick.addWidget(self.new_box, 1)
        pick.addWidget(self.compare_button)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 8, 0, 0)
        ll.setSpacing(6)
        ll.addLayout(pick)
        ll.addWidget(self.diff, 1)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        hint = QLabel("Every saved change to the codebook is a version. Select two rows, or "
                      "choose two versions, to see what changed between them.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)
        if len(versions) >= 2:
            self.compare()

    def _rows_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if len(rows) == 2:
            newer, older = (self.model.version_at(r) for r in rows)
            self.old_box.setCurrentIndex(self.old_box.findData(older))
            self.new_box.setCurrentIndex(self.new_box.findData(newer))
            self.compare()

    def compare(self) -> list[str]:
        a, b = self.old_box.currentData(), self.new_box.currentData()
        if a is None or b is None:
            return []
        try:
            lines = self._service.codebook.diff(a, b).describe()
        except SessionCoderError as exc:
            lines = [str(exc)]
        text = "\n".join(lines) if lines else "No differences in codes or groups."
        self.diff.setPlainText(f"From version {a} to version {b}:\n\n{text}")
        return lines
