"""CodingTableModel: a transcript's units with the signed-in rater's codes, done state and
suggestions — fetched block by block, and refreshed only where a change set says so: from
the change set's exact writes when it has them (no read), by reading those units otherwise.

Which codings are visible is decided by the service (blinding), never here.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from coder.codebook import Codebook
from coder.model import CodingView, Segment

from ui.shell.formatting import fmt_span, fmt_time, one_line
from ui.shell.theme import current as current_theme, role_color
from ui.workspace.segment_model import BLOCK, SegmentTableModel

CODES_ROLE = Qt.UserRole + 1       # list[Badge] for the badge delegate
HINTS_ROLE = Qt.UserRole + 2       # list[str]: suggested code ids not applied yet
DONE_ROLE = Qt.UserRole + 3        # bool: the rater completed this unit


class CodingTableModel(SegmentTableModel):
    COLUMNS = ("#", "Time", "Speaker", "Codes", "Text", "")
    COL_CODES, COL_TEXT, COL_DONE = 3, 4, 5

    def __init__(self, service, transcript_id: int, kind: str, codebook: Codebook | None,
                 parent=None) -> None:
        self._codings: dict[int, list[CodingView]] = {}
        self._done: set[int] = set()
        self._hints: dict[int, list] = {}
        self._notes: dict[int, str] = {}
        self._row_by_id: dict[int, int] = {}       # loaded unit id -> row
        self._book = codebook
        self._labels = {}
        self._signed_in = service.viewer is not None
        super().__init__(service, transcript_id, kind, parent)
        self.set_codebook(codebook)

    def set_codebook(self, codebook: Codebook | None) -> None:
        self._book = codebook
        self._labels = {} if codebook is None else {
            e.code.id: e.code for e in codebook.codes()}
        if self.rowCount():
            self.dataChanged.emit(self.index(0, self.COL_CODES),
                                  self.index(self.rowCount() - 1, self.COL_CODES))

    def code(self, code_id: str):
        return self._labels.get(code_id)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            if self._kind == "window":
                return ("#", "Time", "Turns", "Ratings", "Text", "")[section]
            return self.COLUMNS[section]
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and section == self.COL_DONE:
            return "Done: you completed this unit (Enter marks it and moves on)"
        return None

    # -- fetching ---------------------------------------------------------------------------
    def _block_loaded(self, rows: list[Segment]) -> None:
        self._row_by_id.update((s.id, s.position - 1) for s in rows)
        if not self._signed_in or not rows:
            return
        self._fetch_state([s.id for s in rows])

    def _fetch_state(self, ids: list[int]) -> None:
        for sid in ids:
            self._codings[sid] = []
        for view in self._service.codings.on(ids):
            self._codings.setdefault(view.segment_id, []).append(view)
        done = self._service.codings.completed(ids)
        self._done.difference_update(ids)
        self._done.update(done)
        notes = self._service.codings.notes(ids)
        for sid in ids:
            self._notes.pop(sid, None)
        self._notes.update(notes)

    def refresh(self, segment_ids) -> None:
        """Re-read codings, done state and notes of these units (those already loaded) and
        repaint only their rows."""
        loaded = self._row_by_id
        ids = [sid for sid in segment_ids if sid in loaded]
        if not ids or not self._signed_in:
            return
        self._fetch_state(ids)
        rows = sorted(loaded[sid] for sid in ids)
        self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], self.COL_DONE))

    def apply_writes(self, written, own: int | None) -> None:
        """Update from a change set's exact coding writes (`coder.commands.UnitWrite`), with
        no read of the store, and repaint only the codes cells of the rows they touch. A
        write by another rater than `own` (whose codings this rater may not see) is read
        again instead."""
        if not self._signed_in:
            return
        loaded = self._row_by_id
        touched, other = set(), set()
        for w in written:
            if w.unit_id not in loaded:
                continue                    # not fetched yet: read when its block loads
            if w.rater_id != own:
                other.add(w.unit_id)
                continue
            views = [c for c in self._codings.get(w.unit_id, []) if c.id != w.coding_id]
            if w.coding is not None:
                views.append(w.coding)
                views.sort(key=lambda c: c.id)     # the store's order
            self._codings[w.unit_id] = views
            touched.add(w.unit_id)
        if other:
            self._fetch_state(sorted(other))
        for sid in touched | other:
            index = self.index(loaded[sid], self.COL_CODES)
            self.dataChanged.emit(index, index)

    def set_hints(self, hints_by_segment: dict[int, list]) -> None:
        self._hints = hints_by_segment
        if self.rowCount():
            self.dataChanged.emit(self.index(0, self.COL_CODES),
                                  self.index(self.rowCount() - 1, self.COL_CODES))

    # -- queries ------------------------------------------------------------------------------
    def codings(self, row: int) -> list[CodingView]:
        seg = self.segment(row)
        return [] if seg is None else self._codings.get(seg.id, [])

    def hints(self, row: int) -> list:
        seg = self.segment(row)
        return [] if seg is None else self._hints.get(seg.id, [])

    def note(self, row: int) -> str | None:
        seg = self.segment(row)
        return None if seg is None else self._notes.get(seg.id)

    def is_done(self, row: int) -> bool:
        seg = self.segment(row)
        return seg is not None and seg.id in self._done

    def loaded_ids(self) -> list[int]:
        return list(self._row_by_id)

    def row_of(self, segment_id: int) -> int | None:
        return self._row_by_id.get(segment_id)

    # -- display ----------------------------------------------------------------------------
    _ROLES = frozenset({Qt.DisplayRole, Qt.ToolTipRole, Qt.ForegroundRole,
                        Qt.TextAlignmentRole, Qt.UserRole, CODES_ROLE, HINTS_ROLE, DONE_ROLE,
                        Qt.BackgroundRole})
    playing_row = -1                  # the unit being spoken while the recording plays

    def set_playing(self, row: int) -> None:
        old, self.playing_row = self.playing_row, row
        for r in {old, row}:
            if 0 <= r < self.rowCount():
                self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1),
                                      [Qt.BackgroundRole])

    def data(self, index, role=Qt.DisplayRole):
        # A paint asks for a dozen roles per cell; answer the ones we never set at once.
        if role not in self._ROLES or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.BackgroundRole:
            return QColor(current_theme().playing) if row == self.playing_row else None
        seg = self.segment(row)
        if seg is None:
            return None
        if col == self.COL_CODES:
            if role == CODES_ROLE:
                return self.codings(row)
            if role == HINTS_ROLE:
                applied = {c.code for c in self.codings(row)}
                return sorted({h.code for h in self.hints(row)} - applied)
            if role == Qt.ToolTipRole:
                return self._codes_tooltip(row)
            return None
        if col == self.COL_DONE:
            done = seg.id in self._done
            if role == Qt.DisplayRole:
                return "✓" if done else ""
            if role == DONE_ROLE:
                return done
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignCenter)
            if role == Qt.ForegroundRole:
                return role_color("client")        # the same readable green
            return None
        if role == Qt.DisplayRole:
            if col == 0:
                return str(seg.position) + (" ✎" if seg.id in self._notes else "")
            if col == 1:
                return (fmt_span(seg.start_ms, seg.end_ms) if self._kind == "window"
                        else fmt_time(seg.start_ms))
            if col == 2:
                if self._kind == "window":
                    return "–" if seg.first_turn is None else f"{seg.first_turn}–{seg.last_turn}"
                return seg.speaker or "(unnamed)"
            if col == self.COL_TEXT:
                return one_line(seg.text)
        if role == Qt.ForegroundRole and col == 2 and seg.role:
            return role_color(seg.role)
        if role == Qt.ToolTipRole and col == self.COL_TEXT:
            note = self._notes.get(seg.id)
            return seg.text[:1500] + (f"\n\nNote: {note}" if note else "")
        if role == Qt.TextAlignmentRole and col in (0, 1):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return seg.id
        return None

    def _codes_tooltip(self, row: int) -> str | None:
        lines = []
        for c in self.codings(row):
            code = self._labels.get(c.code)
            label = code.label if code else c.code
            value = "" if c.value is None else f" = {c.value:g}"
            span = "" if c.span_start is None else f" (text {c.span_start}–{c.span_end})"
            lines.append(f"{label}{value}{span}" + (f" — {c.note}" if c.note else ""))
        hints = self.data(self.index(row, self.COL_CODES), HINTS_ROLE)
        for h in hints or []:
            code = self._labels.get(h)
            lines.append(f"suggested: {code.label if code else h}")
        return "\n".join(lines) or None


__all__ = ["CodingTableModel", "CODES_ROLE", "HINTS_ROLE", "DONE_ROLE", "BLOCK"]
