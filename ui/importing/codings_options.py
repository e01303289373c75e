"""The small dialog before a codings table is imported: whether every unit of the table's
transcripts counts as completed by each rater in it, and which extra cell values mean a
missing rating (as ``codings import --complete --missing "n/a,.,-99"``). Both are remembered
in the app's settings for the next import."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QVBoxLayout)


class CodingsImportOptions(QDialog):
    def __init__(self, settings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import codings")
        self.settings = settings
        complete, missing = settings.codings_import_options()
        self.complete = QCheckBox("Mark every unit of these transcripts as completed by each "
                                  "rater in the table")
        self.complete.setChecked(complete)
        self.complete.setToolTip("Tick when the table lists every code the raters applied, so "
                                 "that an absent code counts as 'not applied' rather than "
                                 "'missing'.")
        self.missing = QLineEdit(missing)
        self.missing.setPlaceholderText("e.g. n/a, ., -99")
        self.missing.setToolTip("Values in the value column that mean 'no rating', separated "
                                "by commas. Rows with them are left out as missing; a "
                                "scale's own missing values (codebook) always count.")
        hint = QLabel("Empty cells are always missing. Anything else that is not a number "
                      "on a rating's scale stops the import, naming the row.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.complete)
        form.addRow("Missing values", self.missing)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(buttons)

    def values(self) -> tuple[bool, str]:
        """(complete, the missing tokens as typed)."""
        return self.complete.isChecked(), self.missing.text().strip()

    def accept(self) -> None:
        self.settings.set_codings_import_options(*self.values())
        super().accept()

    @classmethod
    def ask(cls, settings, parent=None) -> tuple[bool, str] | None:
        """The user's choice, or None when they cancelled."""
        dialog = cls(settings, parent)
        return dialog.values() if dialog.exec() == QDialog.Accepted else None
