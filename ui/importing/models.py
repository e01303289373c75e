"""The import dialog's data: one FileEntry per chosen file, the file list model and its
two-line delegate, and the small read-only model behind the turn preview.

Nothing here parses a file: entries hold what the service's importers returned.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from coder.model import ColumnMap, ParsedTranscript, ParsedTurn, TranscriptInfo

from ui.shell.formatting import ROLE_COLORS, fmt_time, one_line

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")
PREVIEW_TURNS = 30
NO_NAME = "(no name)"

FORMAT_NAMES = {"vtt": "WebVTT", "srt": "SubRip (SRT)", "docx": "Word", "text": "Plain text",
                "otter": "Otter text", "rev": "Rev text", "csv": "CSV", "tsv": "TSV",
                "xlsx": "Excel", "whisper-json": "Whisper JSON"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16",
                  "cp1252": "Windows-1252"}

# File states
READING, READY, ERROR = "reading", "ready", "error"
IMPORTING, IMPORTED, FAILED, CANCELLED, SKIPPED = (
    "importing", "imported", "failed", "cancelled", "skipped")

STATUS_COLORS = {READING: "#6b6b6b", READY: "#3c3c3c", ERROR: "#b3261e", IMPORTING: "#2f6db5",
                 IMPORTED: "#2e7d32", FAILED: "#b3261e", CANCELLED: "#8a5a00",
                 SKIPPED: "#6b6b6b"}
STATUS_MARKS = {READING: "…", READY: "", ERROR: "✗", IMPORTING: "⟳", IMPORTED: "✓", FAILED: "✗",
                CANCELLED: "–", SKIPPED: "–"}


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def short_error(message: str, path: Path) -> str:
    """First line of an error, 'file:12:3: text' shown as 'line 12: text' (the list and the
    panel already name the file)."""
    line = (message.strip().splitlines() or [""])[0]
    for prefix in (str(path), path.name):
        if line.startswith(prefix + ":"):
            rest = line[len(prefix) + 1:].strip()
            where = re.match(r"(\d+)(?::\d+)?:\s*", rest)
            return f"line {where.group(1)}: {rest[where.end():]}" if where else rest
    return line


@dataclass(frozen=True)
class FilePreview:
    """What the dialog keeps of a file read for its preview: the first turns and the figures
    it shows, not every turn (a folder of 500 two-hour files held ~300 MiB that way)."""

    format: str
    encoding: str | None
    turns: tuple[ParsedTurn, ...]                 # the first PREVIEW_TURNS
    turn_count: int
    speaker_counts: tuple[tuple[str, int], ...]   # (label, turns), in order of first appearance
    warnings: tuple[str, ...]
    untimed: bool                                 # some turn has no start time

    @classmethod
    def of(cls, parsed: ParsedTranscript) -> FilePreview:
        counts = Counter(t.speaker for t in parsed.turns)
        return cls(parsed.format, parsed.encoding, tuple(parsed.turns[:PREVIEW_TURNS]),
                   len(parsed.turns), tuple(counts.items()), tuple(parsed.warnings),
                   any(t.start_ms is None for t in parsed.turns))

    @property
    def speakers(self) -> tuple[str, ...]:
        """Non-empty speaker labels in order of first appearance."""
        return tuple(label for label, _ in self.speaker_counts if label)


@dataclass(eq=False)
class FileEntry:
    """One chosen file and everything the dialog knows about it."""

    path: Path
    status: str = READING
    message: str = ""                        # error / failure / import result, one line
    preview: FilePreview | None = None
    headers: list[str] | None = None         # tables only
    columns: ColumnMap | None = None         # tables only: the mapping in use
    roles: dict[str, str] = field(default_factory=dict)
    checked: bool = True
    generation: int = 0                      # bumps on each re-read; stale results are dropped
    info: TranscriptInfo | None = None

    @property
    def is_table(self) -> bool:
        return self.path.suffix.lower() in TABLE_SUFFIXES

    @property
    def importable(self) -> bool:
        return self.status == READY and self.checked

    def speaker_counts(self) -> list[tuple[str, int]]:
        """(label, turns) in order of first appearance; "" for turns without a name."""
        return [] if self.preview is None else list(self.preview.speaker_counts)

    def summary(self) -> str:
        p = self.preview
        if p is None:
            return ""
        parts = [plural(p.turn_count, "turn"), FORMAT_NAMES.get(p.format, p.format)]
        if p.encoding:
            parts.append(ENCODING_NAMES.get(p.encoding, p.encoding))
        return " · ".join(parts)

    def status_text(self) -> str:
        if self.status == READING:
            return "Reading…"
        if self.status == READY:
            return self.summary() + ("" if self.checked else " · not included")
        if self.status == IMPORTING:
            return "Importing…"
        if self.status == IMPORTED:
            return f"Imported · {self.message}" if self.message else "Imported"
        if self.status == CANCELLED:
            return "Cancelled · not imported"
        if self.status == SKIPPED:
            return "Not imported (the import was cancelled)"
        return self.message          # ERROR, FAILED


STATUS_ROLE = Qt.UserRole + 1


class ImportFileModel(QAbstractListModel):
    """The chosen files: name, a coloured status line, and a check box for 'include'."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[FileEntry] = []
        self.locked = False          # no checking/unchecking while an import runs

    def add(self, paths: list[Path]) -> list[FileEntry]:
        known = {e.path.resolve() for e in self.entries}
        new = []
        for path in paths:
            path = Path(path)
            if path.resolve() not in known:
                known.add(path.resolve())
                new.append(FileEntry(path))
        if new:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self.entries.extend(new)
            self.endInsertRows()
        return new

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.entries):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.entries[row]
                self.endRemoveRows()

    def row_of(self, entry: FileEntry) -> int:
        return next((i for i, e in enumerate(self.entries) if e is entry), -1)

    def entry_at(self, row: int) -> FileEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def refresh(self, entry: FileEntry) -> None:
        row = self.row_of(entry)
        if row >= 0:
            self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.entries)

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.entries[index.row()].status == READY and not self.locked:
            flags |= Qt.ItemIsUserCheckable
        return flags

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role == Qt.DisplayRole:
            return e.path.name
        if role == STATUS_ROLE:
            return e.status_text()
        if role == Qt.CheckStateRole:
            return Qt.Checked if e.checked and e.status != ERROR else Qt.Unchecked
        if role == Qt.ForegroundRole:
            return QColor(STATUS_COLORS[e.status])
        if role == Qt.ToolTipRole:
            return f"{e.path}\n{e.status_text()}"
        return None

    def setData(self, index, value, role=Qt.EditRole) -> bool:  # noqa: N802 - Qt API
        if not index.isValid() or role != Qt.CheckStateRole:
            return False
        e = self.entries[index.row()]
        if e.status != READY or self.locked:
            return False
        e.checked = Qt.CheckState(value) == Qt.Checked
        self.dataChanged.emit(index, index)
        return True


