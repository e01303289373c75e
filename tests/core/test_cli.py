"""Headless commands, run as a user would: `python main.py ...` in a subprocess."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLES


def run(*args, check=True):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                            capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr}")
    return result


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.scproj"
    run("new", path)
    return path


def test_new_import_transcripts_show(project):
    out = run("import", project, SAMPLES / "zoom_cloud_transcript.vtt",
              SAMPLES / "plain_TC_labels_cp1252.txt")
    assert "imported zoom_cloud_transcript.vtt" in out.stdout
    listing = json.loads(run("transcripts", project, "--json").stdout)
    by_name = {t["name"]: t for t in listing}
    zoom = by_name["zoom_cloud_transcript.vtt"]
    assert zoom["speakers"] == ["Dr. Ana Ruiz", "Client J."]
    assert zoom["turns"] == 4            # cues 2+3 merge; the unnamed cue is its own turn
    assert zoom["duration_ms"] == 18200 - 1240      # first start (00:00:01.240) to last end
    tc = by_name["plain_TC_labels_cp1252.txt"]
    assert (tc["turns"], tc["speakers"], tc["duration_ms"]) == (5, ["T", "C"], None)
    assert tc["encoding"] == "cp1252"

    shown = json.loads(run("show", project, "zoom_cloud_transcript.vtt", "--json").stdout)
    assert shown["name"] == "zoom_cloud_transcript.vtt"
    assert shown["turns"][1] == {
        "speaker": "Client J.", "role": "client",
        "text": "Um, honestly kind of rough. I didn't sleep much on Tuesday. Or Wednesday.",
        "start_ms": 5390, "end_ms": 10150}
    assert shown["turns"][0]["role"] == "therapist"
    assert shown["turns"][3]["speaker"] == ""

    tc_turns = json.loads(run("show", project, "plain_TC_labels_cp1252.txt", "--json").stdout)
    assert tc_turns["turns"][1]["text"] == (
        "Still stuck, I think. My manager, René, keeps changing the deadlines.")


def test_units_and_roles_from_the_command_line(project):
    run("import", project, SAMPLES / "teams_transcript.vtt", "--unit", "window",
        "--window-minutes", "0.1", "--role", "Jordan Lee=client",
        "--role", "Ana Ruiz (Clinic)=therapist")
    [info] = json.loads(run("transcripts", project, "--json").stdout)
    assert info["unit"] == "window" and info["window_minutes"] == 0.1
    assert info["units"] == 3             # 6 s windows over 15.01 s
    shown = json.loads(run("show", project, "teams_transcript.vtt", "--json").stdout)
    assert [t["role"] for t in shown["turns"]] == ["therapist", "client", "therapist"]


def test_sentence_units(project):
    run("import", project, SAMPLES / "plain_role_labels_utf8_bom_crlf.txt", "--unit", "sentence")
    [info] = json.loads(run("transcripts", project, "--json").stdout)
    assert info["unit"] == "sentence" and info["units"] == 7 and info["turns"] == 5


def test_errors_name_the_file_and_exit_non_zero(project, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    broken = tmp_path / "broken.vtt"
    broken.write_text("WEBVTT\n\n1\n00:00:01.000 --> 00:0x:02.000\nT: hi\n")
    result = run("import", project, empty, broken, SAMPLES / "otter_export.txt",
                 "--role", "Ana Ruiz=therapist", check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("error: empty.txt") for line in lines), lines
    assert any(line.startswith("error: broken.vtt:4") for line in lines), lines
    assert "2 of 3 file(s) not imported" in result.stderr
    assert "imported otter_export.txt" in result.stdout      # the good one still went in
    names = [t["name"] for t in json.loads(run("transcripts", project, "--json").stdout)]
    assert names == ["otter_export.txt"]


def test_duplicate_import_is_refused(project):
    roles = ("--role", "Speaker 1=therapist", "--role", "Speaker 2=client")
    run("import", project, SAMPLES / "rev_style_transcript.txt", *roles)
    again = run("import", project, SAMPLES / "rev_style_transcript.txt", *roles, check=False)
    assert again.returncode == 1 and "already imported" in again.stderr
    assert "--replace" in again.stderr                   # the flag, not the word
    run("import", project, SAMPLES / "rev_style_transcript.txt", "--replace", *roles)


def test_no_therapist_or_client_is_never_stored_silently(project):
    result = run("import", project, SAMPLES / "rev_style_transcript.txt", check=False)
    assert result.returncode == 1
    [line, _] = result.stderr.strip().splitlines()
    assert line == ("error: rev_style_transcript.txt: no speaker is the therapist or the client "
                    "(speakers: Speaker 1 = other, Speaker 2 = other); say who is who with "
                    "--role \"Speaker 1=therapist\" (one per speaker)")
    assert json.loads(run("transcripts", project, "--json").stdout) == []     # nothing stored


def test_missing_project_and_unknown_transcript(tmp_path, project):
    result = run("transcripts", tmp_path / "nope.scproj", check=False)
    assert result.returncode == 1 and "no such project file" in result.stderr
    result = run("show", project, "nothing.vtt", check=False)
    assert result.returncode == 1 and "no transcript named 'nothing.vtt'" in result.stderr
    result = run("new", project, check=False)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert "Traceback" not in result.stderr


def test_csv_column_flags(project, tmp_path):
    table = tmp_path / "rows.csv"
    table.write_text("persona;contenido;t0\nTherapist;Hello.;1.5\nClient;Hi there.;3\n", encoding="utf-8")
    result = run("import", project, table, check=False)
    assert result.returncode == 1 and "contenido" in result.stderr     # no text column found
    run("import", project, table, "--text-col", "contenido", "--speaker-col", "persona",
        "--start-col", "t0")
    shown = json.loads(run("show", project, "rows.csv", "--json").stdout)
    assert [(t["speaker"], t["text"], t["start_ms"]) for t in shown["turns"]] == [
        ("Therapist", "Hello.", 1500), ("Client", "Hi there.", 3000)]
