"""FeedbackView: the supervisor's tab — pick a session and whose coding, see its timeline and
summary, enter the client's measures, file it under a dyad, and make the report.

The figures come from `coder.report.gather` (through the service); a session of a few hundred
units takes milliseconds, so this runs on the GUI thread when the tab is shown or the choice
changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QInputDialog, QLabel, QPushButton, QScrollArea, QSpinBox,
                               QSplitter, QVBoxLayout, QWidget)

from coder.analytics.data import EpisodeSettings
from coder.errors import SessionCoderError
from coder.feedback.commands import SetDyad, SetEpisodeSettings
from coder.report.gather import gather

from .measures_form import MeasuresDialog
from .report_dialog import ReportDialog
from .summary_panel import SessionSummary
from .timeline_widget import SessionTimeline


class FeedbackView(QWidget):
    open_unit_of_kind = Signal(int, str, int)     # transcript id, unit kind, position

    def __init__(self, service, events, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feedback")
        self.service, self.events = service, events
        self.report = None
        self._stale = True
        self.session_box = QComboBox()
        self.rater_box = QComboBox()
        for box, chars in ((self.session_box, 14), (self.rater_box, 8)):
            box.setMinimumContentsLength(chars)       # narrow windows stay possible
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.measures_button = QPushButton("Measures…")
        self.measures_button.setToolTip("The client's own ratings of this session")
        self.dyad_button = QPushButton("Dyad…")
        self.rule_button = QPushButton("Episode rule…")
        self.report_button = QPushButton("Report…")
        self.report_button.setDefault(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Session"))
        bar.addWidget(self.session_box, 2)
        bar.addWidget(QLabel("Coding of"))
        bar.addWidget(self.rater_box, 1)
        bar.addStretch(1)
        for b in (self.measures_button, self.dyad_button, self.rule_button, self.report_button):
            bar.addWidget(b)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.timeline = SessionTimeline()
        self.summary = SessionSummary()
        scroll = QScrollArea()
        scroll.setAccessibleName("Session feedback")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.timeline)
        split.addWidget(scroll)
        split.setSizes([190, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.session_box.currentIndexChanged.connect(self._session_changed)
        self.rater_box.currentIndexChanged.connect(lambda _i: self.recompute())
        self.timeline.unit_activated.connect(self._activate)
        self.measures_button.clicked.connect(self.edit_measures)
        self.dyad_button.clicked.connect(self.edit_dyad)
        self.rule_button.clicked.connect(self.edit_rule)
        self.report_button.clicked.connect(self.open_report)
        events.changed.connect(self._changed)
        # nothing is read until the tab is first shown (showEvent): opening a project costs
        # nothing here, and a project opened for repair is not read by this tab unasked

    # -- filling the choices --------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.session_box.currentData()
        self.session_box.blockSignals(True)
        self.session_box.clear()
        dyads = self.service.feedback.dyads()
        for info in self.service.transcripts.list():
            dyad = dyads.get(info.id)
            self.session_box.addItem(info.name + (f"  ·  {dyad}" if dyad else ""), info.id)
        index = self.session_box.findData(current)
        self.session_box.setCurrentIndex(max(0, index))
        self.session_box.blockSignals(False)
        self._session_changed()

    def _session_changed(self, *_a) -> None:
        tid = self.session_box.currentData()
        chosen = self.rater_box.currentText()
        self.rater_box.blockSignals(True)
        self.rater_box.clear()
        if tid is not None:
            try:
                raters = self.service.feedback.session(tid).raters
            except SessionCoderError as exc:
                raters = ()
                self.message.setText(str(exc))
            for name in raters:
                self.rater_box.addItem(name)
        i = self.rater_box.findText(chosen)
        self.rater_box.setCurrentIndex(max(0, i))
        self.rater_box.blockSignals(False)
        self.recompute()

    def recompute(self) -> None:
        tid = self.session_box.currentData()
        self.report = None
        self.message.setText("")
        if tid is not None and self.rater_box.count():
            try:
                self.report = gather(self.service, tid, rater=self.rater_box.currentText())
            except SessionCoderError as exc:
                self.message.setText(str(exc))
        if self.report is None and not self.message.text():
            if self.service.access.blinding_applies():
                self.message.setText("Blind mode: you see only your own codings. A supervisor "
                                     "can turn blinding off to give feedback on others'.")
            else:
                self.message.setText("No coded session yet: code a session (or import "
                                     "codings) to see its episodes and profile here.")
        if self.report is not None:
            self.message.setText("")
            if self.report.skipped:
                self.message.setText("Trends leave out: " + "; ".join(self.report.skipped))
        self.timeline.set_timeline(self.report.timeline if self.report else None)
        self.summary.set_report(self.report)
        for b in (self.report_button,):
            b.setEnabled(self.report is not None)
        for b in (self.measures_button, self.dyad_button):
            b.setEnabled(tid is not None and not self.service.readonly)
        self.rule_button.setEnabled(not self.service.readonly)
        self._stale = False

    def _changed(self, _changes) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _activate(self, position: int) -> None:
        if self.report is not None:
            s = self.report.feedback.session
            self.open_unit_of_kind.emit(s.transcript_id, s.unit_kind, position)

    # -- actions ---------------------------------------------------------------------------------
    def _info(self):
        tid = self.session_box.currentData()
        return None if tid is None else self.service.transcripts.get(tid)

    def edit_measures(self) -> None:
        info = self._info()
        if info is not None:
            MeasuresDialog(self.service, self.events, info, self).exec()
            self.refresh()

    def edit_dyad(self) -> None:
        info = self._info()
        if info is None:
            return
        known = sorted({d for d in self.service.feedback.dyads().values() if d})
        current = self.service.feedback.dyads().get(info.id) or ""
        items = ([current] if current else [""]) + [d for d in known if d != current]
        name, ok = QInputDialog.getItem(self, "Therapist or dyad",
                                        f"Sessions of one dyad form a series.\n{info.name} "
                                        "belongs to:", items, 0, True)
        if ok:
            self.events.perform(SetDyad(info.id, name))
            self.refresh()

    def edit_rule(self) -> None:
        dialog = EpisodeRuleDialog(self.service.feedback.settings(), self)
        if dialog.exec() == QDialog.Accepted:
            self.events.perform(SetEpisodeSettings(dialog.settings()))
            self.refresh()

    def open_report(self) -> ReportDialog | None:
        if self.report is None:
            return None
        dialog = ReportDialog(self.report, self.service.path.parent, self)
        dialog.open()
        return dialog


class EpisodeRuleDialog(QDialog):
    def __init__(self, settings: EpisodeSettings, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Episode rule")
        self.setWindowTitle("Episode rule")
        self.join, self.resolve = QSpinBox(), QSpinBox()
        for box, value in ((self.join, settings.join_units),
                           (self.resolve, settings.resolve_units)):
            box.setRange(1, 200)
            box.setValue(value)
        form = QFormLayout(self)
        note = QLabel("A rupture marker opens an episode; markers within N units join it and "
                      "repairs within N units after its last marker belong to it. It is "
                      "resolved when no marker follows within M units after its last repair.")
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow("N (join, units)", self.join)
        form.addRow("M (resolve, units)", self.resolve)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def settings(self) -> EpisodeSettings:
        return EpisodeSettings(self.join.value(), self.resolve.value())
