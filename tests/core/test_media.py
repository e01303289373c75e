"""Media linked to transcripts: probing, storing, relocating, offset, turn times with undo."""

from __future__ import annotations

import shutil

import pytest

from coder.errors import SessionCoderError
from coder.media import files, timing
from coder.media.model import MediaProblem
from coder.project import Project
from tests.core.media_files import PLAIN, write_wav


@pytest.fixture
def project(tmp_path):
    (tmp_path / "s1.txt").write_text(PLAIN, encoding="utf-8")
    with Project.create(tmp_path / "p.scproj") as p:
        p.importing.import_file(tmp_path / "s1.txt")
        yield p


def _tid(project):
    return project.transcripts.get("s1.txt").id


def test_wav_duration_is_probed_without_qt(tmp_path):
    wav = write_wav(tmp_path / "a.wav", 2.5)
    assert files.wav_duration_ms(wav) == 2500
    assert files.wav_duration_ms(tmp_path / "nothing.wav") is None
    (tmp_path / "x.mp3").write_bytes(b"ID3 not really")
    assert files.wav_duration_ms(tmp_path / "x.mp3") is None


def test_link_stores_relative_path_hash_and_duration_and_undo(project, tmp_path):
    (tmp_path / "rec").mkdir()
    wav = write_wav(tmp_path / "rec" / "s1.wav", 3.0)
    tid = _tid(project)
    changes = project.media.link(tid, wav)
    assert changes.media == {tid}
    info = project.media.get(tid)
    assert info.path == "rec/s1.wav"
    assert info.duration_ms == 3000 and info.size == wav.stat().st_size
    assert info.sha256 == files.sha256_of(wav) and info.offset_ms == 0
    assert project.media.locate(tid).path == wav
    project.media.set_offset(tid, 1500)
    assert project.media.get(tid).offset_ms == 1500
    project.media.unlink(tid)
    assert project.media.get(tid) is None


def test_link_command_reverts_to_the_earlier_link(project, tmp_path):
    from coder.media.commands import LinkMedia
    a, b = write_wav(tmp_path / "a.wav", 1.0), write_wav(tmp_path / "b.wav", 2.0)
    tid = _tid(project)
    project.media.link(tid, a, offset_ms=700)
    command = LinkMedia(tid, files.read_facts(b), "b.wav")
    project.perform(command)
    assert project.media.get(tid).path == "b.wav" and project.media.get(tid).offset_ms == 700
    project.revert(command)
    assert project.media.get(tid).path == "a.wav"


def test_a_missing_file_says_so_in_one_line(project, tmp_path):
    with pytest.raises(MediaProblem, match="no such media file"):
        project.media.link(_tid(project), tmp_path / "gone.wav")
    with pytest.raises(SessionCoderError, match="no transcript"):
        project.media.link(999, write_wav(tmp_path / "a.wav", 1.0))


def test_moved_file_is_found_beside_the_project_by_name_and_hash(project, tmp_path):
    (tmp_path / "rec").mkdir()
    wav = write_wav(tmp_path / "rec" / "s1.wav", 1.0)
    tid = _tid(project)
    project.media.link(tid, wav)
    shutil.move(wav, tmp_path / "s1.wav")
    found = project.media.locate(tid)
    assert found.path == tmp_path / "s1.wav" and found.moved
    project.media.relocate(tid, found.path)
    assert project.media.get(tid).path == "s1.wav"


def test_a_different_file_of_the_same_name_is_refused_by_its_hash(project, tmp_path):
    (tmp_path / "rec").mkdir()
    wav = write_wav(tmp_path / "rec" / "s1.wav", 1.0)
    tid = _tid(project)
    project.media.link(tid, wav)
    wav.unlink()
    other = write_wav(tmp_path / "s1.wav", 1.0, tone_hz=440)
    located = project.media.locate(tid)
    assert located.path is None and "different file of the same name" in located.reason
    with pytest.raises(MediaProblem, match="not the linked recording"):
        project.media.relocate(tid, other)
    assert project.media.get(tid).path == "rec/s1.wav"


def test_unit_at_follows_the_voice_with_an_offset():
    starts = [0, 4000, 9000, None, 15000]
    assert timing.unit_at(starts, 0, 0) == 0
    assert timing.unit_at(starts, 8999, 0) == 1
    assert timing.unit_at(starts, 9000, 0) == 2
    assert timing.unit_at(starts, 14000, 0) == 2
    assert timing.unit_at(starts, 20000, 0) == 4
    # the recording started 2 s before the transcript's zero
    assert timing.unit_at(starts, 10999, 2000) == 1
    assert timing.unit_at(starts, 11000, 2000) == 2
    assert timing.unit_at([None, None], 5000, 0) is None
    assert timing.play_range(4000, 9000, 2000, 500) == (5500, 11000)
    assert timing.play_range(None, None, 0, 0) is None


