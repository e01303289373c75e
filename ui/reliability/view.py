"""ReliabilityView: inter-rater reliability of the project, per code, with intervals.

Settings on top (raters, transcripts, codes, reference rater, interval method, scheme);
Compute (Ctrl+R) asks the access policy on the main thread, then runs one job on the app's
`JobRunner` that reads the snapshot and computes the report, with a progress bar and Cancel
from the start (DESIGN.md rule 5); a cancelled run leaves the previous results in place. A
large selection runs in a child process (`coder.process_job.run_in_process` over the
project's `SnapshotSource`: it shares no GIL with this thread); a small one, or a store that
is not a local file, on a worker thread. The result's arrival fills the table and each tab in
its own turn of the event loop, and `computed` fires after the last. Below: the cut (pooled, per transcript, rater pair, against the
reference), the results table (codes × statistics), and tabs for the dot-and-whisker chart,
the confusion heatmap of a category set, the disagreement browser and each rater's
sensitivity, specificity and F1 against the reference, all following the selected code. When codings change (`ProjectEvents.changed`) the results are marked
stale.

Blinding is the core's rule: while a rater is signed in to a blind project the snapshot is
refused, and the view shows why and how to lift it instead of any figure. A change of the
signed-in rater or of blind mode arrives as a change set too, and the view refreshes itself.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from coder.process_job import run_in_process
from coder.project import BlindingError
from coder.project.reliability import SnapshotSource
from coder.errors import SessionCoderError

from ui.reliability.chart import BandLegend
from ui.reliability.chart_panel import ChartPanel
from ui.reliability.confusion import ConfusionPanel
from ui.reliability.data import cut_entries, result_summary, run_reliability
from ui.reliability.disagreements import DisagreementPanel
from ui.reliability.reference_panel import ReferencePanel
from ui.reliability.settings import CutSelector, ReliabilitySettings
from ui.reliability.table import (KEY_ROLE, ReliabilitySortProxy, ReliabilityTableModel,
                                results_table)
from ui.reliability.notices import BANNER, BLIND_SHORT, BLIND_TEXT
from ui.reliability.view_parts import (cut_steps, job_source, prewarm_after_report,
                                       prewarm_for, results_page, unit_texts, update_chart,
                                       update_legend)
from ui.shell.jobs import Job, JobRunner


class ReliabilityView(QWidget):
    #: Run the report in a child process when the selection's share of the project file is
    #: at least this many bytes (None: always on a worker thread).
    process_from_bytes: int | None = 24 * 2**20

    open_unit = Signal(int, int)                 # transcript id, unit position (0: session)
    open_unit_of_kind = Signal(int, str, int)    # the same with the unit kind
    computed = Signal(object)                    # the new Report, once shown

    def __init__(self, service, events, runner: JobRunner, parent=None) -> None:
        super().__init__(parent)
        self.service, self.events, self.runner = service, events, runner
        self.result, self.stale = None, False
        self.auto_compute = False     # compute as soon as the tab is shown (the sample project)
        self.job: Job | None = None
        self._arriving = None            # a result whose arrival has not finished yet
        self._staged, self._generation = False, 0
        self._changed_while_running = False
        self.settings = ReliabilitySettings()
        self.settings.compute_requested.connect(self.compute)
        self.settings.scheme_changed.connect(self._scheme_changed)
        self.compute_action = QAction("Compute reliability", self)
        self.compute_action.setShortcut(QKeySequence("Ctrl+R"))
        self.compute_action.triggered.connect(self.compute)
        self.addAction(self.compute_action)

        self.cuts = CutSelector()
        self.cuts.changed.connect(self._apply_cut)
        self.cuts.hide()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.setFormat("%v of %m")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.linkActivated.connect(lambda _link: self.compute())
        self.banner.hide()

        self.model = ReliabilityTableModel(self)
        self.proxy = ReliabilitySortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = results_table(self.proxy)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.legend = BandLegend()
        self.footnote = QLabel()
        self.footnote.setObjectName("hint")
        self.footnote.setWordWrap(True)

        self.chart = ChartPanel()
        self.chart.row_clicked.connect(self.select_code)
        self.confusion = ConfusionPanel()
        self.disagreements = DisagreementPanel(self._unit_texts)
        self.disagreements.open_unit.connect(self.open_unit)
        self.disagreements.open_unit_of_kind.connect(self.open_unit_of_kind)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.chart, "Chart")
        self.tabs.addTab(self.confusion, "Confusion matrix")
        self.tabs.addTab(self.disagreements, "Disagreements")
        self.accuracy = ReferencePanel()                 # sensitivity, specificity, F1
        self.tabs.addTab(self.accuracy, "Against reference")

        self.intro = QLabel()
        self.intro.setAlignment(Qt.AlignCenter)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("hint")
        self.blind = QLabel(BLIND_TEXT)
        self.blind.setAlignment(Qt.AlignCenter)
        self.blind.setWordWrap(True)
        self.blind.setTextFormat(Qt.RichText)
        self.blind.setMargin(40)
        self.pages = QStackedWidget()
        for w in (self.intro, self._results_page(), self.blind):
            self.pages.addWidget(w)

        cut_row = QHBoxLayout()
        cut_row.addWidget(self.cuts)
        cut_row.addWidget(QLabel("Scheme"))
        cut_row.addWidget(self.settings.scheme)
        cut_row.addSpacing(12)
        cut_row.addWidget(self.status, 1)
        cut_row.addWidget(self.progress)
        cut_row.addWidget(self.cancel_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.settings)
        lay.addLayout(cut_row)
        lay.addWidget(self.banner)
        lay.addWidget(self.pages, 1)
        self._set_running(False)
        events.changed.connect(self._codings_changed)
        self.refresh()

    def _results_page(self) -> QWidget:
        self.splitter = results_page(self.table, self.legend, self.footnote, self.tabs)
        return self.splitter

    # -- state ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        """Raters, transcripts or blinding may have changed while the tab was hidden."""
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()
            prewarm_for(self)

    def is_blocked(self) -> bool:
        return self.service.access.blinding_applies()

    def refresh(self) -> None:
        """Reload raters, transcripts and codes; apply the blinding rule."""
        self.settings.load(self.service)
        if self.is_blocked():
            self._show_blind()
            return
        self.disagreements.set_blocked(None)
        if self.result is None:
            self._show_intro()
            if self.auto_compute and self.job is None and self.isVisible():
                self.compute()
        elif self.pages.currentWidget() is self.blind:
            self.pages.setCurrentIndex(1)

    def _show_intro(self) -> None:
        n_r, n_t = self.settings.raters.count(), self.settings.transcripts.count()
        self.intro.setText(
            f"<p style='font-size:15px'>{n_r} rater{'s' if n_r != 1 else ''}, {n_t} "
            f"transcript{'s' if n_t != 1 else ''} in this project.</p><p>Choose the raters, "
            "transcripts and codes to compare above, then press <b>Compute</b> (Ctrl+R).<br>"
            "Each code is reported on its own: units two or more raters completed, inside "
            "the code's scope.</p>")
        self.pages.setCurrentWidget(self.intro)

    def _show_blind(self, _message: str | None = None) -> None:
        if self.job is not None:
            self.job.cancel()
        self.result = None
        self.model.set_entries([])
        self.disagreements.set_blocked(BLIND_SHORT)
        self.confusion.set_entries([], str)
        self.accuracy.set_entries([])
        self.chart.clear()
        self._set_banner(None)
        self.status.setText("")
        self.cuts.set_report(None)
        self.pages.setCurrentWidget(self.blind)

    def _set_banner(self, text: str | None, kind: str = "info") -> None:
        self.banner.setVisible(bool(text))
        if text:
            self.banner.setStyleSheet(f"QLabel {{ {BANNER[kind]} border-radius:4px; "
                                      "padding:6px 8px; }")
            self.banner.setText(text)

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.settings.set_running(running)
        self.compute_action.setEnabled(not running)

    # -- computing ------------------------------------------------------------------------------
    def compute(self) -> None:
        if self.job is not None:
            return
        if self.is_blocked():
            self._show_blind()
            return
        problem = self.settings.problem()
        if problem:
            self._set_banner(problem, "error")
            return
        raters, transcripts = self.settings.selection()
        try:
            source = self._source(raters, transcripts)
        except BlindingError as exc:
            self._show_blind(str(exc))
            return
        except SessionCoderError as exc:
            self._set_banner(f"Cannot compute: {exc}", "error")
            return
        options = self.settings.options()
        if isinstance(source, SnapshotSource):   # its own process: no GIL shared with us
            job = self.runner.start("Reliability", run_in_process, run_reliability, source,
                                    **options, on_error=self._failed)
        else:
            job = self.runner.start("Reliability", run_reliability, source, **options,
                                    on_error=self._failed)
        job.progressed.connect(self._progress)
        job.finished.connect(self._finished)
        job.cancelled.connect(self._cancelled)
        self.job = job
        self._changed_while_running = False
        self.progress.setRange(0, 0)
        self._set_running(True)
        what = ("cluster bootstrap, " f"{options['replicates']} replicates"
                if options["ci"] == "bootstrap" else "analytic intervals")
        self._computing = f"Computing ({what})…"
        self.status.setText(self._computing)

    def _source(self, raters, transcripts):
        """The job's snapshot read, the access policy asked now: a `SnapshotSource` that a
        child process reads (a large selection of a local project file), else the read job
        for a worker thread (a small selection, where starting a process, ~1 s, costs more
        than the stalls it spares; a store that is not a file)."""
        return job_source(self.service.reliability, self.process_from_bytes, raters,
                          transcripts, self.settings.transcripts.count())

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def is_running(self) -> bool:
        return self.job is not None

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, total and max(1, total))   # 0: busy (reading codings)
        self.progress.setValue(done)
        if message == "reading codings":
            self.status.setText("Reading codings…")
        elif message == "computing":
            self.status.setText(self._computing)

    def _end(self) -> None:
        self.job = None
        self._set_running(False)
        prewarm_after_report(self)           # for the next Compute

    def _finished(self, result) -> None:
        self._end()
        if self.is_blocked():            # blinding came on while it ran: show nothing
            self._show_blind()
            return
        self.result = result
        self.stale = self._changed_while_running
        self._arriving = result          # the cut's steps run one per event-loop turn
        self._staged = True
        try:
            self.cuts.set_report(result.report)     # -> changed -> _apply_cut
        finally:
            self._staged = False

    def _arrived(self) -> None:
        """The last step of a result's arrival: status, and `computed`."""
        result, self._arriving = self._arriving, None
        if result is None or result is not self.result:
            return
        self.pages.setCurrentIndex(1)
        self._update_status()
        self.computed.emit(result.report)

    def _failed(self, message: str) -> None:
        self._end()
        self._set_banner(f"Reliability could not be computed: {message}", "error")
        self._update_status()

    def _cancelled(self) -> None:
        self._end()
        self._update_status(cancelled=True)

    def _codings_changed(self, changes) -> None:
        if changes.blinding or changes.signed_in:
            self.refresh()               # what this session may see changed
        elif changes.codebook:
            self.settings.load(self.service)
        if not (changes.segments or changes.codes or changes.raters or changes.transcripts
                or changes.codebook):
            return
        if self.job is not None:
            self._changed_while_running = True
        if self.result is not None:
            self.stale = True
            self._update_status()

    def _update_status(self, cancelled: bool = False) -> None:
        if self.result is None:
            self.status.setText("Cancelled; nothing was computed yet." if cancelled else "")
            return
        text = result_summary(self.result)
        if cancelled:
            text = f"Cancelled — still showing the previous results ({text})"
        self.status.setText(text)
        if self.stale:
            self._set_banner("Codings changed since this was computed — "
                             "<a href='recompute'>Recompute</a>", "stale")
        elif not cancelled:
            self._set_banner(None)

    # -- cuts and results ---------------------------------------------------------------------
    def set_cut(self, kind: str, member: int = 0) -> None:
        """Show a cut: "pooled", "per_transcript", "pairs" or "reference" (member index)."""
        self.cuts.set_cut(kind, member)

    def _apply_cut(self) -> None:
        """Fill the table and the tabs with the current cut. When a result arrives, each
        step runs in its own turn of the event loop (no slice of the GUI thread holds it
        long); a cut chosen by hand is applied at once."""
        if self.result is None:
            return
        self._generation += 1
        key = self.current_key()
        kind, member = self.cuts.current()
        result = self.result
        entries = cut_entries(result.report, kind, member)

        steps = cut_steps(self, result, entries, kind, member, key) + [self._arrived]
        if not self._staged:
            for step in steps[:-1] if self._arriving is None else steps:
                step()
            return
        generation = self._generation

        def run(i: int) -> None:
            if generation != self._generation or self.result is not result:
                return                   # a newer cut or result, or blinding, took over
            steps[i]()
            if i + 1 < len(steps):
                QTimer.singleShot(0, self, lambda: run(i + 1))
        run(0)

    def current_key(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(KEY_ROLE) if index.isValid() else None

    def select_code(self, key: str | None) -> None:
        row = self.model.row_of(key) if key else -1
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self.table.scrollTo(index)

    def _row_changed(self, current, _previous) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else None
        self.chart.set_selected(key)
        if key is not None:
            self.confusion.select(key)
            self.disagreements.select(key)
            self.accuracy.select(key)

    def _scheme_changed(self, key: str) -> None:
        self.model.set_scheme(key)
        update_chart(self)
        update_legend(self)

    def _unit_texts(self, transcript_id: int, kind: str, positions: list[int]) -> dict:
        return unit_texts(self.service, transcript_id, kind, positions)
