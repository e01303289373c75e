"""Writes and reads behind the supervisor's feedback: episode settings, dyads, measures."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Connection, delete, func, insert, select, update

from ..analytics.measures import Measure, MeasureValue
from . import meta as settings
from .schema import measure, measure_value, transcript


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def get_meta(conn: Connection, key: str) -> str | None:
    return settings.get(conn, key)


def put_meta(conn: Connection, key: str, value: str | None) -> None:
    settings.put(conn, key, value)


def get_dyad(conn: Connection, tid: int) -> str | None:
    return conn.execute(select(transcript.c.dyad).where(transcript.c.id == tid)).scalar()


def put_dyad(conn: Connection, tid: int, dyad: str | None) -> None:
    conn.execute(update(transcript).where(transcript.c.id == tid).values(dyad=dyad))


# -- measures --------------------------------------------------------------------------------
def measures(conn: Connection) -> list[Measure]:
    rows = conn.execute(select(measure).order_by(measure.c.position, measure.c.id)).mappings().all()
    names = {r["id"]: r["name"] for r in rows}
    return [Measure(r["name"], r["min"], r["max"], bool(r["higher_is_better"]),
                    names.get(r["parent_id"]), bool(r["is_alliance"])) for r in rows]


def measure_ids(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(measure.c.name, measure.c.id)).all())


def insert_measure(conn: Connection, m: Measure) -> int:
    ids = measure_ids(conn)
    position = (conn.execute(select(func.max(measure.c.position))).scalar() or 0) + 1
    return conn.execute(insert(measure).values(
        name=m.name, min=m.min, max=m.max, higher_is_better=int(m.higher_is_better),
        parent_id=ids.get(m.parent) if m.parent else None, position=position,
        is_alliance=int(m.alliance))).inserted_primary_key[0]


def delete_measure(conn: Connection, name: str) -> None:
    mid = measure_ids(conn).get(name)
    if mid is not None:
        conn.execute(delete(measure_value).where(measure_value.c.measure_id == mid))
        conn.execute(delete(measure).where(measure.c.parent_id == mid))
        conn.execute(delete(measure).where(measure.c.id == mid))


def values(conn: Connection, tid: int | None = None) -> list[MeasureValue]:
    query = (select(transcript.c.name, measure.c.name, measure_value.c.value)
             .join(transcript, transcript.c.id == measure_value.c.transcript_id)
             .join(measure, measure.c.id == measure_value.c.measure_id)
             .order_by(transcript.c.name, measure.c.position, measure.c.id))
    if tid is not None:
        query = query.where(measure_value.c.transcript_id == tid)
    return [MeasureValue(*r) for r in conn.execute(query)]


def get_value(conn: Connection, tid: int, mid: int) -> float | None:
    return conn.execute(select(measure_value.c.value).where(
        measure_value.c.transcript_id == tid, measure_value.c.measure_id == mid)).scalar()


def put_value(conn: Connection, tid: int, mid: int, value: float | None) -> None:
    conn.execute(delete(measure_value).where(measure_value.c.transcript_id == tid,
                                             measure_value.c.measure_id == mid))
    if value is not None:
        conn.execute(insert(measure_value).values(transcript_id=tid, measure_id=mid,
                                                  value=value, entered_at=_now()))
