"""ShellActions: the shell's own actions — projects (new, open, the sample, close), quit,
undo and redo, and help. Opening and closing are asked for with signals; the main window
does them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

import coder
from coder.errors import SessionCoderError

from ui.media.actions import SHORTCUT_HELP as MEDIA_KEYS
from ui.shell.menus import make_action

PROJECT_FILTER = "Session Coder projects (*.scproj)"

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
<tr><td><b>Ctrl+Shift+N</b></td><td>write a note on the unit (Enter saves it and returns to
the table; Ctrl+Shift+T returns from anywhere)</td></tr>
<tr><td><b>Ctrl+Shift+K</b></td><td>switch talk turns / time windows (window ratings)</td></tr>
<tr><td><b>Ctrl+Shift+G</b></td><td>session ratings (Tab moves, Space sets)</td></tr>
<tr><td><b>Ctrl+1</b> / <b>2</b> / <b>3</b> / <b>4</b> / <b>5</b></td><td>Code, Codebook,
Reliability, Team, Feedback tab</td></tr>
<tr><td><b>Ctrl+Shift+O</b></td><td>the transcript list (↑ ↓ open a transcript, Enter
goes on to its units)</td></tr>
<tr><td><b>Ctrl+R</b></td><td>compute reliability (Reliability tab)</td></tr>
<tr><td><b>Ctrl+Shift+W</b></td><td>reading mode: wrap rows to show whole utterances</td></tr>
<tr><td><b>Ctrl+Shift+R</b></td><td>switch rater</td></tr>
""" + MEDIA_KEYS + "</table>"


