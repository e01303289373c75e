"""DriftPanel: choose batching, statistic and code; the chart shows the code over batches."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from coder.errors import SessionCoderError
from coder.team.access import TeamAccess

from .drift_chart import DriftChart

STATISTICS = (("Gwet's AC1 (analytic interval)", "gwet_ac1", 0.8),
              ("Krippendorff's α (Krippendorff's bootstrap interval)", "krippendorff_alpha", 0.8),
              ("Percent agreement", "percent_agreement", None))


class DriftPanel(QWidget):
    def __init__(self, service, events=None, parent=None, runner=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rater drift")
        self.service, self.events, self.runner = service, events, runner
        self._job, self._token = None, None
        self.team = TeamAccess.of(service)
        self.by = QComboBox()
        for label, key in (("Month", "month"), ("Week", "week"), ("Named round", "round")):
            self.by.addItem(label, key)
        self.stat = QComboBox()
        self.stat.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.stat.setMinimumContentsLength(12)
        for label, key, threshold in STATISTICS:
            self.stat.addItem(label, (key, threshold))
        self.code = QComboBox()
        self.code.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.code.setMinimumContentsLength(12)
        self.chart = DriftChart()
        rounds = QPushButton("Rounds…")
        rounds.setToolTip("Put transcripts into a named round (drift by round)")
        rounds.clicked.connect(self.name_round)
        top = QHBoxLayout()
        for text, box in (("Batches by", self.by), ("Statistic", self.stat),
                          ("Code", self.code)):
            label = QLabel(text)
            label.setBuddy(box)             # a screen reader's name, also while the list is empty
            box.setAccessibleName(text)
            top.addWidget(label)
            top.addWidget(box)
        top.addWidget(rounds)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.chart, 1)
        self.report = None
        self.by.currentIndexChanged.connect(lambda _i: self.refresh())
        self.stat.currentIndexChanged.connect(lambda _i: self.refresh())
        self.code.currentIndexChanged.connect(lambda _i: self._draw())

    def name_round(self) -> None:
        """Put chosen transcripts into a named round (drift by round)."""
        from coder.team.drift import SetRound
        from .pick_dialog import PickDialog
        dialog = PickDialog("Name a round", "Round", [], self.service.transcripts.list(),
                            editable=True, parent=self)
        if not dialog.exec():
            return
        name, tids = dialog.chosen()
        if not name or not tids:
            return
        command = SetRound(tids, name)
        if self.events is not None:
            self.events.perform(command)
        else:
            self.service.perform(command)
        self.by.setCurrentIndex(self.by.findData("round"))
        self.refresh()

    def refresh(self) -> None:
        """Compute the drift report: on the job runner when there is one (the GUI stays
        responsive on a large project; a newer request cancels the older), else here."""
        key, _ = self.stat.currentData()
        if self._job is not None:
            self._job.cancel()
            self._job = None
        try:
            job = self.team.drift_job(by=self.by.currentData(), statistic=key)
        except SessionCoderError as exc:
            self._failed(str(exc))
            return
        if self.runner is None:
            try:
                self._show(job())
            except SessionCoderError as exc:
                self._failed(str(exc))
            return
        self.chart.set_series([], "Computing drift…", None)
        token = self._token = object()             # only the newest request's end counts
        self._job = self.runner.start(
            "Rater drift", job, on_error=lambda m: self._token is token and self._failed(m))
        self._job.finished.connect(lambda report: self._token is token and self._show(report))

    def _failed(self, message: str) -> None:
        self._job = None
        self.report = None
        self.chart.set_series([], message, None)

    def _show(self, report) -> None:
        self._job = None
        self.report = report
        current = self.code.currentData()
        self.code.blockSignals(True)
        self.code.clear()
        labels = {p.code: p.label for p in self.report.points}
        codes = [c for c in self.report.codes()
                 if any(p.value is not None for p in self.report.series(c))]
        used = [c for c in codes if any(p.used for p in self.report.series(c))]
        for c in used or codes:               # codes nobody applied say nothing about drift
            self.code.addItem(labels[c], c)
        idx = self.code.findData(current)
        self.code.setCurrentIndex(max(idx, 0))
        self.code.blockSignals(False)
        self._draw()

    def _draw(self) -> None:
        code = self.code.currentData()
        _, threshold = self.stat.currentData()
        if self.report is None or code is None:
            self.chart.set_series([], "Drift: no code with a defined statistic in two batches",
                                  None)
            return
        points = self.report.series(code)
        self.chart.set_series(points, f"{self.code.currentText()} — {self.stat.currentText()} "
                                      f"per batch", threshold)

    def showEvent(self, event) -> None:   # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()                      # blinding may have changed meanwhile
