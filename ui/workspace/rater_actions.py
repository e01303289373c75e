"""RaterActions: who is coding and who may see what — switch rater, raters and assignments,
blind mode. Every change goes through `ProjectEvents`; the views repaint from its change
sets (the blind-mode action only keeps its own check mark in step)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from coder.errors import SessionCoderError

from ui.shell.menus import make_action


class RaterActions(QObject):
    def __init__(self, window, events, settings) -> None:
        super().__init__(window)
        self.window, self.events, self.settings = window, events, settings
        w = window
        self.act_rater = make_action(w, "&Switch rater…", self.switch_rater, "Ctrl+Shift+R")
        self.act_assign = make_action(w, "&Raters and assignments…", self.assignments)
        self.act_blind = make_action(w, "&Blind mode", self.toggle_blind, checkable=True)
        self.act_protect = make_action(w, "&Protect supervisor role…", self.protect)
        events.opened.connect(self._opened)
        events.changed.connect(self._changed)
        self._opened(None)

    def actions(self) -> list[QAction]:
        return [self.act_rater, self.act_assign, self.act_blind, self.act_protect]

    def _opened(self, project) -> None:
        for action in self.actions():
            action.setEnabled(project is not None)
        if project is not None:
            self.act_blind.setChecked(project.access.blind)

    def _changed(self, changes) -> None:
        if changes.blinding and self.events.project is not None:
            self.act_blind.setChecked(self.events.project.access.blind)

    def switch_rater(self) -> None:
        from ui.workspace.rater_dialog import RaterDialog
        project = self.events.project
        if project is None:
            return
        dialog = RaterDialog(project, self.settings.rater_for(project.path), self.window)
        if dialog.exec() and dialog.chosen is not None:
            self.sign_in(dialog.chosen)

    def sign_in(self, rater) -> bool:
        """Sign `rater` in, asking a supervisor of a protected project for the passphrase;
        remember the choice on this machine. False when refused or not given."""
        project = self.events.project
        passphrase = None
        if rater.role == "supervisor" and project.access.protected:
            passphrase, ok = QInputDialog.getText(
                self.window, "Supervisor passphrase", f"Passphrase for {rater.name}:",
                QLineEdit.Password)
            if not ok:
                return False
        try:
            self.events.sign_in(rater, passphrase)
        except SessionCoderError as exc:
            QMessageBox.warning(self.window, "Sign in", str(exc))
            return False
        self.settings.set_rater_for(project.path, rater.name)
        return True

    def assignments(self) -> None:
        from ui.workspace.assignments_dialog import AssignmentsDialog
        AssignmentsDialog(self.events.project, self.events, self.window).exec()

    def toggle_blind(self) -> None:
        want = self.act_blind.isChecked()
        if not want and QMessageBox.question(
                self.window, "Lift blinding",
                "Lift blinding? Every rater's codings become visible in this project until "
                "blind mode is turned on again (the act is logged).",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            self.act_blind.setChecked(True)
            return
        try:
            self.events.project.raters.set_blind(want)    # a command: the views hear it
        except SessionCoderError as exc:
            self.act_blind.setChecked(self.events.project.access.blind)
            QMessageBox.warning(self.window, "Blind mode", str(exc))

    def protect(self) -> None:
        """Set or change the supervisor passphrase (changing needs the current one)."""
        project = self.events.project
        title = "Protect supervisor role"
        try:
            if project.access.protected and not project.access.unlocked:
                current, ok = QInputDialog.getText(self.window, title, "Current passphrase:",
                                                   QLineEdit.Password)
                if not ok:
                    return
                project.unlock(current)
            new, ok = QInputDialog.getText(
                self.window, title, "New supervisor passphrase (at least 8 characters):",
                QLineEdit.Password)
            if not ok:
                return
            again, ok = QInputDialog.getText(self.window, title, "The same again:",
                                             QLineEdit.Password)
            if not ok:
                return
            if again != new:
                raise SessionCoderError("the two passphrases differ; nothing was changed")
            project.protect(new)
        except SessionCoderError as exc:
            QMessageBox.warning(self.window, title, str(exc))
            return
        self.window.show_message("The supervisor role is protected: signing in as a "
                                 "supervisor and lifting blinding now need the passphrase")
