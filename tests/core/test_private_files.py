"""Files that hold transcript text or codings are owner-only (0600) whatever the umask; other
files follow the umask and are never made more open than it allows. Every atomic rename is
followed by an fsync of its folder."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from coder.atomic import write_atomic
from coder.codebook.files import load_codebook, save_codebook
from coder.codebook.shipped import default_codebook_path
from coder.store.backup import backup_dir, restore_backup
from tests.core.test_export import code_project, write_evil_srt
from tests.core.test_project_reliability_data import new_project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


@pytest.fixture(params=[0o022, 0o077, 0o000])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_project_wal_shm_backups_exports_are_private(tmp_path, umask):
    project = new_project(tmp_path)       # tmp_path / "p.scproj"
    path = project.path
    try:
        project.importing.import_file(write_evil_srt(tmp_path))
        code_project(project)
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            assert side.exists() and mode(side) == 0o600, suffix
        backup = project._store.rotate_backups(min_interval_s=0)
        assert mode(backup) == 0o600
        assert mode(backup_dir(path)) & 0o077 == 0
        csv_dir = tmp_path / "csv"
        csv_dir.mkdir()
        project.exports.workbook(tmp_path / "out.xlsx", csv_dir=csv_dir)
        written = [tmp_path / "out.xlsx", *(p for p in csv_dir.iterdir()
                                             if p.name != "analysis.R")]
        assert mode(csv_dir / "analysis.R") == 0o666 & ~umask    # a script: no client data
        assert len(written) > 1
        project.codings.export_csv(tmp_path / "codings.csv")
        written.append(tmp_path / "codings.csv")
        assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
    finally:
        project.close()
    restored = restore_backup(path, backup)
    assert mode(path) == 0o600 and mode(restored.kept) == 0o600


def test_a_private_file_replacing_an_open_one_is_private(tmp_path, umask):
    target = tmp_path / "codings.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_atomic(target, b"new")
    assert mode(target) == 0o600


def test_codebooks_follow_the_umask(tmp_path, umask):
    book = load_codebook(default_codebook_path())
    target = tmp_path / "book.yaml"
    save_codebook(book, target)
    assert mode(target) == 0o666 & ~umask
    target.chmod(0o640)                     # the user closed it: a rewrite keeps it closed
    save_codebook(book, target)
    assert mode(target) == 0o640 & ~umask


def test_a_codebook_replacing_a_more_open_file_gets_no_more_than_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        target = tmp_path / "book.yaml"
        target.write_text("x")
        target.chmod(0o644)
        save_codebook(load_codebook(default_codebook_path()), target)
        assert mode(target) == 0o600
    finally:
        os.umask(old)


@pytest.fixture
def fsynced(monkeypatch):
    """Record which paths are fsync'ed, and whether each was a folder."""
    seen: list[tuple[str, bool]] = []
    real = os.fsync

    def spy(fd):
        st = os.fstat(fd)
        seen.append((os.readlink(f"/proc/self/fd/{fd}"), stat.S_ISDIR(st.st_mode)))
        return real(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name file descriptors")
    monkeypatch.setattr(os, "fsync", spy)
    return seen


def test_atomic_writes_flush_their_folder(tmp_path, fsynced):
    write_atomic(tmp_path / "a.csv", b"x")
    save_codebook(load_codebook(default_codebook_path()), tmp_path / "b.yaml")
    folders = [p for p, is_dir in fsynced if is_dir]
    assert folders.count(str(tmp_path)) == 2


def test_exports_and_backups_flush_their_folder(tmp_path, fsynced):
    with new_project(tmp_path) as project:
        path = project.path
        project.importing.import_file(write_evil_srt(tmp_path))
        code_project(project)
        fsynced.clear()
        project.exports.workbook(tmp_path / "out.xlsx")
        assert (str(tmp_path), True) in fsynced
        fsynced.clear()
        backup = project._store.rotate_backups(min_interval_s=0)
        assert (str(backup_dir(path)), True) in fsynced
        assert (str(backup), False) in fsynced or any(
            p.startswith(str(backup_dir(path) / ".")) for p, d in fsynced if not d)


@pytest.mark.parametrize("ext", [".sav", ".dta"])
def test_spss_and_stata_files_are_private(tmp_path, ext, fsynced):
    pytest.importorskip("pyreadstat")
    import coder
    from coder.export.stats_files import write_stats_files
    project = new_project(tmp_path)
    project.importing.import_file(write_evil_srt(tmp_path))
    code_project(project)
    path = project.path
    project.close()
    old = os.umask(0o022)
    try:
        with coder.open_project(path) as study:
            written = write_stats_files(study, tmp_path / f"study{ext}")
    finally:
        os.umask(old)
    assert written and {mode(p) for p in written} == {0o600}
    assert not list(tmp_path.glob(".*.tmp"))
    assert (str(tmp_path), True) in fsynced
