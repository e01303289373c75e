"""Excel export safety: blind mode, atomic writes (crash and cancel keep the old file, leave
no temporary files), a read-only or open target, export never changes the project, the CLI,
and (slow) the workbook converts cleanly in LibreOffice."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select, text

from coder.project import BlindingError
from coder.errors import SessionCoderError
from coder.export import ExportOptions, sheets_data
from coder.jobs import Cancelled
from coder.store.schema import metadata
from tests.core.test_export import code_project, write_evil_srt
from tests.core.test_project_reliability_data import Service, new_project

OLD = b"old workbook bytes"


@pytest.fixture
def project(tmp_path):
    p = new_project(tmp_path)
    p.importing.import_file(write_evil_srt(tmp_path))
    code_project(p)
    yield p
    p.close()


def _dir(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_blind_rater_gets_only_own_codings_and_no_reliability(project, tmp_path):
    project.sign_in(project.r["B"])
    assert project.access.blind
    out = tmp_path / "blind.xlsx"
    result = project.exports.workbook(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["README", "Codebook", "Segments", "Codings", "Sessions",
                             "Episodes", "Profile", "Measures"]
    assert result.sheets == tuple(wb.sheetnames)
    assert {row[1] for row in list(wb["Profile"].iter_rows(values_only=True))[1:]} == {"B"}
    assert {row[1] for row in list(wb["Episodes"].iter_rows(values_only=True))[1:]} <= {"B"}
    codings = pd.read_excel(out, sheet_name="Codings")
    assert set(codings.rater) == {"B"}
    assert set(pd.read_excel(out, sheet_name="Sessions").rater) == {"B"}
    readme = dict(list(wb["README"].iter_rows(values_only=True))[1:])
    assert "only their own codings" in readme["Blind mode"]
    assert "A" not in readme["Raters"].split(", ")
    with pytest.raises(BlindingError):
        project.exports.workbook(tmp_path / "x.xlsx", ExportOptions(raters=("A", "B")))


def test_supervisor_without_blinding_gets_everything(project, tmp_path):
    boss = project.raters.add("Boss", role="supervisor")
    project.sign_in(boss.id)
    project.raters.set_blind(False)
    result = project.exports.workbook(tmp_path / "all.xlsx")
    assert "Reliability" in result.sheets


def _crash_after(monkeypatch, n_rows: int) -> None:
    original = sheets_data.Table.append
    calls = {"n": 0}

    def append(self, values):
        calls["n"] += 1
        if calls["n"] > n_rows:
            raise RuntimeError("simulated crash")
        original(self, values)
    monkeypatch.setattr(sheets_data.Table, "append", append)


def test_a_crash_mid_write_keeps_the_old_file(project, tmp_path, monkeypatch):
    out = tmp_path / "out.xlsx"
    out.write_bytes(OLD)
    before = _dir(tmp_path)
    from openpyxl.worksheet._writer import ALL_TEMP_FILES
    temps = len(ALL_TEMP_FILES)
    _crash_after(monkeypatch, 30)
    with pytest.raises(RuntimeError, match="simulated"):
        project.exports.workbook(out)
    assert out.read_bytes() == OLD
    assert _dir(tmp_path) == before                   # no .part, nothing new
    assert len(ALL_TEMP_FILES) == temps               # openpyxl's sheet files removed


def test_a_crash_while_zipping_keeps_the_old_file(project, tmp_path, monkeypatch):
    out = tmp_path / "out.xlsx"
    out.write_bytes(OLD)
    before = _dir(tmp_path)
    import zipfile
    original = zipfile.ZipFile.write
    seen = {"n": 0}

    def write(self, *a, **kw):
        seen["n"] += 1
        if seen["n"] == 3:
            raise OSError(28, "No space left on device")
        return original(self, *a, **kw)
    monkeypatch.setattr(zipfile.ZipFile, "write", write)
    with pytest.raises(SessionCoderError, match="could not be written"):
        project.exports.workbook(out)
    assert out.read_bytes() == OLD and _dir(tmp_path) == before


@pytest.mark.parametrize("stage", ["Codings", "Reliability", "Saving"])
def test_cancel_keeps_the_old_file(project, tmp_path, stage):
    out = tmp_path / "out.xlsx"
    out.write_bytes(OLD)
    before = _dir(tmp_path)
    state = {"stage": None, "checks": 0}

    def progress(done, total, message=""):
        state["stage"] = message

    def cancel():
        if state["stage"] == stage:
            state["checks"] += 1
        return state["checks"] > (1 if stage == "Saving" else 0)
    with pytest.raises(Cancelled):
        project.exports.workbook(out, progress=progress, cancel=cancel)
    assert out.read_bytes() == OLD and _dir(tmp_path) == before


def test_no_target_before_means_none_after_a_cancel(project, tmp_path):
    out = tmp_path / "new.xlsx"
    with pytest.raises(Cancelled):
        project.exports.workbook(out, cancel=lambda: True)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_read_only_target_gets_a_clear_message(project, tmp_path):
    out = tmp_path / "ro.xlsx"
    out.write_bytes(OLD)
    out.chmod(0o444)
    try:
        with pytest.raises(SessionCoderError, match="read-only"):
            project.exports.workbook(out)
    finally:
        out.chmod(0o644)
    assert out.read_bytes() == OLD


def test_open_in_libreoffice_and_bad_targets(project, tmp_path):
    out = tmp_path / "open.xlsx"
    out.write_bytes(OLD)
    (tmp_path / ".~lock.open.xlsx#").write_text("x")
    with pytest.raises(SessionCoderError, match="open in LibreOffice"):
        project.exports.workbook(out)
    with pytest.raises(SessionCoderError, match=".xlsx"):
        project.exports.workbook(tmp_path / "x.csv")
    with pytest.raises(SessionCoderError, match="does not exist"):
        project.exports.workbook(tmp_path / "nope" / "x.xlsx")
    with pytest.raises(SessionCoderError, match="no rater 'Z'"):
        project.exports.workbook(tmp_path / "x.xlsx", ExportOptions(raters=("Z",)))
    with pytest.raises(SessionCoderError, match="unknown sheet"):
        project.exports.workbook(tmp_path / "x.xlsx", ExportOptions(sheets=("Nope",)))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(p) -> dict:
    with p._store.read() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all()))
                for t in metadata.sorted_tables}


def test_export_never_changes_the_project(project, tmp_path):
    before = _tables(project)
    project.exports.workbook(tmp_path / "a.xlsx", csv_dir=tmp_path)
    assert _tables(project) == before
    path = project.path
    project.close()
    with Service.open(path) as p:                      # checkpoint the WAL into the file
        with p._store.read() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    digest = _digest(path)
    with Service.open(path, readonly=True) as p:
        p.exports.workbook(tmp_path / "b.xlsx")
    assert _digest(path) == digest


def test_cli_export(project, tmp_path, capsys):
    from coder.cli import main as cli_main

    def main(argv):
        return cli_main(["export", *argv])
    path = project.path
    project.close()
    out = tmp_path / "cli.xlsx"
    assert main([str(path), str(out), "--raters", "A,B", "--codes", "validate",
                 "--csv-dir", str(tmp_path)]) == 0
    assert "sheets" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[4] == "Matrix validate"
    assert (tmp_path / "matrix_validate.csv").exists()
    assert main([str(path), str(out), "--transcripts", "nope"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "nope" in err and "\n" not in err


@pytest.mark.slow
def test_libreoffice_opens_the_workbook(project, tmp_path):
    from tests.conftest import libreoffice
    soffice = libreoffice()
    out = tmp_path / "lo.xlsx"
    project.exports.workbook(out)
    env = dict(os.environ, HOME=str(tmp_path))        # a fresh LibreOffice profile
    for fmt in ("pdf", "ods"):
        res = subprocess.run([soffice, "--headless", "--norestore", "--convert-to", fmt,
                              "--outdir", str(tmp_path / fmt), str(out)],
                             capture_output=True, text=True, timeout=180, env=env)
        assert res.returncode == 0, res.stderr
        made = tmp_path / fmt / f"lo.{fmt}"
        assert made.exists() and made.stat().st_size > 1000, (res.stdout, res.stderr)
        assert "error" not in res.stderr.lower().replace("javaldx", ""), res.stderr
    ods = pd.read_excel(tmp_path / "ods" / "lo.ods", sheet_name=None, engine="odf") \
        if _has_odf() else None
    if ods is not None:
        assert list(ods)[:4] == ["README", "Codebook", "Segments", "Codings"]


def _has_odf() -> bool:
    try:
        import odf  # noqa: F401
    except ImportError:
        return False
    return True
