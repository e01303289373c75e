"""A project with one damaged page: every open says so in one line (never a traceback),
refuses writes, is never backed up, and a good backup can be listed and restored.

The damage is real: a coded project is built with the CLI, then the cell pointers of a leaf
page of the `turn` table in the middle of the file are overwritten (the file header and the
schema page are left intact, as after a bad sector or a torn write)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coder.cli import main as cli
from coder.errors import DamagedProjectError, ProjectError
from coder.project import Project
from coder.store.backup import backup_dir
from coder.store.integrity import check_file
from tests.conftest import ROOT

SAMPLE_DIR = ROOT / "sample_transcripts"
CODINGS = ROOT / "tests" / "data" / "golden" / "codings.csv"


def build(path: Path) -> None:
    assert cli(["new", str(path)]) == 0
    assert cli(["import", str(path), str(SAMPLE_DIR / "session01_full_length.vtt"),
                str(SAMPLE_DIR / "session03_tc_labels.txt"),
                str(SAMPLE_DIR / "session04_roles.srt")]) == 0
    assert cli(["codings", "import", str(path), str(CODINGS), "--complete"]) == 0


def damage_a_table_page(path: Path) -> int:
    """Overwrite the cell pointer array of a middle leaf page of `turn`; return its number."""
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in con.execute(
        "SELECT pageno FROM dbstat WHERE name = 'turn' AND pagetype = 'leaf' ORDER BY pageno")]
    con.close()
    assert len(pages) >= 3, "the sample project should span several pages"
    page = pages[len(pages) // 2]
    for suffix in ("-wal", "-shm"):
        assert not Path(str(path) + suffix).exists()     # every page is in the main file
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * page_size + 8)              # past the 8-byte leaf header
        fh.write(b"\xff\xee" * 64)
    return page


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """A coded project with one good backup made after the codings."""
    folder = tmp_path_factory.mktemp("coded")
    path = folder / "study.scproj"
    build(path)
    with Project.open(path, backup=False) as project:
        good = project._store.rotate_backups(min_interval_s=0)
        turns = project.transcripts.list()
    return path, good, turns


@pytest.fixture
def damaged(coded, tmp_path):
    """A copy of the coded project (with its backups), damaged."""
    src, good, _ = coded
    path = tmp_path / src.name
    path.write_bytes(src.read_bytes())
    (tmp_path / good.parent.name).mkdir()
    (tmp_path / good.parent.name / good.name).write_bytes(good.read_bytes())
    damage_a_table_page(path)
    return path


def test_the_damage_is_real(damaged):
    report = check_file(damaged)
    assert not report.ok and report.problems


@pytest.mark.parametrize("argv", [
    ["transcripts", "{p}"], ["show", "{p}", "session01_full_length.vtt"],
    ["export", "{p}", "{out}"], ["reliability", "{p}"], ["codings", "export", "{p}", "{csv}"],
    ["import", "{p}", str(SAMPLE_DIR / "session02_teams.docx")],
])
def test_every_command_says_one_line_and_writes_nothing(damaged, argv, capsys, tmp_path):
    before = damaged.read_bytes()
    out, csv = tmp_path / "out.xlsx", tmp_path / "codings.csv"
    args = [a.format(p=damaged, out=out, csv=csv) for a in argv]
    assert cli(args) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "damaged" in lines[0] and "python main.py restore" in lines[0]
    assert "Traceback" not in captured.err + captured.out
    assert damaged.read_bytes() == before
    assert not out.exists() and not csv.exists()


def test_the_real_program_prints_no_traceback(damaged):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "reliability", str(damaged)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"restore {damaged} --list" in result.stderr


def test_the_api_opens_it_read_only_and_refuses_writes(damaged):
    with pytest.raises(DamagedProjectError):
        Project.open(damaged)
    project = Project.open(damaged, allow_damaged=True)
    try:
        assert project.readonly and "damaged" in project.damage
        assert not damaged.with_name(damaged.name + ".lock").exists()   # no lock taken
        with pytest.raises(ProjectError, match="damaged"):
            project.transcripts.remove(1)
    finally:
        project.close()


def test_a_damaged_project_is_never_backed_up(damaged):
    folder = backup_dir(damaged)
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(DamagedProjectError):
        Project.open(damaged)                     # no backup on a refused open
    project = Project.open(damaged, allow_damaged=True)
    try:
        with pytest.raises(ProjectError, match="integrity check"):
            project._store.rotate_backups(min_interval_s=0)
    finally:
        project.close()
    assert sorted(p.name for p in folder.iterdir()) == before


def test_list_and_restore(damaged, coded, capsys):
    _, good, turns = coded
    # a damaged backup beside the good one: listed as such, never offered
    bad = backup_dir(damaged) / "study-20200101-000000.scproj"
    bad.write_bytes(damaged.read_bytes())
    os.utime(bad, (1, 1))
    assert cli(["restore", str(damaged), "--list", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)["backups"]
    verdicts = {b["name"]: (b["ok"], b["verdict"]) for b in listing}
    assert verdicts[good.name] == (True, "ok")
    assert verdicts[bad.name][0] is False and verdicts[bad.name][1].startswith("damaged")
    assert all({"path", "taken", "size", "kind"} <= set(b) for b in listing)

    assert cli(["restore", str(damaged), "--list"]) == 0
    text = capsys.readouterr().out
    assert f"--from {good.name}" in text and "damaged:" in text

    assert cli(["restore", str(damaged), "--from", bad.name]) == 1
    assert "cannot be restored" in capsys.readouterr().err

    damaged_bytes = damaged.read_bytes()
    assert cli(["restore", str(damaged), "--from", good.name]) == 0
    said = capsys.readouterr().out
    kept = [p for p in damaged.parent.iterdir() if ".replaced-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes   # kept, not deleted
    assert kept[0].name in said
    assert check_file(damaged).ok
    with Project.open(damaged) as project:
        assert project.transcripts.list() == turns


def test_restore_refuses_while_the_project_is_open_for_writing(coded, tmp_path, capsys):
    src, good, _ = coded
    path = tmp_path / src.name
    path.write_bytes(src.read_bytes())
    with Project.open(path, backup=False):
        assert cli(["restore", str(path), "--from", str(good)]) == 1
        assert "open for writing" in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if ".replaced-" in p.name]


def test_restore_moves_wal_and_shm_with_the_replaced_file(coded, tmp_path):
    from coder.store.backup import restore_backup
    src, good, _ = coded
    path = tmp_path / src.name
    path.write_bytes(src.read_bytes())
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).write_bytes(b"left by a crash")
    result = restore_backup(path, good)
    for suffix in ("-wal", "-shm"):
        assert not Path(str(path) + suffix).exists()
        assert Path(str(result.kept) + suffix).read_bytes() == b"left by a crash"
    with Project.open(path, backup=False) as project:   # no stale WAL applied
        assert project.transcripts.list() == coded[2]
    assert good.exists()                                        # a restore copies, never moves


def damage_an_index(path: Path) -> None:
    """Make an index disagree with its table: quick_check passes, integrity_check does not."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_coding_transcript ON coding "
                "(rater_id, transcript_id)' WHERE name = 'ix_coding_transcript'")
    con.commit()
    con.close()


