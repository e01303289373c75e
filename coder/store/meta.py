"""Project settings (the key/value ``meta`` table) and the event log."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Connection, delete, insert, select, update

from .schema import event_log, meta


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def get(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    return default if value is None else value


def put(conn: Connection, key: str, value: str | None) -> None:
    """Set (or with None remove) one setting."""
    if value is None:
        conn.execute(delete(meta).where(meta.c.key == key))
    elif conn.execute(select(meta.c.key).where(meta.c.key == key)).first() is None:
        conn.execute(insert(meta).values(key=key, value=value))
    else:
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))


def log_event(conn: Connection, rater_id: int | None, kind: str, detail: str) -> int:
    return conn.execute(insert(event_log).values(at=now(), rater_id=rater_id, kind=kind,
                                                 detail=detail)).inserted_primary_key[0]


def drop_event(conn: Connection, event_id: int) -> None:
    conn.execute(delete(event_log).where(event_log.c.id == event_id))


def events(conn: Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(select(event_log).order_by(event_log.c.id))
            .mappings()]