class ShellActions(QObject):
    open_requested = Signal(object)       # a project path
    close_requested = Signal()
    quit_requested = Signal()

    def __init__(self, window, events, settings, runner) -> None:
        super().__init__(window)
        self.window, self.events, self.settings, self.runner = window, events, settings, runner
        w = window
        self.act_new = make_action(w, "&New project…", self.new_project, QKeySequence.New)
        self.act_open = make_action(w, "&Open project…", self.choose_project, QKeySequence.Open)
        self.act_sample = make_action(w, "Open the &sample project", self.open_sample)
        self.act_restore = make_action(w, "Restore from &backup…", self.restore_from_backup)
        self.act_close = make_action(w, "&Close project", self.close_requested.emit,
                                     QKeySequence.Close)
        self.act_quit = make_action(w, "&Quit", self.quit_requested.emit, QKeySequence.Quit)
        self.act_quit.setMenuRole(QAction.QuitRole)
        stack = events.undo_stack
        self.act_undo = stack.createUndoAction(w, "&Undo")
        self.act_undo.setShortcut(QKeySequence.Undo)
        self.act_redo = stack.createRedoAction(w, "&Redo")
        self.act_redo.setShortcuts(list(dict.fromkeys(   # the platform's, and both usual ones
            [*QKeySequence.keyBindings(QKeySequence.Redo), QKeySequence("Ctrl+Shift+Z"),
             QKeySequence("Ctrl+Y")])))
        self.tab_actions = [
            make_action(w, text, lambda i=i: self.show_tab(i), f"Ctrl+{i + 1}")
            for i, text in enumerate(("&Code tab", "Code&book tab", "Re&liability tab",
                                      "T&eam tab", "&Feedback tab"))]
        self.act_transcripts = make_action(w, "Tra&nscript list", self.focus_transcripts,
                                           "Ctrl+Shift+O")
        self.act_keys = make_action(w, "&Keyboard shortcuts", self.shortcuts,
                                    QKeySequence.HelpContents)
        self.act_about = make_action(w, "&About Session Coder", self.about)
        self.act_about.setMenuRole(QAction.AboutRole)
        events.opened.connect(self._opened)
        self._opened(None)

    def _opened(self, project) -> None:
        for action in (self.act_close, self.act_transcripts, *self.tab_actions):
            action.setEnabled(project is not None)

    # menu sections
    def projects(self) -> list[QAction]:
        return [self.act_new, self.act_open, self.act_sample, self.act_restore]

    def tabs(self) -> list[QAction]:
        return [*self.tab_actions, self.act_transcripts]

    def focus_transcripts(self) -> None:
        """The Code tab with the keyboard in the transcript list (arrows open a transcript)."""
        w = self.window
        if w.service is None:
            return
        self.show_tab(0)
        w.transcripts.view.setFocus(Qt.ShortcutFocusReason)

    def show_tab(self, index: int) -> None:
        """Bring tab `index` forward, the focus on its main widget."""
        w = self.window
        if w.service is None or index >= w.tabs.count():
            return
        w.tabs.setCurrentIndex(index)
        page = w.tabs.currentWidget()
        if page is w.coding_page:
            w.workspace.table.setFocus(Qt.ShortcutFocusReason)
        else:
            page.setFocus(Qt.ShortcutFocusReason)

    def leaving(self) -> list[QAction]:
        return [self.act_close, self.act_quit]

    def edit(self) -> list[QAction]:
        return [self.act_undo, self.act_redo]

    def help(self) -> list[QAction]:
        return [self.act_keys, self.act_about]

    # -- projects ------------------------------------------------------------------------------
    def restore_from_backup(self) -> None:
        """Pick a verified backup of the open project (or of a project file) and put it in
        place; the replaced file is kept beside it."""
        from .restore_dialog import RestoreDialog, restore_into
        w = self.window
        service = w.service
        if service is not None:
            path, problem = service.path, service.damage
        else:
            chosen, _ = QFileDialog.getOpenFileName(w, "Restore which project?",
                                                    self.settings.last_folder(), PROJECT_FILTER)
            if not chosen:
                return
            path, problem = Path(chosen), None
        dialog = RestoreDialog(path, problem=problem, parent=w, runner=self.runner)
        if not dialog.exec() or dialog.chosen is None:
            return
        self.close_requested.emit()          # release the lock: the file is about to change
        if restore_into(w, path, dialog.chosen) is not None or service is not None:
            self.open_requested.emit(path)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project",
                                              self.settings.last_folder(), PROJECT_FILTER)
        if path:
            self.open_requested.emit(path)

    def new_project(self) -> None:
        """Ask for the file, the codebook and the unit of coding; make the project."""
        from .new_project_dialog import NewProjectDialog
        dialog = NewProjectDialog(self.settings.last_folder(), self.window)
        if not dialog.exec():
            return
        path = dialog.project_path()
        from coder.project import Project     # SQLAlchemy: loaded after the start screen
        try:
            Project.create(path, codebook=dialog.codebook_path(),
                           segmentation=dialog.segmentation()).close()
        except SessionCoderError as exc:
            QMessageBox.warning(self.window, "Cannot create project", str(exc))
            return
        self.open_requested.emit(path)

    def open_sample(self) -> None:
        """Open the sample project, building it in a job the first time."""
        from coder.sample import build_sample_project, retire_sample, sample_is_current
        path = self.settings.sample_project_path()
        if path.exists() and not sample_is_current(path):
            retire_sample(path)          # an older build: kept aside, a new one is made
        if path.exists():
            self._open_sample(path)
            return
        dialog = QProgressDialog("Building the sample project…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Sample project")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)
        job = self.runner.start("Sample project", build_sample_project, path)

        def progress(done, total, message) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(message or "Building the sample project…")

        job.progressed.connect(progress)
        job.finished.connect(lambda built: (dialog.close(), self._open_sample(built)))
        job.ended.connect(dialog.close)
        dialog.canceled.connect(job.cancel)

    def _open_sample(self, path) -> None:
        """Open the sample signed in as its supervisor, blinding lifted, and say so."""
        from coder.sample import SAMPLE_SUPERVISOR
        w = self.window
        if not w.open_project(path, ask_rater=False):
            return
        project = self.events.project
        supervisor = next((r for r in project.raters.list() if r.name == SAMPLE_SUPERVISOR
                           and r.role == "supervisor"), None)
        if supervisor is None:
            w.rater_actions.switch_rater()
            return
        try:
            self.events.sign_in(supervisor)
            if project.access.blind:
                project.raters.set_blind(False)      # a logged command: the views hear it
        except SessionCoderError as exc:
            QMessageBox.warning(w, "Sample project", str(exc))
            return
        self.settings.set_rater_for(project.path, supervisor.name)
        w.project_tabs.when_built("reliability",
                                  lambda view: setattr(view, "auto_compute", True))
        w.statusBar().showMessage(
            f"Sample project: signed in as {supervisor.name} (supervisor), blinding lifted "
            "— every rater's codings are shown", 30000)
        w.activateWindow()                 # the build's progress dialog had the focus
        w.workspace.table.setFocus()

    # -- help ------------------------------------------------------------------------------------
    def shortcuts(self) -> None:
        QMessageBox.information(self.window, "Keyboard shortcuts", SHORTCUT_HELP)

    def about(self) -> None:
        QMessageBox.about(self.window, "About Session Coder",
                          f"<b>Session Coder</b> {coder.__version__}<br>Coding and reliability "
                          "for psychotherapy session transcripts.<br>All data stays on this "
                          "computer.")
