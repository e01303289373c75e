"""MainWindow: composes the areas — the start screen, the coding workspace with the transcript
list, the codebook editor, the reliability view — their action sets in one menu bar, and the
status bar. It opens and closes projects; everything else the areas do themselves, talking
through `ProjectEvents` (writes and what changed) and `JobRunner` (background work).

Two steps (issue 17): the constructor makes the frame and the start screen; `build_areas`
imports and makes the areas, their actions and the menus. `MainWindow(settings)` does both;
the app passes ``defer_areas=True`` so the start screen is painted first and the areas follow
on the next turn of the event loop (anything that needs them builds them first)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QLabel, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
                               QTabWidget, QVBoxLayout, QWidget)

from coder.errors import DamagedProjectError, SessionCoderError

from ui.shell.jobs import JobRunner
from ui.shell.long_lived import freeze_long_lived
from ui.shell.project_events import ProjectEvents
from ui.shell.settings import AppSettings
from ui.shell.start_screen import StartScreen

if TYPE_CHECKING:
    from coder.project import Project

STATUS_MS = 8000


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings, *, defer_areas: bool = False) -> None:
        super().__init__()
        self.setAccessibleName("Session Coder")
        self.settings = settings
        self.service: Project | None = None
        self.events = ProjectEvents(parent=self)
        self.runner = JobRunner(self)
        self.areas_built = False

        self.start = StartScreen()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.setCentralWidget(self.stack)
        self.status_project = QLabel("")
        self.status_rater = QLabel("")
        self.statusBar().addPermanentWidget(self.status_rater)
        self.statusBar().addPermanentWidget(self.status_project)
        # the start screen's buttons work at once: they build the areas first if need be
        self.start.open_sample_requested.connect(lambda: self.build_areas().open_sample())
        self.start.new_requested.connect(lambda: self.build_areas().new_project())
        self.start.open_requested.connect(lambda: self.build_areas().choose_project())
        self.start.recent_requested.connect(self.open_project)
        self.events.changed.connect(self._on_changed)
        self.events.failed.connect(lambda m: QMessageBox.warning(self, "Session Coder", m))
        self.runner.error.connect(lambda title, m: QMessageBox.warning(self, title, m))
        self._keep_alive = QTimer(self)
        self._keep_alive.timeout.connect(lambda: self.service and self.service.keep_alive())

        self.resize(1360, 840)
        if (geometry := settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        self._show_start()
        if not defer_areas:
            self.build_areas()

    def build_areas(self):
        """Make the areas, their actions and the menus (once); returns the shell's actions."""
        if self.areas_built:
            return self.shell_actions
        self.areas_built = True
        from ui.reliability.live_hook import LiveReliability
        from ui.shell.project_tabs import ProjectTabs
        from ui.media.area import MediaArea
        from ui.workspace.coding_workspace import CodingWorkspace
        from ui.workspace.transcript_panel import TranscriptPanel
        # The workspace and the media area subscribe to ProjectEvents first: they are ready
        # for a project before the transcript list selects the first transcript of it.
        self.workspace = CodingWorkspace(self.events, self.runner)
        self.media = MediaArea(self.events, self.runner, self.settings)   # no Qt Multimedia yet
        self.live_reliability = LiveReliability(self.events, self.runner, self)
        self.live_reliability.updated.connect(self._live_updated)
        self.transcripts = TranscriptPanel(self.events)
        coding_column = QWidget()
        column = QVBoxLayout(coding_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.media)
        column.addWidget(self.workspace, 1)
        self.coding_page = QSplitter(Qt.Horizontal)
        self.coding_page.addWidget(self.transcripts)
        self.coding_page.addWidget(coding_column)
        self.coding_page.setStretchFactor(0, 1)
        self.coding_page.setStretchFactor(1, 5)
        self.coding_page.setSizes([270, 1170])     # the text gets the room
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Areas")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.coding_page, "Code")
        self.project_tabs = ProjectTabs(self.tabs)     # filled when a project opens
        self.stack.addWidget(self.tabs)
        self._compose_actions()
        self.transcripts.transcript_selected.connect(self._show_transcript)
        self.transcripts.entered.connect(self.workspace_actions.focus_table)
        self.workspace.message.connect(self.show_message)
        self.workspace.unit_shown.connect(self.media.show_unit)
        self.media.spoken.connect(self.workspace.nav.follow)
        self.media.message.connect(self.show_message)
        self.media.relocate_requested.connect(self.media_actions.relocate)
        freeze_long_lived()         # the furniture is built: later collections skip it
        return self.shell_actions

    def _compose_actions(self) -> None:
        """Each area owns its actions; the window only decides where they appear."""
        from ui.export.actions import ExportActions
        from ui.importing.actions import ImportActions
        from ui.media.actions import MediaActions
        from ui.shell.actions import ShellActions
        from ui.shell.menus import MenuBar
        from ui.workspace.actions import WorkspaceActions
        from ui.workspace.rater_actions import RaterActions
        args = (self, self.events, self.settings)
        self.shell_actions = ShellActions(*args, self.runner)
        self.import_actions = ImportActions(*args, self.runner)
        self.export_actions = ExportActions(*args, self.runner)
        self.workspace_actions = WorkspaceActions(self, self.workspace, self.events,
                                                  self.settings)
        self.rater_actions = RaterActions(*args)
        self.media_actions = MediaActions(self, self.media, self.events, self.settings,
                                          self.runner, self.transcripts.current_id,
                                          self._current_unit)
        self.media_actions.message.connect(self.show_message)
        self.transcripts.view.setContextMenuPolicy(Qt.ActionsContextMenu)   # right-click
        self.transcripts.view.addActions(self.media_actions.sections()[0])
        self.shell_actions.open_requested.connect(self.open_project)
        self.shell_actions.close_requested.connect(self.close_project)
        self.shell_actions.quit_requested.connect(self.close)
        for area in (self.import_actions, self.export_actions):
            area.message.connect(self.show_message)
        menus = MenuBar(self.menuBar())
        menus.add("&File", self.shell_actions.projects())
        menus.add("&File", self.import_actions.actions())
        menus.add("&File", self.export_actions.actions())
        menus.add("&File", self.shell_actions.leaving())
        menus.add("&Edit", self.shell_actions.edit())
        menus.add("&Navigate", self.workspace_actions.navigate())
        menus.add("&View", self.workspace_actions.view())
        menus.add("&View", self.shell_actions.tabs())
        menus.add("&View", self.workspace_actions.keyboard())
        self.workspace_actions.show_workspace.connect(lambda: self.shell_actions.show_tab(0))
        menus.add("&Project", self.rater_actions.actions())
        for section in self.media_actions.sections():
            menus.add("&Media", section)
        from ui.team.team_menu import TeamMenu
        self.team_actions = TeamMenu(self, self.events, self.settings)
        menus.add("&Team", self.team_actions.package_actions())
        menus.add("&Team", self.team_actions.exchange_actions())
        menus.add("&Help", self.shell_actions.help())
        self.menus = menus

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)

    # -- projects ----------------------------------------------------------------------------
    def _show_start(self) -> None:
        self.start.set_recent(self.settings.recent_projects())
        self.stack.setCurrentWidget(self.start)
        self.start.sample_button.setFocus()      # Space opens the sample at once
        self._update_title()
        self.status_project.setText("")

    def open_project(self, path: str | Path, *, ask_rater: bool = True) -> bool:
        from coder.backups import needs_background_check
        from coder.project import Project   # its import began on a thread at start
        self.build_areas()
        path = Path(path)
        try:
            # blind before anyone signs in; a large file's backup follows its full check in
            # the background (check_in_background), not on this thread
            service = Project.open(path, interactive=True,
                                   backup=not needs_background_check(path))
        except DamagedProjectError as exc:
            from .restore_dialog import offer_restore
            self.close_project()
            if (service := offer_restore(self, path, str(exc))) is None:
                return False
            service.access.interactive = True
        except SessionCoderError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            return False
        self.close_project()
        self.service = service
        self.settings.add_recent(path)
        self.settings.set_last_folder(path.parent)
        self._keep_alive.start(Project.REFRESH_INTERVAL_S * 1000)
        self._build_project_tabs()
        # No silent sign-in (a shared computer): the sign-in dialog comes up with this
        # machine's last rater preselected, so one Enter continues.
        self.events.set_project(service, None)      # the areas fill themselves
        self.stack.setCurrentWidget(self.tabs)
        self._update_status()
        note = f"Opened {path}"
        if service.backup_problem:
            note += f" — {service.backup_problem}"
        if service.damage:
            note = f"Opened {path} read-only: the file is damaged (Project ▸ Restore from backup…)"
        from .restore_dialog import check_in_background
        check_in_background(self, service)
        self.show_message(note)
        if ask_rater:
            QTimer.singleShot(0, self.rater_actions.switch_rater)
        return True

    def _live_updated(self, _results) -> None:
        """Live agreement changed: the code list's indicators and the Reliability tab."""
        self.workspace.codes.set_agreement(self.live_reliability.code_texts())
        if (view := self.project_tabs.built("reliability")) is not None:
            view.model.set_live(self.live_reliability.item_texts())

    def _build_project_tabs(self) -> None:
        """The Codebook, Reliability, Team and Feedback tabs belong to one open project; each
        view is built when its tab is first shown (`ProjectTabs`)."""
        self._drop_project_tabs()
        service, events = self.service, self.events

        def codebook():
            from ui.codebook.panel import CodebookPanel
            return CodebookPanel(service, events)

        def reliability():
            from ui.reliability.view import ReliabilityView
            view = ReliabilityView(service, events, self.runner)
            view.open_unit_of_kind.connect(self._open_unit)
            view.setAccessibleName("Reliability")   # (view.py is full)
            view.model.set_live(self.live_reliability.item_texts())
            return view

        def team():
            from ui.team.team_view import TeamView
            return TeamView(service, events, runner=self.runner)

        def feedback():
            from ui.feedback.feedback_view import FeedbackView
            view = FeedbackView(service, events)
            view.open_unit_of_kind.connect(self._open_unit)
            return view

        for name, title, factory in (("codebook", "Codebook", codebook),
                                     ("reliability", "Reliability", reliability),
                                     ("team", "Team", team), ("feedback", "Feedback", feedback)):
            self.project_tabs.add(name, title, factory)

    def _drop_project_tabs(self) -> None:
        if (view := self.project_tabs.built("reliability")) is not None:
            view.cancel()
        self.project_tabs.clear()

    # the project's views, built on first use (None while no project is open)
    codebook_panel = property(lambda self: self.project_tabs.widget("codebook"))
    reliability_view = property(lambda self: self.project_tabs.widget("reliability"))
    team_view = property(lambda self: self.project_tabs.widget("team"))
    feedback_view = property(lambda self: self.project_tabs.widget("feedback"))

    def _open_unit(self, transcript_id: int, kind: str, position: int) -> None:
        """A disagreement was clicked: show that unit in the coding workspace."""
        self.tabs.setCurrentWidget(self.coding_page)
        self.transcripts.select(transcript_id)
        self.workspace.show_unit(kind, position)

    def close_project(self) -> None:
        if self.service is None:
            return
        from coder.process_spare import discard_spare
        self._keep_alive.stop()
        self._drop_project_tabs()
        discard_spare()             # a report's spare child may hold this project's data
        self.events.set_project(None)
        self.service.close()
        self.service = None
        self._show_start()

    def _current_unit(self):
        ws = self.workspace
        return None if ws.model is None else ws.model.segment(ws.current_row())

    def _show_transcript(self, transcript_id: int) -> None:
        if self.service is None:
            return
        try:
            info = self.service.transcripts.get(transcript_id)
        except SessionCoderError as exc:
            self.show_message(str(exc))
            return
        browsing = self.transcripts.view.hasFocus()   # arrows in the list: stay there
        self.media.show_transcript(info)          # first: the workspace selects a unit
        self.workspace.show_transcript(info)
        self.media_actions.update()
        if browsing:
            self.transcripts.view.setFocus(Qt.OtherFocusReason)

    # -- title and status --------------------------------------------------------------------
    def _on_changed(self, changes) -> None:
        if changes.raters or changes.codebook or changes.blinding or changes.signed_in:
            self._update_title()
        if changes.transcripts:
            self._update_status()

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
        if self.service.damage:         # a damaged file stays read-only: say so all along
            self.setWindowTitle(f"{self.service.name} — DAMAGED, read-only — Session Coder")
            self.status_rater.setText("damaged file · read-only")

    def _update_status(self) -> None:
        self._update_title()
        if self.service is None:
            return
        items = self.service.transcripts.list()
        turns = sum(i.turns for i in items)
        self.status_project.setText(f"{self.service.path.name} · {len(items)} transcripts · "
                                    f"{turns} turns")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.areas_built:
            self.workspace.stop_background_work()
            self.media.show_transcript(None)
        self.runner.shutdown()
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self.close_project()
        super().closeEvent(event)
