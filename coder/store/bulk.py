"""Many rows into one table, fast and still portable.

SQLAlchemy's executemany builds a parameter dict per row through the compiler (about 3 µs a
row, most of an import's store time). Here the INSERT is compiled once for the connection's
dialect and the driver's executemany gets plain tuples (or dicts for named paramstyles).
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, bindparam, insert


def bulk_insert(conn: Connection, table: Table, columns: tuple[str, ...],
                rows: list[tuple]) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table`."""
    if not rows:
        return
    sql, positional, order = _compiled(conn.dialect, table, columns)
    if positional:
        params = rows if order is None else [tuple(r[i] for i in order) for r in rows]
    else:
        params = [dict(zip(columns, r)) for r in rows]
    conn.exec_driver_sql(sql, params)


_COMPILED: dict[tuple, tuple[str, bool, list[int] | None]] = {}


def _compiled(dialect, table: Table, columns: tuple[str, ...]):
    """The INSERT's SQL for this dialect, whether its parameters are positional and in what
    order of ``columns`` (None: as given); compiled once per dialect, table and columns."""
    key = (type(dialect), dialect.paramstyle, table, columns)
    found = _COMPILED.get(key)
    if found is None:
        compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(
            dialect=dialect)
        order = None
        if compiled.positional:
            index = {c: i for i, c in enumerate(columns)}
            order = [index[name] for name in compiled.positiontup]
            if order == list(range(len(columns))):
                order = None
        found = _COMPILED[key] = (compiled.string, bool(compiled.positional), order)
    return found
