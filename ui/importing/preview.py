"""The right side of the import dialog: what one chosen file looks like once read.

`PreviewPanel` shows the file's summary or error, a column-mapping row for tables, the
importer's warnings, the first turns as parsed, and the speaker -> role choices.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFrame, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QScrollArea, QSizePolicy, QTableView,
                               QVBoxLayout, QWidget)

from coder.model import ROLES, ColumnMap

from ui.shell.formatting import ROLE_COLORS
from ui.importing.models import (ERROR, NO_NAME, PREVIEW_TURNS, READING, READY, FileEntry,
                            PreviewTableModel, plural)

ROLE_NAMES = {"therapist": "Therapist", "client": "Client", "other": "Other"}
MAPPED = (("text", "Text"), ("speaker", "Speaker"), ("start", "Start"), ("end", "End"))
NONE_COLUMN = "(none)"


def role_icon(role: str) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(ROLE_COLORS[role]))
    p.drawEllipse(1, 1, 10, 10)
    p.end()
    return QIcon(pix)


def section_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("detailHeader")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ColumnMapRow(QWidget):
    """Combos choosing which table column holds text, speaker, start and end."""

    columns_changed = Signal(object)        # ColumnMap | None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Column mapping")
        self._turn: str | None = None
        self.combos: dict[str, QComboBox] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(QLabel("Columns:"))
        for key, title in MAPPED:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            combo.setMinimumContentsLength(6)
            combo.setToolTip(f"The column that holds the {title.lower()}"
                             + (" (required)" if key == "text" else " (optional)"))
            combo.currentIndexChanged.connect(self._changed)
            label = QLabel(title)
            label.setBuddy(combo)
            layout.addSpacing(6)
            layout.addWidget(label)
            layout.addWidget(combo)
            self.combos[key] = combo
        layout.addStretch(1)

    def set_headers(self, headers: list[str], columns: ColumnMap | None) -> None:
        self._turn = columns.turn if columns else None
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            if key != "text":
                combo.addItem(NONE_COLUMN, None)
            for h in headers:
                combo.addItem(h, h)
            wanted = getattr(columns, key) if columns else None
            lowered = [str(h).strip().lower() for h in headers]
            if wanted is not None and str(wanted).strip().lower() in lowered:
                combo.setCurrentIndex(lowered.index(str(wanted).strip().lower())
                                      + (0 if key == "text" else 1))
            else:
                combo.setCurrentIndex(-1 if key == "text" else 0)
            combo.blockSignals(False)

    def mapping(self) -> ColumnMap | None:
        text = self.combos["text"].currentData()
        if not text:
            return None
        chosen = {k: self.combos[k].currentData() for k, _ in MAPPED}
        turn = self._turn if self._turn not in chosen.values() else None
        return ColumnMap(text=text, speaker=chosen["speaker"], start=chosen["start"],
                         end=chosen["end"], turn=turn)

    def _changed(self, _index: int) -> None:
        self.columns_changed.emit(self.mapping())


class SpeakerRolesEditor(QWidget):
    """One row per speaker label: label, its number of turns, and a role combo."""

    roles_changed = Signal(dict)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Speakers and roles")
        self.combos: dict[str, QComboBox] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(4)
        self._icons = {r: role_icon(r) for r in ROLES}

    def set_speakers(self, counts: list[tuple[str, int]], roles: dict[str, str]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self.combos = {}
        for col, title in enumerate(("Speaker", "Turns", "Role")):
            head = QLabel(title)
            head.setObjectName("hint")
            self._grid.addWidget(head, 0, col, Qt.AlignRight if col == 1 else Qt.AlignLeft)
        for row, (label, count) in enumerate(counts, 1):
            name = QLabel(label or NO_NAME)
            name.setTextInteractionFlags(Qt.TextSelectableByMouse)
            if not label:
                name.setToolTip("Turns for which the file names no speaker")
            combo = QComboBox()
            for role in ROLES:
                combo.addItem(self._icons[role], ROLE_NAMES[role], role)
            combo.setCurrentIndex(ROLES.index(roles.get(label, "other")))
            combo.setToolTip(f"Role of {label or 'unnamed turns'} in this file")
            combo.currentIndexChanged.connect(self._changed)
            name.setBuddy(combo)
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(QLabel(f"{count:,}"), row, 1, Qt.AlignRight)
            self._grid.addWidget(combo, row, 2)
            self.combos[label] = combo
        self._grid.setColumnStretch(3, 1)
        self._grid.setRowStretch(len(counts) + 1, 1)

    def roles(self) -> dict[str, str]:
        return {label: combo.currentData() for label, combo in self.combos.items()}

    def _changed(self, _index: int) -> None:
        self.roles_changed.emit(self.roles())


class PreviewPanel(QWidget):
    """Shows one FileEntry; edits to its columns and roles come back as signals."""

    columns_changed = Signal(object, object)     # FileEntry, ColumnMap | None
    roles_changed = Signal(object, dict)         # FileEntry, {label: role}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Import preview")
        self.entry: FileEntry | None = None
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.column_row = ColumnMapRow()
        self.column_row.columns_changed.connect(self._columns_changed)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("QLabel { background: #fff6e0; color: #6d4700; "
                                    "border: 1px solid #f0d9a8; border-radius: 4px; "
                                    "padding: 4px 8px; }")

        self.model = PreviewTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        hh.setStretchLastSection(True)
        hh.setSectionResizeMode(QHeaderView.Interactive)
        em = self.fontMetrics().horizontalAdvance("M")
        for col, width in enumerate((3 * em, 5 * em, 11 * em)):
            self.table.setColumnWidth(col, width)
        self.preview_title = section_label("Preview")
        self.preview_hint = QLabel()
        self.preview_hint.setObjectName("hint")

        self.roles_editor = SpeakerRolesEditor()
        self.roles_editor.roles_changed.connect(self._roles_changed)
        self.roles_scroll = QScrollArea()
        self.roles_scroll.setWidgetResizable(True)
        self.roles_scroll.setFrameShape(QFrame.NoFrame)
        self.roles_scroll.setWidget(self.roles_editor)
        self.roles_scroll.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.roles_title = section_label("Speakers and roles")
        self.roles_hint = QLabel("Check each speaker's role; roles apply to this file only.")
        self.roles_hint.setObjectName("hint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.column_row)
        layout.addWidget(self.warnings)
        layout.addSpacing(4)
        head = QHBoxLayout()
        head.addWidget(self.preview_title)
        head.addStretch(1)
        head.addWidget(self.preview_hint)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addSpacing(4)
        layout.addWidget(self.roles_title)
        layout.addWidget(self.roles_hint)
        layout.addWidget(self.roles_scroll)
        layout.addStretch(0)        # takes the room only while the table is hidden
        self.show_entry(None)

    def focus_chain(self) -> list[QWidget]:
        """The panel's widgets in tab order (visible or not)."""
        return ([self.column_row.combos[k] for k, _ in MAPPED] + [self.table]
                + list(self.roles_editor.combos.values()))

    def show_entry(self, entry: FileEntry | None, note: str = "") -> None:
        self.entry = entry
        preview = entry.preview if entry else None
        self.title.setText(entry.path.name if entry else "No file selected")
        if entry is None:
            self.detail.setText("Add transcript files with “Add files…” or “Add folder…”.")
            self.detail.setStyleSheet("color: #6b6b6b;")
        elif entry.status == READING:
            self.detail.setText("Reading…")
            self.detail.setStyleSheet("color: #6b6b6b;")
        elif preview is None:
            why = entry.message or "This file could not be read."
            if entry.status == ERROR:
                if not (entry.is_table and entry.headers):
                    why += "\nIt will not be imported."
                elif "choose the columns" not in why.lower():
                    why += "\nChoose the columns below to read it."
            self.detail.setText(why)
            self.detail.setStyleSheet("color: #b3261e;")
        else:
            speakers = len(preview.speakers)
            text = f"{entry.summary()} · {plural(speakers, 'speaker')}" if speakers else \
                f"{entry.summary()} · no speaker names"
            if entry.status not in (READY, READING) and entry.message:
                text += f"\n{entry.status_text()}"
            self.detail.setText(text)
            self.detail.setStyleSheet("")
        show_columns = bool(entry and entry.is_table and entry.headers)
        self.column_row.setVisible(show_columns)
        if show_columns:
            self.column_row.set_headers(entry.headers, entry.columns)
        notes = list(preview.warnings) if preview else []
        if note and preview is not None:
            notes.append(note)
        self.warnings.setText("\n".join(f"⚠ {w}" for w in notes))
        self.warnings.setVisible(bool(notes))

        has_turns = preview is not None
        for w in (self.preview_title, self.preview_hint, self.table, self.roles_title,
                  self.roles_hint, self.roles_scroll):
            w.setVisible(has_turns)
        if has_turns:
            self.model.set_turns(preview.turns, entry.roles)
            n = preview.turn_count
            self.preview_hint.setText(f"first {PREVIEW_TURNS} of {n:,} turns"
                                      if n > PREVIEW_TURNS else plural(n, "turn"))
            self.roles_editor.set_speakers(entry.speaker_counts(), entry.roles)
            combos = list(self.roles_editor.combos.values())
            row_h = (combos[0].sizeHint().height() if combos else 24) + 4
            shown = min(len(combos), 5)      # more speakers than that: the area scrolls
            self.roles_scroll.setFixedHeight(self.fontMetrics().height() + 6 + row_h * shown)
        else:
            self.model.set_turns([], {})
            self.roles_editor.set_speakers([], {})

    def set_editable(self, editable: bool) -> None:
        self.column_row.setEnabled(editable)
        self.roles_editor.setEnabled(editable)

    def _columns_changed(self, mapping) -> None:
        if self.entry is not None:
            self.columns_changed.emit(self.entry, mapping)

    def _roles_changed(self, roles: dict) -> None:
        if self.entry is not None:
            self.model.set_roles(roles)
            self.roles_changed.emit(self.entry, roles)
