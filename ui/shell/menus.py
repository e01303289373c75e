"""The menu bar, composed from the action sets each area owns.

An area (shell, importing, export, workspace, ...) builds its own `QAction`s with
`make_action` and hands them to `MenuBar.add(menu title, actions)`; the main window decides
only the order. Sections added to the same menu are separated by a line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


def make_action(parent: QWidget, text: str, slot: Callable[[], object], shortcut=None,
                tip: str = "", checkable: bool = False) -> QAction:
    """A QAction on `parent` (so its shortcut works while the window is active)."""
    action = QAction(text, parent)
    if shortcut is not None:
        if isinstance(shortcut, (list, tuple)):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        else:
            action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.setCheckable(checkable)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class MenuBar:
    def __init__(self, bar: QMenuBar) -> None:
        self.bar = bar
        self.menus: dict[str, QMenu] = {}

    def add(self, title: str, actions: Iterable[QAction]) -> QMenu:
        """Append a section of `actions` to the menu `title` (made on first use)."""
        menu = self.menus.get(title)
        if menu is None:
            menu = self.menus[title] = self.bar.addMenu(title)
        elif menu.actions():
            menu.addSeparator()
        for action in actions:
            menu.addAction(action)
        return menu
