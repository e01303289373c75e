"""The media area: lazy Qt Multimedia, seek to a unit, play a unit, follow with a fake clock,
offset and tap-to-timestamp through the undo stack, the waveform job and its cache."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coder.project import Project
from tests.conftest import ROOT
from tests.core.media_files import PLAIN, write_wav


@pytest.fixture
def project_file(tmp_path):
    (tmp_path / "s1.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "s2.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nT: Hello there.\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\nC: Hi.\n\n"
        "3\n00:00:07,000 --> 00:00:09,000\nT: How was the week?\n", encoding="utf-8")
    path = tmp_path / "p.scproj"
    with Project.create(path) as p:
        p.importing.import_file(tmp_path / "s1.txt")
        p.importing.import_file(tmp_path / "s2.srt")
        p.raters.add("Ana", "AN")
        p.media.link(p.transcripts.get("s2.srt").id, write_wav(tmp_path / "s2.wav", 12.0),
                     offset_ms=500)
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
    w.close()


def _show(window, qtbot, name):
    window.transcripts.select(window.service.transcripts.get(name).id)
    qtbot.waitUntil(lambda: window.workspace.info is not None
                    and window.workspace.info.name == name)


def test_the_app_does_not_load_qt_multimedia_for_a_project_without_media(tmp_path):
    (tmp_path / "s1.txt").write_text(PLAIN, encoding="utf-8")
    with Project.create(tmp_path / "p.scproj") as p:
        p.importing.import_file(tmp_path / "s1.txt")
    code = (
        "import sys, os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ui.shell.main_window import MainWindow\n"
        "from ui.shell.settings import AppSettings\n"
        "w = MainWindow(AppSettings()); w.show()\n"
        f"assert w.open_project(r'{tmp_path / 'p.scproj'}', ask_rater=False)\n"
        "app.processEvents()\n"
        "assert w.workspace.info is not None\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6.QtMultimedia')]\n"
        "w.close(); print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120,
                            env={**__import__("os").environ, "SESSION_CODER_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]


def test_no_player_for_a_transcript_without_media(window, qtbot):
    _show(window, qtbot, "s1.txt")
    assert window.media.isHidden() and not window.media.has_player()
    assert not window.media_actions.act_play.isEnabled()
    assert window.media_actions.act_link.isEnabled()


def test_selecting_a_unit_seeks_to_its_start_plus_the_offset(multimedia, window, qtbot):
    _show(window, qtbot, "s2.srt")
    assert window.media.has_player() and window.media_actions.act_play.isEnabled()
    player = window.media.panel.player
    qtbot.waitUntil(lambda: player.duration() == 12000, timeout=10_000)
    window.workspace.go_to_position(3)
    qtbot.waitUntil(lambda: player.position() == 7500, timeout=5_000)
    window.workspace.go_to_position(2)
    qtbot.waitUntil(lambda: player.position() == 4500, timeout=5_000)


@pytest.mark.slow
def test_play_unit_plays_from_the_pre_roll_and_stops_at_the_unit_end(multimedia, window, qtbot):
    from PySide6.QtMultimedia import QMediaPlayer
    _show(window, qtbot, "s2.srt")
    panel = window.media.panel
    qtbot.waitUntil(lambda: panel.player.duration() == 12000, timeout=10_000)
    window.workspace.go_to_position(1)          # 1.0–3.0 s, offset 0.5: 1.5–3.5 s
    panel.preroll.setValue(1.0)
    window.media_actions.act_unit.trigger()
    qtbot.waitUntil(lambda: panel.playing(), timeout=5_000)
    assert panel.player.position() < 1500
    qtbot.waitUntil(lambda: panel.player.playbackState() == QMediaPlayer.PausedState,
                    timeout=10_000)
    assert 3500 <= panel.player.position() < 3900


def test_follow_marks_the_spoken_unit_without_moving_the_selection(multimedia, window, qtbot):
    _show(window, qtbot, "s2.srt")
    panel = window.media.panel
    window.workspace.go_to_position(1)
    window.workspace.table.setFocus()
    now = {"ms": 0}
    panel.follower.clock = lambda: now["ms"]
    window.media.show_unit(window._current_unit())     # units of this kind loaded
    for ms, row in ((4600, 1), (7400, 1), (7600, 2), (100, 0)):
        now["ms"] = ms
        panel.follower.tick()
        assert window.workspace.model.playing_row == row
    assert window.workspace.current_row() == 0
    assert window.workspace.model.data(window.workspace.model.index(0, 3),
                                       __import__("PySide6.QtCore").QtCore.Qt.BackgroundRole)


def test_offset_is_one_undoable_step(multimedia, window, qtbot):
    _show(window, qtbot, "s2.srt")
    tid = window.workspace.info.id
    panel = window.media.panel
    panel.offset.setValue(2.0)
    panel.offset.editingFinished.emit()
    assert window.service.media.get(tid).offset_ms == 2000
    window.workspace.go_to_position(2)
    qtbot.waitUntil(lambda: panel.player.position() == 6000, timeout=5_000)
    window.events.undo_stack.undo()
    assert window.service.media.get(tid).offset_ms == 500
    assert panel.offset.value() == 0.5


def test_tap_to_timestamp_saves_one_step_that_undo_takes_back(multimedia, window, qtbot, tmp_path):
    _show(window, qtbot, "s1.txt")
    tid = window.workspace.info.id
    from ui.media.link import link_recording
    link_recording(window, window.events, window.runner, tid, write_wav(tmp_path / "a.wav", 9.0))
    qtbot.waitUntil(lambda: window.media.has_player(), timeout=10_000)
    window.media_actions.act_tap.trigger()
    assert window.media_actions.act_tap_key.isEnabled()
    now = {"ms": 0}
    window.media.tapper.clock = lambda: now["ms"]
    for ms in (200, 2000, 3000):
        now["ms"] = ms
        window.media_actions.act_tap_key.trigger()
    window.media_actions.act_take_back.trigger()           # the third tap was late
    for ms in (2800, 5000):
        now["ms"] = ms
        window.media_actions.act_tap_key.trigger()
    assert "All 4 turns tapped" in window.media.banner.text()
    window.media_actions.act_save_taps.trigger()
    turns = window.service.transcripts.turns(tid)
    assert [(t.start_ms, t.end_ms) for t in turns] == [
        (200, 2000), (2000, 2800), (2800, 5000), (5000, 9000)]
    assert window.service.transcripts.count(tid, "window") == 1
    assert not window.media_actions.act_tap_key.isEnabled()
    window.events.undo_stack.undo()
    assert all(t.start_ms is None for t in window.service.transcripts.turns(tid))
    assert window.service.transcripts.count(tid, "window") == 0


def test_a_different_file_is_refused_when_relocating(multimedia, window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    from ui.media.link import link_recording
    _show(window, qtbot, "s2.srt")
    tid = window.workspace.info.id
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    other = write_wav(tmp_path / "other.wav", 12.0, tone_hz=600)
    link_recording(window, window.events, window.runner, tid, other, relocate=True)
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
    assert "not the recording linked" in warned[0]
    assert window.service.media.get(tid).path == "s2.wav"


def test_a_missing_recording_offers_to_find_it(window, qtbot, tmp_path):
    (tmp_path / "s2.wav").rename(tmp_path / "gone.wav")
    _show(window, qtbot, "s1.txt")
    _show(window, qtbot, "s2.srt")
    assert not window.media.isHidden() and not window.media.has_player()
    assert "missing" in window.media.missing_text.text()
    assert window.media_actions.act_relocate.isEnabled()


def test_waveform_peaks_land_and_are_cached(multimedia, window, qtbot):
    _show(window, qtbot, "s2.srt")
    wave = window.media.panel.wave
    qtbot.waitUntil(lambda: wave.peaks is not None, timeout=10_000)
    assert wave.peaks.duration_ms == 12000
    sha = window.service.media.get(window.workspace.info.id).sha256
    assert (window.settings.data_dir() / "waveforms" / f"{sha}.json").is_file()


def test_the_qt_prober_reads_a_duration_offscreen(multimedia, tmp_path, qapp):
    from ui.media.probe import qt_duration_ms
    assert abs(qt_duration_ms(write_wav(tmp_path / "a.wav", 2.0)) - 2000) <= 50
    (tmp_path / "junk.mp3").write_bytes(b"not audio at all")
    assert qt_duration_ms(tmp_path / "junk.mp3", timeout_ms=3000) is None


def test_tapped_times_show_in_the_table_and_windows_become_a_unit(window, qtbot):
    from coder.media.commands import SetTurnTimes
    _show(window, qtbot, "s1.txt")
    tid = window.workspace.info.id
    window.workspace.go_to_position(3)
    model = window.workspace.model
    assert model.data(model.index(2, 1)) in ("", "–", "-", None)
    window.events.perform(SetTurnTimes(tid, [(0, 1000), (1000, 2000), (62_000, 63_000),
                                             (63_000, 64_000)]))
    model = window.workspace.model
    assert model.data(model.index(2, 1)) == "1:02"
    assert window.workspace.current_row() == 2
    assert "window" in [window.workspace.bar.kind_box.itemData(i)
                        for i in range(window.workspace.bar.kind_box.count())]
    window.events.undo_stack.undo()
    assert window.workspace.model.data(window.workspace.model.index(2, 1)) != "1:02"


def test_qaudiodecoder_peaks_in_a_worker(multimedia, tmp_path, qtbot):
    """The path for recordings that are not WAV, run on a WAV (no encoder offscreen)."""
    from ui.media.decode import decoded_peaks
    from ui.shell.jobs import JobRunner
    wav = write_wav(tmp_path / "a.wav", 4.0, loud_from=2.0)
    runner = JobRunner()
    job = runner.start("Waveform", decoded_peaks, wav, 40)
    with qtbot.waitSignal(job.finished, timeout=20_000) as blocker:
        pass
    peaks = blocker.args[0]
    runner.shutdown()
    assert abs(peaks.duration_ms - 4000) <= 50 and len(peaks.values) == 40
    assert max(peaks.values[:19]) < 0.01 and min(peaks.values[21:]) > 0.3


def test_without_qt_multimedia_the_area_says_why_in_one_line(window, qtbot, monkeypatch):
    """A machine whose Qt Multimedia cannot load (no libpulse0): the media area names the
    package instead of a player, offers no "Find the recording…", and nothing raises."""
    from ui.media import area, availability
    line = availability.reason(ImportError(
        "libpulse.so.0: cannot open shared object file: No such file or directory"))
    assert "libpulse0" in line and "\n" not in line
    monkeypatch.setattr(area, "multimedia_problem", lambda: line)
    _show(window, qtbot, "s2.srt")
    assert not window.media.isHidden() and not window.media.has_player()
    assert window.media.panel is None
    assert window.media.missing_text.text() == line
    assert window.media.relocate.isHidden()
