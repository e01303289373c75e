"""`import --media`, `media` and `transcripts --json` with media (headless, through main.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.conftest import ROOT
from tests.core.media_files import PLAIN, write_wav


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_import_with_media_then_offset_relocate_and_unlink(tmp_path):
    (tmp_path / "s1.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "rec").mkdir()
    wav = write_wav(tmp_path / "rec" / "s1.wav", 2.0)
    project = tmp_path / "p.scproj"
    assert run("new", project).returncode == 0
    result = run("import", project, tmp_path / "s1.txt", "--media", wav)
    assert result.returncode == 0, result.stderr
    assert "s1.txt: media rec/s1.wav (2.0 s, offset +0.0 s)" in result.stdout
    listed = json.loads(run("transcripts", project, "--json").stdout)
    assert listed[0]["media"]["path"] == "rec/s1.wav"
    assert listed[0]["media"]["duration_ms"] == 2000
    assert len(listed[0]["media"]["sha256"]) == 64

    result = run("media", project, "s1", "--offset", "1.5")
    assert "offset +1.5 s" in result.stdout, result.stderr

    shutil.move(wav, tmp_path / "elsewhere.wav")
    shown = run("media", project, "s1")
    assert "the media file is missing" in shown.stderr
    other = write_wav(tmp_path / "other.wav", 2.0, tone_hz=500)
    refused = run("media", project, "s1", other, "--relocate")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ") and "not the linked recording" in refused.stderr
    assert "Traceback" not in refused.stderr
    moved = run("media", project, "s1", tmp_path / "elsewhere.wav", "--relocate")
    assert moved.returncode == 0 and "media elsewhere.wav" in moved.stdout
    assert "offset +1.5 s" in moved.stdout

    assert run("media", project, "s1", "--unlink").returncode == 0
    assert json.loads(run("transcripts", project, "--json").stdout)[0]["media"] is None


def test_media_errors_are_one_line(tmp_path):
    (tmp_path / "s1.txt").write_text(PLAIN, encoding="utf-8")
    project = tmp_path / "p.scproj"
    run("new", project)
    result = run("import", project, tmp_path / "s1.txt", "--media", tmp_path / "none.wav")
    assert result.returncode == 1
    assert "no such media file" in result.stderr and "imported without media" in result.stderr
    bad = run("media", project, "nope", tmp_path / "none.wav")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "no transcript" in bad.stderr
