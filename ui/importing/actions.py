"""ImportActions: the importing area's actions — transcripts (files or a folder) through the
import dialog, and codings from a CSV/XLSX table: read and checked in a job on the one
`JobRunner` (progress and Cancel; nothing is written until it is done), then written as one
undoable command on the main thread. The rest of the app learns what arrived from the change
sets `ProjectEvents` announces."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from coder.errors import SessionCoderError

from ui.shell.jobs import Job
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
        """Choose a table and the options; the table is read and checked in a job (progress,
        Cancel: nothing is written), then written by one command on this thread."""
        path, _ = QFileDialog.getOpenFileName(self.window, "Import codings",
                                              self.settings.last_folder(), TABLE_FILTER)
        if not path:
            return
        from ui.importing.codings_options import CodingsImportOptions
        choice = CodingsImportOptions.ask(self.settings, self.window)
        if choice is not None:
            self.prepare_codings(Path(path), *choice)

    def prepare_codings(self, path: Path, complete: bool, missing: str,
                        new_raters: bool = False) -> Job | None:
        """Start the job that reads and checks the table (see `import_codings`)."""
        from ui.importing.codings_run import prepare_or_ask
        try:
            fn = self.events.project.codings.import_job(path, complete, new_raters, missing)
        except SessionCoderError as exc:
            self._import_failed(str(exc))
            return None
        dialog = QProgressDialog("Reading the table…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Import codings")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)
        job = self.runner.start("Import codings", prepare_or_ask, fn,
                                on_error=self._import_failed)
        dialog.canceled.connect(job.cancel)

        def progressed(done: int, total: int, message: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total) if total else 0)
            dialog.setLabelText(f"{(message or '').capitalize()}: {done:,}"
                                + (f" of {total:,}" if total else ""))
        job.progressed.connect(progressed)
        job.finished.connect(lambda result: self._prepared(result, path, complete, missing))
        job.cancelled.connect(lambda: self.message.emit(
            "Import of codings cancelled: nothing was imported"))
        job.ended.connect(dialog.close)
        self.progress_dialog, self.codings_job = dialog, job
        return job

    def _prepared(self, result, path: Path, complete: bool, missing: str) -> None:
        from ui.importing.codings_run import NamesQuestion
        if isinstance(result, NamesQuestion):       # only look-alike names: the user decides
            if QMessageBox.question(self.window, "Import codings",
                                    f"{result.text}\n\nCreate these as new raters anyway?",
                                    QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes:
                self.prepare_codings(path, complete, missing, new_raters=True)
            else:
                self.message.emit("Import of codings: nothing was imported")
            return
        try:
            command = self.events.project.codings.import_prepared(result)
            self.events.perform(command)
        except SessionCoderError as exc:
            self._import_failed(str(exc))
            return
        self.message.emit(f"Import of codings: {command.summary}")
        QMessageBox.information(self.window, "Import codings", command.summary)

    def _import_failed(self, text: str) -> None:
        self.message.emit("Import of codings failed: " + text.splitlines()[0])
        QMessageBox.warning(self.window, "Import codings", text)
