"""WorkspaceActions: the coding workspace's menu actions — moving between units (Navigate),
code suggestions, reading mode and the keyboard ways around the workspace (View: the unit's
note, the session ratings, turns/windows, back to the table), so a whole coding session runs
without the mouse. They act on the workspace and its navigator only."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog

from ui.shell.menus import make_action


def parse_clock(text: str) -> int | None:
    """'1:02:03', '4:05' or '42' as milliseconds; None when it is not a time."""
    parts = text.strip().split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    if not 1 <= len(nums) <= 3 or any(n < 0 for n in nums):
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return int(seconds * 1000)


class WorkspaceActions(QObject):
    show_workspace = Signal()             # bring the Code tab forward (the shell does it)

    def __init__(self, window, workspace, events, settings) -> None:
        super().__init__(window)
        self.window, self.workspace, self.settings = window, workspace, settings
        ws, nav, w = workspace, workspace.nav, window
        self.navigate_actions = [
            make_action(w, "Done, &next", ws.done_next, tip="Enter in the unit table"),
            make_action(w, "Next &unfinished unit", nav.next_unfinished, "Ctrl+J"),
            make_action(w, "Next unit with the chosen &code", lambda: nav.next_with_code(1),
                        "Ctrl+]"),
            make_action(w, "&Previous unit with the chosen code",
                        lambda: nav.next_with_code(-1), "Ctrl+["),
            make_action(w, "&Find in text…", ws.bar.focus_search, QKeySequence.Find),
            make_action(w, "Next &match", lambda: nav.next_match(1), QKeySequence.FindNext),
            make_action(w, "Previous m&atch", lambda: nav.next_match(-1),
                        QKeySequence.FindPrevious),
            make_action(w, "&Go to time…", self.go_to_time, "Ctrl+G"),
        ]
        self.act_hints = make_action(w, "Show code &suggestions", self.toggle_hints,
                                     checkable=True)
        self.act_hints.setChecked(settings.show_hints())
        ws.show_hints = settings.show_hints()
        self.act_reading = make_action(w, "&Reading mode: wrap rows to show whole utterances",
                                       self.toggle_reading, "Ctrl+Shift+W", checkable=True)
        self.act_reading.setChecked(settings.reading_mode())
        ws.reading.set_enabled(settings.reading_mode())
        self.keyboard_actions = [
            make_action(w, "Note on this &unit", self.focus_note, "Ctrl+Shift+N",
                        tip="Enter saves the note and returns to the table"),
            make_action(w, "Session &ratings", self.focus_globals, "Ctrl+Shift+G"),
            make_action(w, "Switch &talk turns / time windows", self.switch_kind,
                        "Ctrl+Shift+K"),
            make_action(w, "Back to the unit &table", self.focus_table, "Ctrl+Shift+T"),
        ]
        events.opened.connect(lambda project: self.set_enabled(project is not None))
        self.set_enabled(False)

    def navigate(self) -> list[QAction]:
        return list(self.navigate_actions)

    def view(self) -> list[QAction]:
        return [self.act_hints, self.act_reading]

    def keyboard(self) -> list[QAction]:
        return list(self.keyboard_actions)

    def set_enabled(self, enabled: bool) -> None:
        for action in self.navigate_actions + self.keyboard_actions:
            action.setEnabled(enabled)

    def toggle_reading(self) -> None:
        on = self.act_reading.isChecked()
        self.settings.set_reading_mode(on)
        self.workspace.reading.set_enabled(on)

    def focus_note(self) -> None:
        self.show_workspace.emit()
        self.workspace.note.setFocus(Qt.ShortcutFocusReason)

    def focus_globals(self) -> None:
        self.show_workspace.emit()
        ws = self.workspace
        ws.side.setCurrentWidget(ws.globals)
        ws.globals.focus_first()

    def switch_kind(self) -> None:
        box = self.workspace.bar.kind_box
        if box.count() > 1:
            box.setCurrentIndex((box.currentIndex() + 1) % box.count())
        self.focus_table()

    def focus_table(self) -> None:
        self.show_workspace.emit()
        self.workspace.table.setFocus(Qt.ShortcutFocusReason)

    def go_to_time(self) -> None:
        text, ok = QInputDialog.getText(self.window, "Go to time", "Time (m:ss or h:mm:ss):")
        if ok:
            ms = parse_clock(text)
            if ms is None:
                self.workspace.message.emit(f"'{text}' is not a time")
            else:
                self.workspace.nav.go_to_time(ms)

    def toggle_hints(self) -> None:
        show = self.act_hints.isChecked()
        self.settings.set_show_hints(show)
        self.workspace.set_show_hints(show)
