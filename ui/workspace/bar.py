"""WorkspaceBar: the strip above the unit table — transcript, progress, unit kind, search and
filters."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QVBoxLayout, QWidget)

from ui.shell.formatting import fmt_time

KIND_LABELS = {"turn": "Talk turns", "sentence": "Sentences", "window": "Time windows"}


class WorkspaceBar(QWidget):
    kind_changed = Signal(str)
    search_changed = Signal()
    filter_changed = Signal()
    next_match = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Transcript toolbar")
        self.title = QLabel("")
        self.title.setObjectName("panelTitle")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("hint")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(True)
        self.progress.setToolTip("Units you have marked done (Enter) out of all units")
        self.kind_box = QComboBox()
        self.kind_box.setToolTip("Which units to code")
        self.kind_box.currentIndexChanged.connect(
            lambda _i: self.kind_box.currentData() and self.kind_changed.emit(self.kind()))

        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Find in the transcript")
        self.search_edit.setPlaceholderText("Find in text (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self.search_changed.emit())
        self.search_edit.returnPressed.connect(self.next_match)
        self.regex = QCheckBox("Regex")
        self.regex.toggled.connect(lambda _b: self.search_changed.emit())
        self.only = QCheckBox("Only matches")
        self.only.toggled.connect(lambda _b: self.search_changed.emit())
        self.matches = QLabel("")
        self.matches.setObjectName("hint")
        self.role_box = QComboBox()
        for label, role in (("All speakers", ""), ("Therapist", "therapist"),
                            ("Client", "client"), ("Other", "other")):
            self.role_box.addItem(label, role)
        self.role_box.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        self.code_box = QComboBox()
        self.code_box.addItem("Any code", "")
        self.code_box.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(self.progress)
        top.addWidget(self.kind_box)
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 2)
        row.addWidget(self.regex)
        row.addWidget(self.only)
        row.addWidget(self.matches)
        row.addSpacing(12)
        row.addWidget(QLabel("Show"))
        row.addWidget(self.role_box)
        row.addWidget(self.code_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(row)

    def set_codes(self, codebook) -> None:
        self.code_box.blockSignals(True)
        self.code_box.clear()
        self.code_box.addItem("Any code", "")
        if codebook is not None:
            for entry in codebook.codes():
                if entry.code.kind in ("presence", "category", "rating"):
                    self.code_box.addItem(f"With: {entry.code.label}", entry.code.id)
        self.code_box.blockSignals(False)

    def set_transcript(self, info, kinds=None, current=None) -> None:
        for w in (self.progress, self.kind_box, self.search_edit, self.regex, self.only,
                  self.role_box, self.code_box):
            w.setEnabled(info is not None)
        if info is None:
            self.title.setText("No transcript open")
            self.subtitle.setText("Choose a transcript on the left.")
            self.progress.setVisible(False)
            self.kind_box.setVisible(False)
            return
        self.title.setText(info.name)
        duration = fmt_time(info.duration_ms) if info.duration_ms is not None else "untimed"
        self.subtitle.setText(f"{info.turns} turns · {duration} · "
                              f"{', '.join(info.speakers) or 'speakers not named'}")
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        for kind in kinds or [info.unit]:
            label = KIND_LABELS[kind]
            if kind == "window":
                label += f" ({info.window_minutes:g} min)"
            self.kind_box.addItem(label, kind)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(current)))
        self.kind_box.blockSignals(False)
        self.kind_box.setVisible(self.kind_box.count() > 1)

    def kind(self) -> str:
        return self.kind_box.currentData()

    def choose_kind(self, kind: str) -> None:
        """Show units of `kind` when this transcript has them (emits kind_changed)."""
        index = self.kind_box.findData(kind)
        if index >= 0:
            self.kind_box.setCurrentIndex(index)

    def set_progress(self, progress) -> None:
        self.progress.setVisible(progress is not None)
        if progress is not None:
            done, total = progress
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            self.progress.setFormat(f"Done {done} / {total}")

    def search(self) -> tuple[str, bool, bool]:
        return self.search_edit.text(), self.regex.isChecked(), self.only.isChecked()

    def search_pattern(self) -> re.Pattern | None:
        text = self.search_edit.text()
        if not text:
            return None
        try:
            return re.compile(text if self.regex.isChecked() else re.escape(text), re.IGNORECASE)
        except re.error:
            return None

    def set_match_count(self, n: int | None) -> None:
        self.matches.setText("" if n is None else f"{n} match{'es' if n != 1 else ''}")

    def role_filter(self) -> str:
        return self.role_box.currentData()

    def code_filter(self) -> str:
        return self.code_box.currentData()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
