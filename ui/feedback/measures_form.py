"""MeasuresDialog: the client's own ratings of one session, and new measure definitions."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout)

from coder.analytics.measures import Measure
from coder.errors import SessionCoderError
from coder.feedback.commands import DefineMeasure, SetMeasureValues
from ui.shell import theme as themes

NOT_ENTERED = "not entered"


class MeasuresDialog(QDialog):
    def __init__(self, service, events, transcript, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Client measures")
        self.service, self.events, self.info = service, events, transcript
        self.setWindowTitle(f"Client measures — {transcript.name}")
        self.boxes: dict[str, QDoubleSpinBox] = {}
        self.values_box = QGroupBox("This session, as the client rated it")
        self.values_form = QFormLayout(self.values_box)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {themes.current().error}")
        self.problem.setWordWrap(True)

        new = QGroupBox("Define a measure (name your own; no published wording ships here)")
        nf = QFormLayout(new)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Session alliance")
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.low, 0), (self.high, 10)):
            box.setRange(-1000, 1000)
            box.setDecimals(1)
            box.setValue(value)
        rng = QHBoxLayout()
        rng.addWidget(self.low)
        rng.addWidget(QLabel("to"))
        rng.addWidget(self.high)
        self.better = QComboBox()
        self.better.addItems(["Higher is better", "Lower is better"])
        self.parent_box = QComboBox()
        self.alliance = QCheckBox("Rates the relationship (used by the discordance rules)")
        add = QPushButton("Add measure")
        add.clicked.connect(self.add_measure)
        nf.addRow("Name", self.name)
        nf.addRow("Range", rng)
        nf.addRow("Better end", self.better)
        nf.addRow("Sub-scale of", self.parent_box)
        nf.addRow("", self.alliance)
        nf.addRow("", add)

        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.values_box)
        layout.addWidget(new)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        while self.values_form.rowCount():
            self.values_form.removeRow(0)
        self.boxes.clear()
        measures = self.service.feedback.measures()
        current = {v.measure: v.value for v in self.service.feedback.measure_values(self.info.id)}
        for m in measures:
            box = QDoubleSpinBox()
            box.setDecimals(1)
            box.setRange(m.min - 1, m.max)          # the step below the range: not entered
            box.setSpecialValueText(NOT_ENTERED)
            box.setValue(current.get(m.name, m.min - 1))
            box.setAccessibleName(m.name)
            label = ("    " if m.parent else "") + m.name + f"  ({m.range_text})"
            self.values_form.addRow(label, box)
            self.boxes[m.name] = box
        if not measures:
            self.values_form.addRow(QLabel("No measures yet: define one below."))
        self.parent_box.clear()
        self.parent_box.addItem("(none)", None)
        for m in measures:
            if m.parent is None:
                self.parent_box.addItem(m.name, m.name)

    def values(self) -> dict[str, float | None]:
        out = {}
        for m in self.service.feedback.measures():
            box = self.boxes[m.name]
            out[m.name] = None if box.value() < m.min else box.value()
        return out

    def add_measure(self) -> None:
        m = Measure(self.name.text().strip(), self.low.value(), self.high.value(),
                    self.better.currentIndex() == 0, self.parent_box.currentData(),
                    self.alliance.isChecked())
        try:
            self.events.perform(DefineMeasure(m))
        except SessionCoderError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        self.name.clear()
        self.reload()

    def save(self) -> None:
        try:
            self.events.perform(SetMeasureValues(self.info.id, self.values()))
        except SessionCoderError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()
