"""Forward migrations. A migration to version N creates the tables version N introduced and
runs any extra steps; the file is copied aside before an existing project is migrated."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import Connection, inspect, insert, select, text, update

from ..errors import ProjectError
from .schema import TABLES_BY_VERSION, meta

SCHEMA_VERSION = max(TABLES_BY_VERSION)


def _project_uuid(conn: Connection) -> None:
    """Version 3: a stable project id, so rater packages can prove where they belong."""
    if conn.execute(select(meta.c.key).where(meta.c.key == "project_uuid")).first() is None:
        conn.execute(insert(meta).values(key="project_uuid", value=str(uuid.uuid4())))


def _add_dyad(conn: Connection) -> None:
    """Version 4: the transcript's therapist / dyad label (new files get it with the table)."""
    if "dyad" not in {c["name"] for c in inspect(conn).get_columns("transcript")}:
        conn.execute(text("ALTER TABLE transcript ADD COLUMN dyad VARCHAR(255)"))


def _snapshot_cache_triggers(conn: Connection) -> None:
    """Version 6: triggers that delete a transcript's cached snapshot arrays whenever its
    codings, completions or units change (SQLite; see `snapshot_cache`)."""
    from .snapshot_cache import create_triggers
    create_triggers(conn)


def _drop_duplicate_indexes(conn: Connection) -> None:
    """Version 7: ``ix_turn_transcript`` and ``ix_segment_transcript_kind`` had the same
    columns as the UNIQUE constraints of ``turn`` and ``segment``, whose own indexes serve
    every query: two indexes kept current for one. Dropping them makes storing a transcript
    ~15 % cheaper and the file smaller (issue 17, bench/README.md)."""
    for name in ("ix_turn_transcript", "ix_segment_transcript_kind"):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


#: Extra steps per version beyond creating its tables (ALTERs, data moves).
EXTRA_STEPS: dict[int, Callable[[Connection], None]] = {3: _project_uuid, 4: _add_dyad,
                                                    6: _snapshot_cache_triggers,
                                                    7: _drop_duplicate_indexes}


def read_version(conn: Connection) -> int:
    """Schema version of an open project; 0 for an empty database."""
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if value is None:
        return 0
    try:
        version = int(str(value).strip())
    except ValueError:
        version = -1
    if version < 0:
        raise ProjectError(f"the project's schema version {str(value)[:40]!r} is not a "
                           "version number: the file was changed by another program or is "
                           "damaged; restore it from a backup")
    return version


def migrate(conn: Connection, current: int, target: int | None = None) -> None:
    """Bring the schema from `current` to `target` (default: the newest), one version at a
    time, inside the caller's transaction."""
    target = SCHEMA_VERSION if target is None else target
    for version in range(current + 1, target + 1):
        for table in TABLES_BY_VERSION.get(version, []):
            table.create(conn, checkfirst=True)
        step = EXTRA_STEPS.get(version)
        if step is not None:
            step(conn)
        if version == 1:
            conn.execute(insert(meta).values(key="schema_version", value="1"))
        else:
            conn.execute(update(meta).where(meta.c.key == "schema_version")
                         .values(value=str(version)))
