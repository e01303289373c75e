"""WordSnapper: a selection in the detail pane snaps to whole words as the mouse is released,
so the rater sees the span that will be stored; holding Alt while selecting keeps the exact
characters. The rule itself is `coder.spans.snap_to_words`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from coder.spans import snap_to_words

from ui.workspace.span_highlighter import from_utf16, to_utf16


class WordSnapper(QObject):
    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self.exact = False              # the last selection was made with Alt held
        edit.viewport().installEventFilter(self)
        edit.selectionChanged.connect(self._selection_changed)
        self._snapping = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.MouseButtonRelease and event.button() == Qt.LeftButton:
            self.exact = bool(event.modifiers() & Qt.AltModifier)
            if not self.exact:
                self._show_snapped()
        return False

    def _selection_changed(self) -> None:
        if not self._snapping and not self.edit.textCursor().hasSelection():
            self.exact = False

    def span(self) -> tuple[int, int] | None:
        """The selected span in code points (snapped unless the selection was exact)."""
        cursor = self.edit.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.edit.toPlainText()
        return snap_to_words(text, from_utf16(text, cursor.selectionStart()),
                             from_utf16(text, cursor.selectionEnd()), exact=self.exact)

    def _show_snapped(self) -> None:
        span = self.span()
        if span is None:
            return
        text = self.edit.toPlainText()
        cursor = self.edit.textCursor()
        forward = cursor.position() >= cursor.anchor()
        a, b = to_utf16(text, span[0]), to_utf16(text, span[1])
        cursor.setPosition(a if forward else b)
        cursor.setPosition(b if forward else a, QTextCursor.KeepAnchor)
        self._snapping = True
        self.edit.setTextCursor(cursor)
        self._snapping = False
