"""MainMenus: the main window's menus, their shortcuts, and the slots behind them (file
dialogs, message boxes). Each slot gathers input, asks the service, reports back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog

import coder
from coder.errors import SessionCoderError
from coder.project import Project

from .workers import Worker

PROJECT_FILTER = "Session Coder projects (*.scproj)"
TRANSCRIPT_FILTER = ("Transcripts (*.vtt *.srt *.docx *.txt *.csv *.tsv *.xlsx *.json);;"
                     "All files (*)")
TABLE_FILTER = "Tables (*.csv *.xlsx)"

SHORTCUT_HELP = """<table cellpadding=3>
<tr><td><b>Code key</b> (letter or digit)</td><td>apply / remove that code on the selected
units; with words selected in the text pane, code only those words</td></tr>
<tr><td><b>Enter</b></td><td>done, next: mark the selected units completed and move on</td></tr>
<tr><td><b>↑ ↓</b>, <b>Shift+↑ ↓</b></td><td>move; extend the selection</td></tr>
<tr><td><b>1–9</b> on time windows</td><td>set the highlighted window rating</td></tr>
<tr><td><b>Ctrl+J</b></td><td>next unfinished unit</td></tr>
<tr><td><b>Ctrl+]</b> / <b>Ctrl+[</b></td><td>next / previous unit with the chosen code</td></tr>
<tr><td><b>Ctrl+F</b>, <b>F3</b></td><td>find in text; next match</td></tr>
<tr><td><b>Ctrl+G</b></td><td>go to a time</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>undo / redo</td></tr>
</table>"""


def parse_clock(text: str) -> int | None:
    parts = text.strip().split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    if not 1 <= len(nums) <= 3 or any(n < 0 for n in nums):
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return int(seconds * 1000)


class MainMenus:
    def __init__(self, window) -> None:
        self.w = window
        w = window
        bar = w.menuBar()
        m = bar.addMenu("&File")
        self.act_new = self._add(m, "&New project…", self.new_project, QKeySequence.New)
        self.act_open = self._add(m, "&Open project…", self.choose_project, QKeySequence.Open)
        self._add(m, "Open the &sample project", self.open_sample)
        m.addSeparator()
        self.act_import = self._add(m, "&Import transcripts…", self.import_files, "Ctrl+I")
        self.act_import_folder = self._add(m, "Import a &folder…", self.import_folder,
                                           "Ctrl+Shift+I")
        self.act_codings_in = self._add(m, "Import &codings (CSV/XLSX)…", self.import_codings)
        self.act_codings_out = self._add(m, "&Export codings (CSV)…", self.export_codings)
        self.act_export_xlsx = self._add(m, "Export to E&xcel…", self.export_excel, "Ctrl+E")
        m.addSeparator()
        self.act_close = self._add(m, "&Close project", w.close_project, QKeySequence.Close)
        quit_ = self._add(m, "&Quit", w.close, QKeySequence.Quit)
        quit_.setMenuRole(QAction.QuitRole)

        e = bar.addMenu("&Edit")
        undo = w.undo_stack.createUndoAction(w, "&Undo")
        undo.setShortcut(QKeySequence.Undo)
        redo = w.undo_stack.createRedoAction(w, "&Redo")
        redo.setShortcuts([QKeySequence.Redo, QKeySequence("Ctrl+Y")])
        e.addAction(undo)
        e.addAction(redo)

        ws = w.workspace
        n = bar.addMenu("&Navigate")
        self.nav = [
            self._add(n, "Done, &next", ws.done_next, tip="Enter in the unit table"),
            self._add(n, "Next &unfinished unit", ws.next_unfinished, "Ctrl+J"),
            self._add(n, "Next unit with the chosen &code", lambda: ws.next_with_code(1),
                      "Ctrl+]"),
            self._add(n, "&Previous unit with the chosen code", lambda: ws.next_with_code(-1),
                      "Ctrl+["),
            self._add(n, "&Find in text…", ws.bar.focus_search, QKeySequence.Find),
            self._add(n, "Next &match", lambda: ws._jump_match(1), QKeySequence.FindNext),
            self._add(n, "Previous m&atch", lambda: ws._jump_match(-1),
                      QKeySequence.FindPrevious),
            self._add(n, "&Go to time…", self.go_to_time, "Ctrl+G"),
        ]
        v = bar.addMenu("&View")
        self.act_hints = self._add(v, "Show code &suggestions", self.toggle_hints)
        self.act_hints.setCheckable(True)
        self.act_hints.setChecked(w.settings.show_hints())
        ws.show_hints = w.settings.show_hints()

        p = bar.addMenu("&Project")
        self.act_rater = self._add(p, "&Switch rater…", self.switch_rater, "Ctrl+Shift+R")
        self.act_assign = self._add(p, "&Raters and assignments…", self.assignments)
        self.act_blind = self._add(p, "&Blind mode", self.toggle_blind)
        self.act_blind.setCheckable(True)

        h = bar.addMenu("&Help")
        self._add(h, "&Keyboard shortcuts", self.shortcuts, QKeySequence.HelpContents)
        about = self._add(h, "&About Session Coder", self.about)
        about.setMenuRole(QAction.AboutRole)

    def _add(self, menu, text, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self.w)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def set_project_open(self, is_open: bool) -> None:
        for a in (self.act_import, self.act_import_folder, self.act_close, self.act_rater,
                  self.act_assign, self.act_blind, self.act_codings_in, self.act_codings_out,
                  self.act_export_xlsx,
                  *self.nav):
            a.setEnabled(is_open)
        if is_open:
            self.act_blind.setChecked(self.w.service.access.blind)

    # -- file ----------------------------------------------------------------------------------
    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.w, "Open project",
                                              self.w.settings.last_folder(), PROJECT_FILTER)
        if path:
            self.w.open_project(path)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.w, "New project", str(Path(self.w.settings.last_folder()) / "Untitled.scproj"),
            PROJECT_FILTER, options=QFileDialog.DontConfirmOverwrite)
        if not path:
            return
        path = Path(path)
        if path.suffix.lower() != ".scproj":
            path = path.with_name(path.name + ".scproj")
        try:
            Project.create(path).close()
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Cannot create project", str(exc))
            return
        self.w.open_project(path)

    def open_sample(self) -> None:
        path = self.w.settings.sample_project_path()
        if path.exists():
            self.w.open_project(path)
            return
        from coder.sample import build_sample_project
        dialog = QProgressDialog("Building the sample project…", "Cancel", 0, 0, self.w)
        dialog.setWindowTitle("Sample project")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)
        worker = Worker(build_sample_project, path)

        def progress(done, total, message) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(message or "Building the sample project…")

        def failed(message: str) -> None:
            dialog.close()
            QMessageBox.warning(self.w, "Sample project", message)

        worker.signals.progress.connect(progress)
        worker.signals.finished.connect(lambda result: (dialog.close(),
                                                        self.w.open_project(result)))
        worker.signals.failed.connect(failed)
        worker.signals.cancelled.connect(dialog.close)
        dialog.canceled.connect(worker.cancel)
        self.w.run_worker(worker)

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.w, "Import transcripts",
                                                self.w.settings.last_folder(), TRANSCRIPT_FILTER)
        if files:
            self.w.settings.set_last_folder(Path(files[0]).parent)
            self._run_import([Path(f) for f in files])

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Import a folder of transcripts",
                                                  self.w.settings.last_folder())
        if not folder:
            return
        self.w.settings.set_last_folder(folder)
        try:
            files = self.w.service.importing.files_in(folder)
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Import", str(exc))
            return
        if not files:
            QMessageBox.information(self.w, "Import", f"No transcript files in {folder}.")
            return
        self._run_import(files)

    def _run_import(self, files: list[Path]) -> None:
        from .import_dialog import ImportDialog
        dialog = ImportDialog(self.w.service, files, self.w.settings, self.w)
        dialog.transcripts_imported.connect(
            lambda infos: self.w.refresh_transcripts(infos[-1].id if infos else None))
        dialog.exec()

    def import_codings(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.w, "Import codings",
                                              self.w.settings.last_folder(), TABLE_FILTER)
        if not path:
            return
        complete = QMessageBox.question(
            self.w, "Import codings",
            "Mark every unit of the transcripts in this table as completed by each rater in "
            "it?\n\nChoose Yes when the table lists every code the raters applied, so that "
            "an absent code counts as 'not applied' rather than 'missing'.",
            QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel, QMessageBox.No)
        if complete == QMessageBox.Cancel:
            return
        from coder.coding.table_io import ImportCodings
        try:
            command = ImportCodings(Path(path), self.w.service.codebook.current(),
                                    complete == QMessageBox.Yes)
            from .undo import run_command
            run_command(self.w.undo_stack, self.w.service, command, self.w.hub)
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Import codings", str(exc))
            return
        QMessageBox.information(self.w, "Import codings", command.summary)

    def export_codings(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.w, "Export codings", str(Path(self.w.settings.last_folder()) / "codings.csv"),
            "CSV (*.csv)")
        if not path:
            return
        try:
            n = self.w.service.codings.export_csv(path)
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Export codings", str(exc))
            return
        self.w.statusBar().showMessage(f"Wrote {n} codings to {path}", 8000)

    def export_excel(self) -> None:
        from .export_dialog import ExportDialog
        dialog = ExportDialog(self.w.service, self.w.settings, self.w)
        dialog.exported.connect(
            lambda r: self.w.statusBar().showMessage(f"Wrote {r.path}", 8000))
        dialog.exec()

    # -- navigate / view -------------------------------------------------------------------------
    def go_to_time(self) -> None:
        text, ok = QInputDialog.getText(self.w, "Go to time", "Time (m:ss or h:mm:ss):")
        if ok:
            ms = parse_clock(text)
            if ms is None:
                self.w.statusBar().showMessage(f"'{text}' is not a time", 6000)
            else:
                self.w.workspace.go_to_time(ms)

    def toggle_hints(self) -> None:
        show = self.act_hints.isChecked()
        self.w.settings.set_show_hints(show)
        self.w.workspace.set_show_hints(show)

    # -- project ---------------------------------------------------------------------------------
    def switch_rater(self) -> None:
        from .rater_dialog import RaterDialog
        if self.w.service is None:
            return
        dialog = RaterDialog(self.w.service, self.w.settings.rater_for(self.w.service.path),
                             self.w)
        if dialog.exec() and dialog.chosen is not None:
            self.w.signed_in(dialog.chosen)

    def assignments(self) -> None:
        from .assignments_dialog import AssignmentsDialog
        AssignmentsDialog(self.w.service, self.w).exec()

    def toggle_blind(self) -> None:
        service = self.w.service
        want = self.act_blind.isChecked()
        try:
            service.raters.set_blind(want)
        except SessionCoderError as exc:
            self.act_blind.setChecked(service.access.blind)
            QMessageBox.warning(self.w, "Blind mode", str(exc))
            return
        self.w.workspace.set_project(service)
        current = self.w.transcripts.current_id()
        if current is not None:
            self.w.workspace.show_transcript(service.transcripts.get(current))
        if self.w.reliability_view is not None:
            self.w.reliability_view.refresh()
        self.w._update_title()

    # -- help ------------------------------------------------------------------------------------
    def shortcuts(self) -> None:
        QMessageBox.information(self.w, "Keyboard shortcuts", SHORTCUT_HELP)

    def about(self) -> None:
        QMessageBox.about(self.w, "About Session Coder",
                          f"<b>Session Coder</b> {coder.__version__}<br>Coding and reliability "
                          "for psychotherapy session transcripts.<br>All data stays on this "
                          "computer.")
