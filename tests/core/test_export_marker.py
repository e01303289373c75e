"""Our own exports are told from transcripts: folder imports skip them and importing one
names what it is, in one line."""

import pytest

from coder.errors import TranscriptFormatError
from coder.export.marker import is_our_export
from coder.importers.pipeline import files_in, prepare_import
from coder.sample import build_sample_project, sign_in_supervisor
from coder.project import Project
from tests.conftest import SAMPLES


def test_exported_workbook_and_csv_are_recognised_and_skipped(tmp_path):
    path = tmp_path / "s.scproj"
    build_sample_project(path)
    folder = tmp_path / "study"
    folder.mkdir()
    with Project.open(path, backup=False) as project:
        sign_in_supervisor(project)
        project.exports.workbook(folder / "s export.xlsx", csv_dir=folder)
    (folder / "session.vtt").write_bytes((SAMPLES / "zoom_cloud_transcript.vtt").read_bytes())
    table = SAMPLES / "utterances.csv"
    if table.exists():
        (folder / "table.csv").write_bytes(table.read_bytes())
    assert is_our_export(folder / "s export.xlsx")
    assert is_our_export(folder / "codings.csv")
    assert any(is_our_export(p) for p in folder.glob("matrix_*.csv"))
    assert [p.name for p in files_in(folder)] == sorted(
        ["session.vtt"] + (["table.csv"] if table.exists() else []))
    with pytest.raises(TranscriptFormatError, match="export written by Session Coder"):
        prepare_import(folder / "s export.xlsx")


def test_a_transcript_workbook_is_not_taken_for_an_export():
    for p in SAMPLES.iterdir():
        if p.suffix.lower() in (".xlsx", ".csv"):
            assert not is_our_export(p), p.name
