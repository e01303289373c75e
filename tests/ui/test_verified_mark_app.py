"""The app and a large file's verified mark (coder/store/verified.py): a file that opens on
its mark alone still gets the background integrity check, and when that finds damage the
project turns read-only, the mark is dropped (not written again at close) and the next open
refuses the file. Nothing made a backup of the damaged file meanwhile."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from coder.errors import DamagedProjectError, ProjectError  # noqa: E402
from coder.project import Project  # noqa: E402
from coder.store import integrity, verified  # noqa: E402
from coder.store.backup import backup_dir  # noqa: E402
from tests.core.test_damaged_project import build, damage_a_table_page  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("mark_ui") / "study.scproj"
    build(path)
    return path


def _window(qtbot, monkeypatch):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    return window


def test_the_background_check_catches_what_the_mark_cannot_see(built, tmp_path, qtbot,
                                                                monkeypatch):
    path = tmp_path / built.name
    shutil.copyfile(built, path)
    monkeypatch.setattr(integrity, "FULL_CHECK_ON_OPEN_BYTES", 0)   # treat it as large
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))

    window = _window(qtbot, monkeypatch)                 # first open: checked, then marked
    assert window.open_project(path)
    assert window.service._store.verified_by == "checked"
    qtbot.waitUntil(lambda: window.service.last_backup is not None, timeout=30_000)
    window.close()                                       # (the backup follows the full check)
    assert verified.read_mark(path) == verified.identity(path)
    shutil.rmtree(backup_dir(path))                      # so that a backup would be due

    damage_a_table_page(path)                            # damage no identity field shows
    assert verified.remember(path, "clean close")        # (bit rot, a bad sector)
    window = _window(qtbot, monkeypatch)
    assert window.open_project(path)
    assert window.service._store.verified_by == "mark" and window.service.damage is None
    assert window.service.last_backup is None            # no backup before the full check
    qtbot.waitUntil(lambda: window.service.damage is not None, timeout=30_000)
    assert warned and "Restore from backup" in warned[-1]
    assert "DAMAGED" in window.windowTitle()
    with pytest.raises(ProjectError, match="damaged"):
        window.service.transcripts.remove(1)
    assert verified.read_mark(path) is None              # dropped at once
    window.close()
    assert verified.read_mark(path) is None              # and not written at close
    assert not backup_dir(path).exists() or not list(backup_dir(path).iterdir())
    with pytest.raises(DamagedProjectError):
        Project.open(path, backup=False)
