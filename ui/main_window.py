"""MainWindow: composes the start screen, the transcript and segment panels, menus and the
status bar. It gathers input, asks the service, and shows what came back — nothing more."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QProgressDialog,
                               QSplitter, QStackedWidget)

import coder
from coder.errors import SessionCoderError
from coder.service import ProjectService

from .segment_panel import SegmentPanel
from .settings import AppSettings
from .start_screen import StartScreen
from .transcript_panel import TranscriptPanel
from .workers import Worker

PROJECT_FILTER = "Session Coder projects (*.scproj)"
TRANSCRIPT_FILTER = ("Transcripts (*.vtt *.srt *.docx *.txt *.csv *.tsv *.xlsx *.json);;"
                     "All files (*)")


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.service: ProjectService | None = None
        self._workers: list[Worker] = []

        self.start = StartScreen()
        self.transcripts = TranscriptPanel()
        self.segments = SegmentPanel()
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.transcripts)
        self.splitter.addWidget(self.segments)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([380, 900])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.status_project = QLabel("")
        self.statusBar().addPermanentWidget(self.status_project)
        self._build_actions()
        self._connect()
        self._keep_alive = QTimer(self)
        self._keep_alive.setInterval(ProjectService.REFRESH_INTERVAL_S * 1000)
        self._keep_alive.timeout.connect(lambda: self.service and self.service.keep_alive())

        self.resize(1280, 800)
        if (geometry := settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        self._show_start()

    # -- construction ----------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.act_new = self._action("&New project…", self.new_project, QKeySequence.New,
                                    "Create an empty project file")
        self.act_open = self._action("&Open project…", self.choose_project, QKeySequence.Open)
        self.act_sample = self._action("Open the &sample project", self.open_sample)
        self.act_import = self._action("&Import transcripts…", self.import_files, "Ctrl+I",
                                       "Import VTT, SRT, DOCX, text, CSV or XLSX transcripts")
        self.act_import_folder = self._action("Import a &folder…", self.import_folder,
                                              "Ctrl+Shift+I")
        self.act_close = self._action("&Close project", self.close_project, QKeySequence.Close)
        self.act_quit = self._action("&Quit", self.close, QKeySequence.Quit)
        self.act_about = self._action("&About Session Coder", self.about)
        self.act_quit.setMenuRole(QAction.QuitRole)
        self.act_about.setMenuRole(QAction.AboutRole)

        file_menu = self.menuBar().addMenu("&File")
        for a in (self.act_new, self.act_open, self.act_sample, None, self.act_import,
                  self.act_import_folder, None, self.act_close, self.act_quit):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.act_about)

    def _connect(self) -> None:
        self.start.open_sample_requested.connect(self.open_sample)
        self.start.new_requested.connect(self.new_project)
        self.start.open_requested.connect(self.choose_project)
        self.start.recent_requested.connect(self.open_project)
        self.transcripts.transcript_selected.connect(self._show_transcript)

    def _set_project_actions(self, enabled: bool) -> None:
        for a in (self.act_import, self.act_import_folder, self.act_close):
            a.setEnabled(enabled)

    # -- projects ----------------------------------------------------------------------------
    def _show_start(self) -> None:
        self.start.set_recent(self.settings.recent_projects())
        self.stack.setCurrentWidget(self.start)
        self.setWindowTitle("Session Coder")
        self.status_project.setText("")
        self._set_project_actions(False)

    def open_project(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            service = ProjectService.open(path)
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            return False
        self.close_project()
        self.service = service
        self.settings.add_recent(path)
        self.settings.set_last_folder(path.parent)
        self._keep_alive.start()
        self.stack.setCurrentWidget(self.splitter)
        self._set_project_actions(True)
        self.refresh_transcripts()
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def close_project(self) -> None:
        if self.service is None:
            return
        self._keep_alive.stop()
        self.segments.clear()
        self.service.close()
        self.service = None
        self._show_start()

    def refresh_transcripts(self, select_id: int | None = None) -> None:
        if self.service is None:
            return
        items = self.service.transcripts()
        self.transcripts.set_transcripts(items, select_id)
        if not items:
            self.segments.clear()
        self.setWindowTitle(f"{self.service.name} — Session Coder")
        turns = sum(i.turns for i in items)
        self.status_project.setText(f"{self.service.path.name} · {len(items)} transcripts · "
                                    f"{turns} turns")

    def _show_transcript(self, transcript_id: int) -> None:
        if self.service is None:
            return
        try:
            info = self.service.transcript(transcript_id)
        except SessionCoderError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.segments.show_transcript(self.service, info)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self.settings.last_folder(),
                                              PROJECT_FILTER)
        if path:
            self.open_project(path)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", str(Path(self.settings.last_folder()) / "Untitled.scproj"),
            PROJECT_FILTER, options=QFileDialog.DontConfirmOverwrite)
        if not path:
            return
        path = Path(path)
        if path.suffix.lower() != ".scproj":
            path = path.with_name(path.name + ".scproj")
        try:
            ProjectService.create(path).close()
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Cannot create project", str(exc))
            return
        self.open_project(path)

    def open_sample(self) -> None:
        path = self.settings.sample_project_path()
        if path.exists():
            self.open_project(path)
            return
        from coder.sample import build_sample_project
        dialog = QProgressDialog("Building the sample project…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Sample project")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)
        worker = Worker(build_sample_project, path)
        self._workers.append(worker)

        def done(result) -> None:
            self._workers.remove(worker)
            dialog.close()
            self.open_project(result)

        def failed(message: str) -> None:
            self._workers.remove(worker)
            dialog.close()
            QMessageBox.warning(self, "Sample project", message)

        def progress(done_, total, message) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done_)
            dialog.setLabelText(message or "Building the sample project…")

        worker.signals.finished.connect(done)
        worker.signals.failed.connect(failed)
        worker.signals.cancelled.connect(lambda: (self._workers.remove(worker), dialog.close()))
        worker.signals.progress.connect(progress)
        dialog.canceled.connect(worker.cancel)
        worker.start()

    # -- import ------------------------------------------------------------------------------
    def import_files(self) -> None:
        if self.service is None:
            return
        files, _ = QFileDialog.getOpenFileNames(self, "Import transcripts",
                                                self.settings.last_folder(), TRANSCRIPT_FILTER)
        if files:
            self.settings.set_last_folder(Path(files[0]).parent)
            self._run_import([Path(f) for f in files])

    def import_folder(self) -> None:
        if self.service is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of transcripts",
                                                  self.settings.last_folder())
        if folder:
            self.settings.set_last_folder(folder)
            files = self.service.transcript_files(folder)
            if not files:
                QMessageBox.information(self, "Import", f"No transcript files in {folder}.")
                return
            self._run_import(files)

    def _run_import(self, files: list[Path]) -> None:
        from .import_dialog import ImportDialog
        dialog = ImportDialog(self.service, files, self.settings, self)
        dialog.transcripts_imported.connect(
            lambda infos: self.refresh_transcripts(infos[-1].id if infos else None))
        dialog.exec()

    # -- misc --------------------------------------------------------------------------------
    def about(self) -> None:
        QMessageBox.about(self, "About Session Coder",
                          f"<b>Session Coder</b> {coder.__version__}<br>Coding and reliability "
                          "for psychotherapy session transcripts.<br>All data stays on this "
                          "computer.")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        for worker in list(self._workers):
            worker.cancel()
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self.close_project()
        super().closeEvent(event)
