"""Commands that change the project's codebook. Each saved change is a new version.

- `EditCodebook`: any edit expressed as before/after codebooks (add, rename, move, recolour,
  shortcut, definition, archive, replace the whole codebook).
- `DeleteCode`: remove a code; refused while it has codings unless they are deleted too.
- `MergeCodes`: move A's codings to B and remove A, as one undoable step.

Undo removes the version the command made when nothing was coded under it since; otherwise
it saves the earlier codebook again as a new version, so history stays truthful.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import Codebook, CodebookError, check_codebook, diff_codebooks
from .edit import remove_code, update_code
from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..lazy import lazy_module

if TYPE_CHECKING:
    from ..store import Connection

# the store (and SQLAlchemy) load when a command first runs, not at import
store = lazy_module("coder.store.codebooks")
codings = lazy_module("coder.store.codings")


class CodebookConflict(SessionCoderError):
    """The edit does not fit the project's codebook as it is now."""


def _changed_codes(old: Codebook | None, new: Codebook) -> frozenset[str]:
    if old is None:
        return frozenset(new.code_ids())
    d = diff_codebooks(old, new)
    ids = set(d.added) | set(d.removed)
    for group in (d.renamed, d.redefined, d.changed):
        ids |= {c.id for c in group}
    return frozenset(ids)


class EditCodebook:
    """Replace the codebook `before` with `after` (validated; ids are never reused)."""

    def __init__(self, before: Codebook | None, after: Codebook, text: str,
                 source: str = "edit", *, ids_may_return: bool = False) -> None:
        """`ids_may_return`: a code id the project had before may come back (a codebook
        file brought in again: the same code, so its old codings are its own). Edits that
        add a new code never reuse an old id."""
        self.before, self.after, self.text, self.source = before, after, text, source
        self.ids_may_return = ids_may_return
        self.version: int | None = None

    def _check(self, conn: Connection) -> None:
        current = store.load_version(conn)
        if current != self.before:
            raise CodebookConflict("the codebook changed since this edit was prepared; "
                                   "reload it and try again")
        problems = check_codebook(self.after)
        if problems:
            raise CodebookError(problems)
        before_ids = set(self.before.code_ids()) if self.before else set()
        reused = (set(self.after.code_ids()) - before_ids) & set(store.code_keys(conn))
        if reused and not self.ids_may_return:
            raise CodebookConflict(
                f"code id(s) {', '.join(sorted(reused))} were used before in this project; "
                "ids are never reused — choose another id")

    def apply(self, conn: Connection) -> ChangeSet:
        self._check(conn)
        summary = ("first version" if self.before is None
                   else "\n".join(diff_codebooks(self.before, self.after).describe())
                   or "no change in codes")
        self.version = store.save_version(conn, self.after, source=self.source, summary=summary)
        return ChangeSet(codes=_changed_codes(self.before, self.after), codebook=True)

    def revert(self, conn: Connection) -> ChangeSet:
        if store.load_version(conn) != self.after:
            raise CodebookConflict("the codebook was changed after this step (for example by "
                                   "an import); undoing it now would overwrite that change")
        if self.version is not None and not store.drop_version(conn, self.version):
            if self.before is not None:
                store.save_version(conn, self.before, source=f"undo of version {self.version}",
                                   summary="\n".join(diff_codebooks(self.after, self.before)
                                                     .describe()))
        self.version = None
        if self.before is None:
            return ChangeSet(codebook=True)
        return ChangeSet(codes=_changed_codes(self.after, self.before), codebook=True)


def archive_code(before: Codebook, code_id: str, archived: bool = True) -> EditCodebook:
    label = before.code(code_id).label
    return EditCodebook(before, update_code(before, code_id, archived=archived),
                        f"{'Archive' if archived else 'Restore'} '{label}'")


