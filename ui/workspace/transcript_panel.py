"""TranscriptPanel: the list of transcripts in the open project.

It fills itself when a project opens and when a change set says transcripts were added or
removed; choosing a row emits `transcript_selected`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ui.workspace.transcript_model import TranscriptListModel


class TranscriptPanel(QWidget):
    transcript_selected = Signal(int)      # transcript id
    entered = Signal()                     # Enter in the list: on to the transcript's units

    def __init__(self, events, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Transcript list")
        self.events = events
        self.model = TranscriptListModel(self)
        self.title = QLabel("Transcripts")
        self.title.setObjectName("panelTitle")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        for col, width in enumerate((170, 50, 72, 160)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.setAccessibleName("Transcripts")
        self.view.activated.connect(lambda _index: self.entered.emit())   # Enter, double-click
        self.empty = QLabel("No transcripts yet.\nUse File ▸ Import transcripts… (Ctrl+I).")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        events.opened.connect(lambda project: self.reload())
        events.changed.connect(self._changed)

    def reload(self, select_id: int | None = None) -> None:
        project = self.events.project
        self.set_transcripts([] if project is None else project.transcripts.list(), select_id)

    def _changed(self, changes) -> None:
        """Transcripts added or removed: list them again, selecting the newest added one, or
        else the one selected before (a change inside a transcript leaves the list alone)."""
        project = self.events.project
        if not changes.transcripts or project is None:
            return
        items = project.transcripts.list()
        shown = [item.id for item in self.model.items()]
        if [item.id for item in items] == shown:
            return
        new = {item.id for item in items} - set(shown)
        self.set_transcripts(items, max(new) if new else self.current_id())

    def set_transcripts(self, items, select_id: int | None = None) -> None:
        self.model.set_items(items)
        self.title.setText(f"Transcripts ({len(items)})")
        self.view.setVisible(bool(items))
        self.empty.setVisible(not items)
        if items:
            row = self.model.row_of(select_id) if select_id is not None else 0
            self.view.selectRow(max(row, 0))

    def select(self, transcript_id: int) -> None:
        row = self.model.row_of(transcript_id)
        if row >= 0:
            self.view.selectRow(row)

    def current_id(self) -> int | None:
        item = self.model.item(self.view.currentIndex().row())
        return None if item is None else item.id

    def _current_changed(self, current, _previous) -> None:
        item = self.model.item(current.row())
        if item is not None:
            self.transcript_selected.emit(item.id)
