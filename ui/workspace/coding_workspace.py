"""CodingWorkspace: where a rater codes one transcript, by keyboard first — the unit table
(CodingTableModel + CodeBadgeDelegate, ReadingMode), the detail pane, the code panel and the
session globals form; moving and finding is its `UnitNavigator`. Every action is a command
through `ProjectEvents.perform`; views repaint from its change sets (`following.follow`
says how: from the exact writes when a change set has them); suggestions are a job."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QSplitter, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from coder.coding.commands import MarkDone, SetCategory, SetNote, SetRating, ToggleCode
from coder.errors import SessionCoderError
from coder.coding.scope import applies_to, scope_text

from ui.workspace.badge_delegate import CodeBadgeDelegate
from ui.workspace.code_panel import CodePanel
from ui.workspace.coding_model import CodingTableModel
from ui.workspace.globals_form import GlobalsForm
from ui.workspace.detail_pane import UnitDetailPane
from ui.workspace.following import follow, load_globals, load_progress
from ui.workspace.bar import WorkspaceBar
from ui.workspace.menu import show_unit_menu
from ui.workspace.nav import UnitNavigator
from ui.workspace.reading_mode import ReadingMode


class CodingWorkspace(QWidget):
    message = Signal(str)                 # for the status bar
    unit_shown = Signal(object)           # the current unit (a Segment) or None

    def __init__(self, events, runner, parent=None) -> None:
        super().__init__(parent, accessibleName="Coding workspace")
        self.events, self.runner = events, runner
        self.service = None
        self.info = None
        self.book = None
        self.model: CodingTableModel | None = None
        self.show_hints = True
        self._hint_job = None
        self._members: dict[str, tuple[str, ...]] = {}
        self._rater_initials: dict[int, str] = {}

        self.bar = WorkspaceBar()
        self.table = QTableView(accessibleName="Units of the transcript")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()          # fixed heights (reading mode grows some)
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.delegate = CodeBadgeDelegate(lambda: self.model, self._own_id, self._initials, self)
        self.reading = ReadingMode(self.table, CodingTableModel.COL_TEXT, vh.defaultSectionSize())
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda pos: show_unit_menu(self, pos))

        self.details = UnitDetailPane()
        self.details.text.installEventFilter(self)
        self.details.note_edited.connect(self._note_edited)
        self.details.note.returnPressed.connect(self.table.setFocus)   # saved; back to coding
        self.detail_header, self.detail = self.details.header, self.details.text
        self.note, self.highlighter = self.details.note, self.details.highlighter
        self.nav = UnitNavigator(self.table, self.bar, self.highlighter, self.message.emit)

        left = QSplitter(Qt.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.details)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)
        left.setSizes([560, 170])

        self.codes = CodePanel()
        self.codes.code_triggered.connect(self.trigger_code)
        self.codes.rating_chosen.connect(self.set_rating)
        self.globals = GlobalsForm()
        self.globals.global_changed.connect(self.set_global)
        self.side = QTabWidget(accessibleName="Codes and session ratings")
        self.side.addTab(self.codes, "Codes")
        self.side.addTab(self.globals, "Session ratings")
        self.side.setMinimumWidth(280)

        body = QSplitter(Qt.Horizontal)
        body.addWidget(left)
        body.addWidget(self.side)
        body.setStretchFactor(0, 4)
        body.setStretchFactor(1, 1)
        body.setSizes([800, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.bar)
        layout.addWidget(body, 1)

        self.bar.kind_changed.connect(self._load)
        self.bar.search_changed.connect(self.nav.apply_filters)
        self.bar.filter_changed.connect(self.nav.apply_filters)
        self.bar.next_match.connect(lambda: self.nav.next_match(+1))
        events.opened.connect(self.set_project)
        events.changed.connect(self._on_changed)
        self.clear()

    # -- helpers ------------------------------------------------------------------------------
    def _own_id(self) -> int | None:
        return None if self.service is None or self.service.viewer is None else \
            self.service.viewer.id

    def _initials(self, rater_id: int) -> str:
        """Initials for another rater's badge (read once per project, not per paint)."""
        return self._rater_initials.get(rater_id, "?")

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    # -- moving (the navigator does it) ---------------------------------------------------------
    def go_to_position(self, position: int | None) -> None:
        self.nav.go_to_position(position)

    def next_with_code(self, step: int = 1) -> None:
        self.nav.next_with_code(step)

    def show_unit(self, kind: str, position: int) -> None:
        """Show unit `position` of `kind` ("session": the transcript as a whole)."""
        if kind != "session" and self.bar.kind() != kind:
            self.bar.choose_kind(kind)
        if position:
            self.go_to_position(position)

    def selected_units(self):
        if self.model is None or self.table.selectionModel() is None:
            return []
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [u for u in (self.model.segment(r) for r in rows) if u is not None]

    # -- loading ------------------------------------------------------------------------------
    def set_project(self, service) -> None:
        self.stop_background_work()
        self.service = service
        self.book = None if service is None else service.codebook.current()
        self._rater_initials = {} if service is None else {
            r.id: r.initials for r in service.raters.list()}
        self._members = {}
        if self.book is not None:
            for entry in self.book.codes():
                if entry.code.kind == "category":
                    self._members[entry.code.id] = tuple(c.id for c in entry.group.codes)
            self.codes.set_codebook(self.book)
            self.globals.set_codebook(self.book)
        self.bar.set_codes(self.book)
        self.clear()

    def clear(self) -> None:
        self.info = None
        self.model = None
        self.nav.show(self.service, None, None, self.book)
        self.table.setModel(None)
        self.bar.set_transcript(None)
        self.details.clear()
        self.codes.set_context(None, None, 0, {}, {})
        self.globals.setEnabled(False)

    def show_transcript(self, info) -> None:
        self.info = info
        kinds = [info.unit if info.unit != "window" else "turn"]
        if info.window_minutes:
            kinds.append("window")
        self.bar.set_transcript(info, kinds, info.unit if info.unit in kinds else kinds[0])
        self._load(self.bar.kind())
        load_globals(self.globals, self.service, self.info)
        self.table.setFocus()             # ready for the keyboard at once

    def _load(self, kind: str) -> None:
        if self.info is None or self.service is None:
            return
        self.model = CodingTableModel(self.service, self.info.id, kind, self.book, self)
        self.reading.forget()                      # a new model starts with one-line rows
        self.table.setModel(self.model)
        self.nav.show(self.service, self.info, self.model, self.book)
        self.table.setItemDelegateForColumn(CodingTableModel.COL_CODES, self.delegate)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(CodingTableModel.COL_TEXT, QHeaderView.Stretch)
        for col, width in enumerate((52, 70 if kind != "window" else 110, 130, 210, 300, 28)):
            if col != CodingTableModel.COL_TEXT:
                self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_panel())
        self.nav.apply_filters()
        if self.model.rowCount():
            start = self.service.codings.next_unfinished(self.info.id, kind) if \
                self.service.viewer else 1
            self.go_to_position(start or 1)
        self._update_progress()
        self._start_hints(kind)
        self.reading.schedule()

    def _start_hints(self, kind: str) -> None:
        self.stop_background_work()
        if not self.show_hints or self.book is None or self.info is None:
            return
        job = self.runner.start("Code suggestions", self.service.transcripts.unit_hints,
                                self.info.id, kind, self.book, on_error=self.message.emit)
        model = self.model

        def landed(hints) -> None:
            if model is self.model:          # the rater may have moved on meanwhile
                model.set_hints(hints)
                self._refresh_detail()
        job.finished.connect(landed)
        self._hint_job = job

    def stop_background_work(self) -> None:
        if self._hint_job is not None:
            self._hint_job.cancel()
            self._hint_job = None

    def set_show_hints(self, show: bool) -> None:
        self.show_hints = show
        if self.model is not None:
            self.model.set_hints({})
            if show:
                self._start_hints(self.model.kind)
            self._refresh_detail()

    # -- reacting to changes (following.py decides what each change set needs) ----------------
    def _on_changed(self, changes) -> None:
        if self.service is None:
            return
        todo = follow(changes, None if self.info is None else self.info.id, self._rater_initials)
        if todo.reload:             # set_project clears the view: show the same unit again
            shown = None if self.info is None else (self.info.id, self.current_row() + 1)
            self.set_project(self.service)
            if shown is not None:
                self.show_transcript(self.service.transcripts.get(shown[0]))
                self.go_to_position(shown[1])
            return
        if self.model is not None:
            if todo.writes is not None:
                self.model.apply_writes(todo.writes, self._own_id())
            else:
                self.model.refresh(self.model.loaded_ids() if todo.read_all else todo.read)
        if todo.info:
            try:
                self.info = self.service.transcripts.get(self.info.id)
            except SessionCoderError:        # this transcript was removed
                self.clear()
                return
        if todo.info or todo.globals:
            load_globals(self.globals, self.service, self.info)
        if todo.progress:
            self._update_progress()
        self._update_panel()
        self._refresh_detail()

    def _update_progress(self) -> None:
        load_progress(self.bar, self.service, self.info, self.model)

    def _row_changed(self, current, _previous) -> None:
        self._refresh_detail()
        self._update_panel()
        self.unit_shown.emit(None if self.model is None else self.model.segment(current.row()))

    def _update_panel(self) -> None:
        units = self.selected_units()
        if not units or self.model is None:
            self.codes.set_context(None, None, 0, {}, {})
            return
        own = self._own_id()
        applied: dict[str, int] = {}
        ratings: dict[str, int | None] = {}
        for u in units:
            row = u.position - 1
            for c in self.model.codings(row):
                if c.rater_id != own:
                    continue
                applied[c.code] = applied.get(c.code, 0) + 1
                if c.value is not None and u is units[0]:
                    ratings[c.code] = int(c.value)
        self.codes.set_context(units[0].kind, units[0].role or None, len(units), applied, ratings)

    def _refresh_detail(self) -> None:
        self.details.show_unit(self.model, self.current_row(), self._own_id(), self.show_hints)

    # -- actions ------------------------------------------------------------------------------
    def perform(self, command) -> bool:
        """Apply a coding command through the app's one door; say why if it was refused."""
        try:
            self.events.perform(command)
        except SessionCoderError as exc:
            self.message.emit(str(exc))
            return False
        return True

    def _need_rater(self) -> bool:
        return self.nav.has_rater()

    def trigger_code(self, code_id: str) -> None:
        if not self._need_rater():
            return
        code = self.book.code(code_id)
        units = self.selected_units()
        inside = [u for u in units if applies_to(code, u.kind, u.role)]
        if not inside:
            self.message.emit(f"'{code.label}' applies to {scope_text(code)}")
            return
        if code.kind in ("rating", "global"):
            self.side.setCurrentWidget(self.codes if code.kind == "rating" else self.globals)
            return
        self.nav.last_code = code_id
        own = self._own_id()
        has = [any(c.code == code_id and c.rater_id == own
                   for c in self.model.codings(u.position - 1)) for u in inside]
        span = self.details.selected_span() if len(inside) == 1 else None
        on = span is not None or not all(has)
        if code.kind == "category":
            command = SetCategory(own, code, self._members[code_id], inside, on)
        else:
            command = ToggleCode(own, code, inside, on, span)
        if self.perform(command) and len(inside) < len(units):
            self.message.emit(f"'{code.label}' applies to {scope_text(code)}: "
                              f"{len(units) - len(inside)} selected unit(s) left as they were")

    def set_rating(self, code_id: str, value) -> None:
        if not self._need_rater():
            return
        units = self.selected_units()
        if len(units) != 1:
            self.message.emit("Rate one unit at a time")
            return
        self.perform(SetRating(self._own_id(), self.book.code(code_id), value, unit=units[0]))

    def set_global(self, code_id: str, value) -> None:
        if not self._need_rater() or self.info is None:
            return
        self.perform(SetRating(self._own_id(), self.book.code(code_id), value,
                            transcript_id=self.info.id))

    def done_next(self) -> None:
        """Mark the selected units completed and move to the next unit."""
        if not self._need_rater():
            return
        units = self.selected_units()
        if not units:
            return
        self.perform(MarkDone(self._own_id(), units))
        self.go_to_position(units[-1].position + 1)

    def _note_edited(self, text: str) -> None:
        row = self.current_row()
        if self.model is None or row < 0 or self.service is None or self.service.viewer is None:
            return
        if text == (self.model.note(row) or ""):
            return
        self.perform(SetNote(self._own_id(), text or None, unit=self.model.segment(row)))

    # -- keys ---------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.KeyPress and obj in (self.table, self.detail):
            return self._key(event)
        return super().eventFilter(obj, event)

    def _key(self, event) -> bool:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key_Return, Qt.Key_Enter) and not mods & ~Qt.KeypadModifier:
            self.done_next()
            return True
        if mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            return False
        text = QKeySequence(key).toString()
        if self.model is not None and self.model.kind == "window" and text.isdigit():
            code_id = self.codes.active_rating()
            if code_id:
                self.set_rating(code_id, int(text))
                return True
        code_id = self.codes.shortcut_map().get(text)
        if code_id is not None:
            self.trigger_code(code_id)
            return True
        return False
