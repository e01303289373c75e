"""Persistence: one project = one SQLite file, through SQLAlchemy 2 Core.

The SQL here is portable (no SQLite-only statements in queries) so the same schema can live
on PostgreSQL later; only `database.py` knows it is talking to a SQLite file (pragmas, backup).

The package's names load on first use (`coder.lazy`): importing `coder.store.media` or
naming `Connection` for a type hint does not import SQLAlchemy until a store module runs.
"""

from typing import TYPE_CHECKING

from coder.lazy import lazy_exports

if TYPE_CHECKING:
    from sqlalchemy import Connection  # noqa: F401  - the connection type commands receive

    from .handle import ReadView, Store  # noqa: F401

__all__ = ["Connection", "ReadView", "Store"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "Connection": "sqlalchemy", "ReadView": ".handle", "Store": ".handle"})
