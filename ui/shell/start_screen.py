"""StartScreen: what the window shows when no project is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

import coder


class StartScreen(QWidget):
    open_sample_requested = Signal()
    new_requested = Signal()
    open_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Start screen")
        title = QLabel("Session Coder")
        title.setObjectName("startTitle")
        tagline = QLabel("Code therapy session transcripts for adherence, alliance ruptures and "
                         "repair; measure inter-rater reliability; export for analysis.")
        tagline.setWordWrap(True)
        tagline.setObjectName("hint")

        self.sample_button = QPushButton("Open the sample project")
        self.sample_button.setToolTip("Four synthetic sessions written for practice")
        self.new_button = QPushButton("New project…")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton("Open project…")
        self.open_button.setToolTip("Ctrl+O")
        for b in (self.sample_button, self.new_button, self.open_button):
            b.setMinimumHeight(36)
            b.setObjectName("startButton")
        self.sample_button.clicked.connect(self.open_sample_requested)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)

        recent_label = QLabel("Recent projects")
        recent_label.setObjectName("panelTitle")
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent projects")
        self.recent.setObjectName("recentList")
        self.recent.itemActivated.connect(lambda item: self.recent_requested.emit(
            item.data(Qt.UserRole)))
        self.no_recent = QLabel("Projects you open will be listed here.")
        self.no_recent.setObjectName("hint")

        buttons = QVBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        recent_box = QVBoxLayout()
        recent_box.addWidget(recent_label)
        recent_box.addWidget(self.recent, 1)
        recent_box.addWidget(self.no_recent)
        recent_box.addStretch(0)
        self._recent_box = recent_box
        row = QHBoxLayout()
        row.setSpacing(28)
        row.addLayout(buttons, 2)
        row.addLayout(recent_box, 3)

        card = QFrame()
        card.setObjectName("startCard")
        card.setMaximumWidth(760)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 32, 36, 28)
        inner.setSpacing(14)
        inner.addWidget(title)
        inner.addWidget(tagline)
        inner.addSpacing(10)
        inner.addLayout(row, 1)
        version = QLabel(f"Version {coder.__version__} · everything stays on this computer")
        version.setObjectName("hint")
        inner.addWidget(version)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(card, 10)
        h.addStretch(1)
        outer.addLayout(h, 6)
        outer.addStretch(1)

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for p in paths:
            item = QListWidgetItem(f"{Path(p).stem}    —    {Path(p).parent}")
            item.setData(Qt.UserRole, p)
            item.setToolTip(p)
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)
        self._recent_box.setStretch(3, 0 if paths else 1)
        if paths:
            self.recent.setCurrentRow(0)
