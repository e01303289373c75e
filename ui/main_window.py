"""MainWindow: composes the start screen, the coding workspace with the transcript list, the
codebook editor, menus and the status bar. It gathers input, asks the service, and shows
what came back — nothing more. Menus and their actions live in `ui/menus.py`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QLabel, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
                               QTabWidget)

from coder.errors import SessionCoderError
from coder.project import Project

from .coding_workspace import CodingWorkspace
from .menus import MainMenus
from .settings import AppSettings
from .start_screen import StartScreen
from .transcript_panel import TranscriptPanel
from .undo import ChangeHub
from .workers import Worker


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.service: Project | None = None
        self._workers: list[Worker] = []
        self.undo_stack = QUndoStack(self)
        self.hub = ChangeHub(self)

        self.start = StartScreen()
        self.transcripts = TranscriptPanel()
        self.workspace = CodingWorkspace(self.undo_stack, self.hub)
        self.coding_page = QSplitter(Qt.Horizontal)
        self.coding_page.addWidget(self.transcripts)
        self.coding_page.addWidget(self.workspace)
        self.coding_page.setStretchFactor(0, 1)
        self.coding_page.setStretchFactor(1, 5)
        self.coding_page.setSizes([380, 1060])
        self.codebook_panel = None            # built when a project opens
        self.reliability_view = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.coding_page, "Code")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

        self.status_project = QLabel("")
        self.status_rater = QLabel("")
        self.statusBar().addPermanentWidget(self.status_rater)
        self.statusBar().addPermanentWidget(self.status_project)
        self.menus = MainMenus(self)
        self.start.open_sample_requested.connect(self.menus.open_sample)
        self.start.new_requested.connect(self.menus.new_project)
        self.start.open_requested.connect(self.menus.choose_project)
        self.start.recent_requested.connect(self.open_project)
        self.transcripts.transcript_selected.connect(self._show_transcript)
        self.workspace.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.hub.changed.connect(self._on_changed)
        self.hub.failed.connect(lambda m: QMessageBox.warning(self, "Session Coder", m))
        self._keep_alive = QTimer(self)
        self._keep_alive.setInterval(Project.REFRESH_INTERVAL_S * 1000)
        self._keep_alive.timeout.connect(lambda: self.service and self.service.keep_alive())

        self.resize(1360, 840)
        if (geometry := settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        self._show_start()

    # -- projects ----------------------------------------------------------------------------
    def _show_start(self) -> None:
        self.start.set_recent(self.settings.recent_projects())
        self.stack.setCurrentWidget(self.start)
        self._update_title()
        self.status_project.setText("")
        self.menus.set_project_open(False)

    def open_project(self, path: str | Path, *, ask_rater: bool = True) -> bool:
        path = Path(path)
        try:
            service = Project.open(path)
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            return False
        self.close_project()
        service.access.interactive = True          # blinding applies before anyone signs in
        self.service = service
        self.settings.add_recent(path)
        self.settings.set_last_folder(path.parent)
        self._keep_alive.start()
        remembered = self.settings.rater_for(path)
        match = next((r for r in service.raters.list() if r.name == remembered), None)
        if match is not None:
            service.sign_in(match.id)
        self._build_project_tabs()
        self.workspace.set_project(service)
        self.stack.setCurrentWidget(self.tabs)
        self.menus.set_project_open(True)
        self.refresh_transcripts()
        note = f"Opened {path}"
        if service.backup_problem:
            note += f" — {service.backup_problem}"
        self.statusBar().showMessage(note, 8000)
        if match is None and ask_rater:
            QTimer.singleShot(0, self.menus.switch_rater)
        return True

    def _build_project_tabs(self) -> None:
        """The Codebook and Reliability tabs belong to one open project."""
        from .codebook_panel import CodebookPanel
        from .reliability_view import ReliabilityView
        self._drop_project_tabs()
        self.codebook_panel = CodebookPanel(self.service, self.undo_stack, self.hub)
        self.tabs.addTab(self.codebook_panel, "Codebook")
        self.reliability_view = ReliabilityView(self.service, self.hub)
        self.reliability_view.open_unit_of_kind.connect(self._open_unit)
        self.tabs.addTab(self.reliability_view, "Reliability")

    def _drop_project_tabs(self) -> None:
        for attr in ("codebook_panel", "reliability_view"):
            widget = getattr(self, attr)
            if widget is not None:
                if attr == "reliability_view":
                    widget.cancel()
                self.tabs.removeTab(self.tabs.indexOf(widget))
                widget.deleteLater()
                setattr(self, attr, None)

    def _open_unit(self, transcript_id: int, kind: str, position: int) -> None:
        """A disagreement was clicked: show that unit in the coding workspace."""
        self.tabs.setCurrentWidget(self.coding_page)
        self.refresh_transcripts(select_id=transcript_id)
        ws = self.workspace
        if kind != "session" and ws.bar.kind() != kind:
            index = ws.bar.kind_box.findData(kind)
            if index >= 0:
                ws.bar.kind_box.setCurrentIndex(index)
        if position:
            ws.go_to_position(position)

    def close_project(self) -> None:
        if self.service is None:
            return
        self._keep_alive.stop()
        self.undo_stack.clear()          # commands refer to this project
        self.workspace.set_project(None)
        self.transcripts.set_transcripts([])
        self._drop_project_tabs()
        self.service.close()
        self.service = None
        self._show_start()

    def signed_in(self, rater) -> None:
        """A rater was chosen: remember it for this project on this machine."""
        self.service.sign_in(rater.id)
        self.settings.set_rater_for(self.service.path, rater.name)
        self.workspace.set_project(self.service)
        current = self.transcripts.current_id()
        if current is not None:
            self._show_transcript(current)
        if self.reliability_view is not None:
            self.reliability_view.refresh()
        self._update_title()
        self.workspace.table.setFocus()

    def _update_title(self) -> None:
        if self.service is None:
            self.setWindowTitle("Session Coder")
            self.status_rater.setText("")
            return
        viewer = self.service.viewer
        who = f" — coding as {viewer.name} ({viewer.initials})" if viewer else ""
        self.setWindowTitle(f"{self.service.name}{who} — Session Coder")
        blind = "blind" if self.service.access.blind else "blinding OFF"
        self.status_rater.setText(f"{viewer.name if viewer else 'no rater'} · {blind}")

    def refresh_transcripts(self, select_id: int | None = None) -> None:
        if self.service is None:
            return
        items = self.service.transcripts.list()
        self.transcripts.set_transcripts(items, select_id)
        if not items:
            self.workspace.clear()
        self._update_title()
        turns = sum(i.turns for i in items)
        self.status_project.setText(f"{self.service.path.name} · {len(items)} transcripts · "
                                    f"{turns} turns")

    def _show_transcript(self, transcript_id: int) -> None:
        if self.service is None:
            return
        try:
            info = self.service.transcripts.get(transcript_id)
        except SessionCoderError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.workspace.show_transcript(info)

    def _on_changed(self, changes) -> None:
        if changes.raters or changes.codebook:
            self._update_title()

    def run_worker(self, worker: Worker) -> Worker:
        """Keep a worker alive until it ends (workers do not delete themselves)."""
        self._workers.append(worker)

        def drop(*_a) -> None:
            if worker in self._workers:
                self._workers.remove(worker)
        for sig in (worker.signals.finished, worker.signals.failed, worker.signals.cancelled):
            sig.connect(drop)
        return worker.start()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        for worker in list(self._workers):
            worker.cancel()
        self.workspace.stop_background_work()
        from PySide6.QtCore import QThreadPool
        QThreadPool.globalInstance().waitForDone(5000)
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self.close_project()
        super().closeEvent(event)
