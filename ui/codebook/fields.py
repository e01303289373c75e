"""Small field widgets of the codebook form: an inline error line, a text box that commits when
it loses focus, a one-key shortcut field, a colour swatch button and the scale-labels table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

ERROR_COLOR = "#b3261e"


class FieldMessage(QLabel):
    """A red line under a field saying why its value is not applied; hidden when empty."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Field message")
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setStyleSheet(f"color: {ERROR_COLOR}; font-size: 11px;")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def with_message(field: QWidget) -> tuple[QWidget, FieldMessage]:
    """`field` with a FieldMessage under it, as one widget for a form row."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(3)
    lay.addWidget(field)
    message = FieldMessage()
    lay.addWidget(message)
    return box, message


def align_labels(forms, fm) -> None:
    """Give the label column of every form (code and group forms alike) one width, so the
    fields line up from one form to the next."""
    width = max(fm.horizontalAdvance(t) for t in ("Marker phrases", "Point labels",
                                                    "Category set", "Description")) + 4
    for form in forms:
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.LabelRole)
            if label is not None and label.widget() is not None:
                label.widget().setMinimumWidth(width)


class CommitTextEdit(QPlainTextEdit):
    """Multi-line text that commits when it loses focus or on Ctrl+Return. With
    `enter_commits` (one paragraph, e.g. a definition) Return commits as well and
    Shift+Return starts a new line; otherwise (one item per line) Return starts a line."""

    committed = Signal()

    def __init__(self, lines: int = 3, enter_commits: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._enter_commits = enter_commits
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setFixedHeight(height)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            mods = event.modifiers()
            if mods & Qt.ControlModifier or (self._enter_commits
                                             and not mods & Qt.ShiftModifier):
                self.committed.emit()
                return
        super().keyPressEvent(event)

    def lines(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.toPlainText().splitlines() if s.strip())


def _key_name(event: QKeyEvent) -> str | None:
    """The one-key shortcut an event stands for: a letter or digit, or F1..F12."""
    if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
        return None
    key = event.key()
    if Qt.Key_F1 <= key <= Qt.Key_F12:
        return f"F{key - Qt.Key_F1 + 1}"
    if Qt.Key_A <= key <= Qt.Key_Z:
        return chr(key).lower()
    if Qt.Key_0 <= key <= Qt.Key_9:
        return chr(key)
    return None


class ShortcutEdit(QLineEdit):
    """Press one key to set a code's shortcut; Backspace or Delete clears it.

    `key_chosen` gives the key as the codebook stores it ("v", "3", "F5"; "" for none).
    Letters are shown in capitals."""

    key_chosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Shortcut key")
        self.setReadOnly(False)
        self.setMaxLength(3)
        self.setAlignment(Qt.AlignCenter)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("F12") + 36)
        self.setContextMenuPolicy(Qt.NoContextMenu)
        self.setToolTip("Press a letter, a digit or F1–F12; Backspace clears the shortcut")
        self._value = ""

    def value(self) -> str:
        return self._value

    def set_value(self, key: str | None) -> None:
        self._value = key or ""
        self.setText(self._value.upper())

    def event(self, event) -> bool:
        # Take our keys before window-wide shortcuts (e.g. coding keys) can.
        if event.type() == QEvent.ShortcutOverride and (
                _key_name(event) is not None
                or event.key() in (Qt.Key_Backspace, Qt.Key_Delete)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key_Tab, Qt.Key_Backtab):
            super().keyPressEvent(event)
            return
        if event.key() in (Qt.Key_Backspace, Qt.Key_Delete):
            self.setText("")
            self.key_chosen.emit("")
            return
        name = _key_name(event)
        if name is not None:
            self.setText(name.upper())
            self.key_chosen.emit(name)
        event.accept()


def swatch_icon(color: str | None, size: int = 16) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    if color:
        p.setBrush(QColor(color))
        p.setPen(QColor(color).darker(130))
    else:
        p.setPen(QColor("#b0b6bd"))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)


class ColorButton(QPushButton):
    """Shows a code's colour; clicking asks for another (the form opens the dialog)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Code colour")
        self.setIconSize(QSize(16, 16))
        self.setToolTip("Choose the code's colour")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("#MMMMMM") + 48)
        self.set_color(None)

    def set_color(self, color: str | None) -> None:
        self.setIcon(swatch_icon(color))
        self.setText(color.upper() if color else "No colour")


class ScaleLabelsTable(QTableWidget):
    """One row per point of a scale; the Label column is editable."""

    labels_edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(0, 1, parent)
        self.setAccessibleName("Scale point labels")
        self.setHorizontalHeaderLabels(["Label"])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        vh.setDefaultAlignment(Qt.AlignCenter)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.AnyKeyPressed)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self._loading = False
        self.itemChanged.connect(self._changed)

    def set_scale(self, lo: int, hi: int, labels: dict[int, str]) -> None:
        self._loading = True
        points = list(range(lo, hi + 1)) if hi >= lo else []
        self.setRowCount(len(points))
        self.setVerticalHeaderLabels([str(p) for p in points])
        for row, point in enumerate(points):
            self.setItem(row, 0, QTableWidgetItem(labels.get(point, "")))
        rows = min(len(points), 8)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height()
                            + rows * self.verticalHeader().defaultSectionSize() + 4)
        self._loading = False

    def labels(self) -> dict[int, str]:
        out = {}
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            text = item.text().strip() if item is not None else ""
            if text:
                out[int(self.verticalHeaderItem(row).text())] = text
        return out

    def _changed(self, _item) -> None:
        if not self._loading:
            self.labels_edited.emit()
