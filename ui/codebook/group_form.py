"""GroupForm: the fields of one code group in the codebook editor (label and description;
whether it is a category set is shown, not edited: that changes the kind of all its codes)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from coder.codebook import Codebook
from coder.codebook.edit import update_group

from ui.codebook.checks import new_problems
from ui.codebook.fields import CommitTextEdit, align_labels, with_message


class GroupForm(QWidget):
    edit_requested = Signal(object, object, str)   # codebook before, after, undo text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Group details form")
        self._book: Codebook | None = None
        self._id: str | None = None
        self._loading = False
        self._pending: set[str] = set()

        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        self.id_label = QLabel()
        self.id_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label = QLineEdit()
        self.label.setAccessibleName("Group label")
        self.description = CommitTextEdit(4, enter_commits=True)
        self.description.setAccessibleName("Group description")
        self.category_set = QLabel()
        self.category_set.setWordWrap(True)
        self.messages = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 16)
        outer.setSpacing(6)
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.addRow("Id", self.id_label)
        box, self.messages["label"] = with_message(self.label)
        form.addRow("Label", box)
        box, self.messages["description"] = with_message(self.description)
        form.addRow("Description", box)
        form.addRow("Category set", self.category_set)
        align_labels((form,), self.fontMetrics())
        outer.addLayout(form)
        outer.addStretch(1)

        self.label.textEdited.connect(lambda t: self._typed("label", label=t))
        self.label.editingFinished.connect(self._commit_label)
        self.description.textChanged.connect(
            lambda: self._typed("description", description=self.description.toPlainText()))
        self.description.committed.connect(self._commit_description)

    @property
    def group_id(self) -> str | None:
        return self._id

    def show_group(self, book: Codebook, group_id: str) -> None:
        if group_id != self._id:
            self._pending.clear()
            for message in self.messages.values():
                message.show_message("")
        self._book, self._id = book, group_id
        g = book.group(group_id)
        self._loading = True
        self.title.setText(g.label)
        n_codes = len(g.codes)
        parts = [f"{n_codes} code{'s' if n_codes != 1 else ''}"]
        if g.groups:
            parts.append(f"{len(g.groups)} subgroup{'s' if len(g.groups) != 1 else ''}")
        self.subtitle.setText("  ·  ".join(parts))
        self.id_label.setText(g.id)
        if "label" not in self._pending and self.label.text() != g.label:
            self.label.setText(g.label)
            self.label.setCursorPosition(0)
        if "description" not in self._pending and self.description.toPlainText() != g.description:
            self.description.setPlainText(g.description)
        self.category_set.setText(
            "Yes: each unit gets exactly one of this group's codes (all are categories)"
            if g.category_set else "No: its codes are applied independently")
        self._loading = False

    def _problems(self, changes: dict):
        after = update_group(self._book, self._id, **changes)
        return after, new_problems(self._book, after, f"group '{self._id}'")

    def _typed(self, field: str, **changes) -> None:
        if self._loading or self._book is None:
            return
        self._pending.add(field)
        self.messages[field].show_message("\n".join(self._problems(changes)[1]))

    def _propose(self, field: str, changes: dict, text: str) -> None:
        if self._loading or self._book is None:
            return
        after, problems = self._problems(changes)
        self.messages[field].show_message("\n".join(problems))
        if problems:
            return
        self._pending.discard(field)
        if after != self._book:
            self.edit_requested.emit(self._book, after, text)

    def _commit_label(self) -> None:
        old = self._book.group(self._id).label
        self._propose("label", {"label": self.label.text().strip()}, f"Rename group '{old}'")

    def _commit_description(self) -> None:
        if self._book is None or "description" not in self._pending:
            return
        old = self._book.group(self._id).label
        self._propose("description", {"description": self.description.toPlainText().strip()},
                      f"Edit description of group '{old}'")
