"""Coding commands: what a rater does in the workspace, each undoable (DESIGN.md rule 3).

Each command records exactly what it changed so `revert` restores the previous state, and
returns a ChangeSet naming the segments touched. All of them refuse units outside the code's
scope (`coder.scope`) and archived codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..codebook import Code
from ..commands import ChangeSet, UnitWrite
from ..errors import SessionCoderError
from ..model import CodingView, Segment
from .scope import applies_to, scope_text
from ..lazy import lazy_module

if TYPE_CHECKING:
    from ..store import Connection

# the store (and SQLAlchemy) load when a command first runs, not at import
cb_store = lazy_module("coder.store.codebooks")
store = lazy_module("coder.store.codings")


class CodingError(SessionCoderError):
    """A coding action that does not fit (wrong scope, value off the scale, ...)."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _unit_word(units: Sequence[Segment]) -> str:
    kinds = {u.kind for u in units}
    word = "window" if kinds == {"window"} else "segment"
    return _plural(len(units), word)


def _check_scope(code: Code, units: Sequence[Segment]) -> None:
    if code.archived:
        raise CodingError(f"'{code.label}' is archived and cannot be applied")
    outside = [u for u in units if not applies_to(code, u.kind, u.role)]
    if outside:
        raise CodingError(f"'{code.label}' applies to {scope_text(code)}; "
                          f"{_plural(len(outside), 'selected unit')} are outside that")


def _code_id(conn: Connection, code: Code) -> int:
    cid = store.code_key_id(conn, code.id)
    if cid is None:
        raise CodingError(f"'{code.label}' is not in this project's codebook")
    return cid


def _new_row(conn: Connection, rater_id: int, cid: int, unit: Segment | None,
             transcript_id: int, value=None, span=None, note=None) -> dict:
    return {"transcript_id": transcript_id, "segment_id": None if unit is None else unit.id,
            "rater_id": rater_id, "code_id": cid, "value": value,
            "span_start": None if span is None else span[0],
            "span_end": None if span is None else span[1], "note": note,
            "codebook_version": cb_store.latest_version(conn), "created_at": store.now()}


def _view(row: dict, key: str) -> CodingView:
    value = row["value"]
    return CodingView(row["id"], row["transcript_id"], row["segment_id"], row["rater_id"], key,
                      None if value is None else float(value), row["span_start"],
                      row["span_end"], row["note"], row["codebook_version"])


def _write(row: dict, key: str, gone: bool) -> UnitWrite:
    return UnitWrite(row["segment_id"], row["transcript_id"], row["rater_id"], key, row["id"],
                     None if gone else _view(row, key))


class _Recorder:
    """Remembers inserted and deleted rows (with their code ids) so revert is exact, and the
    rows written by the last step, in order (`written`, for the change set)."""

    def __init__(self) -> None:
        self.inserted: list[tuple[dict, str]] = []
        self.deleted: list[tuple[dict, str]] = []
        self.written: list[UnitWrite] = []

    def insert(self, conn: Connection, rows: list[dict], key: str) -> None:
        for row, new_id in zip(rows, store.insert_codings(conn, rows)):
            row = {**row, "id": new_id}
            self.inserted.append((row, key))
            self.written.append(_write(row, key, gone=False))

    def delete(self, conn: Connection, rows: list[dict], keys: dict[int, str] | str) -> None:
        store.delete_ids(conn, [r["id"] for r in rows])
        for row in rows:
            key = keys if isinstance(keys, str) else keys[row["id"]]
            self.deleted.append((row, key))
            self.written.append(_write(row, key, gone=True))

    def start(self) -> None:
        self.written = []

    def revert(self, conn: Connection) -> None:
        store.delete_ids(conn, [row["id"] for row, _ in self.inserted])
        store.restore_rows(conn, [row for row, _ in self.deleted])
        self.written = ([_write(row, key, gone=True) for row, key in self.inserted]
                        + [_write(row, key, gone=False) for row, key in self.deleted])
        self.inserted, self.deleted = [], []