class FileItemDelegate(QStyledItemDelegate):
    """Paints a file as two lines: its name, and below it the status in the state's colour."""

    PAD = 5

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt API
        fm = option.fontMetrics
        return QSize(220, fm.height() * 2 + 2 * self.PAD + 2)

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        name = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(4, self.PAD, -4, -self.PAD)
        fm = opt.fontMetrics
        entry_status = index.data(STATUS_ROLE) or ""
        color = index.data(Qt.ForegroundRole)
        mark = STATUS_MARKS.get(index.model().entry_at(index.row()).status, "")
        painter.save()
        selected = bool(opt.state & QStyle.State_Selected)
        palette = widget.palette() if widget else opt.palette
        painter.setPen(palette.color(QPalette.HighlightedText if selected else QPalette.Text))
        top = QRect(rect.left(), rect.top(), rect.width(), fm.height())
        painter.drawText(top, Qt.AlignLeft | Qt.AlignVCenter,
                         fm.elidedText(name, Qt.ElideMiddle, top.width()))
        small = QFont(opt.font)
        small.setPointSizeF(max(7.0, opt.font.pointSizeF() * 0.92))
        painter.setFont(small)
        painter.setPen(color if isinstance(color, QColor) else opt.palette.color(QPalette.Text))
        bottom = QRect(rect.left(), top.bottom() + 2, rect.width(), fm.height())
        line = f"{mark} {entry_status}" if mark else entry_status
        painter.drawText(bottom, Qt.AlignLeft | Qt.AlignVCenter,
                         painter.fontMetrics().elidedText(line, Qt.ElideRight, bottom.width()))
        painter.restore()


class PreviewTableModel(QAbstractTableModel):
    """The first turns of a parsed file: #, time, speaker (in its role's colour), text."""

    COLUMNS = ("#", "Time", "Speaker", "Text")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._turns: list[ParsedTurn] = []
        self._roles: dict[str, str] = {}

    def set_turns(self, turns, roles: dict[str, str]) -> None:
        self.beginResetModel()
        self._turns = list(turns)[:PREVIEW_TURNS]
        self._roles = dict(roles)
        self.endResetModel()

    def set_roles(self, roles: dict[str, str]) -> None:
        self._roles = dict(roles)
        if self._turns:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._turns) - 1, 2),
                                  [Qt.ForegroundRole])

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._turns)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Horizontal and role == Qt.DisplayRole \
                and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._turns):
            return None
        t = self._turns[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return (str(index.row() + 1), fmt_time(t.start_ms), t.speaker or NO_NAME,
                    one_line(t.text))[col]
        if role == Qt.ToolTipRole and col == 3:
            return t.text if len(t.text) <= 600 else t.text[:600] + "…"
        if role == Qt.ForegroundRole:
            if col == 2:
                return QColor(ROLE_COLORS.get(self._roles.get(t.speaker, "other"), "#7a7a7a"))
            if col in (0, 1):
                return QColor("#6b6b6b")
        if role == Qt.TextAlignmentRole and col in (0, 1):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None
