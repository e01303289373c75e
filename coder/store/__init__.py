"""Persistence: one project = one SQLite file, through SQLAlchemy 2 Core.

The SQL here is portable (no SQLite-only statements in queries) so the same schema can live
on PostgreSQL later; only `database.py` knows it is talking to a SQLite file (pragmas, backup).
"""

from sqlalchemy import Connection  # noqa: E402  - the connection type commands receive

from .handle import ReadView, Store  # noqa: E402

__all__ = ["Connection", "ReadView", "Store"]
