"""Which transcript a codings table means, and which units `--complete` marks: the units some
code of the codebook applies to (by speaker role and unit kind)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..store import transcripts as t_store
from .scope import applies_to

if TYPE_CHECKING:
    from ..store import Connection


def _find_transcript(infos: dict, name: str):
    """(info, None) for a transcript named exactly so, or without its extension when that is
    unambiguous; else (None, the problem in words)."""
    if name in infos:
        return infos[name], None
    stem = [t for n, t in infos.items() if Path(n).stem == name]
    if len(stem) == 1:
        return stem[0], None
    if stem:
        return None, (f"transcript {name!r} is ambiguous: "
                      + ", ".join(sorted(t.name for t in stem)) + "; give the full name")
    return None, f"unknown transcript {name!r}"


def _codeable_units(conn: Connection, tid: int, codebook: Codebook) -> list[int] | None:
    """Units of a transcript that some code of the codebook applies to (its speaker role and
    unit kind): the units `--complete` marks completed; None when that is every unit (the
    completions then need no list of ids)."""
    codes = [e.code for e in codebook.codes() if not e.code.archived]
    out = []
    roles = t_store.turn_roles(conn, tid)
    codeable: dict[tuple[str, str], bool] = {}      # (kind, role): the answer, asked once
    every = True
    for kind in ("turn", "sentence", "window"):
        for sid, turn_id in t_store.unit_turns(conn, tid, kind):
            role = roles.get(turn_id, "") if turn_id is not None else ""
            ok = codeable.get((kind, role))
            if ok is None:
                ok = codeable[(kind, role)] = any(applies_to(c, kind, role) for c in codes)
            if ok:
                out.append(sid)
            else:
                every = False
    return None if every else out