def test_warnings_for_a_recording_shorter_or_much_longer_than_the_transcript():
    assert "runs past the end" in timing.warnings(70_000, 60_000, 0)[0]
    assert timing.warnings(50_000, 60_000, 0) == []
    assert "much longer" in timing.warnings(10 * 60_000, 60 * 60_000, 0)[0]
    assert timing.warnings(None, 60_000, 0) == []


def test_tapped_times_make_windows_and_undo_puts_everything_back(project, tmp_path):
    tid = _tid(project)
    wav = write_wav(tmp_path / "s1.wav", 8.0)
    project.media.link(tid, wav, offset_ms=1000)
    assert project.transcripts.count(tid, "window") == 0
    times = timing.taps_to_times([1000, 3000, 5000, 6500], 1000, 8000)
    assert times == [(0, 2000), (2000, 4000), (4000, 5500), (5500, 7000)]
    from coder.media.commands import SetTurnTimes
    command = SetTurnTimes(tid, times)
    changes = project.perform(command)
    turns = project.transcripts.turns(tid)
    assert [(t.start_ms, t.end_ms) for t in turns] == times
    units = project.transcripts.segments(tid, "turn")
    assert [(u.start_ms, u.end_ms) for u in units] == times
    assert project.transcripts.count(tid, "window") == 1
    assert {u.id for u in units} <= changes.segments
    assert project.transcripts.position_at(tid, "turn", 4500) == 3
    project.revert(command)
    assert all(t.start_ms is None for t in project.transcripts.turns(tid))
    assert project.transcripts.count(tid, "window") == 0


def test_nudge_moves_one_start_and_the_previous_end(project):
    tid = _tid(project)
    project.media.set_turn_times(tid, [(0, 2000), (2000, 4000), (4000, 5500), (5500, 7000)])
    project.media.nudge_turn(tid, 2, 250)
    times = [(t.start_ms, t.end_ms) for t in project.transcripts.turns(tid)]
    assert times[:2] == [(0, 2250), (2250, 4000)]
    with pytest.raises(MediaProblem, match="cannot start after turn 3"):
        project.media.nudge_turn(tid, 2, 5000)


def test_taps_that_go_backwards_are_refused():
    with pytest.raises(ValueError):
        timing.taps_to_times([3000, 1000], 0, None)


def test_removing_a_transcript_removes_its_media_row(project, tmp_path):
    tid = _tid(project)
    project.media.link(tid, write_wav(tmp_path / "a.wav", 1.0))
    project.transcripts.remove(tid)
    assert project.media.all() == {}


def test_wav_peaks_show_where_the_sound_is(tmp_path):
    from coder.media.peaks import wav_peaks
    wav = write_wav(tmp_path / "a.wav", 4.0, loud_from=2.0)
    peaks = wav_peaks(wav, 40)
    assert peaks.duration_ms == 4000 and len(peaks.values) == 40
    assert max(peaks.values[:19]) == 0.0
    assert min(peaks.values[21:]) > 0.3


def test_wav_peaks_refuse_a_file_that_is_not_wav(tmp_path):
    from coder.media.peaks import wav_peaks
    (tmp_path / "x.wav").write_bytes(b"not a wav at all")
    with pytest.raises(MediaProblem, match="cannot read it as a WAV file"):
        wav_peaks(tmp_path / "x.wav")


def test_the_recording_beside_a_transcript_is_found_by_its_name(tmp_path):
    (tmp_path / "s1.vtt").write_text("WEBVTT\n", encoding="utf-8")
    assert files.recording_beside(tmp_path / "s1.vtt") is None
    (tmp_path / "s1.mp4").write_bytes(b"x")
    (tmp_path / "s2.wav").write_bytes(b"x")
    assert files.recording_beside(tmp_path / "s1.vtt") == tmp_path / "s1.mp4"


def test_a_registered_prober_gives_the_length_of_what_wave_cannot_read(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_probers", [])
    mp3 = tmp_path / "s.mp3"
    mp3.write_bytes(b"ID3 pretend audio")
    assert files.read_facts(mp3).duration_ms is None
    seen = []
    files.register_prober(lambda p: seen.append(p) or 61_000)
    assert files.read_facts(mp3).duration_ms == 61_000 and seen == [mp3]
    wav = write_wav(tmp_path / "a.wav", 1.0)
    assert files.read_facts(wav).duration_ms == 1000 and seen == [mp3]   # wave came first
