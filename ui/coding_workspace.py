"""CodingWorkspace: where a rater codes one transcript, by keyboard first.

Composes the unit table (CodingTableModel + CodeBadgeDelegate), the detail pane (full text,
span selection, highlights, a note), the code panel with its rating strip, and the session
globals form. Every action becomes a core command on the app's undo stack; views repaint
from the change set the hub broadcasts.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QSplitter, QTableView, QTabWidget, QVBoxLayout,
                               QWidget)

from coder.coding.commands import MarkDone, SetCategory, SetNote, SetRating, ToggleCode
from coder.errors import SessionCoderError
from coder.coding.scope import applies_to, scope_text

from .badge_delegate import CodeBadgeDelegate
from .code_panel import CodePanel
from .coding_model import CodingTableModel
from .formatting import fmt_span
from .globals_form import GlobalsForm
from .span_highlighter import SpanHighlighter, from_utf16
from .undo import run_command
from .workspace_bar import WorkspaceBar
from .workspace_menu import show_unit_menu
from .workspace_nav import WorkspaceNavigation
from .workers import Worker


class CodingWorkspace(WorkspaceNavigation, QWidget):
    message = Signal(str)                 # for the status bar

    def __init__(self, stack, hub, parent=None) -> None:
        super().__init__(parent)
        self.stack, self.hub = stack, hub
        self.service = None
        self.info = None
        self.book = None
        self.model: CodingTableModel | None = None
        self.show_hints = True
        self._hint_worker: Worker | None = None
        self._members: dict[str, tuple[str, ...]] = {}
        self._rater_initials: dict[int, str] = {}

        self.bar = WorkspaceBar()
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.delegate = CodeBadgeDelegate(lambda: self.model, self._own_id, self._initials, self)
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda pos: show_unit_menu(self, pos))

        self.detail_header = QLabel("")
        self.detail_header.setObjectName("detailHeader")
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setObjectName("detailText")
        self.detail.setToolTip("Select words here before pressing a code's key to code only "
                               "that part of the text")
        self.detail.installEventFilter(self)
        self.highlighter = SpanHighlighter(self.detail.document())
        self.note = QLineEdit()
        self.note.setObjectName("noteEdit")
        self.note.setAccessibleName("Note on this unit")
        self.note.editingFinished.connect(self._note_edited)
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel("Note"))
        note_row.addWidget(self.note, 1)
        detail_box = QWidget()
        dl = QVBoxLayout(detail_box)
        dl.setContentsMargins(0, 6, 0, 0)
        dl.setSpacing(4)
        dl.addWidget(self.detail_header)
        dl.addWidget(self.detail, 1)
        dl.addLayout(note_row)

        left = QSplitter(Qt.Vertical)
        left.addWidget(self.table)
        left.addWidget(detail_box)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)
        left.setSizes([560, 170])

        self.codes = CodePanel()
        self.codes.code_triggered.connect(self.trigger_code)
        self.codes.rating_chosen.connect(self.set_rating)
        self.globals = GlobalsForm()
        self.globals.global_changed.connect(self.set_global)
        self.side = QTabWidget()
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
        self.bar.search_changed.connect(self._apply_filters)
        self.bar.filter_changed.connect(self._apply_filters)
        self.bar.next_match.connect(lambda: self._jump_match(+1))
        hub.changed.connect(self._on_changed)
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

    def selected_units(self):
        if self.model is None or self.table.selectionModel() is None:
            return []
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [u for u in (self.model.segment(r) for r in rows) if u is not None]

    # -- loading ------------------------------------------------------------------------------
    def set_project(self, service) -> None:
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
        self.table.setModel(None)
        self.bar.set_transcript(None)
        self.detail_header.setText("")
        self.detail.setPlainText("")
        self.note.setText("")
        self.note.setEnabled(False)
        self.codes.set_context(None, None, 0, {}, {})
        self.globals.setEnabled(False)

    def show_transcript(self, info) -> None:
        self.info = info
        kinds = [info.unit if info.unit != "window" else "turn"]
        if info.window_minutes:
            kinds.append("window")
        self.bar.set_transcript(info, kinds, info.unit if info.unit in kinds else kinds[0])
        self._load(self.bar.kind())
        self._reload_globals()
        self.table.setFocus()             # ready for the keyboard at once

    def _load(self, kind: str) -> None:
        if self.info is None or self.service is None:
            return
        self.model = CodingTableModel(self.service, self.info.id, kind, self.book, self)
        self.table.setModel(self.model)
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
        self._apply_filters()
        if self.model.rowCount():
            start = self.service.codings.next_unfinished(self.info.id, kind) if \
                self.service.viewer else 1
            self.go_to_position(start or 1)
        self._update_progress()
        self._start_hints(kind)

    def _start_hints(self, kind: str) -> None:
        if self._hint_worker is not None:
            self._hint_worker.cancel()
        if not self.show_hints or self.book is None or self.info is None:
            return
        worker = Worker(self.service.transcripts.unit_hints, self.info.id, kind, self.book)
        model = self.model

        def landed(hints) -> None:
            if model is self.model:          # the rater may have moved on meanwhile
                model.set_hints(hints)
                self._refresh_detail()
        worker.signals.finished.connect(landed)
        self._hint_worker = worker.start()

    def stop_background_work(self) -> None:
        if self._hint_worker is not None:
            self._hint_worker.cancel()

    def set_show_hints(self, show: bool) -> None:
        self.show_hints = show
        if self.model is not None:
            self.model.set_hints({})
            if show:
                self._start_hints(self.model.kind)
            self._refresh_detail()

    # -- reacting to changes -------------------------------------------------------------------
    def _on_changed(self, changes) -> None:
        if self.service is None:
            return
        if changes.codebook:
            self.set_project(self.service)
            if self.info is not None:
                self.show_transcript(self.service.transcripts.get(self.info.id))
            return
        if self.model is not None and changes.segments:
            self.model.refresh(changes.segments)
        if self.info is not None and self.info.id in changes.transcripts:
            self._reload_globals()
        self._update_progress()
        self._update_panel()
        self._refresh_detail()

    def _update_progress(self) -> None:
        if self.model is None or self.service is None or self.service.viewer is None:
            self.bar.set_progress(None)
            return
        self.bar.set_progress(self.service.codings.progress(self.info.id, self.model.kind))

    def _reload_globals(self) -> None:
        if self.service is None or self.info is None or self.service.viewer is None:
            self.globals.setEnabled(False)
            return
        own = self.service.viewer.id
        values = {v.code: int(v.value) for v in self.service.codings.session_globals(self.info.id)
                  if v.rater_id == own and v.value is not None}
        self.globals.set_values(values)
        self.globals.setEnabled(True)

    def _row_changed(self, current, _previous) -> None:
        self._refresh_detail()
        self._update_panel()

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
        row = self.current_row()
        seg = self.model.segment(row) if self.model is not None and row >= 0 else None
        if seg is None:
            self.detail_header.setText("")
            self.detail.setPlainText("")
            self.note.setEnabled(False)
            return
        if seg.kind == "window":
            turns = "no talk" if seg.first_turn is None else \
                f"turns {seg.first_turn}–{seg.last_turn}"
            head = f"Window {seg.position} · {fmt_span(seg.start_ms, seg.end_ms)} · {turns}"
        else:
            where = (f"Turn {seg.turn_position}" if seg.kind == "turn"
                     else f"Sentence {seg.position} (turn {seg.turn_position})")
            head = f"{where} · {seg.speaker or '(unnamed)'} ({seg.role})"
            if seg.start_ms is not None:
                head += f" · {fmt_span(seg.start_ms, seg.end_ms)}"
        done = " · done" if self.model.is_done(row) else ""
        self.detail_header.setText(head + done)
        if self.detail.toPlainText() != seg.text:
            self.detail.setPlainText(seg.text)
        own = self._own_id()
        spans = []
        for c in self.model.codings(row):
            code = self.model.code(c.code)
            if c.rater_id == own and c.span_start is not None:
                spans.append((c.span_start, c.span_end, code.color if code and code.color
                              else "#8a8f98"))
        hints = [(h.start, h.end) for h in self.model.hints(row)] if self.show_hints else []
        self.highlighter.set_content(seg.text, spans, hints)
        self.note.setEnabled(own is not None)
        if not self.note.hasFocus():
            self.note.setText(self.model.note(row) or "")

    # -- actions ------------------------------------------------------------------------------
    def _run(self, command) -> bool:
        try:
            run_command(self.stack, self.service, command, self.hub)
        except SessionCoderError as exc:
            self.message.emit(str(exc))
            return False
        return True

    def _need_rater(self) -> bool:
        if self.service is None or self.service.viewer is None or self.model is None:
            self.message.emit("Choose who is coding first (Project ▸ Switch rater…)")
            return False
        return True

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
        self._last_code = code_id
        own = self._own_id()
        has = [any(c.code == code_id and c.rater_id == own
                   for c in self.model.codings(u.position - 1)) for u in inside]
        span = self._detail_span() if len(inside) == 1 else None
        on = span is not None or not all(has)
        if code.kind == "category":
            command = SetCategory(own, code, self._members[code_id], inside, on)
        else:
            command = ToggleCode(own, code, inside, on, span)
        if self._run(command) and len(inside) < len(units):
            self.message.emit(f"'{code.label}' applies to {scope_text(code)}: "
                              f"{len(units) - len(inside)} selected unit(s) left as they were")

    def _detail_span(self) -> tuple[int, int] | None:
        cursor = self.detail.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.detail.toPlainText()
        a = from_utf16(text, cursor.selectionStart())
        b = from_utf16(text, cursor.selectionEnd())
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        return (a, b) if a < b else None

    def set_rating(self, code_id: str, value) -> None:
        if not self._need_rater():
            return
        units = self.selected_units()
        if len(units) != 1:
            self.message.emit("Rate one unit at a time")
            return
        self._run(SetRating(self._own_id(), self.book.code(code_id), value, unit=units[0]))

    def set_global(self, code_id: str, value) -> None:
        if not self._need_rater() or self.info is None:
            return
        self._run(SetRating(self._own_id(), self.book.code(code_id), value,
                            transcript_id=self.info.id))

    def done_next(self) -> None:
        """Mark the selected units completed and move to the next unit."""
        if not self._need_rater():
            return
        units = self.selected_units()
        if not units:
            return
        self._run(MarkDone(self._own_id(), units))
        self.go_to_position(units[-1].position + 1)

    def _note_edited(self) -> None:
        row = self.current_row()
        if self.model is None or row < 0 or self.service is None or self.service.viewer is None:
            return
        text = self.note.text().strip()
        if text == (self.model.note(row) or ""):
            return
        self._run(SetNote(self._own_id(), text or None, unit=self.model.segment(row)))

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
