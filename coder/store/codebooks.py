"""Codebook versions and the registry of code ids, in the project database.

The project keeps its own copy of its codebook: every saved change is a new version holding
the whole codebook as YAML (lossless, see coder.codebook.dump), so any two versions can be
compared. The `code` table registers every code id the project has ever had, so an id is
never reused and codings can reference codes by a stable integer key.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime, timezone

from sqlalchemy import Connection, delete, func, insert, select, update

from ..codebook import Codebook, dump_codebook, parse_codebook
from .schema import code, codebook_version, coding


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def latest_version(conn: Connection) -> int:
    """The newest version number; 0 when the project has no codebook yet."""
    return conn.execute(select(func.max(codebook_version.c.version))).scalar() or 0


def load_version(conn: Connection, version: int | None = None) -> Codebook | None:
    version = latest_version(conn) if version is None else version
    content = conn.execute(select(codebook_version.c.content)
                           .where(codebook_version.c.version == version)).scalar()
    return None if content is None else parsed(content, f"codebook version {version}")


_PARSED: OrderedDict[tuple[str, str], Codebook] = OrderedDict()
_PARSED_MAX = 8


def parsed(content: str, label: str) -> Codebook:
    """``parse_codebook(content, label)``, remembered by the text's SHA-256 digest.

    Why: every report, snapshot and analysis frame loads the current version, and parsing
    and checking a 40-code YAML costs ~0.3 s; a :class:`Codebook` is a frozen value, so the
    same text may share one. A text that does not parse raises each time (never cached)."""
    key = (hashlib.sha256(content.encode("utf-8")).hexdigest(), label)
    book = _PARSED.get(key)
    if book is None:
        book = parse_codebook(content, label)
        _PARSED[key] = book
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(key)
    return book


def versions(conn: Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(
        select(codebook_version.c.version, codebook_version.c.created_at,
               codebook_version.c.source, codebook_version.c.summary)
        .order_by(codebook_version.c.version)).mappings()]


def code_keys(conn: Connection) -> dict[str, int]:
    """Every code id the project ever had -> its integer key."""
    return dict(conn.execute(select(code.c.key, code.c.id)).all())


def save_version(conn: Connection, codebook: Codebook, *, source: str, summary: str) -> int:
    """Store `codebook` as the next version; register new code ids. Returns the version."""
    version = latest_version(conn) + 1
    conn.execute(insert(codebook_version).values(
        version=version, content=dump_codebook(codebook), created_at=_now(), source=source,
        summary=summary))
    known = code_keys(conn)
    for entry in codebook.codes():
        c = entry.code
        if c.id in known:
            conn.execute(update(code).where(code.c.key == c.id).values(label=c.label,
                                                                        kind=c.kind))
        else:
            conn.execute(insert(code).values(key=c.id, label=c.label, kind=c.kind,
                                             first_version=version))
    return version


def drop_version(conn: Connection, version: int) -> bool:
    """Remove `version` (the newest) if no coding was made under it; forget the code ids it
    introduced that no coding uses. False (and nothing changed) when it is in use."""
    if version != latest_version(conn):
        return False
    used = conn.execute(select(func.count()).select_from(coding)
                        .where(coding.c.codebook_version == version)).scalar_one()
    if used:
        return False
    introduced = [r[0] for r in conn.execute(select(code.c.id)
                                             .where(code.c.first_version == version))]
    in_use = {r[0] for r in conn.execute(select(coding.c.code_id).distinct()
                                         .where(coding.c.code_id.in_(introduced)))}
    removable = [i for i in introduced if i not in in_use]
    if removable:
        conn.execute(delete(code).where(code.c.id.in_(removable)))
    conn.execute(delete(codebook_version).where(codebook_version.c.version == version))
    return True


def coding_counts(conn: Connection) -> dict[str, int]:
    """Number of codings per code id (codes without codings are absent)."""
    return dict(conn.execute(
        select(code.c.key, func.count(coding.c.id))
        .join(coding, coding.c.code_id == code.c.id).group_by(code.c.key)).all())
