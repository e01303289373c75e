"""Large project files skip the open-time check when their verified mark vouches for them
(`coder/store/verified.py`, issue 17): the mark is written after a check passed and after a
clean close, a file changed in any way runs the check again, damage is still refused with
the same one line, and a mark never lets backups be rotated.

"Large" is `FULL_CHECK_ON_OPEN_BYTES`; the tests set it to 0 so that the small coded project
of test_damaged_project counts as large. The marks live under ``$SESSION_CODER_HOME/data``,
which tests/conftest.py points at a temporary folder for every test."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from coder.cli import main as cli
from coder.errors import DamagedProjectError
from coder.project import Project
from coder.store import database, integrity, verified
from tests.core.test_damaged_project import build, damage_a_table_page


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("built") / "study.scproj"
    build(path)
    return path


@pytest.fixture
def large(built, tmp_path, monkeypatch):
    """A copy of the coded project, counted as large; check_on_open calls are counted."""
    path = tmp_path / built.name
    shutil.copyfile(built, path)
    monkeypatch.setattr(integrity, "FULL_CHECK_ON_OPEN_BYTES", 0)
    calls = []
    real = database.check_on_open

    def counted(p, **kw):
        calls.append(Path(p))
        return real(p, **kw)
    monkeypatch.setattr(database, "check_on_open", counted)
    return path, calls


def _why(path: Path) -> str:
    return json.loads(verified.mark_path(path).read_text())["why"]


def test_marks_live_in_the_isolated_data_folder(large):
    path, _ = large
    home = Path(os.environ["SESSION_CODER_HOME"])
    assert verified.mark_path(path).is_relative_to(home / "data" / "verified")


def test_the_mark_is_written_after_a_check_and_after_a_clean_close(large):
    path, calls = large
    assert verified.read_mark(path) is None
    project = Project.open(path, backup=False)
    assert project._store.verified_by == "checked" and len(calls) == 1
    assert _why(path) == "check passed"
    project.raters.add("Zoe New")                        # a write: the file changes
    project.close()
    assert _why(path) == "clean close"
    assert verified.read_mark(path) == verified.identity(path)
    assert not Path(str(path) + "-wal").exists()         # the close checkpointed


def test_an_identical_file_skips_the_check(large):
    path, calls = large
    Project.open(path, backup=False).close()
    assert len(calls) == 1
    for _ in range(2):
        with Project.open(path, backup=False) as project:
            assert project._store.verified_by == "mark"
            assert "Zoe" not in [r.name for r in project.raters.list()]
        with Project.open(path, readonly=True) as project:
            assert project._store.verified_by == "mark"
    assert cli(["transcripts", str(path)]) == 0          # the CLI uses the same mark
    assert len(calls) == 1


def test_small_files_are_checked_on_every_open_and_get_no_mark(built, tmp_path, monkeypatch):
    path = tmp_path / built.name
    shutil.copyfile(built, path)
    calls = []
    real = database.check_on_open
    monkeypatch.setattr(database, "check_on_open",
                        lambda p, **kw: calls.append(p) or real(p, **kw))
    for _ in range(3):
        Project.open(path, backup=False).close()
    assert len(calls) == 3 and verified.read_mark(path) is None


def _damage_message_without_a_mark(path: Path) -> str:
    verified.forget(path)
    with pytest.raises(DamagedProjectError) as err:
        Project.open(path, backup=False)
    return str(err.value)


def test_a_byte_written_into_the_file_invalidates_the_mark(large, capsys):
    path, calls = large
    Project.open(path, backup=False).close()
    mark = verified.read_mark(path)
    damage_a_table_page(path)
    assert verified.identity(path) != mark
    with pytest.raises(DamagedProjectError) as err:
        Project.open(path, backup=False)
    assert len(calls) == 2                               # the check ran again
    assert verified.read_mark(path) is None              # and the mark is gone
    assert str(err.value) == _damage_message_without_a_mark(path)
    assert "\n" not in str(err.value)
    capsys.readouterr()
    assert cli(["transcripts", str(path)]) == 1          # the CLI: the same one line
    assert capsys.readouterr().err.strip() == f"error: {err.value}"


def test_a_forged_mtime_still_changes_the_identity(large):
    path, calls = large
    Project.open(path, backup=False).close()
    mark = verified.read_mark(path)
    before = os.stat(path)
    damage_a_table_page(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))    # put the time back
    now = verified.identity(path)
    assert (now.size, now.mtime_ns) == (mark.size, mark.mtime_ns)
    assert now.ctime_ns != mark.ctime_ns                 # the kernel moved ctime
    with pytest.raises(DamagedProjectError):
        Project.open(path, backup=False)
    assert len(calls) == 2


def _damaged_under_its_mark(path: Path) -> None:
    """The documented limit: damage that no write through the file system made (a bad
    sector, bit rot) leaves the identity as it was. Simulated by writing the mark again for
    the damaged file."""
    damage_a_table_page(path)
    assert verified.remember(path, "clean close")


def test_damage_under_an_intact_identity_is_the_limit(large):
    path, calls = large
    Project.open(path, backup=False).close()
    _damaged_under_its_mark(path)
    with Project.open(path, backup=False) as project:    # no check ran: the limit
        assert project._store.verified_by == "mark"
        report = integrity.full_check(path)              # what the app runs next
        assert not report.ok
        project.mark_damaged("found by the background check")
        assert verified.read_mark(path) is None          # forgotten at once
    assert verified.read_mark(path) is None              # and not written at close
    with pytest.raises(DamagedProjectError):
        Project.open(path, backup=False)
    assert len(calls) == 2


def test_a_mark_never_lets_backups_be_rotated(large):
    """The bug this guards against: a damaged file eating the good backups. With only a mark
    to vouch for the file, `rotate_backups` checks the source itself before copying."""
    path, calls = large
    with Project.open(path, backup=False) as project:
        good = project._store.rotate_backups(min_interval_s=0)
    _damaged_under_its_mark(path)
    os.utime(good, (0, 0))                               # the backup is old: rotation due
    with Project.open(path, backup=True) as project:
        assert project._store.verified_by == "mark"
        assert project.last_backup is None
        assert "failed its integrity check" in project.backup_problem
    assert [p.name for p in good.parent.iterdir()] == [good.name]   # the good one stays
    assert integrity.check_file(good).ok


def test_a_checked_open_still_rotates_without_checking_twice(large, monkeypatch):
    from coder.store import backup
    path, _ = large
    sources = []
    real = backup._check_source
    monkeypatch.setattr(backup, "_check_source", lambda c, p: sources.append(p) or real(c, p))
    with Project.open(path) as project:                  # no mark: the open checks
        assert project._store.verified_by == "checked" and project.last_backup is not None
    assert sources == []
    for old in project.last_backup.parent.iterdir():
        os.utime(old, (0, 0))
    with Project.open(path) as project:                  # the mark: rotation checks
        assert project._store.verified_by == "mark" and project.last_backup is not None
    assert sources == [path]


def test_a_mark_for_another_file_at_the_same_path_does_not_count(large, tmp_path):
    path, calls = large
    Project.open(path, backup=False).close()
    other = tmp_path / "other.scproj"
    shutil.copyfile(path, other)
    os.replace(other, path)                              # same bytes, new inode and times
    Project.open(path, backup=False).close()
    assert len(calls) == 2


def test_an_unreadable_mark_means_the_check_runs(large):
    path, calls = large
    Project.open(path, backup=False).close()
    verified.mark_path(path).write_text("{not json")
    with Project.open(path, backup=False) as project:
        assert project._store.verified_by == "checked"
    assert len(calls) == 2 and _why(path) == "clean close"