@pytest.fixture
def bad_index(coded, tmp_path):
    path = tmp_path / coded[0].name
    path.write_bytes(coded[0].read_bytes())
    damage_an_index(path)
    return path


def test_small_files_get_the_full_check_on_open(bad_index):
    assert check_file(bad_index).ok                      # the quick check misses it
    with pytest.raises(DamagedProjectError, match="ix_coding_transcript"):
        Project.open(bad_index, readonly=True)


def test_the_background_full_check_finds_it_and_can_be_cancelled(bad_index):
    from coder.jobs import Cancelled
    from coder.store.integrity import full_check
    ticks = []
    report = full_check(bad_index, progress=lambda done, total: ticks.append(done))
    assert not report.ok and report.full and "ix_coding_transcript" in report.summary()
    assert ticks                                         # it said it was alive
    with pytest.raises(Cancelled):
        full_check(bad_index, cancel=lambda: True)


def test_large_files_open_after_the_quick_check(bad_index, monkeypatch):
    from coder.store import integrity
    monkeypatch.setattr(integrity, "FULL_CHECK_ON_OPEN_BYTES", 0)
    assert integrity.needs_background_check(bad_index)
    with Project.open(bad_index, backup=False) as project:
        assert project.damage is None
        project.mark_damaged("found by the background check")
        with pytest.raises(ProjectError, match="background check"):
            project.transcripts.remove(1)


def test_the_background_check_then_backs_up_a_good_file_only(coded, bad_index, tmp_path):
    """A large file's open leaves check and backup to one background job: a good file gets
    a verified backup (made from its own read connection while the project is open for
    writing), the next run within the hour none; a file that fails the full check none."""
    from coder.store.backup import _hourly, check_then_back_up, verify_backup
    src, good, _ = coded
    path = tmp_path / "good" / src.name
    path.parent.mkdir()
    path.write_bytes(src.read_bytes())
    with Project.open(path, backup=False) as project:     # the app's writable open
        project.transcripts.list()
        first = check_then_back_up(path)
        assert first.report.ok and first.problem is None
        assert first.backup is not None and verify_backup(first.backup).ok
        assert _hourly(path) == [first.backup]
        again = check_then_back_up(path)
        assert again.report.ok and again.backup is None   # one an hour
    kept = sorted(p.name for p in backup_dir(bad_index).iterdir()) \
        if backup_dir(bad_index).exists() else []
    bad = check_then_back_up(bad_index)
    assert not bad.report.ok and bad.backup is None
    assert "ix_coding_transcript" in bad.report.summary()
    now = sorted(p.name for p in backup_dir(bad_index).iterdir()) \
        if backup_dir(bad_index).exists() else []
    assert now == kept                                    # nothing made, nothing rotated
