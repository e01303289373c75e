"""AdjudicationView: decide the consensus where raters differ, by keyboard.

↑/↓ move between units; 1–9 take that rater's codes as the consensus; 0 sets "none of the
codes" (not applied); Ctrl+Z undoes (the app's one undo stack). A reason typed in the box
goes into the audit trail with the decision. "Blind" hides the raters' names. Decisions go
to the consensus layer (its own pseudo-rater) and never change a rater's codings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget)

from coder.errors import SessionCoderError
from coder.team.access import TeamAccess

from .adjudication_model import AdjudicationModel


class AdjudicationView(QWidget):
    def __init__(self, service, events, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Adjudication")
        self.service, self.events = service, events
        self.team = TeamAccess.of(service)
        self.transcript = QComboBox()
        self.code = QComboBox()
        for box in (self.transcript, self.code):     # long names must not widen the window
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
        self.transcript.setMinimumContentsLength(18)
        self.blind = QCheckBox("Blind")
        self.blind.setToolTip("Hide the raters' names (blind adjudication)")
        self.blind.setChecked(True)
        self.show_all = QCheckBox("Agreed units too")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the decision")
        self.reason.setPlaceholderText("Reason for the next decision (optional, kept in the "
                                       "audit trail)")
        self.summary = QLabel()
        self.model = AdjudicationModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Units to adjudicate")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        help_ = QLabel("<b>1–9</b> take that rater's codes as consensus · <b>0</b> none apply "
                       "· <b>E</b> edit code by code · <b>↑ ↓</b> move · <b>Ctrl+Z</b> undo")
        help_.setWordWrap(True)
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        for w in (QLabel("Transcript"), self.transcript, QLabel("Code"), self.code):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.show_all)
        top.addWidget(self.blind)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.reason)
        bottom = QHBoxLayout()
        bottom.addWidget(help_, 3)
        bottom.addWidget(self.summary, 2)
        self.summary.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        lay.addLayout(bottom)
        self.table.installEventFilter(self)
        self.transcript.currentIndexChanged.connect(lambda _i: self.refresh())
        self.code.currentIndexChanged.connect(lambda _i: self.refresh())
        self.blind.toggled.connect(lambda _b: self.refresh())
        self.show_all.toggled.connect(lambda _b: self.refresh())
        events.changed.connect(self._changed)
        self.reload_choices()

    def eventFilter(self, obj, event) -> bool:   # noqa: N802 - Qt override
        """Digits on the table decide; everything else is the table's."""
        if obj is self.table and event.type() == QEvent.KeyPress and \
                Qt.Key_0 <= event.key() <= Qt.Key_9 and \
                not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
            self.choose(event.key() - Qt.Key_0)
            return True
        if obj is self.table and event.type() == QEvent.KeyPress and \
                event.key() == Qt.Key_E and not event.modifiers() & Qt.ControlModifier:
            self.edit()
            return True
        return super().eventFilter(obj, event)

    def reload_choices(self) -> None:
        self.transcript.blockSignals(True)
        self.code.blockSignals(True)
        self.transcript.clear()
        for info in self.service.transcripts.list():
            self.transcript.addItem(info.name, (info.id, info.unit))
        self.code.clear()
        self.code.addItem("All codes", None)
        book = self.service.codebook.current()
        self.labels = {}
        if book is not None:
            for e in book.codes():
                if e.code.kind != "global":
                    self.code.addItem(e.code.label, e.code.id)
                self.labels[e.code.id] = e.code.label
        self.transcript.blockSignals(False)
        self.code.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        data = self.transcript.currentData()
        rows = []
        blocked = None
        if data is not None:
            tid, unit = data
            code = self.code.currentData()
            try:
                rows = self.team.differences(tid, unit, None if code is None else [code],
                                             include_agreed=self.show_all.isChecked())
            except SessionCoderError as exc:
                blocked = str(exc)
        current = self.table.currentIndex().row()
        self.model.set_rows(rows, self.labels, self.blind.isChecked())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        for c in (0, 1):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        for c in range(3, self.model.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.Interactive)
            header.resizeSection(c, 170)
        if rows:
            self.table.selectRow(min(max(current, 0), len(rows) - 1))
        self._summarise()
        if blocked:
            self.summary.setText(blocked[0].upper() + blocked[1:])

    def _summarise(self) -> None:
        n = len(self.model.rows)
        open_ = sum(1 for d in self.model.rows if d.consensus is None)
        self.summary.setText(f"{n} unit(s) where raters differ · {open_} undecided")

    def choose(self, key: int) -> None:
        """1–9: rater N's codes; 0: none of the codes seen on the unit."""
        i = self.table.currentIndex().row()
        diff = self.model.row(i)
        if diff is None:
            return
        viewer = self.service.viewer.id if self.service.viewer is not None else None
        reason = self.reason.text().strip() or None
        if key == 0:
            command = self.team.decide(viewer, diff, {k: False for k in diff.all_codes()},
                                       reason)
        else:
            if key > len(self.model.raters):
                return
            rid = self.model.raters[key - 1][0]
            if not any(r.rater_id == rid for r in diff.raters):
                return
            command = self.team.choose(viewer, diff, rid, reason)
        self._run(command, i)

    def _run(self, command, i: int) -> None:
        self._pending_row = next((j for j in range(i + 1, len(self.model.rows))
                                  if self.model.rows[j].consensus is None),
                                 min(i + 1, len(self.model.rows) - 1))
        try:
            self.events.perform(command)
        except SessionCoderError as exc:
            self._pending_row = None
            self.summary.setText(str(exc))
            return
        self.reason.clear()

    _pending_row: int | None = None

    def edit(self) -> None:
        """Edit the consensus code by code in a small dialog."""
        from .consensus_dialog import ConsensusDialog
        i = self.table.currentIndex().row()
        diff = self.model.row(i)
        if diff is None:
            return
        dialog = ConsensusDialog(diff, self.service.codebook.current(), self.labels,
                                 self.reason.text(), self)
        if not dialog.exec():
            return
        viewer = self.service.viewer.id if self.service.viewer is not None else None
        self._run(self.team.decide(viewer, diff, dialog.outcome(),
                                   dialog.reason.text().strip() or None), i)

    def showEvent(self, event) -> None:   # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def _changed(self, changes) -> None:
        if not self.isVisible() and self._pending_row is None:
            return
        self.refresh()
        if self._pending_row is not None and self.model.rows:
            self.table.selectRow(min(self._pending_row, len(self.model.rows) - 1))
            self._pending_row = None
