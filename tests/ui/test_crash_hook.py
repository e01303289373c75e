"""An exception nobody caught in the desktop app is one message box naming a log file with
the traceback — on the main thread or any other — and a repeating error is shown once."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from coder import crashlog
from ui.shell import crash


@pytest.fixture
def reporter(qapp, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(crash, "show_message", lambda parent, text: shown.append(text))
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    r = crash.install(qapp)
    r.shown = shown
    yield r
    sys.excepthook, threading.excepthook = old_hook, old_thread_hook


def _raise(exc):
    try:
        raise exc
    except BaseException as caught:   # noqa: BLE001
        return type(caught), caught, caught.__traceback__


def test_uncaught_error_is_one_box_naming_its_log(reporter, qtbot, capsys):
    sys.excepthook(*_raise(ZeroDivisionError("in a slot")))
    qtbot.waitUntil(lambda: bool(reporter.shown))
    (text,) = reporter.shown
    assert "internal error (ZeroDivisionError: in a slot)" in text
    log = Path(text.rsplit("details were written to ", 1)[1])
    assert log.parent == crashlog.log_dir() and "Traceback" in log.read_text()
    assert "Traceback" not in capsys.readouterr().err


def test_an_error_in_another_thread_reaches_the_main_thread(reporter, qtbot):
    def boom():
        raise ValueError("worker bug")
    t = threading.Thread(target=boom)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(reporter.shown))
    assert "ValueError: worker bug" in reporter.shown[0]


def test_a_repeating_error_is_shown_once_and_logged_a_few_times(reporter, qtbot):
    for _ in range(10):
        sys.excepthook(*_raise(RuntimeError("paint")))
    qtbot.waitUntil(lambda: bool(reporter.shown))
    qtbot.wait(50)
    assert len(reporter.shown) == 1
    assert len(list(crashlog.log_dir().glob("crash-*.log"))) == crash.MAX_REPEATS


def test_a_user_error_that_escaped_is_shown_as_itself(reporter, qtbot):
    from coder.errors import InputError
    sys.excepthook(*_raise(InputError("bad row", file="c.csv", line=3)))
    qtbot.waitUntil(lambda: bool(reporter.shown))
    assert reporter.shown == ["c.csv:3: bad row"]


def test_an_exception_in_a_slot_goes_through_the_hook(reporter, qtbot):
    """PySide6 hands an exception raised in a slot to sys.excepthook (the real path)."""
    from PySide6.QtCore import QTimer

    def slot():
        raise KeyError("slot bug")
    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: bool(reporter.shown))
    assert "KeyError" in reporter.shown[0] and "slot bug" in reporter.shown[0]


def test_the_core_finds_the_same_data_folder_as_qt(qapp, monkeypatch, tmp_path):
    """The CLI (no Qt) and the app log to one folder: Qt's AppDataLocation."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths
    monkeypatch.delenv("SESSION_CODER_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    old = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName("SessionCoder")
    QCoreApplication.setApplicationName("Session Coder")
    try:
        qt = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    finally:
        QCoreApplication.setOrganizationName(old[0])
        QCoreApplication.setApplicationName(old[1])
    assert Path(qt) == crashlog.app_data_dir()
