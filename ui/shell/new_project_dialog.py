"""NewProjectDialog: where the project file goes, which codebook it starts with (one of the
shipped ones, each with a one-line summary, or a file) and the unit of coding its imports
start from. It gathers the choice; the caller creates the project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout,
                               QWidget)

from coder.codebook.shipped import shipped_codebooks
from coder.model import SegmentationOptions

from ui.importing.options import UNITS
from ui.shell import theme as themes

PROJECT_FILTER = "Session Coder projects (*.scproj)"
CODEBOOK_FILTER = "Codebooks (*.yaml *.yml *.qdc)"


class NewProjectDialog(QDialog):
    def __init__(self, folder: str | Path, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("New project")
        self.setWindowTitle("New project")
        self.setMinimumWidth(560)
        self.path_edit = QLineEdit(str(Path(folder) / "Untitled.scproj"))
        self.path_edit.setAccessibleName("Project file")
        browse = QPushButton("&Browse…")
        browse.setAutoDefault(False)              # Enter creates; never opens a chooser
        browse.clicked.connect(self._browse_project)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)

        books = QGroupBox("Codebook")
        box = QVBoxLayout(books)
        self.book_group = QButtonGroup(self)
        self.shipped = shipped_codebooks()
        for i, item in enumerate(self.shipped):
            radio = QRadioButton(item.title.replace("&", "&&"))
            radio.setToolTip(f"{item.summary}\n({item.path.name})")
            radio.setAccessibleDescription(item.summary)
            summary = QLabel(item.summary)
            summary.setWordWrap(True)
            summary.setIndent(24)
            self.book_group.addButton(radio, i)
            box.addWidget(radio)
            box.addWidget(summary)
        self.file_radio = QRadioButton("From a &file (YAML or REFI-QDA .qdc):")
        self.book_group.addButton(self.file_radio, len(self.shipped))
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("Codebook file")
        self.file_edit.setPlaceholderText("choose a codebook file…")
        file_browse = QPushButton("Choose…")
        file_browse.setAutoDefault(False)
        file_browse.clicked.connect(self._browse_codebook)
        row = QHBoxLayout()
        row.addWidget(self.file_radio)
        row.addWidget(self.file_edit, 1)
        row.addWidget(file_browse)
        box.addLayout(row)
        if self.shipped:
            self.book_group.button(0).setChecked(True)
        else:
            self.file_radio.setChecked(True)
        self.file_edit.textEdited.connect(lambda _t: self.file_radio.setChecked(True))
        self.book_group.idToggled.connect(lambda *_a: self._book_changed())

        self.unit_box = QComboBox()
        for key, title in UNITS:
            self.unit_box.addItem(title, key)
        self.unit_box.setAccessibleName("Unit of coding")
        self.window_spin = QDoubleSpinBox()
        self.window_spin.setRange(0.5, 120.0)
        self.window_spin.setSingleStep(0.5)
        self.window_spin.setDecimals(1)
        self.window_spin.setValue(5.0)
        self.window_spin.setSuffix(" min")
        self.window_spin.setAccessibleName("Window length in minutes")
        self.unit_note = QLabel("")
        self.unit_note.setWordWrap(True)
        units = QWidget()
        form = QFormLayout(units)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Unit of coding:", self.unit_box)
        form.addRow("&Window length:", self.window_spin)
        form.addRow(self.unit_note)
        self.unit_box.currentIndexChanged.connect(lambda _i: self._book_changed())

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("&Create")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel("")
        self.problem.setStyleSheet(f"color: {themes.current().error};")
        self.problem.setWordWrap(True)

        layout = QVBoxLayout(self)
        file_label = QLabel("Project &file:")
        file_label.setBuddy(self.path_edit)
        layout.addWidget(file_label)
        layout.addLayout(where)
        layout.addWidget(books)
        layout.addWidget(units)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._book_changed()

    # -- the choice ------------------------------------------------------------------------------
    def project_path(self) -> Path:
        path = Path(self.path_edit.text().strip()).expanduser()
        return path if path.suffix.lower() == ".scproj" else path.with_name(path.name + ".scproj")

    def codebook_path(self) -> Path | None:
        """The chosen codebook file (None: no file chosen yet)."""
        i = self.book_group.checkedId()
        if 0 <= i < len(self.shipped):
            return self.shipped[i].path
        text = self.file_edit.text().strip()
        return Path(text).expanduser() if text else None

    def segmentation(self) -> SegmentationOptions:
        return SegmentationOptions(unit=self.unit_box.currentData(),
                                   window_minutes=self.window_spin.value())

    # -- reactions -------------------------------------------------------------------------------
    def _book_changed(self) -> None:
        i = self.book_group.checkedId()
        windows = 0 <= i < len(self.shipped) and self.shipped[i].window_codes
        self.unit_note.setText(
            "This codebook rates time windows: windows of the length above are made for every "
            "timed transcript, next to the unit you code." if windows else
            "Choose Time window to code fixed stretches of timed transcripts instead of turns.")
        self.window_spin.setEnabled(windows or self.unit_box.currentData() == "window")

    def _browse_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", self.path_edit.text(),
                                              PROJECT_FILTER,
                                              options=QFileDialog.DontConfirmOverwrite)
        if path:
            self.path_edit.setText(path)

    def _browse_codebook(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Codebook", self.file_edit.text(),
                                              CODEBOOK_FILTER)
        if path:
            self.file_edit.setText(path)
            self.file_radio.setChecked(True)

    def _accept(self) -> None:
        path = self.project_path()
        if not self.path_edit.text().strip():
            self.problem.setText("Give the project a file name.")
        elif path.exists():
            self.problem.setText(f"{path.name} already exists: choose another name.")
        elif not path.parent.is_dir():
            self.problem.setText(f"The folder {path.parent} does not exist.")
        elif self.codebook_path() is None:
            self.problem.setText("Choose a codebook file, or one of the codebooks above.")
        else:
            self.accept()
