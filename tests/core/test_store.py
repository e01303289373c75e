"""Project file: creation, round trip, migrations with backup, refusal of foreign files, lock."""

import hashlib
import os
import sqlite3

import pytest
from sqlalchemy import Column, Integer, Table

from coder.errors import ProjectError, ProjectLockedError
from coder.importers.pipeline import PreparedImport
from coder.model import ImportOptions, ParsedTranscript, ParsedTurn, SegmentationOptions
from coder.segmentation import segment
from coder.project import Project
from coder.importers.commands import DuplicateTranscriptError
from coder.store import migrations, schema
from coder.store.lock import ProjectLock

TURNS = (
    ParsedTurn("Dr. Ana Ruiz", "How has the week been? [NAME] said you called.", 1240, 4810),
    ParsedTurn("Client J.", "Rough. Café visits helped 🙂 a bit.", 5390, 10150),
    ParsedTurn("", "Mostly the argument, I guess.", 16480, 18200),
    ParsedTurn("Dr. Ana Ruiz", "Say more?", 400_000, 401_000),
)


def prepared(name="s.vtt", turns=TURNS, unit="turn", content=b"one"):
    parsed = ParsedTranscript(name, "vtt", "utf-8", turns, ("1 cue had no speaker name",))
    seg = SegmentationOptions(unit=unit)
    return PreparedImport(parsed, hashlib.sha256(content).hexdigest(),
                          tuple(segment(turns, seg)), ImportOptions(), seg, unit)


def test_round_trip_keeps_turns_roles_and_units(tmp_path):
    path = tmp_path / "p.scproj"
    with Project.create(path, name="Study A") as project:
        result = project.importing.store(prepared(), roles={"": "client"})
    with Project.open(path, readonly=True) as project:
        assert project.name == "Study A"
        [info] = project.transcripts.list()
        assert info == result.transcript
        assert (info.name, info.turns, info.speakers, info.duration_ms, info.segments) == (
            "s.vtt", 4, ("Dr. Ana Ruiz", "Client J."), 401_000 - 1240, 4)   # first start to last end
        assert info.window_minutes == 5.0
        turns = project.transcripts.turns(info.id)
        assert [(t.speaker, t.role, t.text, t.start_ms, t.end_ms) for t in turns] == [
            ("Dr. Ana Ruiz", "therapist", TURNS[0].text, 1240, 4810),
            ("Client J.", "client", TURNS[1].text, 5390, 10150),
            ("", "client", TURNS[2].text, 16480, 18200),
            ("Dr. Ana Ruiz", "therapist", "Say more?", 400_000, 401_000)]
        windows = project.transcripts.segments(info.id, "window")
        assert [(w.start_ms, w.end_ms, w.first_turn, w.last_turn) for w in windows] == [
            (0, 300_000, 1, 3), (300_000, 401_000, 4, 4)]
        assert windows[0].text.startswith("Dr. Ana Ruiz: How has the week been?")
    assert result.warnings == ("1 cue had no speaker name",)


def test_segment_ids_are_stable_and_never_reused(tmp_path):
    with Project.create(tmp_path / "p.scproj") as project:
        first = project.importing.store(prepared()).transcript
        ids = [s.id for s in project.transcripts.segments(first.id, "turn")]
        project.transcripts.remove(first.id)
        second = project.importing.store(prepared(content=b"two")).transcript
        new_ids = [s.id for s in project.transcripts.segments(second.id, "turn")]
    assert not set(ids) & set(new_ids)


def test_same_file_twice_is_refused_and_replace_is_explicit(tmp_path):
    with Project.create(tmp_path / "p.scproj") as project:
        project.importing.store(prepared())
        with pytest.raises(DuplicateTranscriptError, match="already imported"):
            project.importing.store(prepared())
        with pytest.raises(DuplicateTranscriptError, match="different transcript of that name"):
            project.importing.store(prepared(content=b"changed"))
        project.importing.store(prepared(turns=TURNS[:2], content=b"changed"), replace=True)
        [info] = project.transcripts.list()
        assert info.turns == 2


def test_failed_store_leaves_nothing_half_written(tmp_path):
    with Project.create(tmp_path / "p.scproj") as project:
        with pytest.raises(Exception, match="unknown role"):
            project.importing.store(prepared(), roles={"Client J.": "patient!"})
        bad = prepared()
        # A unit that points at a turn that does not exist fails inside the transaction.
        broken = PreparedImport(bad.parsed, bad.sha256, bad.units + (bad.units[0].__class__(
            "turn", 99, 0, 1, None, None),), bad.import_options, bad.segmentation, "turn")
        with pytest.raises(IndexError):
            project.importing.store(broken)
        assert project.transcripts.list() == []


