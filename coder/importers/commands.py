"""Commands that add, replace or remove transcripts, and set speaker roles.

Storing an import is one transaction (all of it or nothing). Removing or replacing a
transcript that has codings is refused: its units would change under them. Removing and
replacing cannot be undone (``undoable = False``); a new import can (undo removes it again).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..model import ROLES, ImportResult, SegmentationOptions
from ..roles import guess_roles, missing_roles_note, role_flag_hint
from ..rowcolumns import column
from ..store import meta as m_store
from ..store import transcripts as rows
from .pipeline import PreparedImport

if TYPE_CHECKING:
    from ..store import Connection


class DuplicateTranscriptError(SessionCoderError):
    """The same file (by content) or another file of the same name is already imported."""


def check_new(conn: Connection, prepared: PreparedImport, *, replace: bool = False) -> int | None:
    """Raise if this file is already in the project; return the id it would replace."""
    name = prepared.parsed.name
    same = rows.find_by_sha(conn, prepared.sha256)
    named = rows.find_by_name(conn, name)
    if same is not None and not (replace and same[1] == name):
        raise DuplicateTranscriptError(
            f"{name}: this file is already imported as {same[1]!r} (same content); "
            "nothing was imported" + ("" if same[1] != name else
                                      " (to import it again: --replace, or tick "
                                      "'Replace transcripts already in the project')"))
    if named is not None and not replace:
        raise DuplicateTranscriptError(
            f"{name}: a different transcript of that name is already in the project; "
            "rename the file, or replace the existing one (--replace, or tick 'Replace "
            "transcripts already in the project')")
    if named is not None:
        refuse_if_coded(conn, named, "replaced")
    return named


def refuse_if_coded(conn: Connection, transcript_id: int, what: str) -> None:
    work = rows.work_done(conn, transcript_id)
    if work:
        raise DuplicateTranscriptError(
            f"this transcript has codings ({work} codings and completed units); it cannot "
            f"be {what}, because its units would change under them")


def chosen_roles(prepared: PreparedImport, roles: dict[str, str] | None) -> dict[str, str]:
    """Guessed roles, overridden by the user's; unknown labels or roles are refused."""
    parsed = prepared.parsed
    chosen = guess_roles(list(dict.fromkeys(column(parsed.turns, "speaker"))))
    for label, role in (roles or {}).items():
        if role not in ROLES:
            raise SessionCoderError(f"unknown role {role!r} for {label!r}; "
                                    f"use {', '.join(ROLES)}")
        if label not in chosen:
            raise SessionCoderError(f"{parsed.name}: no speaker {label!r} in this file "
                                    f"(speakers: {', '.join(parsed.speakers)})")
        chosen[label] = role
    return chosen


class StoreImport:
    """Store a prepared import (parsed and segmented in a worker) in one transaction.
    After `apply`, `result` holds the stored transcript and the parser's warnings.

    When no named speaker ends up as therapist (or client) and the caller set no role: with
    `require_roles` (the CLI) nothing is stored and the error names ``--role``; otherwise the
    result carries a warning saying so. Never silently all "other"."""

    def __init__(self, prepared: PreparedImport, roles: dict[str, str] | None = None,
                 replace: bool = False, require_roles: bool = False) -> None:
        self.prepared = prepared
        self.roles = chosen_roles(prepared, roles)
        self.replace = replace
        self.warnings = tuple(prepared.parsed.warnings)
        note = None if roles else missing_roles_note(self.roles)
        if note is not None:
            if require_roles:
                raise SessionCoderError(f"{prepared.parsed.name}: {note}; "
                                        f"{role_flag_hint(self.roles)}")
            self.warnings += (f"{note}; codes for that role do not apply until it is set",)
        self.text = f"Import {prepared.parsed.name}"
        self.result: ImportResult | None = None
        self._replaced: int | None = None

    @property
    def undoable(self) -> bool:      # a replaced transcript cannot be brought back
        return self._replaced is None

    def apply(self, conn: Connection) -> ChangeSet:
        self._replaced = check_new(conn, self.prepared, replace=self.replace)
        prepared, parsed = self.prepared, self.prepared.parsed
        seg = prepared.segmentation
        windows = "window" in column(prepared.units, "kind")
        if self._replaced is not None:
            rows.delete_transcript(conn, self._replaced)
        tid = rows.insert_transcript(
            conn, name=parsed.name, fmt=parsed.format, encoding=parsed.encoding,
            sha256=prepared.sha256,
            imported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            settings=prepared.settings(), unit=seg.unit,
            window_minutes=seg.window_minutes if windows else None,
            duration_ms=parsed.duration_ms, turns=parsed.turns, roles=self.roles,
            units=prepared.units)
        self.result = ImportResult(rows.list_infos(conn, tid)[0], self.warnings)
        changed = {tid} | ({self._replaced} if self._replaced is not None else set())
        return ChangeSet(transcripts=frozenset(changed))

    def revert(self, conn: Connection) -> ChangeSet:
        if self._replaced is not None:
            raise SessionCoderError("a replaced transcript cannot be brought back by undo")
        tid = self.result.transcript.id
        refuse_if_coded(conn, tid, "removed by undo")
        rows.delete_transcript(conn, tid)
        return ChangeSet(transcripts=frozenset({tid}))


