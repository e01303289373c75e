"""Restoring a backup in the app: Project ▸ Restore from backup…, the offer made when a
damaged project is opened, and the background full check of large project files.

The dialog lists a project's backups at once and fills in each one's verdict from a
background job (checking five 100 MB backups takes seconds); only good ones can be restored.
The restore itself is `coder.backups.restore_backup`: the replaced file is kept beside it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QLabel,
                               QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout)

from coder.backups import (BackupInfo, RestoreResult, check_then_back_up, damage_message,
                           list_backups, needs_background_check, restore_backup, verify_all)
from coder.errors import SessionCoderError


BAD = QColor("#a12622")


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def _short(verdict: str) -> str:
    """'damaged: On tree page 47 ...' -> 'damaged'; the whole text is in the tooltip."""
    return "good" if verdict == "ok" else verdict.split(":")[0].split(" (")[0]


class RestoreDialog(QDialog):
    """The backups of one project with their verdicts. `chosen` is set on Restore."""

    def __init__(self, project_path: str | Path, *, problem: str | None = None,
                 parent=None, runner=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Restore from backup")
        from .jobs import JobRunner
        self.runner = runner or getattr(parent, "runner", None) or JobRunner(self)
        self.project_path = Path(project_path)
        self.problem = problem
        self.chosen: Path | None = None
        self._job = None
        self.setWindowTitle("Restore from backup")
        title = QLabel(f"Backups of <b>{self.project_path.name}</b>")
        title.setTextFormat(Qt.RichText)
        intro = QLabel("Restoring puts the chosen backup in place of the project file. The "
                       "current file is kept beside it under a new name — nothing is deleted.")
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.problem_label = QLabel(problem or "")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {BAD.name()};")
        self.problem_label.setVisible(bool(problem))
        self.table = QTreeWidget()          # a handful of rows: a widget list is fine
        self.table.setHeaderLabels(["Taken", "Size", "Kind", "Check", "File"])
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(f"color: {BAD.name()};")
        self.table.itemDoubleClicked.connect(lambda *_: self._restore())
        self.status = QLabel("")
        self.status.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.restore_button = QPushButton("Restore this backup")
        self.restore_button.setDefault(True)
        buttons.addButton(self.restore_button, QDialogButtonBox.AcceptRole)
        self.restore_button.clicked.connect(self._restore)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.problem_label)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 360)
        self._infos: list[BackupInfo] = []
        self._checked = False
        self._show(list_backups(self.project_path, verify=False), checked=False)
        self._check()

    # -- filling in --------------------------------------------------------------------------
    def _check(self) -> None:
        if not self._infos:
            return
        self.status.setText("Checking each backup…")
        job = self.runner.start("Checking backups", verify_all, self.project_path,
                                on_error=self.status.setText)
        job.finished.connect(lambda infos: self._show(infos, checked=True))
        self._job = job

    def _show(self, infos: list[BackupInfo], *, checked: bool) -> None:
        self._infos = infos
        self.table.clear()
        for info in infos:
            verdict = _short(info.verdict.text) if checked else "checking…"
            item = QTreeWidgetItem([f"{info.taken:%Y-%m-%d %H:%M}", _size(info.size),
                                    info.kind, verdict, info.path.name])
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            if checked and not info.verdict.ok:
                for col in range(5):
                    item.setForeground(col, QBrush(BAD))
                item.setToolTip(3, info.verdict.text)
            self.table.addTopLevelItem(item)
        for col in range(5):
            self.table.resizeColumnToContents(col)
        if not infos:
            self.status.setText(f"No backups were found (they are kept in "
                                f"{self.project_path.stem}.backups/ beside the project).")
        elif checked:
            good = [i for i, info in enumerate(infos) if info.verdict.ok]
            self.status.setText(f"{len(good)} of {len(infos)} backup(s) pass the check.")
            if good and not self.table.selectedItems():
                self.table.setCurrentItem(self.table.topLevelItem(good[0]))
        self._checked = checked
        self._update_button()

    def _selected(self) -> BackupInfo | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        return self._infos[self.table.indexOfTopLevelItem(item)]

    def _update_button(self) -> None:
        info = self._selected()
        bad = bool(info and self._checked and not info.verdict.ok)
        self.detail.setText(f"{info.path.name}: {info.verdict.text}" if bad else "")
        self.detail.setVisible(bad)
        self.restore_button.setEnabled(bool(self._checked and info and info.verdict.ok))

    def _restore(self) -> None:
        info = self._selected()
        if info is None or not info.verdict.ok or not self._checked:
            return
        if self.problem is None:
            answer = QMessageBox.question(
                self, "Restore from backup",
                f"Put the backup of {info.taken:%Y-%m-%d %H:%M} in place of the project?\n\n"
                "Work done since then is not in it; the current file is kept beside it.")
            if answer != QMessageBox.Yes:
                return
        self.chosen = info.path
        self.accept()

    def done(self, result: int) -> None:     # noqa: D401 - Qt API
        if self._job is not None:
            self._job.cancel()
        super().done(result)


def restore_into(parent, project_path: Path, backup: Path) -> RestoreResult | None:
    """Restore, saying what happened (or why not) in a message box."""
    try:
        result = restore_backup(project_path, backup)
    except SessionCoderError as exc:
        QMessageBox.warning(parent, "Restore from backup", str(exc))
        return None
    kept = f"\n\nThe file it replaced is kept as {result.kept.name}." if result.kept else ""
    QMessageBox.information(parent, "Restore from backup",
                            f"Restored {project_path.name} from {backup.name}.{kept}")
    return result


def offer_restore(parent, project_path: Path, message: str):
    """A damaged project was opened: restore a backup, open it read-only, or leave it.
    Returns an open Project, or None."""
    from coder.project import Project
    box = QMessageBox(QMessageBox.Warning, "Damaged project",
                      f"{project_path.name} is damaged: SQLite's integrity check failed, so "
                      "it cannot be read safely. Nothing was changed.", parent=parent)
    box.setInformativeText("You can put a good backup in its place (the damaged file is kept "
                           "beside it), or look at it read-only.")
    box.setDetailedText(message)
    restore = box.addButton("Restore from backup…", QMessageBox.AcceptRole)
    readonly = box.addButton("Open read-only", QMessageBox.ActionRole)
    box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(restore)
    box.exec()
    try:
        if box.clickedButton() is restore:
            dialog = RestoreDialog(project_path, problem=message, parent=parent)
            if dialog.exec() and dialog.chosen and restore_into(parent, project_path,
                                                                 dialog.chosen):
                return Project.open(project_path)
        elif box.clickedButton() is readonly:
            return Project.open(project_path, allow_damaged=True)
    except SessionCoderError as exc:
        QMessageBox.warning(parent, "Cannot open project", str(exc))
    return None


def check_in_background(window, service):
    """Large files got only the quick check on open and no backup: run the full check in the
    background, then (if it passed) the hourly verified backup; if it failed, refuse writes
    from then on and say how to restore."""
    if not needs_background_check(service.path):
        return None
    job = window.runner.start("Checking and backing up the project file", check_then_back_up,
                              service.path)

    def checked(outcome) -> None:
        if getattr(window, "service", None) is not service:
            return
        report = outcome.report
        if report.ok:
            service.last_backup = outcome.backup or service.last_backup
            service.backup_problem = outcome.problem
            if outcome.problem:
                window.show_message(f"{service.path.name}: {outcome.problem}")
            return
        message = damage_message(service.path, report)
        service.mark_damaged(message)
        getattr(window, "_update_title", lambda: None)()
        QMessageBox.warning(window, "Damaged project",
                            f"{message}\n\nChanges are refused from now on. Project ▸ Restore "
                            "from backup… puts a good backup in its place.")
    job.finished.connect(checked)
    return job
