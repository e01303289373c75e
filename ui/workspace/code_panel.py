"""CodePanel: the codes a rater can apply to the selected units, and a strip of unit ratings.

A pure view (DESIGN.md rule 2): the workspace gives it a codebook and the selection
(:meth:`CodePanel.set_context`), turns its signals into coding commands, then calls
``set_context`` again with what was stored; nothing here checks a code or a rating by itself.
Rows of :class:`CodeListModel` (ui.workspace.code_list) are painted by :class:`CodeRowDelegate`: a colour swatch that is
the check mark (square: presence, round: "one of" category), a keycap, the label. Codes that do
not apply to the unit (:func:`coder.scope.applies_to`) are hidden and a muted line says which.
The list takes focus only by Tab (a click leaves the keyboard with the transcript), and
printable keys pass through it to the workspace's shortcuts.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QGridLayout, QLabel, QLineEdit, QListView, QStyle,
                               QStyledItemDelegate, QVBoxLayout, QWidget)

from coder.codebook import Code, Codebook, CodeEntry
from coder.coding.scope import applies_to

from ui.workspace.code_list import (CODE_ID_ROLE, DEFAULT_COLOR, NO_PARENT,  # noqa: F401
                                    ROW_ROLE, CodeListModel, Row)
from ui.shell import theme as themes
from ui.workspace.globals_form import RatingStrip, ScaleButtons, key_text, make_label
from ui.workspace.panel_style import panel_style

LISTED_KINDS = ("presence", "category")
UNIT_WORDS = {"turn": "turn", "sentence": "sentence", "window": "time window"}


def _listed(book: Codebook) -> list[CodeEntry]:
    """The codes the list offers: presence and category codes that are not archived."""
    return [e for e in book.codes() if e.code.kind in LISTED_KINDS and not e.code.archived]


def _small(font: QFont, bold: bool = False) -> QFont:
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.85)
    small.setBold(bold)
    return small


class CodeRowDelegate(QStyledItemDelegate):
    """Paints a header (label, "one of" pill) or a code (swatch/check, keycap, label)."""

    keys: tuple[str, ...] = ()                      # every keycap text, to align the labels
    agreement: dict[str, str] = {}                  # code id -> live agreement ("α .71")

    def sizeHint(self, option, index) -> QSize:
        header = index.data(ROW_ROLE).code is None and index.row() > 0
        return QSize(200, option.fontMetrics.height() + (16 if header else 10))

    def paint(self, p: QPainter, option, index) -> None:
        row: Row = index.data(ROW_ROLE)
        p.save()
        p.setRenderHint(QPainter.Antialiasing)
        r = option.rect.adjusted(6 + 12 * row.depth, 0, -6, 0)
        if row.code is None:
            self._paint_header(p, r, row, option.font)
        else:
            self._paint_code(p, option, r, row.code, index.data(Qt.CheckStateRole))
        p.restore()

    def _paint_header(self, p, r, row: Row, font: QFont) -> None:
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        t = themes.current()
        p.setPen(QColor(t.title))
        title = QFontMetrics(bold).elidedText(row.title, Qt.ElideRight, r.width() - 60)
        p.drawText(r.adjusted(0, 0, 0, -3), Qt.AlignLeft | Qt.AlignBottom, title)
        if row.one_of:
            small = _small(font)
            sfm = QFontMetrics(small)
            w, h = sfm.horizontalAdvance("one of") + 12, sfm.height() + 2
            pill = QRectF(r.right() - w, r.bottom() - 3 - h, w, h)
            p.setPen(QPen(QColor(t.keycap_border), 1))
            p.setBrush(QColor(t.keycap))
            p.drawRoundedRect(pill, h / 2, h / 2)
            p.setFont(small)
            p.setPen(QColor(t.title))
            p.drawText(pill, Qt.AlignCenter, "one of")
        p.setPen(QPen(QColor(t.border), 1))
        p.drawLine(r.left(), r.bottom(), r.right(), r.bottom())

    def _paint_code(self, p, option, r, code: Code, state) -> None:
        t = themes.current()
        enabled = bool(option.state & QStyle.State_Enabled)
        focused = bool(option.state & QStyle.State_HasFocus)
        color = QColor(code.color or DEFAULT_COLOR)
        state = Qt.CheckState(state) if state is not None else Qt.Unchecked
        if enabled and (focused or option.state & QStyle.State_MouseOver):
            p.fillRect(option.rect, QColor(t.focus_row if focused else t.hover_row))
            if focused:                             # the keyboard's row: an accent bar
                p.fillRect(option.rect.adjusted(0, 0, 3 - option.rect.width(), 0), "#35618f")
        elif enabled and state == Qt.Checked:
            p.fillRect(option.rect, QColor(color.red(), color.green(), color.blue(), 34))
        if not enabled:
            p.setOpacity(0.45)
        s = 14                                      # the swatch is the check box
        box = QRectF(r.left() + 2, r.center().y() - s / 2 + 1, s, s)
        fill = QColor(color)
        fill.setAlpha(255 if state == Qt.Checked else 70)
        p.setPen(QPen(color.darker(115), 1.2))
        p.setBrush(fill)
        if code.kind == "category":
            p.drawEllipse(box)
        else:
            p.drawRoundedRect(box, 3, 3)
        ink = themes.ink_on(color) if state == Qt.Checked else QColor(t.text)
        p.setPen(QPen(ink, 2, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        x, y = box.left(), box.top()
        if state == Qt.Checked:
            p.drawPolyline([QPointF(x + s * .25, y + s * .52), QPointF(x + s * .44, y + s * .72),
                            QPointF(x + s * .76, y + s * .3)])
        elif state == Qt.PartiallyChecked:
            p.drawLine(QPointF(x + 4, box.center().y()), QPointF(x + s - 4, box.center().y()))
        small = _small(option.font, bold=True)
        sfm = QFontMetrics(small)
        h = sfm.height() + 3
        slot = max([sfm.horizontalAdvance(k) + 8 for k in self.keys] + [h + 2])
        x = box.right() + 7
        key = key_text(code.shortcut)
        if key:                                     # a keycap
            w = max(h + 2, sfm.horizontalAdvance(key) + 8)
            cap = QRectF(x, r.center().y() - h / 2 + 1, w, h)
            p.setPen(QPen(QColor(t.keycap_border), 1))
            p.setBrush(QColor(t.keycap))
            p.drawRoundedRect(cap, 3, 3)
            p.drawLine(QPointF(x + 2, cap.bottom()), QPointF(x + w - 2, cap.bottom()))
            p.setFont(small)
            p.setPen(QColor(t.text))
            p.drawText(cap, Qt.AlignCenter, key)
        x += slot + 8
        font = QFont(option.font)
        font.setBold(state == Qt.Checked and enabled)
        p.setFont(font)
        p.setPen(QColor(t.text))
        text_rect = QRectF(x, r.top(), r.right() - x, r.height())
        live = self.agreement.get(code.id)
        if live:                                    # live agreement, right-aligned, muted
            p.setFont(small)
            p.setPen(QColor(t.muted))
            w = sfm.horizontalAdvance(live) + 4
            p.drawText(QRectF(r.right() - w, r.top(), w, r.height()),
                       Qt.AlignRight | Qt.AlignVCenter, live)
            text_rect.setWidth(max(0.0, text_rect.width() - w - 6))
            p.setFont(font)
            p.setPen(QColor(t.text))
        label = QFontMetrics(font).elidedText(code.label, Qt.ElideRight, int(text_rect.width()))
        p.drawText(text_rect, Qt.AlignLeft | Qt.AlignVCenter, label)


class CodeListView(QListView):
    """Space or Enter on a code triggers it; printable keys go on to the workspace."""

    triggered = Signal(QModelIndex)

    def __init__(self, model: CodeListModel, delegate: CodeRowDelegate) -> None:
        super().__init__()
        self.setAccessibleName("Codes")
        self.setObjectName("codeList")
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setSelectionMode(QListView.NoSelection)
        self.setFocusPolicy(Qt.TabFocus)
        self.setMouseTracking(True)
        self.viewport().setAttribute(Qt.WA_Hover)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

    def keyPressEvent(self, event) -> None:
        mods = event.modifiers() & ~Qt.KeypadModifier
        if event.key() in (Qt.Key_Space, Qt.Key_Return, Qt.Key_Enter) and not mods:
            index = self.currentIndex()
            if index.isValid() and index.flags() & Qt.ItemIsEnabled:
                self.triggered.emit(index)
            return
        if event.text().isprintable() and event.text() and not mods & ~Qt.ShiftModifier:
            event.ignore()                          # no type-ahead: letters are shortcuts
            return
        super().keyPressEvent(event)


class CodePanel(QWidget):
    code_triggered = Signal(str)                # code id: apply/remove it on the selection
    rating_chosen = Signal(str, object)         # rating code id, point or None (clear)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Code panel")
        self.setStyleSheet(panel_style(themes.current()))
        self._book: Codebook | None = None
        self._ctx: tuple = (None, None, 0, {}, {})

        title = make_label("Codes", "panelTitle")
        self.context_label = make_label("", "hint")
        self.group_box = QComboBox()
        self.group_box.setFocusPolicy(Qt.TabFocus)
        self.group_box.currentIndexChanged.connect(self._refresh)
        self.find_edit = QLineEdit()
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setToolTip("Show codes whose label or definition contains this text")
        self.find_edit.textChanged.connect(self._refresh)
        self.filters = QWidget()
        grid = QGridLayout(self.filters)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (text, field) in enumerate((("Group", self.group_box), ("Find", self.find_edit))):
            label = QLabel(text)
            label.setBuddy(field)                   # what a screen reader names the field
            grid.addWidget(label, i, 0)
            grid.addWidget(field, i, 1)
        grid.setColumnStretch(1, 1)
        self.note = make_label("", "hint", wrap=True)

        self.model = CodeListModel(self)
        self.delegate = CodeRowDelegate(self)
        self.view = CodeListView(self.model, self.delegate)
        self.view.clicked.connect(self._trigger)
        self.view.triggered.connect(self._trigger)

        self.ratings = RatingStrip()
        self.ratings.rating_chosen.connect(self.rating_chosen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        for widget in (title, self.context_label, self.filters, self.note, self.view, self.ratings):
            layout.addWidget(widget, 1 if widget is self.view else 0)
        layout.addStretch(0)                    # takes the room when the list is hidden
        self._refresh()

    # -- public -------------------------------------------------------------------------------
    def set_codebook(self, codebook: Codebook) -> None:
        self._book = codebook
        self.ratings.set_codes([])
        keep = self.group_box.currentData()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItem("All groups", None)
        for path, group in codebook.iter_groups():
            if any(group.id in e.group_ids for e in _listed(codebook)):
                self.group_box.addItem("    " * len(path) + group.label, group.id)
        self.group_box.setCurrentIndex(max(0, self.group_box.findData(keep)))
        self.group_box.blockSignals(False)
        self.delegate.keys = tuple(self.shortcut_map())
        self._refresh()

    def set_context(self, unit_kind: str | None, role: str | None, selected: int,
                    applied: dict[str, int], ratings: dict[str, int | None]) -> None:
        old, self._ctx = self._ctx, (unit_kind, role, selected, dict(applied), dict(ratings))
        if old[:3] == self._ctx[:3] and old[4] == self._ctx[4]:
            self.model.set_states(self._states(self.model.code_ids()))   # a code (un)applied:
            return                                                        # only its row repaints
        self._refresh()

    def _states(self, code_ids) -> dict[str, Qt.CheckState]:
        _unit, _role, selected, applied, _ratings = self._ctx
        states = {}
        for code_id in code_ids:
            n = applied.get(code_id, 0)
            states[code_id] = (Qt.Checked if selected and n >= selected else
                               Qt.PartiallyChecked if n > 0 else Qt.Unchecked)
        return states

    def set_agreement(self, texts: dict[str, str]) -> None:
        """Live agreement per code id (a category set's on each member), painted beside
        each code; {} shows none."""
        old, self.delegate.agreement = self.delegate.agreement, dict(texts)
        for code_id in {k for k in set(old) | set(texts) if old.get(k) != texts.get(k)}:
            row = self.model.row_of_code(code_id)       # repaint only what changed
            if row >= 0:
                self.view.update(self.model.index(row))

    def active_rating(self) -> str | None:
        """The rating number keys should set: the one last clicked, else the first shown."""
        return self.ratings.active_rating()

    def set_active_rating(self, code_id: str) -> None:
        self.ratings.set_active_rating(code_id)

    def shortcut_map(self) -> dict[str, str]:
        """Key text -> code id for the offered codes with a shortcut (all, in any context)."""
        return {key_text(e.code.shortcut): e.code.id
                for e in (_listed(self._book) if self._book else ()) if e.code.shortcut}

    def rating_buttons(self, code_id: str) -> ScaleButtons:
        return self.ratings.buttons(code_id)

    def _refresh(self) -> None:
        unit, role, selected, _applied, ratings = self._ctx
        book = self._book
        listed = _listed(book) if book else []
        fits = listed if unit is None else [e for e in listed if applies_to(e.code, unit, role)]
        group, needle = self.group_box.currentData(), self.find_edit.text().strip().lower()
        shown = [e for e in fits if (group is None or group in e.group_ids) and (
            not needle or needle in e.code.label.lower() or needle in e.code.definition.lower())]
        rows, done = [], set()
        for e in shown:
            rows += [Row(None, g.label, g.category_set, depth)
                     for depth, g in enumerate(e.groups) if g.id not in done]
            done.update(e.group_ids)
            rows.append(Row(e.code, e.code.label, depth=len(e.groups) - 1))
        states = self._states([e.code.id for e in shown])
        self.model.set_rows(rows, states, unit is not None and selected > 0)
        has_list = bool(fits)
        self.filters.setVisible(has_list)
        self.view.setVisible(has_list)
        notes = []
        if book is not None and not listed:
            notes.append("This codebook has no presence or category codes.")
        elif unit is None or not selected:
            notes.append("Select a unit to apply codes.")
        if len(fits) < len(listed):
            notes.append(_hidden_text(unit, role, [e.code for e in listed if e not in fits]))
        if fits and not shown:
            notes.append("No codes match the filter.")
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        self.context_label.setText(_context_text(unit, role, selected))
        self.context_label.setToolTip(self.context_label.text())   # a narrow panel clips it
        self._refresh_ratings(unit, role, ratings)
        self.layout().setStretch(self.layout().count() - 1, 0 if has_list else 1)

    def _refresh_ratings(self, unit, role, ratings) -> None:
        self.ratings.set_codes([] if unit is None else [
            e.code for e in (self._book.codes() if self._book else ())
            if e.code.kind == "rating" and e.code.scale and applies_to(e.code, unit, role)])
        self.ratings.set_values(ratings)
        self.ratings.setVisible(bool(self.ratings.code_ids()))

    def _trigger(self, index: QModelIndex) -> None:
        if index.flags() & Qt.ItemIsEnabled:            # codes only, and only with a selection
            self.code_triggered.emit(index.data(CODE_ID_ROLE))


def _context_text(unit, role, selected) -> str:
    if unit is None or not selected:
        return "Nothing selected"
    word = UNIT_WORDS.get(unit, unit)
    if unit == "window":
        return "Time window" if selected == 1 else f"{selected} time windows selected"
    who = html.escape(role or "unknown speaker")
    color = themes.role_color(role).name()
    if selected == 1:
        return f"<span style='color:{color}'>{who[:1].upper() + who[1:]}</span> {word}"
    return f"{selected} {word}s selected · current: <span style='color:{color}'>{who}</span>"


def _hidden_text(unit, role, hidden: list[Code]) -> str:
    n, word = len(hidden), UNIT_WORDS.get(unit, unit)
    if unit == "window":
        return f"Turn and sentence codes are hidden for a time window ({n})."
    if all(c.unit == "window" for c in hidden):
        return f"Window codes are hidden for a {word} ({n})."
    who = " and ".join(sorted({r for c in hidden for r in c.roles} - {"any"})).capitalize()
    where = {"therapist": f"a therapist {word}", "client": f"a client {word}",
             None: "a unit with no speaker role"}.get(role, f"another speaker's {word}")
    return f"{who} codes are hidden on {where} ({n})."
