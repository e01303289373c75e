"""CodebookActions: what the codebook panel's buttons do. Each gathers what it needs (the
selection, an answer from a dialog), builds one core command and runs it on the undo stack;
a refused edit is shown in the panel's message line, never raised."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from coder.codebook import Code, Codebook, CodeGroup
from coder.codebook.edit import add_code, add_group, move_code, new_id, remove_group, update_code
from coder.codebook.commands import (CodebookConflict, DeleteCode, EditCodebook, MergeCodes,
                                     archive_code)
from coder.errors import SessionCoderError

from ui.codebook import dialogs
from ui.codebook.checks import shortcut_owner
from ui.codebook.history import HistoryDialog
from ui.codebook.tree_model import KIND_NAMES, shortcut_text

NEW_CODE_LABEL = "New code"
NEW_CODE_DEFINITION = "Describe when this code applies."
NEW_GROUP_LABEL = "New group"
# Distinct colours for new codes (the first one the codebook does not use yet).
PALETTE = ("#E6194B", "#3CB44B", "#4363D8", "#F58231", "#911EB4", "#42D4F4", "#F032E6",
           "#BFEF45", "#469990", "#9A6324", "#800000", "#808000", "#000075", "#FFD8B1",
           "#AAFFC3", "#DCBEFF", "#A9A9A9", "#FABED4", "#FFE119", "#7F7F7F")


def unused_color(book: Codebook) -> str:
    used = {(e.code.color or "").upper() for e in book.codes()}
    return next((c for c in PALETTE if c not in used), PALETTE[len(used) % len(PALETTE)])


class CodebookActions(QObject):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.panel = panel

    @property
    def book(self) -> Codebook | None:
        return self.panel.book

    # -- running commands ----------------------------------------------------------------
    def run(self, command, select: str | None = None) -> bool:
        """Run `command` on the undo stack; show why if the core refuses it."""
        p = self.panel
        p.show_message("")
        p.select_after = select
        try:
            p.events.perform(command)
        except SessionCoderError as exc:
            p.select_after = None
            p.show_message(str(exc))
            if isinstance(exc, CodebookConflict):
                p.reload()
            return False
        p.select_after = None
        return True

    def apply_edit(self, before: Codebook, after: Codebook, text: str) -> None:
        """A form's proposal: the codebook it was made from, the would-be codebook and the
        undo text. A form that showed an older codebook is refused by the core (conflict)."""
        self.run(EditCodebook(before, after, text), select=self.panel.selected_id())

    # -- adding ---------------------------------------------------------------------------
    def _target_group(self) -> tuple[str | None, int | None]:
        """The group a new code goes into, and where: after the selected code, or at the
        end of the selected group, or of the first group."""
        item = self.panel.selected_item()
        if isinstance(item, Code):
            group = self.book.entry(item.id).group
            return group.id, [c.id for c in group.codes].index(item.id) + 1
        if isinstance(item, CodeGroup):
            return item.id, None
        return (self.book.groups[0].id if self.book.groups else None), None

    def add_code(self) -> None:
        book = self.book
        if book is None:
            return
        group_id, index = self._target_group()
        if group_id is None:
            self.panel.show_message("Add a group first: every code belongs to a group.")
            return
        group = book.group(group_id)
        code = Code(id=new_id(book, NEW_CODE_LABEL, self.panel.service.codebook.used_ids()),
                    label=NEW_CODE_LABEL, definition=NEW_CODE_DEFINITION,
                    color=unused_color(book),
                    kind="category" if group.category_set else "presence")
        if self.panel.model.filtering:
            self.panel.search.clear()           # the new code must be visible
        if self.run(EditCodebook(book, add_code(book, group_id, code, index),
                                 f"Add code to '{group.label}'"), select=code.id):
            self.panel.focus_label()

    def add_group(self) -> None:
        book = self.book
        if book is None:
            return
        group = CodeGroup(id=new_id(book, NEW_GROUP_LABEL, self.panel.service.codebook.used_ids()),
                          label=NEW_GROUP_LABEL)
        if self.panel.model.filtering:
            self.panel.search.clear()
        if self.run(EditCodebook(book, add_group(book, group), "Add group"), select=group.id):
            self.panel.focus_label()

    # -- removing -------------------------------------------------------------------------
    def delete(self) -> None:
        item = self.panel.selected_item()
        if isinstance(item, Code):
            self.delete_code(item)
        elif isinstance(item, CodeGroup):
            self.delete_group(item)

    def delete_code(self, code: Code) -> None:
        n = self.panel.counts.get(code.id, 0)
        choice = dialogs.ask_delete_code(self.panel, code.label, n)
        if choice == dialogs.ARCHIVE:
            self.set_archived(code, True)
        elif choice == dialogs.DELETE:
            self.run(DeleteCode(self.book, code.id, delete_codings=n > 0))

    def delete_group(self, group: CodeGroup) -> None:
        if group.codes or group.groups:
            n = len(group.codes) + len(group.groups)
            self.panel.show_message(f"'{group.label}' still holds {n} code"
                                    f"{'s' if n != 1 else ''} or group{'s' if n != 1 else ''}: "
                                    "move or delete them first.")
            return
        self.run(EditCodebook(self.book, remove_group(self.book, group.id),
                              f"Delete group '{group.label}'"))

    def toggle_archived(self) -> None:
        item = self.panel.selected_item()
        if isinstance(item, Code):
            self.set_archived(item, not item.archived)

    def set_archived(self, code: Code, archived: bool) -> None:
        book = self.book
        other = (shortcut_owner(book, code.id, code.shortcut)
                 if not archived and code.shortcut else None)
        if other is None:
            self.run(archive_code(book, code.id, archived), select=code.id)
            return
        # The key went to another code while this one was archived: restore without it.
        text = f"Restore '{code.label}'"
        if self.run(EditCodebook(book, update_code(book, code.id, archived=False,
                                                   shortcut=None), text), select=code.id):
            self.panel.show_message(
                f"Restored '{code.label}' without its shortcut: {shortcut_text(code.shortcut)} "
                f"is now the shortcut of '{other.label}'.", error=False)

    def merge(self) -> None:
        item = self.panel.selected_item()
        if not isinstance(item, Code):
            return
        target = dialogs.choose_merge_target(self.panel, self.book, item.id, self.panel.counts)
        if target is not None:
            try:
                command = MergeCodes(self.book, item.id, target)
            except SessionCoderError as exc:
                self.panel.show_message(str(exc))
                return
            self.run(command, select=target)

    # -- moving ---------------------------------------------------------------------------
    def move_code(self, code_id: str, group_id: str, index: int | None) -> None:
        """Drop handling (queued from the tree model) and the programmatic move."""
        book = self.book
        try:
            code = book.code(code_id)
            after = move_code(book, code_id, group_id, index)
        except (KeyError, AttributeError):
            return
        group = book.group(group_id)
        if group.category_set != (code.kind == "category"):
            self.panel.show_message(
                f"'{code.label}' is a {KIND_NAMES[code.kind].lower()} code and "
                f"'{group.label}' {'is' if group.category_set else 'is not'} a category set: "
                + ("a category set holds only categories." if group.category_set else
                   "categories stay in a category set."))
            return
        if after != book:
            self.run(EditCodebook(book, after, f"Move '{code.label}'"), select=code_id)

    # -- files ----------------------------------------------------------------------------
    def import_codebook(self) -> None:
        p = self.panel
        path = dialogs.ask_import_path(p, str(p.service.path.parent))
        if not path:
            return
        current = f"'{self.book.name}'" if self.book else "none yet"
        if not dialogs.confirm(
                p, "Import codebook", f"Use {Path(path).name} as this project's codebook?",
                f"The project's codebook ({current}) is replaced by a new version. Codes that "
                "have codings but are not in the file are kept, archived. Earlier versions "
                "stay in History, and Undo brings the current codebook back.", "Import"):
            return
        try:
            command, notes = p.service.codebook.file_command(path)
            p.events.perform(command)
        except SessionCoderError as exc:
            dialogs.show_error(p, "Cannot import codebook", str(exc))
            return
        p.show_message(f"Imported {Path(path).name}.", error=False)
        if notes:
            QTimer.singleShot(0, lambda: dialogs.show_notes(
                p, "Codebook imported", f"Imported {Path(path).name}.", notes))

    def export_codebook(self) -> None:
        p = self.panel
        if self.book is None:
            return
        suggested = str(p.service.path.parent / f"{self.book.id}.yaml")
        path = dialogs.ask_export_path(p, suggested)
        if not path:
            return
        try:
            p.service.codebook.export(path)
        except (SessionCoderError, OSError) as exc:
            p.show_message(f"Could not export the codebook: {exc}")
            return
        p.show_message(f"Exported the codebook to {path}.", error=False)

    def history(self) -> None:
        HistoryDialog(self.panel.service, self.panel).exec()
