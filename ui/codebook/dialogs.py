"""Questions the codebook editor asks: delete or archive, merge into which code, which file
to import or export. Each is a plain function so tests can replace it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel,
                               QMessageBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from coder.codebook import Codebook
from coder.codebook.commands import CodebookConflict, MergeCodes

from ui.codebook.tree_model import CodebookTreeModel

ARCHIVE, DELETE, CANCEL = "archive", "delete", "cancel"
YAML_FILTER = "Session Coder codebook (*.yaml *.yml)"
QDC_FILTER = "REFI-QDA codebook (*.qdc)"
OPEN_FILTER = "Codebooks (*.yaml *.yml *.qdc);;" + YAML_FILTER + ";;" + QDC_FILTER


def ask_delete_code(parent, label: str, codings: int) -> str:
    """ARCHIVE, DELETE or CANCEL for a code with codings; DELETE or CANCEL without."""
    box = QMessageBox(parent)
    box.setWindowTitle("Delete code")
    box.setIcon(QMessageBox.Question if not codings else QMessageBox.Warning)
    if not codings:
        box.setText(f"Delete the code '{label}'?")
        box.setInformativeText("It has no codings. Undo brings it back.")
        delete = box.addButton("Delete", QMessageBox.DestructiveRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(QMessageBox.Cancel)
        box.exec()
        return DELETE if box.clickedButton() is delete else CANCEL
    plural = "coding" if codings == 1 else "codings"
    box.setText(f"'{label}' has {codings} {plural}.")
    box.setInformativeText("Archive it to keep its codings and hide it from new coding, or "
                           f"delete the code together with its {codings} {plural}.")
    archive = box.addButton("Archive", QMessageBox.AcceptRole)
    delete = box.addButton(f"Delete code and its {codings} {plural}",
                           QMessageBox.DestructiveRole)
    box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(archive)
    box.exec()
    clicked = box.clickedButton()
    return ARCHIVE if clicked is archive else DELETE if clicked is delete else CANCEL


def confirm(parent, title: str, text: str, detail: str, ok_text: str) -> bool:
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Question)
    box.setText(text)
    box.setInformativeText(detail)
    ok = box.addButton(ok_text, QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


def show_error(parent, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def show_notes(parent, title: str, text: str, notes: list[str]) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Information)
    box.setText(text)
    if notes:
        box.setInformativeText("Notes on the file:\n• " + "\n• ".join(notes))
    box.exec()


def merge_targets(book: Codebook, source_id: str) -> list[str]:
    """Ids of the codes `source_id` can be merged into (same kind, same scale, same set)."""
    out = []
    for entry in book.codes():
        try:
            MergeCodes(book, source_id, entry.code.id)   # builds only; checks compatibility
        except CodebookConflict:
            continue
        out.append(entry.code.id)
    return out


class MergeDialog(QDialog):
    """Pick the code that takes over another code's codings."""

    def __init__(self, book: Codebook, source_id: str, counts: dict[str, int],
                 parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Merge codes")
        source = book.code(source_id)
        self.setWindowTitle(f"Merge '{source.label}'")
        n = counts.get(source_id, 0)
        intro = QLabel(f"Move the {n} coding{'s' if n != 1 else ''} of '{source.label}' to "
                       "the code chosen below and remove it from the codebook. Where a rater "
                       "has both codes on a unit, the unit keeps one. Undo reverses all of it.")
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Code", "Group", "Codings"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        header.setStretchLastSection(False)
        swatches = CodebookTreeModel()
        for code_id in merge_targets(book, source_id):
            entry = book.entry(code_id)
            c = entry.code
            label = c.label + ("  (archived)" if c.archived else "")
            item = QTreeWidgetItem([label, entry.group.label, str(counts.get(c.id, 0))])
            item.setIcon(0, swatches.swatch(c.color, c.archived))
            item.setTextAlignment(2, Qt.AlignRight | Qt.AlignVCenter)
            item.setData(0, Qt.UserRole, c.id)
            item.setToolTip(0, c.definition)
            self.list.addTopLevelItem(item)
        count = self.list.topLevelItemCount()
        self.empty = QLabel("No other code has the same kind"
                            + (" and scale." if source.is_rated else "."))
        self.empty.setObjectName("hint")
        self.empty.setVisible(count == 0)
        self.list.setVisible(count > 0)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.Ok)
        self.ok.setEnabled(False)
        self.list.currentItemChanged.connect(lambda cur, _old: self.ok.setEnabled(cur is not None))
        self.list.itemDoubleClicked.connect(lambda _i, _c: self.accept())
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(620, 440)

    def target(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(0, Qt.UserRole)


def choose_merge_target(parent, book: Codebook, source_id: str,
                        counts: dict[str, int]) -> str | None:
    dialog = MergeDialog(book, source_id, counts, parent)
    return dialog.target() if dialog.exec() == QDialog.Accepted else None


def ask_import_path(parent, folder: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Import codebook", folder, OPEN_FILTER)
    return path or None


def ask_export_path(parent, suggested: str) -> str | None:
    """A file name for export; the chosen filter decides the format (and the extension)."""
    path, chosen = QFileDialog.getSaveFileName(parent, "Export codebook", suggested,
                                               f"{YAML_FILTER};;{QDC_FILTER}")
    if not path:
        return None
    p = Path(path)
    wanted = (".qdc",) if chosen == QDC_FILTER else (".yaml", ".yml")
    if p.suffix.lower() not in wanted:
        p = p.with_name(p.name + wanted[0])
    return str(p)
