"""Persistence: one project = one SQLite file, through SQLAlchemy 2 Core.

The SQL here is portable (no SQLite-only statements in queries) so the same schema can live
on PostgreSQL later; only `database.py` knows it is talking to a SQLite file (pragmas, backup).
"""
