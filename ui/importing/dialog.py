"""ImportDialog: choose transcript files, check how they were read, import them.

Left, the chosen files with their state; right, the selected file as parsed (preview, column
mapping for tables, speaker roles); below, options for all files and the import progress.
Reading and importing run as jobs on the app's `JobRunner` (see `ui.importing.run`); storing
happens on the main thread through `ProjectEvents`, which tells the rest of the app what
arrived. The parts live in `models`, `preview`, `options` and `run` beside this module to keep
each small (DESIGN.md, rule 7).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QLabel,
                               QListView, QMessageBox, QProgressBar, QPushButton, QSplitter,
                               QVBoxLayout, QWidget)

from coder.model import ColumnMap, ImportOptions

from ui.importing.models import (ERROR, READING, READY, FileEntry, FileItemDelegate,
                            ImportFileModel, plural, short_error)
from ui.importing.options import ImportOptionsBox
from ui.importing.preview import PreviewPanel, section_label
from ui.importing.roles_question import roles_confirmed
from ui.importing.run import ImportRun, PreviewResult, read_preview

FILE_FILTER = ("Transcripts (*.vtt *.srt *.docx *.txt *.csv *.tsv *.xlsx *.json);;"
               "All files (*)")
NO_TIMES = ("This file has no times, so it cannot be cut into time windows: it will fail "
            "to import unless the unit is Talk turn or Sentence.")


class ImportDialog(QDialog):
    transcripts_imported = Signal(list)          # TranscriptInfo of every file stored

    def __init__(self, service, files: list[Path], settings, events, runner,
                 parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Import transcripts")
        self.service = service                   # reads for the preview
        self.settings = settings
        self.events, self.runner = events, runner
        self.preview_jobs: list = []             # reading files for the preview
        self.run: ImportRun | None = None
        self._closed = False
        self.setWindowTitle("Import transcripts")
        self.setSizeGripEnabled(True)
        self.resize(1100, 720)
        self._build()
        self.add_files(files)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.files = ImportFileModel(self)
        self.file_view = QListView()
        self.file_view.setModel(self.files)
        self.file_view.setItemDelegate(FileItemDelegate(self.file_view))
        self.file_view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.file_view.setUniformItemSizes(True)
        self.file_view.setToolTip("Ticked files are imported. Delete removes the selected "
                                  "files from this list.")
        pal = self.file_view.palette()
        pal.setColor(QPalette.Highlight, QColor("#cfe0f5"))
        pal.setColor(QPalette.HighlightedText, QColor("#111111"))
        self.file_view.setPalette(pal)
        self.file_view.selectionModel().currentChanged.connect(self._current_changed)
        self.files.dataChanged.connect(lambda *_: self._update_buttons())
        QShortcut(QKeySequence.Delete, self.file_view, self.remove_selected,
                  context=Qt.WidgetShortcut)

        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton("Add folder…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected files from this list (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.files_title = section_label("Files")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 6, 0)
        ll.setSpacing(6)
        ll.addWidget(self.files_title)
        ll.addWidget(self.file_view, 1)
        row = QHBoxLayout()
        row.setSpacing(6)
        for b in (self.add_button, self.folder_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        ll.addLayout(row)

        self.panel = PreviewPanel()
        self.panel.columns_changed.connect(self._columns_changed)
        self.panel.roles_changed.connect(self._roles_changed)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(10, 0, 0, 0)
        rl.addWidget(self.panel)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 770])
        splitter.setChildrenCollapsible(False)

        self.options = ImportOptionsBox()
        default = self.service.importing.default_segmentation()   # the unit chosen for the project
        self.options.set_unit(default.unit)
        self.options.window_spin.setValue(default.window_minutes)
        self.options.unit_changed.connect(self._unit_changed)
        self.options.merge_toggled.connect(self._reread_all)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.file_bar = QProgressBar()
        self.file_bar.setFormat("This file: %p%")
        self.overall_bar = QProgressBar()
        self.overall_bar.setFormat("All files: %p%")
        self.progress_box = QWidget()
        pl = QVBoxLayout(self.progress_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(4)
        pl.addWidget(self.message)
        bars = QHBoxLayout()
        bars.addWidget(self.file_bar, 1)
        bars.addSpacing(12)
        bars.addWidget(self.overall_bar, 1)
        pl.addLayout(bars)
        self.progress_box.hide()

        self.summary = QLabel()
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.import_button.setToolTip("Import the ticked files (Ctrl+Return)")
        self.import_button.clicked.connect(self._import_clicked)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._import_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 12)
        layout.setSpacing(10)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.options)
        layout.addWidget(self.progress_box)
        layout.addLayout(buttons)
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        chain = ([self.file_view, self.add_button, self.folder_button, self.remove_button]
                 + self.panel.focus_chain()
                 + self.options.focus_chain() + [self.cancel_button, self.import_button])
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    # -- the file list -----------------------------------------------------------------------
    def add_files(self, paths: list[Path]) -> None:
        new = self.files.add([Path(p) for p in paths])
        for entry in new:
            self._read(entry)
        if new and not self.file_view.currentIndex().isValid():
            self.file_view.setCurrentIndex(self.files.index(self.files.row_of(new[0])))
        self._update_buttons()

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add transcript files",
                                                self.settings.last_folder(), FILE_FILTER)
        if names:
            self.settings.set_last_folder(Path(names[0]).parent)
            self.add_files([Path(n) for n in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of transcripts",
                                                  self.settings.last_folder())
        if folder:
            self.settings.set_last_folder(folder)
            found = self.service.importing.files_in(folder)
            if not found:
                self.summary.setText(f"No transcript files in {Path(folder).name}.")
            self.add_files(found)

    def remove_selected(self) -> None:
        if self.run is not None:
            return
        rows = [i.row() for i in self.file_view.selectionModel().selectedRows()]
        if not rows and self.file_view.currentIndex().isValid():
            rows = [self.file_view.currentIndex().row()]
        self.files.remove_rows(rows)
        if not self.files.entries:
            self.panel.show_entry(None)
        self._update_buttons()

    def selected_entry(self) -> FileEntry | None:
        return self.files.entry_at(self.file_view.currentIndex().row())

    def select(self, entry: FileEntry) -> None:
        self.file_view.selectionModel().setCurrentIndex(
            self.files.index(self.files.row_of(entry)), QItemSelectionModel.ClearAndSelect)

    def _current_changed(self, *_args) -> None:
        self._show(self.selected_entry())

    def _show(self, entry: FileEntry | None) -> None:
        note = ""
        if (entry is not None and entry.preview is not None and self.options.unit() == "window"
                and entry.preview.untimed):
            note = NO_TIMES
        self.panel.show_entry(entry, note)
        self.panel.set_editable(self.run is None)
        self._fix_tab_order()

    # -- reading files for the preview -------------------------------------------------------
    def _read(self, entry: FileEntry) -> None:
        entry.generation += 1
        entry.status, entry.message = READING, ""
        gen = entry.generation
        job = self.runner.start(
            f"Read {entry.path.name}", read_preview, self.service, entry.path,
            self.options.merge(), entry.columns, entry.columns is None,
            on_error=lambda msg, e=entry, g=gen: self._read_done(
                e, g, PreviewResult(None, None, None, msg)))
        job.finished.connect(lambda r, e=entry, g=gen: self._read_done(e, g, r))
        self.preview_jobs = [j for j in self.preview_jobs if j.running] + [job]
        self.files.refresh(entry)
        if entry is self.selected_entry():
            self._show(entry)

    def _read_done(self, entry: FileEntry, generation: int, result: PreviewResult) -> None:
        if (self._closed or self.run is not None or generation != entry.generation
                or self.files.row_of(entry) < 0):
            return
        entry.headers = result.headers
        entry.columns = result.columns
        if result.preview is None:
            entry.preview = None
            entry.status, entry.message = ERROR, short_error(result.error, entry.path)
            entry.checked = False
        else:
            was_error = entry.status == ERROR or entry.preview is None
            entry.preview = result.preview
            entry.status, entry.message = READY, ""
            entry.checked = entry.checked or was_error
            labels = [label for label, _ in result.preview.speaker_counts]
            guessed = self.service.importing.guess_roles(labels)
            entry.roles = {label: entry.roles.get(label, guessed.get(label, "other"))
                           for label in labels}
        self.files.refresh(entry)
        if entry is self.selected_entry():
            self._show(entry)
        self._update_buttons()

    def _reread_all(self) -> None:
        for entry in self.files.entries:
            if entry.status in (READY, ERROR, READING):
                self._read(entry)

    def _columns_changed(self, entry: FileEntry, mapping: ColumnMap | None) -> None:
        if mapping is not None and mapping != entry.columns:
            entry.columns = mapping
            self._read(entry)

    def _roles_changed(self, entry: FileEntry, roles: dict) -> None:
        entry.roles.update(roles)

    # -- options -----------------------------------------------------------------------------
    def _unit_changed(self, _unit: str) -> None:
        self._show(self.selected_entry())

    def _options_for(self, entry: FileEntry) -> ImportOptions:
        return ImportOptions(merge_consecutive=self.options.merge(),
                             columns=entry.columns if entry.is_table else None)

    def _update_buttons(self) -> None:
        entries = self.files.entries
        self.files_title.setText(f"Files ({len(entries)})" if entries else "Files")
        self.remove_button.setEnabled(self.run is None and bool(entries))
        if self.run is not None:
            return
        chosen = [e for e in entries if e.importable]
        reading = any(e.status == READING for e in entries)
        self.import_button.setText(f"Import {plural(len(chosen), 'file')}" if chosen
                                   else "Import")
        self.import_button.setEnabled(bool(chosen) and not reading)

    # -- importing ---------------------------------------------------------------------------
    def _import_clicked(self) -> None:
        if self.run is not None:
            if self.run.done:
                self.accept()
            return
        if not self.import_button.isEnabled():
            return
        chosen = [e for e in self.files.entries if e.importable]
        if not roles_confirmed(self, chosen):
            return
        self.run = ImportRun(self.events, chosen, self._options_for,
                             self._segmentation(), self.options.replace(), self.runner,
                             self)
        self.run.file_started.connect(self._file_changed)
        self.run.file_finished.connect(self._file_changed)
        self.run.progressed.connect(self._progressed)
        self.run.finished.connect(self._run_finished)
        self._lock(True)
        self.overall_bar.setRange(0, 1000 * len(chosen))
        self.overall_bar.setValue(0)
        self.progress_box.show()
        self.summary.clear()
        self.import_button.setText("Importing…")
        self.import_button.setEnabled(False)
        self.cancel_button.setToolTip("Stop the import: the file being read is not imported; "
                                      "files already imported stay in the project")
        self.run.start()

    def _segmentation(self):
        """The chosen unit; windows only when the codebook rates windows (or are the unit)."""
        from dataclasses import replace
        return replace(self.options.segmentation(),
                       windows=self.service.codebook.rates_windows())

    def _lock(self, locked: bool) -> None:
        self.files.locked = locked
        for w in (self.add_button, self.folder_button, self.remove_button):
            w.setEnabled(not locked)
        self.options.set_locked(locked)
        self.panel.set_editable(not locked)

    def _file_changed(self, entry: FileEntry) -> None:
        self.files.refresh(entry)
        if entry is self.selected_entry():
            self._show(entry)

    def _progressed(self, index: int, done: int, total: int, message: str) -> None:
        self.message.setText(message)
        if total <= 0:
            self.file_bar.setRange(0, 0)
            self.overall_bar.setValue(1000 * index)
        else:
            self.file_bar.setRange(0, total)
            self.file_bar.setValue(done)
            self.overall_bar.setValue(1000 * index + int(1000 * done / total))

    def _run_finished(self, stored: list) -> None:
        self.progress_box.hide()
        self.summary.setText(self.run.summary())
        self.cancel_button.hide()
        self.import_button.setText("Close")
        self.import_button.setEnabled(True)
        self.import_button.setFocus()
        if self.options.link_media():
            from ui.importing.media_link import link_recordings_beside
            found = link_recordings_beside(self.events, self.runner, self.files.entries,
                                           self._say_linked)
            if found:
                self.summary.setText(f"{self.summary.text()} · linking {found} recording(s)")
        self.transcripts_imported.emit(stored)

    def _say_linked(self, text: str) -> None:
        if not getattr(self, "_closed", False):
            self.summary.setText(f"{self.summary.text()}\n{text}")

    def _cancel_clicked(self) -> None:
        if self.run is not None and not self.run.done:
            self.message.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.run.cancel()
        else:
            self.reject()

    # -- closing -----------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Closing cancels a running import and waits for its jobs (nothing half-stored)."""
        if self.run is not None and not self.run.done:
            self.run.abort()
        for job in self.preview_jobs:
            job.cancel()
        for job in self.preview_jobs:
            job.wait()
        self._closed = True          # preview results still queued are dropped
        super().done(result)
