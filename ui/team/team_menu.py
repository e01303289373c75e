"""TeamMenu: the Team menu — rater packages and REFI-QDA exchange. Each slot gathers input
(files, passphrases, a decision on conflicts), asks the core, and reports back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from coder.errors import SessionCoderError


PACKAGE_FILTER = "Rater packages (*.scpkg);;All files (*)"
QDPX_FILTER = "REFI-QDA projects (*.qdpx);;All files (*)"


class TeamMenu:
    """The Team area's actions (the main window puts them in the Team menu): rater packages
    and REFI-QDA exchange. Writes go through `events` (ProjectEvents)."""

    def __init__(self, window, events, settings) -> None:
        self.w, self.events, self.settings = window, events, settings
        self.package = None                 # the RaterPackage open for work, if any
        self.act_pkg_export = self._add("&Export a rater package…", self.export_package)
        self.act_pkg_import = self._add("&Import a rater package…", self.import_package)
        self.act_pkg_open = self._add("&Open a rater package to code…", self.open_package)
        self.act_pkg_submit = self._add("&Submit this package", self.submit_package)
        self.act_qdpx_export = self._add("Export REFI-QDA project (.&qdpx)…", self.export_qdpx)
        self.act_qdpx_import = self._add("Import REFI-QDA project (.qd&px)…", self.import_qdpx)
        self._save_timer = QTimer(window)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(1500)
        self._save_timer.timeout.connect(self._save_package)
        events.changed.connect(lambda _c: self.package and self._save_timer.start())
        events.opened.connect(lambda project: self.set_project_open(project is not None))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._finish_package)
        self.set_project_open(False)

    def _add(self, text, slot) -> QAction:
        action = QAction(text, self.w)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def package_actions(self) -> list[QAction]:
        return [self.act_pkg_export, self.act_pkg_import, self.act_pkg_open,
                self.act_pkg_submit]

    def exchange_actions(self) -> list[QAction]:
        return [self.act_qdpx_export, self.act_qdpx_import]

    @property
    def service(self):
        return self.events.project

    def set_project_open(self, is_open: bool) -> None:
        for a in (self.act_pkg_export, self.act_pkg_import, self.act_qdpx_export,
                  self.act_qdpx_import):
            a.setEnabled(is_open and self.package is None)
        self.act_pkg_submit.setEnabled(is_open and self.package is not None)

    def _passphrase(self, title: str, confirm: bool = False) -> str | None:
        text, ok = QInputDialog.getText(self.w, title, "Passphrase:", QLineEdit.Password)
        if not ok or not text:
            return None
        if confirm:
            again, ok = QInputDialog.getText(self.w, title, "Repeat the passphrase:",
                                             QLineEdit.Password)
            if not ok or again != text:
                QMessageBox.warning(self.w, title, "The two passphrases differ.")
                return None
        return text

    # -- packages --------------------------------------------------------------------------
    def export_package(self) -> None:
        service = self.service
        names = [r.name for r in service.raters.list() if r.role != "consensus"]
        name, ok = QInputDialog.getItem(self.w, "Export a rater package", "Rater:", names, 0,
                                        False)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.w, "Export a rater package",
            str(Path(self.settings.last_folder()) / f"{name}.scpkg"), PACKAGE_FILTER)
        if not path:
            return
        encrypt = QMessageBox.question(
            self.w, "Export a rater package", "Protect the package with a passphrase?\n\n"
            "Recommended whenever it travels by email or USB.") == QMessageBox.Yes
        secret = self._passphrase("Package passphrase", confirm=True) if encrypt else None
        if encrypt and secret is None:
            return
        try:
            info = _team(service).export_package(name, path, secret)
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Export a rater package", str(exc))
            return
        self.w.show_message(
            f"Wrote the package for {info.rater_name} ({len(info.transcripts)} transcripts) "
            f"to {path}")

    def import_package(self) -> None:
        from coder.team.merge import MergePackage
        path, _ = QFileDialog.getOpenFileName(self.w, "Import a rater package",
                                              self.settings.last_folder(), PACKAGE_FILTER)
        if not path:
            return
        ask = lambda: self._passphrase("Package passphrase") or ""   # noqa: E731
        team = _team(self.service)
        try:
            plan = team.plan_import(path, ask)
            if plan.conflicts:
                box = QMessageBox(self.w)
                box.setWindowTitle("Conflicts")
                box.setText(f"{len(plan.conflicts)} change(s) in the package conflict with "
                            f"changes made here since it was exported.")
                box.setDetailedText("\n".join(c.line() for c in plan.conflicts))
                theirs = box.addButton("Take the package's", QMessageBox.AcceptRole)
                ours = box.addButton("Keep the project's", QMessageBox.DestructiveRole)
                box.addButton(QMessageBox.Cancel)
                box.exec()
                if box.clickedButton() not in (theirs, ours):
                    return
                plan = team.plan_import(path, ask,
                                        "theirs" if box.clickedButton() is theirs else "ours")
            if not plan.empty:
                self.events.perform(MergePackage(plan))
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Import a rater package", str(exc))
            return
        QMessageBox.information(self.w, "Import a rater package",
                                "\n".join(plan.notes_out + [plan.summary()]))

    def open_package(self) -> None:
        from coder.team.packages import RaterPackage
        path, _ = QFileDialog.getOpenFileName(self.w, "Open a rater package",
                                              self.settings.last_folder(), PACKAGE_FILTER)
        if not path:
            return
        self._finish_package()
        try:
            pkg = RaterPackage.open(path, lambda: self._passphrase("Package passphrase") or "")
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Open a rater package", str(exc))
            return
        self.w.close_project()
        self.package = pkg
        if not self.w.open_project(pkg.work_path, ask_rater=False):
            pkg.discard()
            self.package = None
            return
        rater = self.service.raters.get(pkg.info.rater_id)
        self.events.sign_in(rater)
        self.set_project_open(True)
        self.w.show_message(f"Coding the package of {rater.name}; changes are "
                            f"saved into {path}")

    def submit_package(self) -> None:
        if self.package is None:
            return
        if QMessageBox.question(self.w, "Submit this package",
                                "Mark the package as submitted (your coding is done)?") \
                != QMessageBox.Yes:
            return
        self.w.close_project()
        QThreadPool.globalInstance().waitForDone(5000)   # workers still reading the copy
        try:
            self.package.mark_submitted()
            self.package.save()
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Submit this package", str(exc))
        finally:
            self.package.discard()
            path, self.package = self.package.path, None
        self.set_project_open(False)
        self.w.show_message(f"Submitted {path}: send it to your supervisor")

    def _save_package(self) -> None:
        if self.package is not None and self.service is not None:
            try:
                self.package.save()
            except (SessionCoderError, OSError) as exc:
                self.w.show_message(f"The package could not be saved: {exc}")

    def _finish_package(self) -> None:
        if self.package is not None:
            self._save_timer.stop()
            try:
                self.package.save()
            finally:
                QThreadPool.globalInstance().waitForDone(5000)
                self.package.discard()
                self.package = None

    # -- REFI-QDA --------------------------------------------------------------------------
    def export_qdpx(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.w, "Export REFI-QDA project",
            str(Path(self.settings.last_folder()) / f"{self.service.name}.qdpx"),
            QDPX_FILTER)
        if not path:
            return
        try:
            counts = _team(self.service).export_qdpx(path)
        except SessionCoderError as exc:
            QMessageBox.warning(self.w, "Export REFI-QDA project", str(exc))
            return
        self.w.show_message(f"Wrote {path}: {counts['selections']} coded "
                            f"selections")

    def import_qdpx(self) -> None:
        from coder.exchange.qdpx_project import import_qdpx
        path, _ = QFileDialog.getOpenFileName(self.w, "Import REFI-QDA project",
                                              self.settings.last_folder(), QDPX_FILTER)
        if not path:
            return
        w = self.w
        try:
            result = import_qdpx(self.service, path, perform=self.events.perform)
        except SessionCoderError as exc:
            QMessageBox.warning(w, "Import REFI-QDA project", str(exc))
            return
        QMessageBox.information(w, "Import REFI-QDA project", "\n".join(result.report()))


def _team(service):
    """The team part of an open project (numpy and the statistics load only now)."""
    from coder.team.access import TeamAccess
    return TeamAccess.of(service)
