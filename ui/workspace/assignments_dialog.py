"""AssignmentsDialog: the project's raters, who codes which transcript, and a reproducible
random pick of transcripts for double coding."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QHBoxLayout,
                               QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from coder.errors import SessionCoderError


class AssignmentsDialog(QDialog):
    def __init__(self, service, events, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raters and assignments")
        self.service, self.events = service, events
        intro = QLabel("Tick who codes each transcript. Double-coded transcripts are the ones "
                       "reliability is computed on.")
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        # A small fixed grid (transcripts x raters), not a long list: a widget table is fine.
        self.grid = QTableWidget()
        self.grid.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        add = QPushButton("Add rater…")
        add.clicked.connect(self._add_rater)

        self.percent = QDoubleSpinBox()
        self.percent.setRange(1, 100)
        self.percent.setValue(20)
        self.percent.setSuffix(" %")
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setSpecialValueText("random")
        self.seed.setToolTip("The same seed always picks the same transcripts")
        pick = QPushButton("Pick for double coding")
        pick.clicked.connect(self._pick)
        self.pick_result = QLineEdit()
        self.pick_result.setReadOnly(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Double-code"))
        row.addWidget(self.percent)
        row.addWidget(QLabel("seed"))
        row.addWidget(self.seed)
        row.addWidget(pick)
        row.addWidget(self.pick_result, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self._fill()

    def _fill(self) -> None:
        self.transcripts = self.service.transcripts.list()
        self.raters = self.service.raters.list()
        assigned = self.service.assignments.all()
        self.grid.clear()
        self.grid.setRowCount(len(self.transcripts))
        self.grid.setColumnCount(len(self.raters))
        self.grid.setHorizontalHeaderLabels([f"{r.name} ({r.initials})" for r in self.raters])
        self.grid.setVerticalHeaderLabels([t.name for t in self.transcripts])
        for i, t in enumerate(self.transcripts):
            for j, r in enumerate(self.raters):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled)
                item.setCheckState(Qt.Checked if r.id in assigned.get(t.id, [])
                                   else Qt.Unchecked)
                self.grid.setItem(i, j, item)
        self.grid.resizeColumnsToContents()

    def _add_rater(self) -> None:
        name, ok = QInputDialog.getText(self, "Add rater", "Name:")
        if not ok or not name.strip():
            return
        try:
            self.service.raters.add(name)
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Add rater", str(exc))
            return
        self._save(close=False)
        self._fill()

    def _pick(self) -> None:
        seed = self.seed.value() or None
        try:
            chosen, seed = self.service.assignments.pick_double_coding(self.percent.value(),
                                                                       seed)
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Double coding", str(exc))
            return
        self.seed.setValue(seed)
        names = [t.name for t in self.transcripts if t.id in chosen]
        self.pick_result.setText(f"seed {seed}: " + ", ".join(names))

    def _save(self, close: bool = True) -> None:
        try:
            with self.events.held():          # announced once, not once per cell
                for i, t in enumerate(self.transcripts):
                    for j, r in enumerate(self.raters):
                        checked = self.grid.item(i, j).checkState() == Qt.Checked
                        self.service.assignments.assign([t.id], [r.id], checked)
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Assignments", str(exc))
            return
        if close:
            self.accept()