class DeleteCode:
    """Remove a code from the codebook; with `delete_codings`, its codings go too."""

    def __init__(self, before: Codebook, code_id: str, delete_codings: bool = False) -> None:
        self.code_id = code_id
        self.delete_codings = delete_codings
        label = before.code(code_id).label
        self.text = f"Delete '{label}'" + (" and its codings" if delete_codings else "")
        self._edit = EditCodebook(before, remove_code(before, code_id), self.text)
        self._deleted: list[dict] = []

    def apply(self, conn: Connection) -> ChangeSet:
        rows = codings.rows_for_code(conn, self.code_id)
        if rows and not self.delete_codings:
            raise CodebookConflict(
                f"'{self._edit.before.code(self.code_id).label}' has {len(rows)} coding(s): "
                "archive it to keep them, or delete the codings too")
        changes = self._edit.apply(conn)
        codings.delete_ids(conn, [r["id"] for r in rows])
        self._deleted = rows
        return changes | ChangeSet(segments=codings.segments_of_rows(rows))

    def revert(self, conn: Connection) -> ChangeSet:
        codings.restore_rows(conn, self._deleted)   # before the version goes: FK on codes
        changes = self._edit.revert(conn)
        rows, self._deleted = self._deleted, []
        return changes | ChangeSet(segments=codings.segments_of_rows(rows))


def _mergeable(before: Codebook, source, target) -> str | None:
    if source.id == target.id:
        return "a code cannot be merged into itself"
    if source.kind != target.kind:
        return f"'{source.label}' is a {source.kind} code and '{target.label}' a {target.kind} code"
    if source.kind in ("rating", "global") and source.scale != target.scale:
        return "the two ratings use different scales"
    if source.kind == "category" and (before.entry(source.id).group.id
                                      != before.entry(target.id).group.id):
        return "categories can only be merged within their own category set"
    return None


class MergeCodes:
    """Move every coding of `source` to `target` and remove `source` from the codebook.

    Where a rater has both codes on the same unit, the source coding is dropped (the unit
    keeps the target coding); undo brings those back too.
    """

    def __init__(self, before: Codebook, source_id: str, target_id: str) -> None:
        source, target = before.code(source_id), before.code(target_id)
        if (why := _mergeable(before, source, target)) is not None:
            raise CodebookConflict(f"cannot merge: {why}")
        self.source_id, self.target_id = source_id, target_id
        self.text = f"Merge '{source.label}' into '{target.label}'"
        self._edit = EditCodebook(before, remove_code(before, source_id), self.text)
        self._moved: list[int] = []
        self._dropped: list[dict] = []

    def apply(self, conn: Connection) -> ChangeSet:
        rows = codings.rows_for_code(conn, self.source_id)
        target_cid = codings.code_key_id(conn, self.target_id)
        taken = set()
        if target_cid is not None:
            taken = codings.coded_keys(conn, target_cid)
        moved, dropped = [], []
        for r in rows:
            key = (r["segment_id"], r["transcript_id"], r["rater_id"])
            (dropped if key in taken else moved).append(r)
            taken.add(key)
        changes = self._edit.apply(conn)
        codings.set_code(conn, [r["id"] for r in moved], self.target_id)
        codings.delete_ids(conn, [r["id"] for r in dropped])
        self._moved, self._dropped = [r["id"] for r in moved], dropped
        return changes | ChangeSet(segments=codings.segments_of_rows(rows),
                                   codes=frozenset({self.source_id, self.target_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        codings.set_code(conn, self._moved, self.source_id)
        codings.restore_rows(conn, self._dropped)
        changes = self._edit.revert(conn)
        self._moved, self._dropped = [], []
        return changes | ChangeSet(codes=frozenset({self.source_id, self.target_id}))


def replace_codebook(before: Codebook | None, new: Codebook, in_use: dict[str, int],
                     source: str) -> EditCodebook:
    """Make `new` the project's codebook. Codes with codings that `new` lacks are kept,
    archived, in a group of their own, so no coding loses its code."""
    if before is not None:
        kept = [before.code(cid) for cid in before.code_ids()
                if in_use.get(cid) and cid not in set(new.code_ids())]
        if kept:
            from . import CodeGroup
            group = CodeGroup(id="kept_from_previous_codebook",
                              label="Kept from the previous codebook (archived)",
                              description="Codes that have codings but are not in the "
                                          "imported codebook.",
                              codes=tuple(replace(c, archived=True, shortcut=None)
                                          for c in kept))
            new = replace(new, groups=new.groups + (group,))
    return EditCodebook(before, new, f"Use codebook '{new.name}'", source=source,
                        ids_may_return=True)
