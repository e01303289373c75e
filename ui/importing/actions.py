"""ImportActions: the importing area's actions — transcripts (files or a folder) through the
import dialog, and codings from a CSV/XLSX table as one undoable command. The rest of the
app learns what arrived from the change sets `ProjectEvents` announces."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from coder.errors import SessionCoderError

from ui.shell.menus import make_action

TABLE_FILTER = "Tables (*.csv *.xlsx)"


class ImportActions(QObject):
    message = Signal(str)                 # for the status bar

    def __init__(self, window, events, settings, runner) -> None:
        super().__init__(window)
        self.window, self.events, self.settings, self.runner = window, events, settings, runner
        w = window
        self.act_import = make_action(w, "&Import transcripts…", self.import_files, "Ctrl+I")
        self.act_import_folder = make_action(w, "Import a &folder…", self.import_folder,
                                             "Ctrl+Shift+I")
        self.act_codings_in = make_action(w, "Import &codings (CSV/XLSX)…", self.import_codings)
        events.opened.connect(lambda project: self.set_enabled(project is not None))
        self.set_enabled(False)

    def actions(self) -> list[QAction]:
        return [self.act_import, self.act_import_folder, self.act_codings_in]

    def set_enabled(self, enabled: bool) -> None:
        for action in self.actions():
            action.setEnabled(enabled)

    def import_files(self) -> None:
        from ui.importing.transcript_chooser import choose_transcripts
        files, exports = choose_transcripts(self.window, self.settings.last_folder())
        if exports:
            QMessageBox.information(self.window, "Import", "Left out what Session Coder "
                                    "exported itself (not transcripts): "
                                    + ", ".join(f.name for f in exports))
        if files:
            self.settings.set_last_folder(Path(files[0]).parent)
            self.open_dialog([Path(f) for f in files])

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of transcripts",
                                                  self.settings.last_folder())
        if not folder:
            return
        self.settings.set_last_folder(folder)
        try:
            files = self.events.project.importing.files_in(folder)
        except SessionCoderError as exc:
            QMessageBox.warning(self.window, "Import", str(exc))
            return
        if not files:
            QMessageBox.information(self.window, "Import", f"No transcript files in {folder}.")
            return
        self.open_dialog(files)

    def open_dialog(self, files: list[Path]) -> None:
        from ui.importing.dialog import ImportDialog
        ImportDialog(self.events.project, files, self.settings, self.events, self.runner,
                     self.window).exec()

    def import_codings(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import codings",
                                              self.settings.last_folder(), TABLE_FILTER)
        if not path:
            return
        complete = QMessageBox.question(
            self.window, "Import codings",
            "Mark every unit of the transcripts in this table as completed by each rater in "
            "it?\n\nChoose Yes when the table lists every code the raters applied, so that "
            "an absent code counts as 'not applied' rather than 'missing'.",
            QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel, QMessageBox.No)
        if complete == QMessageBox.Cancel:
            return
        from coder.coding.table_io import ImportCodings, RaterNamesError
        from coder.jobs import Cancelled
        dialog = QProgressDialog("Reading the table…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Import codings")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)

        def progress(done: int, total: int, message: str | None = None) -> None:
            # The import is one transaction on this thread (writes never leave it): the
            # dialog repaints between chunks, and Cancel rolls the whole import back.
            dialog.setMaximum(total)
            dialog.setValue(min(done, total) if total else 0)
            dialog.setLabelText(f"{(message or '').capitalize()}: {done:,}"
                                + (f" of {total:,}" if total else ""))
            QApplication.processEvents()
        command = None
        new_raters = False
        try:
            while True:
                try:
                    command = ImportCodings(Path(path), self.events.project.codebook.current(),
                                            complete == QMessageBox.Yes, new_raters)
                    command.progress, command.cancel = progress, dialog.wasCanceled
                    self.events.perform(command)
                    break
                except RaterNamesError as exc:      # only look-alike names: the user decides
                    if new_raters or QMessageBox.question(
                            self.window, "Import codings",
                            f"{exc}\n\nCreate these as new raters anyway?",
                            QMessageBox.Yes | QMessageBox.No,
                            QMessageBox.No) != QMessageBox.Yes:
                        return
                    new_raters = True
        except Cancelled:
            self.message.emit("Import of codings cancelled: nothing was imported")
            return
        except SessionCoderError as exc:
            QMessageBox.warning(self.window, "Import codings", str(exc))
            return
        finally:
            if command is not None:                   # a redo later runs without the dialog
                command.progress = command.cancel = None
            dialog.close()
        QMessageBox.information(self.window, "Import codings", command.summary)
