"""Navigation, search and filters of the coding workspace (a part of CodingWorkspace)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView

from coder.errors import SessionCoderError

from .coding_model import CodingTableModel


class WorkspaceNavigation:
    """Mixed into CodingWorkspace: moving between units, finding text, hiding rows."""

    _last_code: str | None = None
    _matches: list[int] = []

    def go_to_position(self, position: int | None) -> None:
        if self.model is None or position is None:
            return
        row = max(0, min(position - 1, self.model.rowCount() - 1))
        index = self.model.index(row, CodingTableModel.COL_TEXT)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self.table.scrollTo(index, QAbstractItemView.PositionAtCenter)

    def next_unfinished(self) -> None:
        if self._need_rater():
            pos = self.service.codings.next_unfinished(self.info.id, self.model.kind,
                                               self.current_row() + 1)
            if pos is None:
                self.message.emit("Every unit of this transcript is done")
            self.go_to_position(pos)

    def next_with_code(self, step: int = 1) -> None:
        """Next/previous unit with the code chosen in the "Show" filter, else the code the
        rater applied last."""
        code_id = self.bar.code_filter() or self._last_code
        if not self._need_rater():
            return
        if not code_id:
            self.message.emit("Apply a code, or choose one under Show, first")
            return
        positions = self.service.codings.positions_with_code(self.info.id, self.model.kind, code_id)
        self._jump(positions, step, f"No unit has '{self.book.code(code_id).label}'")

    def _jump(self, positions: list[int], step: int, empty: str) -> None:
        if not positions:
            self.message.emit(empty)
            return
        here = self.current_row() + 1
        after = [p for p in positions if (p > here if step > 0 else p < here)]
        target = (after[0] if step > 0 else after[-1]) if after else (
            positions[0] if step > 0 else positions[-1])
        self.go_to_position(target)

    def go_to_time(self, ms: int) -> None:
        if self.model is not None:
            pos = self.service.transcripts.position_at(self.info.id, self.model.kind, ms)
            if pos is None:
                self.message.emit("This transcript has no times")
            self.go_to_position(pos)

    def _apply_filters(self) -> None:
        if self.model is None:
            return
        kind = self.model.kind
        keep: set[int] | None = None
        pattern, regex, only = self.bar.search()
        matches = []
        if pattern:
            try:
                matches = self.service.transcripts.search(self.info.id, kind, pattern, regex)
            except SessionCoderError as exc:
                self.message.emit(str(exc))
                matches = []
            if only:
                keep = set(matches)
        self._matches = matches
        role = self.bar.role_filter()
        if role:
            by_role = set(self.service.transcripts.positions_of_role(self.info.id, kind, role))
            keep = by_role if keep is None else keep & by_role
        code_id = self.bar.code_filter()
        if code_id and self.service.viewer is not None:
            with_code = set(self.service.codings.positions_with_code(self.info.id, kind, code_id))
            keep = with_code if keep is None else keep & with_code
        for row in range(self.model.rowCount()):
            self.table.setRowHidden(row, keep is not None and row + 1 not in keep)
        self.highlighter.set_search(self.bar.search_pattern())
        self.bar.set_match_count(len(matches) if pattern else None)

    def _jump_match(self, step: int) -> None:
        self._jump(getattr(self, "_matches", []), step, "No match")