class RemoveTranscript:
    """Remove a transcript that nobody has coded yet (cannot be undone)."""

    undoable = False

    def __init__(self, transcript_id: int, actor_id: int | None = None) -> None:
        self.transcript_id = transcript_id
        self.actor_id = actor_id
        self.text = "Remove transcript"

    def apply(self, conn: Connection) -> ChangeSet:
        refuse_if_coded(conn, self.transcript_id, "removed")
        names = [i.name for i in rows.list_infos(conn, self.transcript_id)]
        rows.delete_transcript(conn, self.transcript_id)
        m_store.log_event(conn, self.actor_id, "transcript_removed", ", ".join(names))
        return ChangeSet(transcripts=frozenset({self.transcript_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        raise SessionCoderError("removing a transcript cannot be undone")


class SetRoles:
    """Change speaker roles of one transcript (labels as written in the file)."""

    undoable = True

    def __init__(self, transcript_id: int, roles: dict[str, str]) -> None:
        bad = {r for r in roles.values() if r not in ROLES}
        if bad:
            raise SessionCoderError(f"unknown role(s) {sorted(bad)}; use {', '.join(ROLES)}")
        self.transcript_id = transcript_id
        self.roles = dict(roles)
        self.text = "Change speaker roles"
        self._before: dict[str, str] = {}

    def apply(self, conn: Connection) -> ChangeSet:
        current = {s.label: s.role for s in rows.speakers_of(conn, self.transcript_id)}
        self._before = {}
        for label, role in self.roles.items():
            if label not in current:
                raise SessionCoderError(f"no speaker {label!r} in this transcript")
            self._before[label] = current[label]
            rows.set_role(conn, self.transcript_id, label, role)
        return ChangeSet(transcripts=frozenset({self.transcript_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        for label, role in self._before.items():
            rows.set_role(conn, self.transcript_id, label, role)
        return ChangeSet(transcripts=frozenset({self.transcript_id}))


UNITS = ("turn", "sentence", "window")


def unit_of(conn: Connection) -> SegmentationOptions:
    """The unit of coding chosen when the project was made (imports start from it)."""
    unit = m_store.get(conn, "unit", "turn")
    try:
        minutes = float(m_store.get(conn, "window_minutes", "5") or 5)
    except ValueError:
        minutes = 5.0
    return SegmentationOptions(unit=unit if unit in UNITS else "turn", window_minutes=minutes)


class SetProjectUnit:
    """Keep the unit of coding the project's imports start from (chosen with New project)."""

    text = "Set the unit of coding"

    def __init__(self, segmentation: SegmentationOptions) -> None:
        if segmentation.unit not in UNITS:
            raise SessionCoderError(f"unknown unit {segmentation.unit!r}; use "
                                    f"{', '.join(UNITS)}")
        self.segmentation = segmentation
        self._old: tuple[str | None, str | None] = (None, None)

    def apply(self, conn: Connection) -> ChangeSet:
        self._old = (m_store.get(conn, "unit"), m_store.get(conn, "window_minutes"))
        m_store.put(conn, "unit", self.segmentation.unit)
        m_store.put(conn, "window_minutes", f"{self.segmentation.window_minutes:g}")
        return ChangeSet(settings=True)

    def revert(self, conn: Connection) -> ChangeSet:
        m_store.put(conn, "unit", self._old[0])
        m_store.put(conn, "window_minutes", self._old[1])
        return ChangeSet(settings=True)
