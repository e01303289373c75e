"""Schema version 7 (issue 17): the two indexes that duplicated the UNIQUE constraints of
``turn`` and ``segment`` are gone from new and migrated projects, and the queries that read a
transcript's turns and units still search an index (the constraints' own)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from coder.project import Project
from coder.store.migrations import SCHEMA_VERSION, migrate, read_version

DUPLICATES = {"ix_turn_transcript", "ix_segment_transcript_kind"}


def _indexes(conn) -> set[str]:
    return {r[0] for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'index'"))}


def test_migrating_a_version_6_project_drops_the_duplicate_indexes(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        migrate(conn, 0, 6)
        # the two indexes as versions 1-6 made them (the tables no longer declare them)
        conn.execute(text("CREATE INDEX ix_segment_transcript_kind ON segment "
                          "(transcript_id, kind, position)"))
        conn.execute(text("CREATE INDEX ix_turn_transcript ON turn (transcript_id, position)"))
        assert DUPLICATES <= _indexes(conn)
        migrate(conn, 6)
        assert read_version(conn) == SCHEMA_VERSION == 7
        assert not DUPLICATES & _indexes(conn)
        for sql in ("SELECT max(position) FROM turn WHERE transcript_id = 1",
                    "SELECT id FROM turn WHERE transcript_id = 1 ORDER BY position",
                    "SELECT max(position) FROM segment WHERE transcript_id = 1 AND kind = 'turn'",
                    "SELECT id FROM segment WHERE transcript_id = 1 ORDER BY kind, position"):
            plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "USING" in plan and "autoindex" in plan, (sql, plan)
    engine.dispose()


def test_a_new_project_never_had_them(tmp_path, samples):
    path = tmp_path / "new.scproj"
    with Project.create(path) as project:
        project.importing.import_file(samples / "zoom_cloud_transcript.vtt")
        with project._store.read() as conn:
            assert not DUPLICATES & _indexes(conn)
            assert read_version(conn) == SCHEMA_VERSION
