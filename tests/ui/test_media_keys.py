"""The player's keys work while the coding table has the keyboard (issue 14): Ctrl+←/→ seek
5 s, Ctrl+↑/↓ speed, Ctrl+Shift+↑/↓ volume, Ctrl+Space play/pause — and the table keeps the
focus and its selection, and no code is toggled. Real key events through QTest (shortcut
override, then the key press) into the focused table; every wait has a timeout."""

from __future__ import annotations

import pytest

from coder.project import Project
from tests.core.media_files import write_wav

SRT = "".join(
    f"{i}\n00:00:{2 * i:02d},000 --> 00:00:{2 * i + 1:02d},500\n"
    f"{'T' if i % 2 else 'C'}: Sentence number {i} of the session.\n\n" for i in range(1, 9))


@pytest.fixture
def project_file(tmp_path):
    (tmp_path / "s.srt").write_text(SRT, encoding="utf-8")
    path = tmp_path / "p.scproj"
    with Project.create(path) as p:
        p.importing.import_file(tmp_path / "s.srt")
        p.raters.add("Ana", "AN")
        p.media.link(p.transcripts.get("s.srt").id, write_wav(tmp_path / "s.wav", 30.0))
    return path


@pytest.fixture
def window(qtbot, project_file, monkeypatch):
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings
    w = MainWindow(AppSettings())
    monkeypatch.setattr(w.rater_actions, "switch_rater", lambda: None)
    qtbot.addWidget(w)
    w.show()
    assert w.open_project(project_file, ask_rater=False)
    w.events.sign_in(w.service.raters.get("Ana"))
    yield w
    if w.media.panel is not None:
        w.media.panel.release()          # stop the backend's threads before the window goes
    w.close()


def _codings(window) -> list:
    units = window.service.transcripts.segments(window.workspace.info.id, "turn")
    return window.service.codings.on([u.id for u in units])


def test_player_keys_work_from_the_coding_table_without_touching_codes(multimedia, window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtMultimedia import QMediaPlayer
    from PySide6.QtWidgets import QApplication

    qtbot.waitUntil(lambda: window.media.has_player(), timeout=10_000)
    panel = window.media.panel
    player = panel.player
    qtbot.waitUntil(lambda: player.duration() == 30_000, timeout=10_000)
    ws, table = window.workspace, window.workspace.table
    ws.go_to_position(2)                                   # 4.0 s
    qtbot.waitUntil(lambda: player.position() == 4000, timeout=5_000)
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=5_000)
    row, commands, codings = ws.current_row(), window.events.undo_stack.count(), _codings(window)
    assert row == 1 and codings == []

    def press(key, mods=Qt.ControlModifier):
        qtbot.keyClick(table, key, mods)

    press(Qt.Key_Right)
    qtbot.waitUntil(lambda: player.position() == 9000, timeout=5_000)
    press(Qt.Key_Left)
    press(Qt.Key_Left)
    qtbot.waitUntil(lambda: player.position() == 0, timeout=5_000)

    press(Qt.Key_Up)
    qtbot.waitUntil(lambda: player.playbackRate() == 1.25, timeout=5_000)
    press(Qt.Key_Down)
    press(Qt.Key_Down)
    qtbot.waitUntil(lambda: player.playbackRate() == 0.75, timeout=5_000)
    assert panel.speed.currentText() == "0.75×"

    ctrl_shift = Qt.ControlModifier | Qt.ShiftModifier
    press(Qt.Key_Up, ctrl_shift)
    assert panel.volume.value() == 90 and abs(panel.audio.volume() - 0.9) < 1e-3
    for _ in range(3):
        press(Qt.Key_Down, ctrl_shift)
    assert panel.volume.value() == 60 and abs(panel.audio.volume() - 0.6) < 1e-3

    press(Qt.Key_Space)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlayingState,
                    timeout=10_000)
    press(Qt.Key_Space)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PausedState,
                    timeout=10_000)

    assert QApplication.focusWidget() is table             # the keyboard stayed on coding
    assert ws.current_row() == row                         # the selection did not move
    assert window.events.undo_stack.count() == commands    # no command ran
    assert _codings(window) == codings == []


def test_volume_and_speed_keys_are_listed_in_help():
    from ui.media.actions import SHORTCUT_HELP
    from ui.shell.actions import SHORTCUT_HELP as ALL
    for keys in ("Ctrl+Space", "Ctrl+←", "Ctrl+↑", "Ctrl+Shift+↑", "Ctrl+Shift+↓"):
        assert keys in SHORTCUT_HELP
    assert SHORTCUT_HELP in ALL                  # Help ▸ Keyboard shortcuts shows them
