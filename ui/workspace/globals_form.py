"""Rating views: :class:`GlobalsForm` (a codebook's session globals, one row per code), the
:class:`RatingStrip` of unit ratings that :class:`ui.workspace.code_panel.CodePanel` shows under its
code list, and the :class:`ScaleButtons` row of point buttons both are made of.

Pure views (DESIGN.md rule 2): they show the values they are given and emit what the rater
chose. A click never changes a button by itself: the workspace records the rating (a command)
and calls ``set_values`` with the stored values, so what is shown is always what was saved
(rule 6). Clicking the checked point again, or "Clear", asks to clear the rating (None).
"""

from __future__ import annotations

import html
import textwrap
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from coder.codebook import Code, Codebook, Scale
from coder.coding.scope import scope_text
from ui.shell.theme import current as current_theme
from ui.workspace.panel_style import scale_style


def make_label(text: str, name: str, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def value_text(scale: Scale, value: int | None) -> str:
    """What a stored value reads as: "4 · good", "3", or "not rated"."""
    if value is None:
        return "not rated"
    label = scale.label(value)
    return f"{value} · {label}" if label else str(value)


def key_text(shortcut: str | None) -> str:
    """A shortcut as Qt names the key ("V", "1", "F2"), as in ``CodePanel.shortcut_map``."""
    return QKeySequence(shortcut).toString() if shortcut else ""


def code_tooltip(code: Code, width: int = 60) -> str:
    """Definition, use when, not when and one example, wrapped to about `width` characters."""
    def para(head: str, text: str) -> str:
        lines = [html.escape(x) for x in textwrap.wrap(head + " ".join(text.split()), width)]
        body = "<br>".join(lines)
        return f"<b>{head}</b>{body[len(head):]}" if head else body

    parts = [f"<b>{html.escape(code.label)}</b>"]
    for head, text in (("", code.definition), ("Use when: ", code.use_when),
                       ("Not when: ", code.not_when)):
        if text:
            parts.append(para(head, text))
    if code.examples:
        parts.append("<i>" + para("", f"“{code.examples[0]}”") + "</i>")
    where = f"Key {key_text(code.shortcut)} · " if code.shortcut else ""
    parts.append(f"<span style='color:#666666'>{where}{html.escape(scope_text(code))}</span>")
    return "<p>" + "</p><p>".join(parts) + "</p>"


def humanize(ident: str) -> str:
    words = ident.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


class ScaleButtons(QWidget):
    """One checkable button per point of a scale; the point labels are in the tooltips."""

    point_clicked = Signal(object)      # the point clicked, or None when it was the checked one

    def __init__(self, scale: Scale, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rating scale")
        self.scale = scale
        self._value: int | None = None
        self._buttons: dict[int, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        for point in scale.points:
            b = QToolButton()
            b.setObjectName("scalePoint")
            b.setText(str(point))
            b.setCheckable(True)
            b.setFocusPolicy(Qt.TabFocus)        # a click keeps focus where the rater works
            b.setToolTip(value_text(scale, point))
            b.setAccessibleName(value_text(scale, point))
            b.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            b.clicked.connect(partial(self._clicked, point))
            layout.addWidget(b)
            self._buttons[point] = b

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        self._value = value
        for point, b in self._buttons.items():
            b.setChecked(point == value)

    def button(self, point: int) -> QToolButton:
        return self._buttons[point]

    def _clicked(self, point: int) -> None:
        self.set_value(self._value)              # show only what the owner stores
        self.point_clicked.emit(None if point == self._value else point)


class RatingRow(QFrame):
    """One rating code of the strip: label, current value, point buttons."""

    activated = Signal(str)

    def __init__(self, code: Code, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rating")
        self.code = code
        self.setObjectName("ratingRow")
        self.setProperty("active", False)
        self.setToolTip(code_tooltip(code))
        self.label = make_label(code.label, "rowLabel")
        self.value = make_label("", "hint")
        self.buttons = ScaleButtons(code.scale)
        head = QHBoxLayout()
        head.addWidget(self.label, 1)
        head.addWidget(self.value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        layout.addLayout(head)
        layout.addWidget(self.buttons)

    def set_value(self, value: int | None) -> None:
        self.buttons.set_value(value)
        self.value.setText(value_text(self.code.scale, value))

    def set_active(self, active: bool) -> None:
        if self.property("active") != active:
            self.setProperty("active", active)
            self.style().unpolish(self)
            self.style().polish(self)

    def mousePressEvent(self, event) -> None:
        self.activated.emit(self.code.id)
        super().mousePressEvent(event)


class RatingStrip(QWidget):
    """The unit ratings that apply to the current unit, one :class:`RatingRow` each. The
    active one (last clicked, else the first) is what number keys set; it is highlighted."""

    rating_chosen = Signal(str, object)         # rating code id, point or None (clear)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Unit ratings")
        self._rows: dict[str, RatingRow] = {}
        self._active: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(2)
        head = make_label("Ratings", "detailHeader")
        self.hint = make_label("Number keys set the highlighted rating.", "hint", wrap=True)
        layout.addWidget(head)
        layout.addWidget(self.hint)
        self._list = QVBoxLayout()
        self._list.setSpacing(2)
        layout.addLayout(self._list)

    def set_codes(self, codes: list[Code]) -> None:
        if [c.id for c in codes] == list(self._rows):
            return
        for row in self._rows.values():
            row.deleteLater()
        self._rows = {}
        for code in codes:
            row = RatingRow(code)
            row.activated.connect(self.set_active_rating)
            row.buttons.point_clicked.connect(partial(self._rate, code.id))
            self._list.addWidget(row)
            self._rows[code.id] = row
        self._show_active()

    def set_values(self, values: dict[str, int | None]) -> None:
        for code_id, row in self._rows.items():
            row.set_value(values.get(code_id))

    def code_ids(self) -> list[str]:
        return list(self._rows)

    def active_rating(self) -> str | None:
        if self._active in self._rows:
            return self._active
        return next(iter(self._rows), None)

    def set_active_rating(self, code_id: str) -> None:
        if code_id in self._rows:
            self._active = code_id
            self._show_active()

    def buttons(self, code_id: str) -> ScaleButtons:
        return self._rows[code_id].buttons

    def _show_active(self) -> None:
        active = self.active_rating()
        for code_id, row in self._rows.items():
            row.set_active(code_id == active)

    def _rate(self, code_id: str, value) -> None:
        self.set_active_rating(code_id)
        self.rating_chosen.emit(code_id, value)


class GlobalRow(QWidget):
    """One session-global code: label, clear control, point buttons, point labels."""

    chosen = Signal(str, object)

    def __init__(self, code: Code, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session rating")
        self.code = code
        self.label = make_label(code.label, "rowLabel")
        self.label.setToolTip(code_tooltip(code))
        self.label.setWordWrap(True)
        self.status = make_label("not rated", "hint")
        self.clear_button = QToolButton()
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip(f"Clear the rating of {code.label}")
        self.clear_button.setCursor(Qt.PointingHandCursor)
        self.clear_button.setFocusPolicy(Qt.TabFocus)
        self.clear_button.clicked.connect(lambda: self.chosen.emit(self.code.id, None))
        self.buttons = ScaleButtons(code.scale)
        self.buttons.point_clicked.connect(lambda v: self.chosen.emit(self.code.id, v))
        self.legend = make_label("", "legend", wrap=True)
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setVisible(bool(code.scale.labels))

        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.label, 1)
        if code.aspect and code.aspect.lower() not in code.label.lower():
            aspect = make_label(code.aspect, "hint")
            head.addWidget(aspect)
        head.addWidget(self.status, 0, Qt.AlignRight | Qt.AlignTop)
        head.addWidget(self.clear_button, 0, Qt.AlignRight | Qt.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(head)
        layout.addWidget(self.buttons)
        layout.addWidget(self.legend)
        self.set_value(None)

    def set_value(self, value: int | None) -> None:
        self.buttons.set_value(value)
        self.status.setVisible(value is None)
        self.clear_button.setVisible(value is not None)
        if self.code.scale.labels:
            self.legend.setText(_legend(self.code.scale, value))


def _legend(scale: Scale, value: int | None) -> str:
    """The point labels as one wrapping line; the current value's label stands out."""
    chunks = []
    for point, label in scale.labels:
        words = html.escape(label)                  # short labels stay on one line
        text = f"<b>{point}</b>&nbsp;" + (words.replace(" ", "&nbsp;") if len(label) <= 32
                                          else words)
        if point == value:
            text = f"<span style='color:#1f3b5c; background:#dde8f5'>&nbsp;{text}&nbsp;</span>"
        chunks.append(text)
    return "&nbsp;&nbsp; ".join(chunks)


class GlobalsForm(QWidget):
    """The session globals of a codebook; codes rating one item (adherence and competence)
    share a box under the item's heading."""

    global_changed = Signal(str, object)        # code id, value or None (clear)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session ratings")
        self.setStyleSheet(scale_style(current_theme()))
        self._rows: dict[str, GlobalRow] = {}
        self._values: dict[str, int | None] = {}
        title = make_label("Session globals", "panelTitle")
        self.note = make_label("One rating per session.", "hint", wrap=True)
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 4, 6, 4)
        self._body_layout.setSpacing(14)
        scroll = QScrollArea()
        scroll.setAccessibleName("Session rating items")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(self._body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)

    # -- public -------------------------------------------------------------------------------
    def focus_first(self) -> None:
        """Keyboard entry: focus the first global's chosen point (or its first point); Tab
        moves on, Space sets the focused point."""
        row = next(iter(self._rows.values()), None)
        if row is None:
            return
        value = row.buttons.value()
        point = value if value is not None else row.code.scale.points[0]
        row.buttons.button(point).setFocus(Qt.ShortcutFocusReason)

    def set_codebook(self, codebook: Codebook) -> None:
        while self._body_layout.count():
            item = self._body_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._rows = {}
        entries = [e for e in codebook.codes() if e.code.kind == "global"
                   and not e.code.archived and e.code.scale is not None]
        if not entries:
            self.note.setText("This codebook has no session globals.")
            return
        self.note.setText("One rating per session.")
        show_groups = len({e.group.id for e in entries}) > 1
        last_group = None
        placed_items: set[str] = set()
        for e in entries:
            code = e.code
            if code.item in placed_items:
                continue
            if show_groups and e.group.id != last_group:
                head = make_label(e.group.label, "detailHeader")
                self._body_layout.addWidget(head)
                last_group = e.group.id
            if code.item:
                placed_items.add(code.item)
                members = [x.code for x in entries if x.code.item == code.item]
                self._body_layout.addWidget(self._item_box(code.item, members))
            else:
                self._body_layout.addWidget(self._row(code))
        self._body_layout.addStretch(1)
        self.set_values(self._values)

    def set_values(self, values: dict[str, int | None]) -> None:
        self._values = dict(values)
        for code_id, row in self._rows.items():
            row.set_value(self._values.get(code_id))

    def scale_buttons(self, code_id: str) -> ScaleButtons:
        return self._rows[code_id].buttons

    def row(self, code_id: str) -> GlobalRow:
        return self._rows[code_id]

    # -- building ------------------------------------------------------------------------------
    def _row(self, code: Code) -> GlobalRow:
        row = GlobalRow(code)
        row.chosen.connect(self.global_changed)
        self._rows[code.id] = row
        return row

    def _item_box(self, item: str, codes: list[Code]) -> QFrame:
        box = QFrame()
        box.setObjectName("itemBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(10)
        title = make_label(humanize(item), "itemTitle")
        aspects = [c.aspect for c in codes if c.aspect]
        if aspects:
            title.setToolTip("Rated as " + " and ".join(aspects)
                             + ": separate ratings of one item")
        layout.addWidget(title)
        for code in codes:
            layout.addWidget(self._row(code))
        return box
