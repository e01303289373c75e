"""Pieces of `ReliabilityView` that need none of its state (kept apart so the view stays
small): the results page's layout, the legend and footnote of the chosen scheme, and where
the report job reads its snapshot."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from coder.errors import SessionCoderError
from coder.process_job import worth_a_process
from coder.process_spare import prewarm
from coder.reliability.schemes import SCHEMES

from ui.reliability.data import cut_scope, interval_note


def results_page(table, legend, footnote, tabs) -> QSplitter:
    """The results table with its legend and footnote above the tabs."""
    top = QWidget()
    lay = QVBoxLayout(top)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(table, 1)
    lay.addWidget(legend)
    lay.addWidget(footnote)
    split = QSplitter(Qt.Vertical)
    split.addWidget(top)
    split.addWidget(tabs)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    return split


def update_legend(view) -> None:
    """The bands of the chosen scheme (or each coefficient's own) and the interval note."""
    legend, footnote, key, result = view.legend, view.footnote, view.settings.scheme_key(), \
        view.result
    if key:
        legend.set_schemes([("Every coefficient", SCHEMES[key])])
    else:
        legend.set_schemes([("κ, AC1/AC2", SCHEMES["landis_koch"]),
                            ("α", SCHEMES["krippendorff"]),
                            ("ICC", SCHEMES["koo_li"])])
    if result is not None:
        note = interval_note(result.report, view.cuts.current()[0])
        footnote.setText(note + " Hover a cell for its exact coefficient, SE, "
                         "interval method, or the reason a value is undefined.")


#: What a report in a child process imports before its first statistic: a spare child
#: (coder.process_spare) imports them while the view waits for Compute.
WARM_MODULES = ("ui.reliability.data", "coder.project", "coder.project.reliability",
                "coder.store.snapshot_read", "coder.reliability.project",
                "coder.reliability.result", "scipy.special", "threadpoolctl")


def prewarm_for(view) -> None:
    """On a project large enough for a report in a child process, have one child started,
    its modules imported and the settings' selection read before Compute (a blind session,
    a running job, a small project or a store that is not a file: none)."""
    if view.process_from_bytes is None or view.job is not None or view.is_blocked():
        return
    raters, transcripts = view.settings.selection()
    try:
        source = view.service.reliability.process_source(raters, transcripts)
    except SessionCoderError:
        return
    if source is not None and source.file_bytes >= view.process_from_bytes:
        # the child reads the selection the settings hold now, while the user looks at the
        # tab; Compute with the same selection and nothing written since takes that read
        prewarm(WARM_MODULES, ahead=source.read_ahead())


#: after a report, how long the next report's spare child waits to start (its imports and
#: read ahead take a core for a second or two: not while the result is painted)
PREWARM_AFTER_MS = 2000


def prewarm_after_report(view) -> None:
    """:func:`prewarm_for` the next Compute, `PREWARM_AFTER_MS` after a report ended, if the
    view is still shown and idle then."""
    def later() -> None:
        if view.isVisible() and view.job is None:
            prewarm_for(view)
    QTimer.singleShot(PREWARM_AFTER_MS, view, later)


def job_source(rel, process_from_bytes, raters, transcripts, everyone: int):
    """The job's snapshot read, the access policy asked now: a `SnapshotSource` that a
    child process reads (a large selection of a local project file), else the read job for
    a worker thread (a small selection, where starting a process, ~1 s, costs more than the
    stalls it spares; a store that is not a file)."""
    if process_from_bytes is not None:
        source = rel.process_source(raters, transcripts)
        if source is not None and worth_a_process(source.file_bytes, transcripts, everyone,
                                                  process_from_bytes):
            return source
    return rel.snapshot_job(raters, transcripts)


def cut_steps(view, result, entries, kind: str, member: int, key: str | None) -> list:
    """The steps that fill the view with a cut, in order (each may run in its own turn of
    the event loop); the view adds the last one, which says the result has arrived."""
    report = result.report

    def table():
        view.model.set_entries(entries)
        view.model.set_scheme(view.settings.scheme_key())
        view.model.show_live = kind == "pooled"  # live agreement (main window) applies

    def chart():
        update_chart(view)
        update_legend(view)
    return [table, lambda: view.pages.setCurrentIndex(1),
            lambda: view.confusion.set_entries(entries, lambda cid: category_label(result, cid)),
            lambda: view.accuracy.set_entries(entries),
            lambda: view.disagreements.set_data(entries, result.matrices,
                                                cut_scope(report, kind, member),
                                                result.disagreeing),
            chart,
            lambda: view.select_code(key if view.model.row_of(key or "") >= 0 else
                                     entries[0].id if entries else None)]


def unit_texts(service, transcript_id: int, kind: str, positions: list[int]) -> dict:
    """Position → text of the transcript's units at `positions` (one range read)."""
    wanted = set(positions)
    try:
        segs = service.transcripts.segments(transcript_id, kind, min(wanted), max(wanted))
    except SessionCoderError:
        return {}
    return {s.position: s.text for s in segs if s.position in wanted}


def update_chart(view) -> None:
    """The chart shows the table's entries under the chosen scheme."""
    if view.result is not None:
        view.chart.show_entries(view.model.entries, view.settings.scheme_key(),
                                view.cuts.where(), view.result.report.ci_method)
        view.chart.set_selected(view.current_key())


def category_label(result, cid: str) -> str:
    """A category's label in the result's codebook (its id when it has none)."""
    try:
        return result.snapshot.codebook.code(cid).label
    except (KeyError, AttributeError):
        return cid
