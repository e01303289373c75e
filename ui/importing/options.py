"""ImportOptionsBox: the import settings that apply to every file in the dialog."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGroupBox, QHBoxLayout,
                               QLabel, QWidget)

from coder.model import SegmentationOptions

UNITS = (("turn", "Talk turn"), ("sentence", "Sentence"), ("window", "Time window"))


class ImportOptionsBox(QGroupBox):
    unit_changed = Signal(str)
    merge_toggled = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__("Options for all files", parent)
        self.setAccessibleName("Import options")
        self.unit_box = QComboBox()
        for key, title in UNITS:
            self.unit_box.addItem(title, key)
        self.unit_box.setToolTip("The unit raters code: each talk turn, each sentence, or "
                                 "fixed time windows (timed transcripts only)")
        self.unit_box.currentIndexChanged.connect(self._unit_changed)
        self.window_spin = QDoubleSpinBox()
        self.window_spin.setRange(0.5, 120.0)
        self.window_spin.setSingleStep(0.5)
        self.window_spin.setDecimals(1)
        self.window_spin.setValue(5.0)
        self.window_spin.setSuffix(" min")
        self.window_spin.setToolTip("Length of each time window")
        self.merge_box = QCheckBox("Merge split cues of the same speaker")
        self.merge_box.setChecked(True)
        self.merge_box.setToolTip("Subtitle files often split one turn over several cues; "
                                  "every merge is reported with a count. Tables (CSV, TSV, "
                                  "XLSX) always keep one unit per row.")
        self.merge_box.toggled.connect(self.merge_toggled)
        self.replace_box = QCheckBox("Replace transcripts already in the project")
        self.replace_box.setToolTip("A file whose name is already in the project replaces that "
                                    "transcript, and its codings")
        self.media_box = QCheckBox("Link the recording beside each file")
        self.media_box.setChecked(True)
        self.media_box.setToolTip("A recording of the same name in the same folder "
                                  "(session01.vtt → session01.mp3, .wav, .m4a, .mp4, .webm …) "
                                  "is linked to the transcript; it is never copied")
        unit_label = QLabel("Unit of coding:")
        unit_label.setBuddy(self.unit_box)
        self.window_label = QLabel("Window length:")
        self.window_label.setBuddy(self.window_spin)
        layout = QHBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(unit_label)
        layout.addWidget(self.unit_box)
        layout.addSpacing(12)
        layout.addWidget(self.window_label)
        layout.addWidget(self.window_spin)
        layout.addSpacing(20)
        layout.addWidget(self.merge_box)
        layout.addSpacing(12)
        layout.addWidget(self.replace_box)
        layout.addSpacing(12)
        layout.addWidget(self.media_box)
        layout.addStretch(1)
        self._unit_changed()

    def focus_chain(self) -> list[QWidget]:
        return [self.unit_box, self.window_spin, self.merge_box, self.replace_box,
                self.media_box]

    def unit(self) -> str:
        return self.unit_box.currentData()

    def set_unit(self, unit: str) -> None:
        self.unit_box.setCurrentIndex(self.unit_box.findData(unit))

    def merge(self) -> bool:
        return self.merge_box.isChecked()

    def replace(self) -> bool:
        return self.replace_box.isChecked()

    def link_media(self) -> bool:
        return self.media_box.isChecked()

    def segmentation(self) -> SegmentationOptions:
        return SegmentationOptions(unit=self.unit(), window_minutes=self.window_spin.value())

    def set_locked(self, locked: bool) -> None:
        self.unit_box.setEnabled(not locked)
        self.merge_box.setEnabled(not locked)
        self.replace_box.setEnabled(not locked)
        self.media_box.setEnabled(not locked)
        self._unit_changed(emit=False)
        if locked:
            self.window_spin.setEnabled(False)

    def _unit_changed(self, *_args, emit: bool = True) -> None:
        window = self.unit() == "window"
        self.window_spin.setEnabled(window)
        self.window_label.setEnabled(window)
        if emit:
            self.unit_changed.emit(self.unit())
