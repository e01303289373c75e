"""The unit table's context menu: done / reopen, and notes on the rater's own codings."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from coder.coding.commands import MarkDone, SetNote


def show_unit_menu(ws, pos) -> None:
    """Right-click on a unit row of the workspace `ws` at viewport position `pos`."""
    menu = unit_menu(ws, ws.table.indexAt(pos).row())
    if menu is not None:
        menu.exec(ws.table.viewport().mapToGlobal(pos))


def unit_menu(ws, row: int) -> QMenu | None:
    """The context menu for unit `row` (None when there is nothing to offer)."""
    if ws.model is None or ws.service is None or ws.service.viewer is None or row < 0:
        return None
    units = ws.selected_units()
    own = ws.service.viewer.id
    menu = QMenu(ws)
    menu.addAction("Mark done", lambda: ws.perform(MarkDone(own, units)))
    menu.addAction("Reopen", lambda: ws.perform(MarkDone(own, units, done=False)))
    mine = [c for c in ws.model.codings(row) if c.rater_id == own]
    if mine:
        menu.addSeparator()
    for coding in mine:
        code = ws.model.code(coding.code)
        label = code.label if code is not None else coding.code

        def edit(c=coding, name=label) -> None:
            text, ok = QInputDialog.getText(ws, "Note on a coding", f"Note on '{name}':",
                                            text=c.note or "")
            if ok and text.strip() != (c.note or ""):
                ws.perform(SetNote(own, text.strip() or None, coding_id=c.id))
        menu.addAction(f"Note on '{label}'…", edit)
    return menu
