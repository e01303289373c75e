"""SegmentTableModel: the units of one transcript, fetched lazily in blocks from the service.

Only ids and small blocks of rows are held; a 2,000-unit transcript paints after one block
is read (DESIGN.md, rule 4).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from coder.model import Segment

from ui.shell.formatting import fmt_span, fmt_time, one_line
from ui.shell.theme import role_color

BLOCK = 40          # about one screen of rows; a paint reads at most two blocks


class SegmentTableModel(QAbstractTableModel):
    COLUMNS_SEGMENT = ("#", "Time", "Speaker", "Role", "Text")
    COLUMNS_WINDOW = ("#", "Time", "Turns", "Talk turns", "Text")

    def __init__(self, service, transcript_id: int, kind: str, parent=None) -> None:
        super().__init__(parent)
        self._service = service
        self._tid = transcript_id
        self._kind = kind
        self._count = service.transcripts.count(transcript_id, kind)
        self._blocks: dict[int, list[Segment]] = {}
        self.fetches = 0          # how many blocks were read (tests and bench look at this)

    @property
    def kind(self) -> str:
        return self._kind

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 5

    def segment(self, row: int) -> Segment | None:
        if not 0 <= row < self._count:
            return None
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            first = block * BLOCK + 1
            rows = self._service.transcripts.segments(self._tid, self._kind, first, first + BLOCK - 1)
            self._blocks[block] = rows
            self.fetches += 1
            self._block_loaded(rows)
        offset = row - block * BLOCK
        return rows[offset] if offset < len(rows) else None

    def _block_loaded(self, rows: list[Segment]) -> None:
        """Hook for subclasses that fetch more for the rows of a block just read."""

    def loaded_segments(self) -> list[Segment]:
        return [s for rows in self._blocks.values() for s in rows]

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            cols = self.COLUMNS_WINDOW if self._kind == "window" else self.COLUMNS_SEGMENT
            return cols[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        seg = self.segment(index.row())
        if seg is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            return self._display(seg, col)
        if role == Qt.ToolTipRole and col == 4:
            return seg.text[:2000]
        if role == Qt.ForegroundRole and col in (2, 3) and seg.role:
            return QBrush(role_color(seg.role))
        if role == Qt.TextAlignmentRole and col in (0, 1):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return seg.id
        return None

    def _display(self, seg: Segment, col: int) -> str:
        if col == 0:
            return str(seg.position)
        if self._kind == "window":
            if col == 1:
                return fmt_span(seg.start_ms, seg.end_ms)
            if col == 2:
                return "–" if seg.first_turn is None else f"{seg.first_turn}–{seg.last_turn}"
            if col == 3:
                return "0" if seg.first_turn is None else str(seg.last_turn - seg.first_turn + 1)
            return one_line(seg.text)
        if col == 1:
            return fmt_time(seg.start_ms)
        if col == 2:
            return seg.speaker or "(unnamed)"
        if col == 3:
            return seg.role
        return one_line(seg.text)