class ToggleCode:
    """Apply a presence code to units (`on=True`) or remove it (`on=False`).

    With a `span` (code-point offsets in the one selected unit), the coding also stores that
    part of the text; applying with a new span to a unit that has the code replaces its span.
    """

    def __init__(self, rater_id: int, code: Code, units: Sequence[Segment], on: bool = True,
                 span: tuple[int, int] | None = None) -> None:
        if not units:
            raise CodingError("no unit selected")
        if span is not None and len(units) != 1:
            raise CodingError("a text span can be coded on one unit at a time")
        if span is not None and not 0 <= span[0] < span[1] <= len(units[0].text):
            raise CodingError(f"span {span} lies outside the unit's text")
        _check_scope(code, units)
        self.rater_id, self.code, self.units, self.on, self.span = rater_id, code, units, on, span
        verb = "Apply" if on else "Remove"
        prep = "to" if on else "from"
        self.text = f"{verb} '{code.label}' {prep} {_unit_word(units)}"
        self._rec = _Recorder()

    def apply(self, conn: Connection) -> ChangeSet:
        cid = _code_id(conn, self.code)
        self._rec.start()
        key = self.code.id
        for unit in self.units:
            row = store.find_coding(conn, self.rater_id, cid, unit.id, unit.transcript_id)
            if self.on:
                if row is not None and self.span is not None and (
                        row["span_start"], row["span_end"]) != self.span:
                    self._rec.delete(conn, [row], key)
                    row = None
                if row is None:
                    self._rec.insert(conn, [_new_row(conn, self.rater_id, cid, unit,
                                                     unit.transcript_id, span=self.span)], key)
            elif row is not None:
                self._rec.delete(conn, [row], key)
        return self._changes()

    def _changes(self) -> ChangeSet:
        return ChangeSet(segments=frozenset(u.id for u in self.units),
                         codes=frozenset({self.code.id}), raters=frozenset({self.rater_id}),
                         written=tuple(self._rec.written))

    def revert(self, conn: Connection) -> ChangeSet:
        self._rec.revert(conn)
        return self._changes()


class SetCategory:
    """Give units the category `code`, replacing any other category of the same set
    (`members`: the ids of that category set). With `on=False` the category is removed."""

    def __init__(self, rater_id: int, code: Code, members: Sequence[str],
                 units: Sequence[Segment], on: bool = True) -> None:
        if not units:
            raise CodingError("no unit selected")
        _check_scope(code, units)
        self.rater_id, self.code, self.members, self.units, self.on = (
            rater_id, code, tuple(members), units, on)
        self.text = (f"Set '{code.label}' on {_unit_word(units)}" if on
                     else f"Remove '{code.label}' from {_unit_word(units)}")
        self._rec = _Recorder()

    def apply(self, conn: Connection) -> ChangeSet:
        ids = store.code_ids_by_key(conn)
        cid = _code_id(conn, self.code)
        member_ids = {ids[m] for m in self.members if m in ids}
        existing = store.codings_on_segments(conn, [u.id for u in self.units], [self.rater_id])
        self._rec.start()
        by_unit: dict[int, list] = {}
        for c in existing:
            if ids.get(c.code) in member_ids:
                by_unit.setdefault(c.segment_id, []).append(c)
        for unit in self.units:
            current = by_unit.get(unit.id, [])
            has = any(c.code == self.code.id for c in current)
            if self.on:
                others = [c for c in current if c.code != self.code.id]
                if others:
                    self._rec.delete(conn, store.rows_by_ids(conn, [c.id for c in others]),
                                     {c.id: c.code for c in others})
                if not has:
                    self._rec.insert(conn, [_new_row(conn, self.rater_id, cid, unit,
                                                     unit.transcript_id)], self.code.id)
            elif has:
                mine = [c.id for c in current if c.code == self.code.id]
                self._rec.delete(conn, store.rows_by_ids(conn, mine), self.code.id)
        return self._changes()

    def _changes(self) -> ChangeSet:
        return ChangeSet(segments=frozenset(u.id for u in self.units),
                         codes=frozenset(self.members) | {self.code.id},
                         raters=frozenset({self.rater_id}), written=tuple(self._rec.written))

    def revert(self, conn: Connection) -> ChangeSet:
        self._rec.revert(conn)
        return self._changes()


