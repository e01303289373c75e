"""Backups never eat good backups: a damaged project is not backed up, a new backup that fails
its check is deleted before any older one is rotated out, and each backup is a checked,
self-contained copy made with SQLite's online backup API."""

from __future__ import annotations

import sqlite3

import pytest

from coder.errors import ProjectError
from coder.project import Project
from coder.store import backup
from coder.store.backup import Verdict, backup_dir, list_backups, verify_backup
from tests.core.test_damaged_project import damage_a_table_page


@pytest.fixture
def project(tmp_path, monkeypatch):
    from tests.core.test_damaged_project import build
    path = tmp_path / "study.scproj"
    build(path)
    monkeypatch.setattr(backup, "BACKUP_INTERVAL_S", 0)
    stamps = iter(f"2099{m:02d}01-000000" for m in range(1, 13))   # after the real ones
    monkeypatch.setattr(backup, "_stamp", lambda: next(stamps))
    for _ in range(5):                              # five good backups
        Project.open(path).close()
    return path


def good_names(path):
    return sorted(i.path.name for i in list_backups(path) if i.verdict.ok)


def test_the_issue_scenario_opens_of_a_damaged_file_leave_the_good_backups(project):
    before = good_names(project)
    assert len(before) == 5
    damage_a_table_page(project)
    for _ in range(7):                              # the hourly backup used to rotate them out
        with pytest.raises(ProjectError, match="damaged"):
            Project.open(project)
        Project.open(project, allow_damaged=True).close()
    assert good_names(project) == before
    assert not [p for p in backup_dir(project).iterdir() if p.name.endswith(".part")]


def test_a_new_backup_that_fails_its_check_is_dropped_and_the_old_ones_kept(project,
                                                                          monkeypatch):
    before = sorted(p.name for p in backup_dir(project).iterdir())
    real = backup.verify_backup
    monkeypatch.setattr(backup, "verify_backup",
                        lambda p: Verdict(False, "damaged: simulated bad write")
                        if p.name.endswith(".part") else real(p))
    with Project.open(project) as opened:
        assert opened.last_backup is None
        assert "failed its check" in opened.backup_problem
        assert "older backups kept" in opened.backup_problem
    assert sorted(p.name for p in backup_dir(project).iterdir()) == before


def test_only_the_good_new_backup_lets_an_old_one_go(project):
    oldest = min(good_names(project))
    with Project.open(project) as opened:
        made = opened.last_backup
    assert made is not None and verify_backup(made).ok
    names = good_names(project)
    assert len(names) == 5 and made.name in names and oldest not in names


def test_a_backup_is_a_self_contained_copy(project):
    newest = list_backups(project)[0].path
    assert not (newest.parent / (newest.name + "-wal")).exists()
    con = sqlite3.connect(newest)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("SELECT count(*) FROM turn").fetchone()[0] == 422 + 127 + 99
    con.close()


def test_verdicts_say_what_is_wrong(tmp_path, project):
    foreign = tmp_path / "foreign.scproj"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    assert verify_backup(foreign).text.startswith("not a Session Coder project")
    text = tmp_path / "text.scproj"
    text.write_text("hello")
    assert verify_backup(text) == Verdict(False, "damaged: not a database file")
    assert verify_backup(project).ok
