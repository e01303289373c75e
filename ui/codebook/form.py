"""CodeForm: the fields of one code in the codebook editor.

Each field change becomes one proposed codebook (`edit_requested(before, after, text)`);
the panel runs it as an undoable command. A value is checked against the whole would-be codebook
(`check_codebook`) while it is typed; an invalid value is shown in red under its field and is
not proposed. Text fields propose when they lose focus or on Enter (Ctrl+Return in a
multi-line field); combos, checkboxes, the shortcut key and the colour at once.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget)

from coder.codebook import Codebook, Scale
from coder.codebook.edit import update_code
from coder.codebook.model import RATED_KINDS, Code

from ui.codebook.checks import new_problems, shortcut_owner
from ui.codebook.fields import (ColorButton, CommitTextEdit, ScaleLabelsTable, ShortcutEdit,
                              align_labels, with_message)
from ui.codebook.tree_model import KIND_NAMES, shortcut_text

ROLE_NAMES = {"therapist": "Therapist", "client": "Client", "any": "Any speaker"}
UNIT_NAMES = {"segment": "Each segment", "window": "Each time window"}
ASPECT_NAMES = {None: "None", "adherence": "Adherence", "competence": "Competence"}


def section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("formSection")
    label.setIndent(0)
    return label


class CodeForm(QWidget):
    edit_requested = Signal(object, object, str)   # codebook before, after, undo text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Code details form")
        self._book: Codebook | None = None
        self._id: str | None = None
        self._loading = False
        self._pending: set[str] = set()         # fields being typed in: a reload keeps them
        self.messages = {}
        self.choose_color = self._ask_color     # tests replace the dialog

        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        self.id_label = QLabel()
        self.id_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.id_label.setToolTip("Ids never change; codings refer to the code by its id")
        self.label = QLineEdit()
        self.label.setAccessibleName("Code label")
        self.kind = QComboBox()
        for kind, name in KIND_NAMES.items():
            self.kind.addItem(name, kind)
        self.shortcut = ShortcutEdit()
        self.color = ColorButton()
        self.roles = {r: QCheckBox(name) for r, name in ROLE_NAMES.items()}
        self.unit = QComboBox()
        for unit, name in UNIT_NAMES.items():
            self.unit.addItem(name, unit)
        self.scale_min, self.scale_max = QSpinBox(), QSpinBox()
        for spin in (self.scale_min, self.scale_max):
            spin.setRange(-10, 100)
            spin.setKeyboardTracking(False)
        self.scale_labels = ScaleLabelsTable()
        self.definition = CommitTextEdit(3, enter_commits=True)
        self.use_when = CommitTextEdit(2, enter_commits=True)
        self.not_when = CommitTextEdit(2, enter_commits=True)
        self.examples = CommitTextEdit(4)
        self.markers = CommitTextEdit(4)
        self.item = QLineEdit()
        self.item.setAccessibleName("Item")
        self.aspect = QComboBox()
        for aspect, name in ASPECT_NAMES.items():
            self.aspect.addItem(name, aspect)
        self._build()
        self._connect()

    # -- layout ---------------------------------------------------------------------------
    def _row(self, form: QFormLayout, text: str, field: str, widget: QWidget) -> None:
        box, self.messages[field] = with_message(widget)
        form.addRow(text, box)
        if not widget.accessibleName():        # the label's buddy is the box, not the field
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        return form

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 16)
        outer.setSpacing(6)
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)

        main = self._form()
        main.addRow("Id", self.id_label)
        self._row(main, "Label", "label", self.label)
        self._row(main, "Kind", "kind", self.kind)
        keys = QHBoxLayout()
        keys.setSpacing(16)
        keys.addWidget(self.shortcut)
        keys.addWidget(QLabel("Colour"))
        keys.addWidget(self.color)
        keys.addStretch(1)
        keys_box = QWidget()
        keys_box.setLayout(keys)
        keys.setContentsMargins(0, 0, 0, 0)
        self._row(main, "Shortcut", "shortcut", keys_box)
        self.messages["color"] = self.messages["shortcut"]
        roles = QHBoxLayout()
        roles.setContentsMargins(0, 0, 0, 0)
        roles.setSpacing(14)
        for box in self.roles.values():
            roles.addWidget(box)
        roles.addStretch(1)
        roles_box = QWidget()
        roles_box.setLayout(roles)
        self._row(main, "Speakers", "roles", roles_box)

        self.scale_box = QWidget()
        scale = self._form()
        scale.setContentsMargins(0, 0, 0, 0)
        span = QHBoxLayout()
        span.setContentsMargins(0, 0, 0, 0)
        span.addWidget(self.scale_min)
        span.addWidget(QLabel("to"))
        span.addWidget(self.scale_max)
        span.addStretch(1)
        span_box = QWidget()
        span_box.setLayout(span)
        self._row(scale, "Scale", "scale", span_box)
        self._row(scale, "Point labels", "labels", self.scale_labels)
        self._row(scale, "Rated for", "unit", self.unit)
        self._scale_form = scale
        self.scale_box.setLayout(scale)

        text = self._form()
        self._row(text, "Definition", "definition", self.definition)
        self._row(text, "Use when", "use_when", self.use_when)
        self._row(text, "Not when", "not_when", self.not_when)
        self._row(text, "Examples", "examples", self.examples)
        self._row(text, "Marker phrases", "markers", self.markers)
        self.examples.setToolTip("One example per line")
        self.markers.setToolTip("One phrase per line; transcripts highlight them")

        pair = QHBoxLayout()
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addWidget(self.item, 1)
        pair.addWidget(QLabel("Aspect"))
        pair.addWidget(self.aspect)
        pair_box = QWidget()
        pair_box.setLayout(pair)
        self.item.setToolTip("Adherence and competence ratings of one item share this id")
        item_form = self._form()
        self._row(item_form, "Item", "item", pair_box)

        outer.addLayout(main)
        outer.addWidget(self.scale_box)
        outer.addSpacing(4)
        outer.addWidget(section("Coding guidance"))
        outer.addLayout(text)
        outer.addSpacing(4)
        outer.addWidget(section("Adherence and competence"))
        outer.addLayout(item_form)
        outer.addStretch(1)
        align_labels((main, scale, text, item_form), self.fontMetrics())

    def _connect(self) -> None:
        self.label.textEdited.connect(lambda t: self._typed("label", label=t))
        self.label.editingFinished.connect(self._commit_label)
        self.kind.activated.connect(lambda _i: self._commit_kind())
        self.shortcut.key_chosen.connect(self._commit_shortcut)
        self.color.clicked.connect(lambda _c=False: self._commit_color())
        for role, box in self.roles.items():
            box.clicked.connect(lambda checked, r=role: self._commit_roles(r, checked))
        self.unit.activated.connect(lambda _i: self._commit_unit())
        for spin in (self.scale_min, self.scale_max):
            spin.valueChanged.connect(lambda _v: self._typed_scale())
            spin.editingFinished.connect(self._commit_scale)
        self.scale_labels.labels_edited.connect(self._commit_scale_labels)
        for name in ("definition", "use_when", "not_when", "examples", "markers"):
            edit = getattr(self, name)
            edit.textChanged.connect(lambda n=name: self._typed(n, **self._text_value(n)))
            edit.committed.connect(lambda n=name: self._commit_text(n))
        self.item.textEdited.connect(lambda _t: self._typed("item", **self._item_value()))
        self.item.editingFinished.connect(self._commit_item)
        self.aspect.activated.connect(lambda _i: self._commit_item())

    # -- showing a code -----------------------------------------------------------------------
    @property
    def code_id(self) -> str | None:
        return self._id

    @property
    def code(self) -> Code:
        return self._book.code(self._id)

    def show_code(self, book: Codebook, code_id: str, codings: int = 0) -> None:
        if code_id != self._id or book.code(code_id).kind != self.kind.currentData():
            self._pending.clear()
            for message in self.messages.values():
                message.show_message("")
        self._book, self._id = book, code_id
        entry = book.entry(code_id)
        c = entry.code
        self._loading = True
        self.title.setText(c.label + ("  (archived)" if c.archived else ""))
        used = f"{codings} coding{'s' if codings != 1 else ''}" if codings else "not used yet"
        self.subtitle.setText(f"{' › '.join(g.label for g in entry.groups)}  ·  {used}")
        self.id_label.setText(c.id)
        self._set_text(self.label, "label", c.label)
        self.kind.setCurrentIndex(max(0, self.kind.findData(c.kind)))
        self.shortcut.set_value(c.shortcut)
        self.color.set_color(c.color)
        for role, box in self.roles.items():
            box.setChecked(role in c.roles)
        rated = c.kind in RATED_KINDS
        self.scale_box.setVisible(rated)
        self._scale_form.setRowVisible(2, c.kind == "rating")
        if rated and c.scale is not None and "scale" not in self._pending:
            self.scale_min.setValue(c.scale.min)
            self.scale_max.setValue(c.scale.max)
            self.scale_labels.set_scale(c.scale.min, c.scale.max, dict(c.scale.labels))
        self.unit.setCurrentIndex(max(0, self.unit.findData(c.unit)))
        for name in ("definition", "use_when", "not_when"):
            self._set_text(getattr(self, name), name, getattr(c, name))
        self._set_text(self.examples, "examples", "\n".join(c.examples))
        self._set_text(self.markers, "markers", "\n".join(c.markers))
        self._set_text(self.item, "item", c.item or "")
        self.aspect.setCurrentIndex(max(0, self.aspect.findData(c.aspect)))
        self._loading = False

    def _set_text(self, widget, field: str, text: str) -> None:
        if field in self._pending:
            return
        current = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
        if current != text:
            if isinstance(widget, QLineEdit):
                widget.setText(text)
                widget.setCursorPosition(0)
            else:
                widget.setPlainText(text)

    # -- checking and proposing -------------------------------------------------------------
    def _problems(self, field: str, changes: dict) -> tuple[Codebook | None, list[str]]:
        after = update_code(self._book, self._id, **changes)
        return after, new_problems(self._book, after, f"code '{self._id}'")

    def _typed(self, field: str, **changes) -> None:
        """Check a value while it is typed; show what is wrong, propose nothing."""
        if self._loading or self._book is None:
            return
        self._pending.add(field)
        self.messages[field].show_message("\n".join(self._problems(field, changes)[1]))

    def propose(self, field: str, changes: dict, text: str) -> bool:
        """Propose the change if the result is valid; else show why under the field."""
        if self._loading or self._book is None:
            return False
        after, problems = self._problems(field, changes)
        self.messages[field].show_message("\n".join(problems))
        if problems:
            return False
        self._pending.discard(field)
        if after != self._book:
            self.edit_requested.emit(self._book, after, text)
        return True

    @property
    def _name(self) -> str:
        return self.code.label

    def _commit_label(self) -> None:
        if self.label.text() != self.code.label:
            self.propose("label", {"label": self.label.text().strip()}, f"Rename '{self._name}'")
        else:
            self._pending.discard("label")

    def _commit_kind(self) -> None:
        kind = self.kind.currentData()
        c = self.code
        changes = {"kind": kind}
        if kind in RATED_KINDS and c.scale is None:
            changes["scale"] = Scale(1, 5)
        elif kind not in RATED_KINDS:
            changes["scale"] = None
        if kind != "rating":
            changes["unit"] = "segment"
        text = f"Change kind of '{c.label}' to {KIND_NAMES[kind].lower()}"
        if not self.propose("kind", changes, text):
            self._loading = True
            self.kind.setCurrentIndex(self.kind.findData(c.kind))   # show what still holds
            self._loading = False

    def _commit_shortcut(self, key: str) -> None:
        if key and (other := shortcut_owner(self._book, self._id, key)) is not None \
                and not self.code.archived:
            self.messages["shortcut"].show_message(
                f"{shortcut_text(key)} is already the shortcut of '{other.label}'")
            return
        text = (f"Set shortcut of '{self._name}' to {shortcut_text(key)}" if key
                else f"Clear shortcut of '{self._name}'")
        if not self.propose("shortcut", {"shortcut": key or None}, text):
            self.shortcut.setText(shortcut_text(key))

    def _ask_color(self, initial: str | None) -> str | None:
        color = QColorDialog.getColor(QColor(initial or "#4363d8"), self,
                                      f"Colour of '{self._name}'")
        return color.name().upper() if color.isValid() else None

    def _commit_color(self) -> None:
        color = self.choose_color(self.code.color)
        if color:
            self.propose("color", {"color": color}, f"Set colour of '{self._name}'")

    def _commit_roles(self, role: str, checked: bool) -> None:
        if checked:
            for other, box in self.roles.items():
                if (role == "any") != (other == "any"):
                    box.setChecked(False)
        roles = tuple(r for r, box in self.roles.items() if box.isChecked())
        if not roles:
            self.messages["roles"].show_message(
                "Tick at least one: therapist, client or any speaker")
            return
        names = ", ".join(ROLE_NAMES[r].lower() for r in roles)
        self.propose("roles", {"roles": roles}, f"Set speakers of '{self._name}' to {names}")

    def _commit_unit(self) -> None:
        unit = self.unit.currentData()
        self.propose("unit", {"unit": unit}, f"Rate '{self._name}' per {unit}")

    def _scale_value(self) -> Scale:
        lo, hi = self.scale_min.value(), self.scale_max.value()
        labels = {p: t for p, t in self.scale_labels.labels().items() if lo <= p <= hi}
        return Scale(lo, hi, labels)

    def _typed_scale(self) -> None:
        self._typed("scale", scale=self._scale_value())

    def _commit_scale(self) -> None:
        scale = self._scale_value()
        if self.code.scale is not None and (scale.min, scale.max) == (self.code.scale.min,
                                                                      self.code.scale.max):
            self._pending.discard("scale")
            return
        self.propose("scale", {"scale": scale},
                     f"Change scale of '{self._name}' to {scale.min}–{scale.max}")

    def _commit_scale_labels(self) -> None:
        if self.code.scale is None:
            return
        scale = Scale(self.code.scale.min, self.code.scale.max, self.scale_labels.labels())
        self.propose("labels", {"scale": scale}, f"Edit scale labels of '{self._name}'")

    TEXT_NAMES: ClassVar[dict[str, str]] = {
        "definition": "definition", "use_when": "'use when'", "not_when": "'not when'",
        "examples": "examples", "markers": "marker phrases"}

    def _text_value(self, name: str) -> dict:
        edit = getattr(self, name)
        if name in ("examples", "markers"):
            return {name: edit.lines()}
        return {name: edit.toPlainText().strip()}

    def _commit_text(self, name: str) -> None:
        if self._book is None or self._loading or name not in self._pending:
            return                              # focus left without typing: nothing to do
        self.propose(name, self._text_value(name),
                     f"Edit {self.TEXT_NAMES[name]} of '{self._name}'")

    def _item_value(self) -> dict:
        return {"item": self.item.text().strip() or None, "aspect": self.aspect.currentData()}

    def _commit_item(self) -> None:
        value = self._item_value()
        if (value["item"], value["aspect"]) == (self.code.item, self.code.aspect):
            self._pending.discard("item")
            self.messages["item"].show_message("")
            return
        if not self.propose("item", value, f"Set item of '{self._name}'"):
            self._pending.add("item")
