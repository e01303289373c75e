"""RaterDialog: who is coding? Pick a rater of the project or add yourself."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
                               QVBoxLayout)

from coder.errors import SessionCoderError

ROLE_LABELS = {"rater": "Rater", "supervisor": "Supervisor", "master": "Master coder"}


class RaterDialog(QDialog):
    """`chosen` holds the rater after accept()."""

    NEW = -1

    def __init__(self, service, remembered: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Choose rater")
        self.setWindowTitle("Who is coding?")
        self.service = service
        self.chosen = None
        intro = QLabel("Your codings are saved under your name. While the project is blind, "
                       "you see only your own codings.")
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.list = QListWidget()
        for r in service.raters.list():
            item = QListWidgetItem(f"{r.name}  ({r.initials}) · {ROLE_LABELS.get(r.role, r.role)}")
            item.setData(Qt.UserRole, r.id)
            self.list.addItem(item)
            if r.name == remembered:
                self.list.setCurrentItem(item)
        new_item = QListWidgetItem("Someone new…")
        new_item.setData(Qt.UserRole, self.NEW)
        self.list.addItem(new_item)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())

        self.name = QLineEdit()
        self.initials = QLineEdit()
        self.initials.setMaxLength(4)
        self.role = QComboBox()
        for key, label in ROLE_LABELS.items():
            self.role.addItem(label, key)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Initials", self.initials)
        form.addRow("Role", self.role)
        self.form_label = QLabel("New rater")
        self.form_label.setObjectName("panelTitle")
        self.name.textChanged.connect(self._suggest_initials)
        self.list.currentItemChanged.connect(self._update)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Start coding")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.form_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(420, 420)
        self._update()

    def _new_selected(self) -> bool:
        item = self.list.currentItem()
        return item is not None and item.data(Qt.UserRole) == self.NEW

    def _update(self, *_args) -> None:
        new = self._new_selected()
        for w in (self.form_label, self.name, self.initials, self.role):
            w.setVisible(new)
        if new:
            self.name.setFocus()

    def _suggest_initials(self, text: str) -> None:
        self.initials.setText("".join(w[0] for w in text.split()[:3]).upper())

    def accept(self) -> None:
        try:
            if self._new_selected():
                self.chosen = self.service.raters.add(self.name.text(),
                                                      self.initials.text() or None,
                                                      self.role.currentData())
            else:
                self.chosen = self.service.raters.get(self.list.currentItem().data(Qt.UserRole))
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Rater", str(exc))
            return
        super().accept()