def test_file_settings_are_sqlite_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "p.scproj"
    Project.create(path).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
        migrations.SCHEMA_VERSION)


def test_forward_migration_backs_up_first(tmp_path, monkeypatch):
    path = tmp_path / "p.scproj"
    with Project.create(path) as project:
        project.importing.store(prepared())
    new_version = migrations.SCHEMA_VERSION + 1
    extra = Table("future_table", schema.metadata, Column("id", Integer, primary_key=True))
    try:
        monkeypatch.setitem(schema.TABLES_BY_VERSION, new_version, [extra])
        monkeypatch.setattr(migrations, "SCHEMA_VERSION", new_version)
        monkeypatch.setattr("coder.store.database.SCHEMA_VERSION", new_version)
        with Project.open(path) as project:
            assert project.transcripts.list()[0].turns == 4
        backups = list(tmp_path.glob("p.schema*.scproj.bak"))
        assert len(backups) == 1
        con = sqlite3.connect(path)
        assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] \
            == str(new_version)
        assert con.execute("SELECT count(*) FROM future_table").fetchone()[0] == 0
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] \
            == str(new_version - 1)
        assert old.execute("SELECT count(*) FROM turn").fetchone()[0] == 4
    finally:
        schema.metadata.remove(extra)


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "p.scproj"
    Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="newer Session Coder"):
        Project.open(path)
    assert not (tmp_path / "p.scproj.lock").exists()


@pytest.mark.parametrize("content", [b"hello, not a database at all", b"SQLite format 3\x00" + b"\x00" * 200])
def test_foreign_files_are_refused(tmp_path, content):
    path = tmp_path / "x.scproj"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match="not a Session Coder project|cannot be read"):
        Project.open(path)


def test_other_sqlite_database_is_not_a_project(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="not a Session Coder project"):
        Project.open(path)


def test_create_refuses_existing_file(tmp_path):
    path = tmp_path / "p.scproj"
    path.write_text("keep me")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)
    assert path.read_text() == "keep me"


def test_second_writer_is_refused_but_readers_are_not(tmp_path):
    path = tmp_path / "p.scproj"
    with Project.create(path):
        with pytest.raises(ProjectLockedError, match="open for writing in another"):
            Project.open(path)
        with Project.open(path, readonly=True) as reader:
            assert reader.transcripts.list() == []
        with pytest.raises(ProjectError, match="read-only"):
            reader_again = Project.open(path, readonly=True)
            try:
                reader_again.importing.store(prepared())
            finally:
                reader_again.close()
    with Project.open(path):      # released on close
        pass


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    path = tmp_path / "p.scproj"
    Project.create(path).close()
    lock = ProjectLock(path)
    import json
    import socket
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)        # a process id that is certainly gone now
    lock.path.write_text(json.dumps({"host": socket.gethostname(), "pid": pid, "since": "x"}))
    with Project.open(path):
        pass


def test_old_lock_from_another_host_is_stale(tmp_path):
    path = tmp_path / "p.scproj"
    Project.create(path).close()
    lock = ProjectLock(path)
    lock.path.write_text('{"host": "elsewhere", "pid": 1, "since": "x"}')
    with pytest.raises(ProjectLockedError):
        Project.open(path)
    old = os.path.getmtime(lock.path) - 3600
    os.utime(lock.path, (old, old))
    with Project.open(path):
        pass


def test_rotating_backups_on_open(tmp_path, monkeypatch):
    path = tmp_path / "p.scproj"
    with Project.create(path) as project:
        project.importing.store(prepared())
    with Project.open(path) as project:
        first = project.last_backup
    assert first is not None and first.parent == tmp_path / "p.backups"
    con = sqlite3.connect(first)
    assert con.execute("SELECT count(*) FROM turn").fetchone()[0] == 4
    con.close()
    with Project.open(path) as project:       # within the hour: no new copy
        assert project.last_backup is None
    # With the interval shortened, each open makes one and only the newest five stay.
    from coder.store import backup
    monkeypatch.setattr(backup, "BACKUP_INTERVAL_S", 0)
    stamps = iter(f"2026010{i}-000000" for i in range(1, 9))
    monkeypatch.setattr(backup, "_stamp", lambda: next(stamps))
    for _ in range(7):
        with Project.open(path) as project:
            pass
    kept = sorted(p.name for p in (tmp_path / "p.backups").iterdir())
    # names date the backups: the seven made now are dated January, the first one today
    assert kept == [f"p-2026010{i}-000000.scproj" for i in range(4, 8)] + [first.name]
