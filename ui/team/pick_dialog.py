"""PickDialog: choose one name from a list and several transcripts (mark a master coding,
put transcripts into a named round)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QListWidget, QListWidgetItem)


class PickDialog(QDialog):
    def __init__(self, title: str, label: str, names: list[str], transcripts: list,
                 editable: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pick units for double coding")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.name = QComboBox()
        self.name.setEditable(editable)
        self.name.addItems(names)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        for info in transcripts:
            item = QListWidgetItem(info.name)
            item.setData(Qt.UserRole, info.id)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(label, self.name)
        form.addRow("Transcripts", self.list)
        form.addRow(buttons)

    def chosen(self) -> tuple[str, list[int]]:
        return (self.name.currentText().strip(),
                [i.data(Qt.UserRole) for i in self.list.selectedItems()])
