"""ExportDialog: choose what goes into the Excel workbook, write it in a background job with progress
and cancel, open the folder when done.

The dialog only gathers choices: the core checks them (``project.exports.job`` — names,
blinding, a read-only or open target) and writes the file (:func:`coder.export.run_export`
as a job on the app's :class:`~ui.shell.jobs.JobRunner`). A rater signed in to a blind project sees the reliability
sheets switched off and only their own name among the raters (the core enforces it too).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coder.errors import SessionCoderError
from coder.export.in_child import run_export_file
from coder.process_job import run_in_process, worth_a_process
from coder.export import (
    RELIABILITY_SHEETS,
    SHEET_GUIDE,
    SHEETS,
    ExportOptions,
    run_export,
)
from coder.reliability.schemes import SCHEMES

from ui.shell.jobs import Job, JobRunner
from ui.shell import theme as themes

XLSX_FILTER = "Excel workbook (*.xlsx)"


def _check_list(items: list[tuple[str, str, str]]) -> QListWidget:
    """A list of checkable (key, text, tooltip) items, all checked."""
    view = QListWidget()
    for key, text, tip in items:
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked)
        item.setToolTip(f"{text}\n{tip}" if tip else text)    # the whole name, never clipped
        view.addItem(item)
    view.setMinimumHeight(110)
    return view


def _checked(view: QListWidget) -> tuple[str, ...] | None:
    """Checked keys; None when every item is checked (= all, also ones added later)."""
    keys = [view.item(i).data(Qt.UserRole) for i in range(view.count())
            if view.item(i).checkState() == Qt.Checked]
    return None if len(keys) == view.count() else tuple(keys)


class ExportDialog(QDialog):
    exported = Signal(object)                     # ExportResult
    #: A project file at least this large (times the share of transcripts chosen) is
    #: exported in a child process (coder.export.in_child): there its heavy stages fork and
    #: give their memory back, and no GIL is shared with the app; None: always on a thread.
    process_from_bytes: int | None = 24 * 2**20

    def __init__(self, service, settings, runner: JobRunner, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Export to Excel")
        self.service, self.settings, self.runner = service, settings, runner
        self.job: Job | None = None
        self.result = None
        self.blind = service.access.blinding_applies()
        self.setWindowTitle("Export to Excel")
        self._build()
        self.resize(880, 640)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        target_row = QHBoxLayout()
        folder = Path(self.settings.last_folder())
        self.target = QLineEdit(str(folder / f"{Path(str(self.service.path)).stem} export.xlsx"))
        self.target.setAccessibleName("Export to file")
        browse = QPushButton("Browse…")
        browse.setAutoDefault(False)          # Enter in the file name exports, never browses
        browse.clicked.connect(self.choose_target)
        target_row.addWidget(QLabel("Save as:"))
        target_row.addWidget(self.target, 1)
        target_row.addWidget(browse)
        lay.addLayout(target_row)

        sheets = QGroupBox("Sheets")
        grid = QGridLayout(sheets)
        self.sheet_boxes: dict[str, QCheckBox] = {}
        for i, name in enumerate(SHEETS):
            box = QCheckBox("Matrix per code" if name == "Matrix" else name)
            box.setChecked(True)
            box.setToolTip(SHEET_GUIDE[name])
            if self.blind and name in RELIABILITY_SHEETS:
                box.setChecked(False)
                box.setEnabled(False)
                box.setToolTip("Blind mode: reliability compares raters, so it is left out")
            self.sheet_boxes[name] = box
            grid.addWidget(box, i // 5, i % 5)
        lay.addWidget(sheets)

        lists = QHBoxLayout()
        readable = self.service.access.readable_raters()     # the access policy decides
        raters = [r for r in self.service.raters.list()
                  if readable is None or r.id in readable]
        self.raters = _check_list([(r.name, r.name, r.role) for r in raters])
        self.transcripts = _check_list([(t.name, t.name, f"{t.segments} units")
                                        for t in self.service.transcripts.list()])
        self.codes = _check_list(self._code_items())
        for title, view in (("Raters", self.raters), ("Transcripts", self.transcripts),
                            ("Codes", self.codes)):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(view)
            lists.addWidget(box, {"Raters": 2, "Transcripts": 3}.get(title, 4))   # names unclipped
        lay.addLayout(lists, 1)

        opts = QWidget()
        form = QFormLayout(opts)
        form.setContentsMargins(0, 0, 0, 0)
        self.reference = QComboBox()
        self.reference.addItem("none", None)
        for r in raters:
            self.reference.addItem(r.name, r.name)
        self.scheme = QComboBox()
        self.scheme.addItem("Usual scheme per statistic", None)
        for key, sch in SCHEMES.items():
            self.scheme.addItem(sch.display_name, key)
        self.csv = QCheckBox("Also write CSV files for R (codings.csv, matrix_<code>.csv) "
                             "in the same folder")
        form.addRow("Reference rater:", self.reference)
        form.addRow("Interpretation:", self.scheme)
        form.addRow("", self.csv)
        self.reference.setEnabled(not self.blind)
        self.scheme.setEnabled(not self.blind)
        lay.addWidget(opts)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        if self.blind:
            self.status.setText("Blind mode: the workbook holds only your own codings.")

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.cancel_button = self.buttons.addButton("Cancel", QDialogButtonBox.RejectRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.Close)
        self.show_button = self.buttons.addButton("Show in folder", QDialogButtonBox.ActionRole)
        self.show_button.setVisible(False)
        self.show_button.clicked.connect(self.show_in_folder)
        self.cancel_button.setEnabled(False)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        lay.addWidget(self.buttons)

    def _code_items(self) -> list[tuple[str, str, str]]:
        book = self.service.codebook.current()
        if book is None:
            return []
        out, seen = [], set()
        for e in book.codes():
            c, g = e.code, e.group
            if c.archived:
                continue
            if c.kind == "category":
                if g.id not in seen:
                    seen.add(g.id)
                    out.append((g.id, f"{g.label} (category set)",
                                ", ".join(m.label for m in g.codes)))
                continue
            out.append((c.id, f"{c.label}  [{c.kind}]", c.definition))
        return out

    # -- actions -----------------------------------------------------------------------------
    def choose_target(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to Excel", self.target.text(),
                                              XLSX_FILTER)
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.target.setText(path)

    def options(self) -> ExportOptions:
        sheets = tuple(n for n, b in self.sheet_boxes.items() if b.isChecked())
        codes = _checked(self.codes)
        if codes is None and self.codes.count():
            codes = None
        return ExportOptions(sheets=sheets, raters=_checked(self.raters),
                             transcripts=_checked(self.transcripts), codes=codes,
                             reference=self.reference.currentData(),
                             scheme=self.scheme.currentData())

    def start(self) -> None:
        target = Path(self.target.text().strip()).expanduser()
        try:
            options = self.options()
            if options.raters == () or options.transcripts == () or options.codes == ():
                raise SessionCoderError("choose at least one rater, transcript and code")
            csv_dir = target.parent if self.csv.isChecked() else None
            source = self._child_source(target, options, csv_dir)
            job = None if source else self.service.exports.job(target, options, csv_dir=csv_dir)
        except SessionCoderError as exc:
            self._say(str(exc), error=True)
            return
        self.settings.set_last_folder(str(target.parent))
        self._busy(True)
        self._say("Exporting…")
        if source is not None:
            self.job = self.runner.start("Export to Excel", run_in_process, run_export_file,
                                         source, on_error=self._failed)
        else:
            self.job = self.runner.start("Export to Excel", run_export, job,
                                         on_error=self._failed)
        self.job.progressed.connect(self._progress)
        self.job.finished.connect(self._finished)
        self.job.cancelled.connect(self._cancelled)

    def _child_source(self, target: Path, options, csv_dir):
        """An :class:`ExportFile` for a child process when the selection is large and the
        project a local file (the same checks as ``exports.job`` made now), else None."""
        if self.process_from_bytes is None:
            return None
        source = self.service.exports.process_job(target, options, csv_dir=csv_dir)
        if source is None or not worth_a_process(source.file_bytes, options.transcripts,
                                                 self.transcripts.count(),
                                                 self.process_from_bytes):
            return None
        return source

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self._say("Cancelling…")
        else:
            self.reject()

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))
        if message:
            self._say(f"Exporting: {message}…")

    def _finished(self, result) -> None:
        self.result = result
        self._busy(False)
        self.progress.setValue(100)
        extra = f" and {len(result.csv_files)} CSV file(s)" if result.csv_files else ""
        note = result.continuation_note()
        self._say(f"Wrote {result.path.name} ({len(result.sheets)} sheets){extra} in "
                  f"{result.seconds:.1f} s." + (f" {note}." if note else ""))
        self.exported.emit(result)
        self.show_button.setVisible(True)          # the folder opens only when asked
        self.show_button.setFocus()

    def show_in_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.path.parent)))

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.progress.setValue(0)
        self._say(message, error=True)

    def _cancelled(self) -> None:
        self._busy(False)
        self.progress.setValue(0)
        self._say("Cancelled: no file was written (an existing file was left as it was).")

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.job = None
        self.export_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {themes.current().error};" if error else "")
        self.status.setText(text)

    def reject(self) -> None:
        if self.job is not None:              # closing while busy = cancel first
            self.job.cancel()
            return
        super().reject()
