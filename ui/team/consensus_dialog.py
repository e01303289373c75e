"""ConsensusDialog: edit the consensus of one unit code by code (when no rater's version is
right as it stands). Presence and category codes are check boxes; ratings a spin box whose
lowest step means "not rated". Space toggles, Tab moves, Enter accepts."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QSpinBox, QVBoxLayout)


class ConsensusDialog(QDialog):
    def __init__(self, diff, codebook, labels: dict[str, str], reason: str = "",
                 parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Consensus layer")
        self.setWindowTitle(f"Consensus on {diff.unit.kind} {diff.unit.position}")
        self.setMinimumWidth(460)
        self.diff = diff
        self.fields: dict[str, object] = {}
        current = dict(diff.consensus) if diff.consensus is not None else None
        first = diff.raters[0].as_dict() if diff.raters else {}
        form = QFormLayout()
        codes = {e.code.id: e.code for e in codebook.codes()} if codebook else {}
        for key in diff.all_codes():
            code = codes.get(key)
            base = current if current is not None else first
            if code is not None and code.scale is not None:
                box = QSpinBox()
                box.setRange(code.scale.min - 1, code.scale.max)
                box.setSpecialValueText("not rated")
                box.setValue(int(base[key]) if base.get(key) is not None else code.scale.min - 1)
                self.fields[key] = (box, code.scale.min - 1)
                form.addRow(labels.get(key, key), box)
            else:
                box = QCheckBox(labels.get(key, key))
                box.setChecked(key in base)
                self.fields[key] = (box, None)
                form.addRow(box)
        self.reason = QLineEdit(reason)
        self.reason.setPlaceholderText("Reason (optional, kept in the audit trail)")
        text = QLabel(diff.unit.text)
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addLayout(form)
        lay.addWidget(self.reason)
        lay.addWidget(buttons)

    def outcome(self) -> dict[str, float | None | bool]:
        out: dict[str, float | None | bool] = {}
        for key, (box, none_value) in self.fields.items():
            if none_value is None:
                out[key] = None if box.isChecked() else False
            else:
                out[key] = False if box.value() == none_value else float(box.value())
        return out
