"""No traceback, ever: every CLI failure is one line, exit 1 for bad input and 2 for an
internal error (whose traceback goes to a log file the line names).

Each case printed a Python traceback before (issue 10): `reliability` and `export` of a new
project, `nan`/`inf` in codings, a non-numeric schema version, a damaged database, and a
misspelt command started the desktop app (headless it hung).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from coder import crashlog
from tests.conftest import ROOT, SAMPLES


def run(*args, home: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, SESSION_CODER_HOME=str(home))
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env)


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def project(tmp_path, home) -> Path:
    path = tmp_path / "new.scproj"
    assert run("new", path, home=home).returncode == 0
    return path


@pytest.fixture
def imported(project, home) -> Path:
    result = run("import", project, SAMPLES / "plain_TC_labels_utf8.txt", home=home)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.parametrize("with_transcript", [False, True])
def test_reliability_of_a_project_without_codings_is_an_empty_report(
        project, home, with_transcript) -> None:
    if with_transcript:
        assert run("import", project, SAMPLES / "plain_TC_labels_utf8.txt",
                   home=home).returncode == 0
    result = run("reliability", project, "--json", home=home)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["raters"] == []
    assert report["codes"] and all(c["n_units"] == 0 for c in report["codes"])
    text = run("reliability", project, home=home)
    assert text.returncode == 0 and "fewer than two raters" in text.stdout


def test_export_of_a_project_without_codings_has_empty_sheets(imported, home, tmp_path):
    out = tmp_path / "out.xlsx"
    (tmp_path / "csv").mkdir()
    result = run("export", imported, out, "--csv-dir", tmp_path / "csv", home=home)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out, read_only=True)
    assert "Codings" in book.sheetnames
    rows = list(book["Codings"].iter_rows(values_only=True))
    assert len([r for r in rows if any(v is not None for v in r)]) <= 1      # header only
    assert (tmp_path / "csv" / "codings.csv").exists()


def test_nan_and_inf_in_codings_are_row_numbered_errors(imported, home, tmp_path):
    table = tmp_path / "codings.csv"
    table.write_text("transcript,segment,rater,code,value,note\n"
                     "plain_TC_labels_utf8.txt,nan,Ana,bond_warmth,,\n"
                     "plain_TC_labels_utf8.txt,inf,Ana,validation,,\n"
                     "plain_TC_labels_utf8.txt,1,Ana,alliance_quality,inf,\n"
                     "plain_TC_labels_utf8.txt,1e400,Ana,validation,,\n"
                     "plain_TC_labels_utf8.txt,99999999999999999999,Ana,validation,,\n"
                     "plain_TC_labels_utf8.txt,1,NaN,validation,,\n"
                     "plain_TC_labels_utf8.txt,1,Ana,validation,,-inf\n")
    result = run("codings", "import", imported, table, home=home)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: nothing was imported; 7 problem(s) to fix:"
    columns = ["segment", "segment", "value", "segment", "segment", "rater", "note"]
    for row, (line, column) in enumerate(zip(lines[1:], columns), 2):
        assert line.startswith(f"codings.csv:{row}: ") and line.endswith(f"(column {column})")
        assert "not a usable value" in line


def test_non_numeric_schema_version_is_one_line(imported, home):
    with sqlite3.connect(imported) as conn:
        conn.execute("UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    for command in (("transcripts", imported), ("reliability", imported)):
        result = run(*command, home=home)
        assert result.returncode == 1
        line = one_line(result)
        assert str(imported) in line and "'two' is not a version number" in line


def _damage(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    with open(path, "r+b") as fh:          # the data pages; the schema pages stay readable
        for n in range(pages // 2, pages):
            fh.seek(n * page)
            fh.write(b"\xa5" * page)


def test_damaged_database_never_gives_a_traceback(imported, home, tmp_path):
    assert run("import", imported, ROOT / "sample_transcripts" / "session01_full_length.vtt",
               home=home).returncode == 0
    _damage(imported)
    for command in (("transcripts", imported), ("show", imported, "plain_TC_labels_utf8.txt"),
                    ("reliability", imported), ("export", imported, tmp_path / "x.xlsx"),
                    ("codings", "export", imported, tmp_path / "c.csv")):
        result = run(*command, home=home)
        assert result.returncode == 1, command
        line = one_line(result)
        assert "the project file is damaged" in line, line     # caught on open, or later


@pytest.mark.parametrize("argv, expected", [
    (["reliabilty", "P.scproj"], "'reliabilty' is not a command (did you mean 'reliability'?)"),
    (["exprot"], "'exprot' is not a command (did you mean 'export'?)"),
    (["missing.scproj"], "no project file 'missing.scproj'"),
    (["--smaple"], "unknown option '--smaple' (did you mean '--sample'?)"),
    (["hello"], "'hello' is neither a command nor a project file"),
])
def test_a_misspelt_command_is_an_error_not_the_app(argv, expected, home, tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, SESSION_CODER_HOME=str(home)))
    assert result.returncode == 1
    assert expected in one_line(result)


@pytest.mark.parametrize("argv, expected", [
    (["reliability"], "reliability: the following arguments are required: project "
                      "(see 'python main.py reliability --help')"),
    (["codings", "import"], "codings import: the following arguments are required: project, "
                            "file (see 'python main.py codings import --help')"),
    (["codebook", "frob", "x"], "codebook: argument ACTION: invalid choice: 'frob'"),
])
def test_a_usage_error_is_one_line_pointing_to_help(argv, expected, home, capsys):
    from coder.cli import main
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2                 # argparse's usage code, as documented
    err = capsys.readouterr().err
    assert "usage:" not in err
    assert len(err.strip().splitlines()) == 1 and expected in err, err


def test_the_app_still_opens_for_a_project_path_and_sample(project):
    from coder.cli import SUBCOMMANDS
    from coder.cli.launch import app_arguments_problem
    for argv in ([], ["--sample"], [str(project)], ["-platform", "offscreen", str(project)]):
        assert app_arguments_problem(argv, SUBCOMMANDS) is None, argv


def test_an_internal_error_is_one_line_naming_a_log_with_the_traceback(monkeypatch, capsys):
    import argparse

    from coder import cli

    def broken(args):
        raise ZeroDivisionError("a bug")

    def parser() -> argparse.ArgumentParser:
        p = argparse.ArgumentParser()
        p.add_subparsers().add_parser("boom").set_defaults(func=broken)
        return p
    monkeypatch.setattr(cli, "build_parser", parser)
    code = cli.main(["boom"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "internal error (ZeroDivisionError: a bug)" in err[0]
    log = Path(err[0].rsplit("details were written to ", 1)[1])
    assert log.parent == crashlog.log_dir()
    text = log.read_text()
    assert "Traceback" in text and "ZeroDivisionError: a bug" in text and "in broken" in text
    if os.name == "posix":
        assert log.stat().st_mode & 0o777 == 0o600


def test_crash_logs_are_pruned_to_the_newest(monkeypatch):
    monkeypatch.setattr(crashlog, "KEEP_LOGS", 3)
    written = []
    for i in range(6):
        try:
            raise RuntimeError(i)
        except RuntimeError as exc:
            written.append(crashlog.write_log(exc))
    assert sorted(crashlog.log_dir().glob("crash-*.log")) == written[-3:]


def test_a_damaged_database_error_is_bad_input_and_a_bug_is_internal():
    damaged = sqlite3.DatabaseError("database disk image is malformed")
    assert crashlog.classify(damaged).exit_code == 1
    assert crashlog.classify(ValueError("x")).exit_code == 2
    assert crashlog.classify(FileNotFoundError(2, "No such file", "a.csv")).message == \
        "cannot read or write a file: a.csv: No such file"
