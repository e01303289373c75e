"""AssignmentsDialog: the project's raters, who codes which transcript, and a reproducible
random pick of transcripts for double coding."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QHBoxLayout,
                               QInputDialog, QLabel, QMessageBox, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from coder.errors import SessionCoderError


class AssignmentsDialog(QDialog):
    def __init__(self, service, events, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Assignments")
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
        self.pick_result = QLabel("")
        self.pick_result.setWordWrap(True)
        self.pick_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.pick_result.setAccessibleName("What the pick assigned")
        row = QHBoxLayout()
        row.addWidget(QLabel("Double-code"))
        row.addWidget(self.percent)
        row.addWidget(QLabel("seed"))
        row.addWidget(self.seed)
        row.addWidget(pick)
        row.addStretch(1)

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
        layout.addWidget(self.pick_result)
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
        chosen = getattr(self, "chosen", set())
        self.grid.setVerticalHeaderLabels([f"{t.name} — double coding" if t.id in chosen
                                           else t.name for t in self.transcripts])
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
        self._save(close=False)                     # the ticks above count as assignments
        self.chosen = set(chosen)
        self._fill()
        self.pick_result.setText(pick_summary(self.transcripts, self.raters,
                                              self.service.assignments.all(), chosen, seed))

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


def pick_summary(transcripts, raters, assigned: dict, chosen, seed: int) -> str:
    """Which transcripts were picked and who codes each, in words (with what is missing)."""
    names = {r.id: r.name for r in raters}
    lines = [f"Picked with seed {seed} for double coding:"]
    for t in transcripts:
        if t.id not in chosen:
            continue
        who = [names[r] for r in assigned.get(t.id, []) if r in names]
        need = "" if len(who) >= 2 else (
            " — needs a second rater: tick one above and Save" if who else
            " — nobody is assigned yet: tick two raters above and Save")
        lines.append(f"• {t.name}: {', '.join(who) or 'no rater'}{need}")
    return "\n".join(lines)
