"""SegmentPanel: one transcript's units in a fast table, the selected unit's full text below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QPlainTextEdit, QSplitter, QTableView, QVBoxLayout, QWidget)

from coder.model import TranscriptInfo

from .formatting import fmt_span, fmt_time
from .segment_model import SegmentTableModel

KIND_LABELS = {"turn": "Talk turns", "sentence": "Sentences", "window": "Time windows"}


class SegmentPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._service = None
        self._info: TranscriptInfo | None = None
        self.model: SegmentTableModel | None = None

        self.title = QLabel("")
        self.title.setObjectName("panelTitle")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("hint")
        self.kind_box = QComboBox()
        self.kind_box.setToolTip("Which units to show")
        self.kind_box.currentIndexChanged.connect(self._kind_changed)

        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.ElideRight)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)

        self.detail_header = QLabel("")
        self.detail_header.setObjectName("detailHeader")
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setObjectName("detailText")
        detail_box = QWidget()
        dl = QVBoxLayout(detail_box)
        dl.setContentsMargins(0, 6, 0, 0)
        dl.setSpacing(4)
        dl.addWidget(self.detail_header)
        dl.addWidget(self.detail, 1)

        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(self.kind_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.clear()

    def clear(self) -> None:
        self._info = None
        self.model = None
        self.view.setModel(None)
        self.title.setText("No transcript open")
        self.subtitle.setText("Choose a transcript on the left.")
        self.kind_box.clear()
        self.kind_box.setVisible(False)
        self.detail_header.setText("")
        self.detail.setPlainText("")

    def show_transcript(self, service, info: TranscriptInfo) -> None:
        self._service = service
        self._info = info
        self.title.setText(info.name)
        speakers = ", ".join(info.speakers) or "speakers not named"
        duration = fmt_time(info.duration_ms) if info.duration_ms is not None else "untimed"
        self.subtitle.setText(f"{info.turns} turns · {duration} · {speakers}")
        kinds = [info.unit if info.unit != "window" else "turn"]
        if info.window_minutes:
            kinds.append("window")
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        for kind in kinds:
            label = KIND_LABELS[kind]
            if kind == "window":
                label += f" ({info.window_minutes:g} min)"
            self.kind_box.addItem(label, kind)
        self.kind_box.setCurrentIndex(kinds.index(info.unit) if info.unit in kinds else 0)
        self.kind_box.blockSignals(False)
        self.kind_box.setVisible(len(kinds) > 1)
        self._load(self.kind_box.currentData())

    def _kind_changed(self, _index: int) -> None:
        if self._info is not None and self.kind_box.currentData():
            self._load(self.kind_box.currentData())

    def _load(self, kind: str) -> None:
        self.model = SegmentTableModel(self._service, self._info.id, kind, self)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        widths = (48, 64, 150, 80) if kind != "window" else (40, 100, 70, 80)
        for col, width in enumerate(widths):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self.detail_header.setText("")
            self.detail.setPlainText("")

    def _row_changed(self, current, _previous) -> None:
        seg = self.model.segment(current.row()) if self.model else None
        if seg is None:
            return
        if seg.kind == "window":
            turns = ("no talk" if seg.first_turn is None
                     else f"turns {seg.first_turn}–{seg.last_turn}")
            head = f"Window {seg.position} · {fmt_span(seg.start_ms, seg.end_ms)} · {turns}"
        else:
            where = (f"Turn {seg.turn_position}" if seg.kind == "turn"
                     else f"Sentence {seg.position} (turn {seg.turn_position})")
            who = f"{seg.speaker or '(unnamed)'} ({seg.role})"
            head = f"{where} · {who} · {fmt_span(seg.start_ms, seg.end_ms)}"
        self.detail_header.setText(head)
        self.detail.setPlainText(seg.text)