class SetRating:
    """Set (or clear, with `value=None`) a rating on a unit, or a session global on a
    transcript (`unit=None`)."""

    def __init__(self, rater_id: int, code: Code, value: int | None, *,
                 unit: Segment | None = None, transcript_id: int | None = None) -> None:
        if code.scale is None:
            raise CodingError(f"'{code.label}' is not a rating")
        if code.kind == "global":
            if unit is not None or transcript_id is None:
                raise CodingError(f"'{code.label}' is rated once per session")
        else:
            if unit is None:
                raise CodingError(f"'{code.label}' is rated per unit")
            _check_scope(code, [unit])
            transcript_id = unit.transcript_id
        if value is not None and not code.scale.min <= value <= code.scale.max:
            raise CodingError(f"{value} is off the scale of '{code.label}' "
                              f"({code.scale.min}–{code.scale.max})")
        if code.archived:
            raise CodingError(f"'{code.label}' is archived")
        self.rater_id, self.code, self.value = rater_id, code, value
        self.unit, self.transcript_id = unit, transcript_id
        self.text = (f"Rate '{code.label}' {value}" if value is not None
                     else f"Clear '{code.label}'")
        self._rec = _Recorder()

    def _changes(self) -> ChangeSet:
        return ChangeSet(segments=frozenset() if self.unit is None else frozenset({self.unit.id}),
                         codes=frozenset({self.code.id}), raters=frozenset({self.rater_id}),
                         transcripts=frozenset({self.transcript_id}),
                         written=tuple(self._rec.written))

    def apply(self, conn: Connection) -> ChangeSet:
        cid = _code_id(conn, self.code)
        self._rec.start()
        row = store.find_coding(conn, self.rater_id, cid,
                                None if self.unit is None else self.unit.id, self.transcript_id)
        if row is not None:
            self._rec.delete(conn, [row], self.code.id)
        if self.value is not None:
            note = row["note"] if row is not None else None
            self._rec.insert(conn, [_new_row(conn, self.rater_id, cid, self.unit,
                                             self.transcript_id, value=self.value, note=note)],
                             self.code.id)
        return self._changes()

    def revert(self, conn: Connection) -> ChangeSet:
        self._rec.revert(conn)
        return self._changes()


class MarkDone:
    """Mark units completed by a rater (`done=True`): from then on, a code the rater did not
    apply there is "not applied" rather than "missing". `done=False` reopens them."""

    def __init__(self, rater_id: int, units: Sequence[Segment], done: bool = True) -> None:
        self.rater_id, self.units, self.done = rater_id, list(units), done
        self.text = (f"Mark {_unit_word(self.units)} done" if done
                     else f"Reopen {_unit_word(self.units)}")
        self._changed: list[int] = []

    def apply(self, conn: Connection) -> ChangeSet:
        ids = [u.id for u in self.units]
        if self.done:
            self._changed = store.mark_completed(conn, ids, self.rater_id)
        else:
            was = store.completed(conn, ids, self.rater_id)
            self._changed = [i for i in ids if i in was]
            store.unmark_completed(conn, self._changed, self.rater_id)
        return ChangeSet(segments=frozenset(ids), raters=frozenset({self.rater_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        if self.done:
            store.unmark_completed(conn, self._changed, self.rater_id)
        else:
            store.mark_completed(conn, self._changed, self.rater_id)
        return ChangeSet(segments=frozenset(u.id for u in self.units),
                         raters=frozenset({self.rater_id}))


class SetNote:
    """A rater's note on a unit, or on one of their codings (`coding_id`)."""

    def __init__(self, rater_id: int, text: str | None, *, unit: Segment | None = None,
                 coding_id: int | None = None) -> None:
        if (unit is None) == (coding_id is None):
            raise CodingError("a note belongs to a unit or to a coding")
        self.rater_id, self.note, self.unit, self.coding_id = rater_id, text or None, unit, coding_id
        self.text = "Edit note" if text else "Delete note"
        self._old: str | None = None
        self._segment: int | None = None if unit is None else unit.id

    def _write(self, conn: Connection, text: str | None) -> ChangeSet:
        if self.unit is not None:
            store.set_segment_note(conn, self.unit.id, self.rater_id, text)
        else:
            store.set_fields(conn, self.coding_id, note=text)
        return ChangeSet(segments=frozenset() if self._segment is None
                         else frozenset({self._segment}), raters=frozenset({self.rater_id}))

    def apply(self, conn: Connection) -> ChangeSet:
        if self.unit is not None:
            self._old = store.segment_notes(conn, [self.unit.id], self.rater_id).get(self.unit.id)
        else:
            [row] = store.rows_by_ids(conn, [self.coding_id]) or [None]
            if row is None or row["rater_id"] != self.rater_id:
                raise CodingError("that coding is not yours to annotate")
            self._old, self._segment = row["note"], row["segment_id"]
        return self._write(conn, self.note)

    def revert(self, conn: Connection) -> ChangeSet:
        return self._write(conn, self._old)
