"""UnitNavigator: moving between units, finding text and hiding rows in the coding workspace.

A part the workspace composes, with its dependencies declared: the unit table, the bar above
it (search and filters), the highlighter of the detail pane, and a `say` callback for the
status bar. The workspace tells it what is shown with `show(project, transcript, model,
book)`; everything else it reads from those.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from coder.errors import SessionCoderError

from ui.workspace.bar import WorkspaceBar
from ui.workspace.coding_model import CodingTableModel
from ui.workspace.span_highlighter import SpanHighlighter

NEED_RATER = "Choose who is coding first (Project ▸ Switch rater…)"


class UnitNavigator:
    def __init__(self, table: QTableView, bar: WorkspaceBar, highlighter: SpanHighlighter,
                 say: Callable[[str], None]) -> None:
        self.table, self.bar, self.highlighter, self.say = table, bar, highlighter, say
        self.project = None
        self.transcript = None              # TranscriptInfo shown
        self.model: CodingTableModel | None = None
        self.book = None
        self.last_code: str | None = None   # the code the rater applied last
        self.matches: list[int] = []        # unit positions matching the search

    def show(self, project, transcript, model: CodingTableModel | None, book) -> None:
        self.project, self.transcript, self.model, self.book = project, transcript, model, book

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def has_rater(self) -> bool:
        """True when someone is signed in and a transcript is shown; else say what to do."""
        if self.project is None or self.project.viewer is None or self.model is None:
            self.say(NEED_RATER)
            return False
        return True

    # -- moving --------------------------------------------------------------------------------
    def go_to_position(self, position: int | None) -> None:
        if self.model is None or position is None:
            return
        row = max(0, min(position - 1, self.model.rowCount() - 1))
        index = self.model.index(row, CodingTableModel.COL_TEXT)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self.table.scrollTo(index, QAbstractItemView.PositionAtCenter)

    def follow(self, position: int) -> None:
        """Mark the unit being spoken (the recording plays) and scroll to it; the selection
        and the keyboard focus stay where the rater left them."""
        if self.model is None:
            return
        row = position - 1
        self.model.set_playing(row)
        if 0 <= row < self.model.rowCount():
            self.table.scrollTo(self.model.index(row, CodingTableModel.COL_TEXT),
                                QAbstractItemView.EnsureVisible)

    def next_unfinished(self) -> None:
        if self.has_rater():
            pos = self.project.codings.next_unfinished(self.transcript.id, self.model.kind,
                                                       self.current_row() + 1)
            if pos is None:
                self.say("Every unit of this transcript is done")
            self.go_to_position(pos)

    def next_with_code(self, step: int = 1) -> None:
        """Next/previous unit with the code chosen in the "Show" filter, else the code the
        rater applied last."""
        code_id = self.bar.code_filter() or self.last_code
        if not self.has_rater():
            return
        if not code_id:
            self.say("Apply a code, or choose one under Show, first")
            return
        positions = self.project.codings.positions_with_code(self.transcript.id,
                                                             self.model.kind, code_id)
        self.jump(positions, step, f"No unit has '{self.book.code(code_id).label}'")

    def next_match(self, step: int = 1) -> None:
        self.jump(self.matches, step, "No match")

    def jump(self, positions: list[int], step: int, empty: str) -> None:
        if not positions:
            self.say(empty)
            return
        here = self.current_row() + 1
        after = [p for p in positions if (p > here if step > 0 else p < here)]
        target = (after[0] if step > 0 else after[-1]) if after else (
            positions[0] if step > 0 else positions[-1])
        self.go_to_position(target)

    def go_to_time(self, ms: int) -> None:
        if self.model is not None:
            pos = self.project.transcripts.position_at(self.transcript.id, self.model.kind, ms)
            if pos is None:
                self.say("This transcript has no times")
            self.go_to_position(pos)

    # -- search and filters --------------------------------------------------------------------
    def apply_filters(self) -> None:
        if self.model is None:
            return
        project, tid, kind = self.project, self.transcript.id, self.model.kind
        keep: set[int] | None = None
        pattern, regex, only = self.bar.search()
        matches = []
        if pattern:
            try:
                matches = project.transcripts.search(tid, kind, pattern, regex)
            except SessionCoderError as exc:
                self.say(str(exc))
                matches = []
            if only:
                keep = set(matches)
        self.matches = matches
        role = self.bar.role_filter()
        if role:
            by_role = set(project.transcripts.positions_of_role(tid, kind, role))
            keep = by_role if keep is None else keep & by_role
        code_id = self.bar.code_filter()
        if code_id and project.viewer is not None:
            with_code = set(project.codings.positions_with_code(tid, kind, code_id))
            keep = with_code if keep is None else keep & with_code
        for row in range(self.model.rowCount()):
            self.table.setRowHidden(row, keep is not None and row + 1 not in keep)
        self.highlighter.set_search(self.bar.search_pattern())
        self.bar.set_match_count(len(matches) if pattern else None)
