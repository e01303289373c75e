"""Restore from backup in the app: the dialog lists backups with verdicts and restores only a
good one; opening a damaged project offers a restore or a read-only look."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from coder.errors import ProjectError  # noqa: E402
from coder.project import Project  # noqa: E402
from coder.store.backup import backup_dir  # noqa: E402
from tests.core.test_damaged_project import build, damage_a_table_page  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.restore_dialog import RestoreDialog  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("restore_ui")
    path = folder / "study.scproj"
    build(path)
    with Project.open(path, backup=False) as project:
        project._store.rotate_backups(min_interval_s=0)
    return path


@pytest.fixture
def damaged(built, tmp_path):
    path = tmp_path / built.name
    path.write_bytes(built.read_bytes())
    folder = backup_dir(path)
    folder.mkdir()
    for b in backup_dir(built).iterdir():
        (folder / b.name).write_bytes(b.read_bytes())
    bad = folder / "study-20200101-000000.scproj"
    bad.write_bytes(path.read_bytes())
    damage_a_table_page(bad)
    os.utime(bad, (1, 1))
    damage_a_table_page(path)
    return path


def test_the_dialog_lists_verdicts_and_offers_only_good_backups(damaged, qtbot, tmp_path):
    dialog = RestoreDialog(damaged, problem="the project file is damaged (test)")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.topLevelItemCount() == len(list(backup_dir(damaged).glob("*.scproj")))
    qtbot.waitUntil(lambda: dialog._checked, timeout=30_000)
    verdicts = {dialog.table.topLevelItem(i).text(4): dialog.table.topLevelItem(i).text(3)
                for i in range(dialog.table.topLevelItemCount())}
    assert verdicts["study-20200101-000000.scproj"].startswith("damaged")
    assert list(verdicts.values()).count("good") >= 1
    assert dialog.restore_button.isEnabled()             # the newest good one is preselected
    bad_row = list(verdicts).index("study-20200101-000000.scproj")
    dialog.table.setCurrentItem(dialog.table.topLevelItem(bad_row))
    assert not dialog.restore_button.isEnabled()
    assert "Offset" in dialog.detail.text()          # what SQLite found, in full
    dialog.resize(760, 360)
    dialog.grab().save(str(tmp_path / "restore_dialog.png"))
    good_row = next(i for i, v in enumerate(verdicts.values()) if v == "good")
    dialog.table.setCurrentItem(dialog.table.topLevelItem(good_row))
    dialog.restore_button.click()                        # damaged: no extra question
    assert dialog.chosen == backup_dir(damaged) / list(verdicts)[good_row]


def _click_when_shown(text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            for button in box.buttons():
                if button.text() == text:
                    button.click()
                    return
        QTimer.singleShot(50, click)
    QTimer.singleShot(50, click)


def test_a_damaged_project_opens_read_only_on_request(damaged, qtbot, monkeypatch):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    _click_when_shown("Open read-only")
    assert window.open_project(damaged)
    service = window.service
    assert service.readonly and "damaged" in service.damage
    assert "read-only" in window.statusBar().currentMessage()
    assert "DAMAGED, read-only" in window.windowTitle()            # and it stays said
    with pytest.raises(ProjectError, match="damaged"):
        service.transcripts.remove(1)
    window.close()


def test_a_damaged_project_can_be_restored_from_the_offer(damaged, qtbot, monkeypatch):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)

    def run_dialog(dialog):
        qtbot.waitUntil(lambda: dialog._checked, timeout=30_000)
        dialog._restore()
        return dialog.result()
    monkeypatch.setattr(RestoreDialog, "exec", run_dialog)
    _click_when_shown("Restore from backup…")
    assert window.open_project(damaged)
    assert not window.service.readonly and window.service.damage is None
    assert [p for p in Path(damaged).parent.iterdir() if ".replaced-" in p.name]
    window.close()


def test_the_background_check_of_a_large_file_stops_writes(built, tmp_path, qtbot,
                                                            monkeypatch):
    from coder.store import integrity
    from tests.core.test_damaged_project import damage_an_index
    path = tmp_path / built.name
    path.write_bytes(built.read_bytes())
    damage_an_index(path)
    monkeypatch.setattr(integrity, "FULL_CHECK_ON_OPEN_BYTES", 0)   # treat it as large
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    assert window.open_project(path)
    assert window.service.damage is None                  # the quick check passed
    qtbot.waitUntil(lambda: window.service.damage is not None, timeout=30_000)
    assert warned and "Restore from backup" in warned[0]
    assert "DAMAGED" in window.windowTitle()
    with pytest.raises(ProjectError, match="damaged"):
        window.service.transcripts.remove(1)
    window.close()


def test_a_large_files_backup_is_made_in_the_background(built, tmp_path, qtbot, monkeypatch):
    """Opening a large file returns before any backup is made (a 800 MB study took a minute
    on the GUI thread); the full check, then the verified backup, follow in a job."""
    import threading

    from coder.store import backup, integrity
    from coder.store.backup import _hourly, verify_backup
    path = tmp_path / built.name
    path.write_bytes(built.read_bytes())
    monkeypatch.setattr(integrity, "FULL_CHECK_ON_OPEN_BYTES", 0)   # treat it as large
    copied_on = []
    real = backup._copy_verified
    monkeypatch.setattr(backup, "_copy_verified", lambda *a: copied_on.append(
        threading.current_thread() is threading.main_thread()) or real(*a))
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    assert window.open_project(path)
    assert window.service.last_backup is None
    qtbot.waitUntil(lambda: window.service.last_backup is not None, timeout=30_000)
    assert copied_on == [False]                           # one copy, not on the GUI thread
    assert _hourly(path) == [window.service.last_backup]
    assert verify_backup(window.service.last_backup).ok
    assert window.service.damage is None and window.service.backup_problem is None
    window.close()
