"""TranscriptListModel: the project's transcripts with turn count, speakers and duration."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from coder.model import TranscriptInfo

from ui.shell.formatting import fmt_time

UNIT_NAMES = {"turn": "Turns", "sentence": "Sentences", "window": "Windows"}


class TranscriptListModel(QAbstractTableModel):
    COLUMNS = ("Transcript", "Turns", "Duration", "Speakers", "Unit")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[TranscriptInfo] = []

    def set_items(self, items: list[TranscriptInfo]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[TranscriptInfo]:
        return list(self._items)

    def item(self, row: int) -> TranscriptInfo | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, transcript_id: int) -> int:
        return next((i for i, t in enumerate(self._items) if t.id == transcript_id), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        t = self._items[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return self._cells(t)[col]
        if role == Qt.ToolTipRole:                     # the whole cell first: it may be elided
            lead = "" if col == 0 else f"{self.COLUMNS[col]}: {self._cells(t)[col]}\n"
            return (lead + f"{t.name}\nFormat: {t.format}"
                    + (f", {t.encoding}" if t.encoding else "")
                    + f"\nImported: {t.imported_at}\nSHA-256: {t.sha256[:16]}…")
        if role == Qt.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return t.id
        return None

    @staticmethod
    def _cells(t: TranscriptInfo) -> tuple[str, ...]:
        return (t.name, str(t.turns),
                fmt_time(t.duration_ms) if t.duration_ms is not None else "untimed",
                ", ".join(t.speakers) or "(not named)",
                f"{UNIT_NAMES.get(t.unit, t.unit)} ({t.segments})")
