"""Coding rows: the few operations codebook commands need (move, delete, restore).

Issue 4's coding commands build on the same table.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select, update

from .schema import code, coding


def code_key_id(conn: Connection, key: str) -> int | None:
    return conn.execute(select(code.c.id).where(code.c.key == key)).scalar()


def count_for_code(conn: Connection, key: str) -> int:
    cid = code_key_id(conn, key)
    if cid is None:
        return 0
    return conn.execute(select(func.count()).select_from(coding)
                        .where(coding.c.code_id == cid)).scalar_one()


def rows_for_code(conn: Connection, key: str) -> list[dict]:
    cid = code_key_id(conn, key)
    if cid is None:
        return []
    return [dict(r) for r in conn.execute(select(coding).where(coding.c.code_id == cid)
                                          .order_by(coding.c.id)).mappings()]


def delete_ids(conn: Connection, ids: list[int]) -> None:
    for i in range(0, len(ids), 500):
        conn.execute(delete(coding).where(coding.c.id.in_(ids[i:i + 500])))


def restore_rows(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(insert(coding), rows)


def set_code(conn: Connection, ids: list[int], key: str) -> None:
    cid = code_key_id(conn, key)
    for i in range(0, len(ids), 500):
        conn.execute(update(coding).where(coding.c.id.in_(ids[i:i + 500])).values(code_id=cid))


def segments_of_rows(rows: list[dict]) -> frozenset[int]:
    return frozenset(r["segment_id"] for r in rows if r["segment_id"] is not None)
