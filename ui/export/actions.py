"""ExportActions: the export area's actions — codings as CSV, and the Excel workbook through
the export dialog (written by a job on the app's runner)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from coder.errors import SessionCoderError

from ui.shell.menus import make_action


class ExportActions(QObject):
    message = Signal(str)                 # for the status bar

    def __init__(self, window, events, settings, runner) -> None:
        super().__init__(window)
        self.window, self.events, self.settings, self.runner = window, events, settings, runner
        w = window
        self.act_codings_out = make_action(w, "&Export codings (CSV)…", self.export_codings)
        self.act_export_xlsx = make_action(w, "Export to E&xcel…", self.export_excel, "Ctrl+E")
        events.opened.connect(lambda project: self.set_enabled(project is not None))
        self.set_enabled(False)

    def actions(self) -> list[QAction]:
        return [self.act_codings_out, self.act_export_xlsx]

    def set_enabled(self, enabled: bool) -> None:
        for action in self.actions():
            action.setEnabled(enabled)

    def export_codings(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export codings", str(Path(self.settings.last_folder()) / "codings.csv"),
            "CSV (*.csv)")
        if not path:
            return
        try:
            n = self.events.project.codings.export_csv(path)
        except SessionCoderError as exc:
            QMessageBox.warning(self.window, "Export codings", str(exc))
            return
        self.message.emit(f"Wrote {n} codings to {path}")

    def export_excel(self) -> None:
        from ui.export.dialog import ExportDialog
        dialog = ExportDialog(self.events.project, self.settings, self.runner, self.window)
        dialog.exported.connect(lambda r: self.message.emit(f"Wrote {r.path}"))
        dialog.exec()
