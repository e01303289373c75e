"""The file chooser for transcripts: offers what the importers read and leaves out the
workbooks and CSV files Session Coder exported (a project's own export is never offered back
as a transcript). Qt's own dialog is used, since a native one cannot hide files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from coder.export.marker import is_our_export
from coder.importers.pipeline import SUPPORTED_SUFFIXES

TRANSCRIPT_FILTER = ("Transcripts (" + " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES) + ")")


class HideExports(QSortFilterProxyModel):
    """Hides files that `is_our_export` recognises (only tables are looked into)."""

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802 - Qt API
        model = self.sourceModel()
        index = model.index(row, 0, parent)
        if isinstance(model, QFileSystemModel) and not model.isDir(index):
            path = model.filePath(index)
            if path.lower().endswith((".xlsx", ".csv")) and is_our_export(path):
                return False
        return True


def transcript_dialog(parent, folder: str | Path) -> QFileDialog:
    dialog = QFileDialog(parent, "Import transcripts", str(folder), TRANSCRIPT_FILTER)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.ExistingFiles)
    dialog.setProxyModel(HideExports(dialog))
    return dialog


def choose_transcripts(parent, folder: str | Path) -> tuple[list[Path], list[Path]]:
    """(files chosen, exports left out — typed by name), or two empty lists."""
    dialog = transcript_dialog(parent, folder)
    if not dialog.exec():
        return [], []
    files = [Path(f) for f in dialog.selectedFiles()]
    return ([f for f in files if not is_our_export(f)], [f for f in files if is_our_export(f)])
