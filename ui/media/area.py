"""MediaArea: the recording of the transcript being coded, above the coding table.

Hidden for a transcript without media, and Qt Multimedia is not imported until a transcript
with media is shown (`ui.media.player` loads then). It learns which unit is selected from the
shell (`show_unit`), tells the shell which unit is being spoken (`spoken(position)`), and
repaints from `ProjectEvents.changed` (a link, an offset, new turn times).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coder.errors import SessionCoderError
from coder.media.commands import SetMediaOffset

from ui.media.availability import multimedia_problem
from ui.media.tap import TapTimer
from ui.shell import theme as themes


class MediaArea(QWidget):
    spoken = Signal(int)               # 1-based position of the unit being spoken
    message = Signal(str)
    player_changed = Signal(bool)      # a playable recording is (not) loaded
    relocate_requested = Signal()

    def __init__(self, events, runner, settings, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Recording")
        self.events, self.runner, self.settings = events, runner, settings
        self.info = None
        self.media = None
        self.panel = None                  # PlayerPanel, made on first need
        self.tapper: TapTimer | None = None
        self._kind: str | None = None
        self._units: list = []
        self._peaks_job = None
        self.missing = QWidget()
        self.missing_text = QLabel("")
        self.missing_text.setWordWrap(True)
        self.missing_text.setStyleSheet(f"color: {themes.current().warning};")
        self.relocate = relocate = QPushButton("Find the recording…")
        relocate.setFocusPolicy(Qt.NoFocus)
        relocate.clicked.connect(self.relocate_requested)
        row = QHBoxLayout(self.missing)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.missing_text, 1)
        row.addWidget(relocate)
        self.banner = QLabel("")
        self.banner.setStyleSheet("background: #fff4d6; color: #3d2c00; padding: 4px 8px;")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.layout_.addWidget(self.missing)
        self.layout_.addWidget(self.banner)
        self.hide()
        events.opened.connect(lambda _p: self.show_transcript(None))
        events.changed.connect(self._on_changed)

    @property
    def project(self):
        return self.events.project

    def has_player(self) -> bool:
        return self.panel is not None and not self.panel.isHidden() and not self.isHidden()

    # -- which transcript ----------------------------------------------------------------------
    def show_transcript(self, info) -> None:
        self.end_tapping()
        self.info, self._kind, self._units = info, None, []
        self._reload()

    def _reload(self) -> None:
        project = self.project
        self.media = None if self.info is None or project is None else \
            project.media.get(self.info.id)
        if self.media is None:
            if self.panel is not None:
                self.panel.release()
            self.hide()
            self.player_changed.emit(False)
            return
        located = project.media.locate(self.info.id)
        self.show()
        if located.path is None:
            if self.panel is not None:
                self.panel.release()
                self.panel.hide()
            self.missing_text.setText(f"Recording not found — {located.reason}")
            self.relocate.show()
            self.missing.show()
            self.player_changed.emit(False)
            return
        problem = multimedia_problem()
        if problem is not None:             # no player on this machine: say why, once
            self.missing_text.setText(problem)
            self.relocate.hide()            # the recording is there; the machine lacks a library
            self.missing.show()
            self.player_changed.emit(False)
            return
        self.missing.hide()
        panel = self._panel()
        panel.show()
        panel.load(located.path, self.media.name, self.media.offset_ms, [])
        notes = project.media.warnings(self.info.id)
        if located.moved:
            notes.insert(0, located.reason + " (Media ▸ Find the recording… links it there)")
        panel.show_note("; ".join(notes))
        self._kind = None
        self._start_peaks(located.path)
        self.player_changed.emit(True)

    def _panel(self):
        if self.panel is None:
            from ui.media.player import PlayerPanel       # Qt Multimedia loads here
            self.panel = PlayerPanel(self)
            self.panel.spoken.connect(self._spoken)
            self.panel.offset_edited.connect(self._set_offset)
            self.panel.player.durationChanged.connect(self._learned_duration)
            self.layout_.insertWidget(0, self.panel)
        return self.panel

    def _start_peaks(self, path) -> None:
        from ui.media.waveform import load_peaks
        if self._peaks_job is not None:
            self._peaks_job.cancel()
        panel, media = self.panel, self.media
        panel.wave.set_peaks(None, "reading the waveform…")
        job = self.runner.start("Waveform", load_peaks, path, media.sha256,
                                self.settings.data_dir() / "waveforms",
                                on_error=lambda m: panel.wave.set_peaks(None, m))
        job.finished.connect(lambda peaks: self.media is media and panel.wave.set_peaks(peaks))
        self._peaks_job = job

    def _learned_duration(self, ms: int) -> None:
        """A link made without a prober (CLI on a machine without Qt) learns its length."""
        if ms > 0 and self.media is not None and self.media.duration_ms is None:
            try:
                self.project.media.set_duration(self.info.id, ms)
            except SessionCoderError:
                pass

    # -- which unit ----------------------------------------------------------------------------
    def _load_units(self, kind: str) -> None:
        self._kind = kind
        self._units = self.project.transcripts.segments(self.info.id, kind)
        self.panel.set_units([u.start_ms for u in self._units])
        self._mark_episodes()

    def _mark_episodes(self) -> None:
        """Spans of units with codings the viewer may see, joined when adjacent."""
        try:
            coded = {c.segment_id for c in self.project.codings.on([u.id for u in self._units])}
        except SessionCoderError:             # nobody signed in: no codings to show
            coded = set()
        spans: list[tuple[int, int]] = []
        for u in self._units:
            if u.id in coded and u.start_ms is not None:
                end = u.end_ms if u.end_ms is not None else u.start_ms
                if spans and spans[-1][1] >= u.start_ms:
                    spans[-1] = (spans[-1][0], max(spans[-1][1], end))
                else:
                    spans.append((u.start_ms, end))
        self.panel.set_episodes(spans)

    def show_unit(self, unit) -> None:
        """The rater selected `unit` (a Segment): seek there."""
        if unit is None or not self.has_player():
            return
        if unit.kind != self._kind:
            self._load_units(unit.kind)
        self.panel.show_unit(unit.start_ms, unit.end_ms)

    def _spoken(self, index: int) -> None:
        if 0 <= index < len(self._units):
            self.spoken.emit(self._units[index].position)

    # -- writes ----------------------------------------------------------------------
    def _set_offset(self, offset_ms: int) -> None:
        if self.media is not None and offset_ms != self.media.offset_ms:
            self._perform(SetMediaOffset(self.info.id, offset_ms))

    def _perform(self, command) -> bool:
        try:
            self.events.perform(command)
        except SessionCoderError as exc:
            self.message.emit(str(exc))
            return False
        return True

    def _on_changed(self, changes) -> None:
        if self.info is None or self.project is None:
            return
        if self.info.id in changes.media:
            media = self.project.media.get(self.info.id)
            if (media is not None and self.media is not None and self.has_player()
                    and (media.path, media.sha256) == (self.media.path, self.media.sha256)):
                self.media = media                          # the offset or the duration
                self.panel.set_offset(media.offset_ms)
                self.panel.set_units([u.start_ms for u in self._units])
            else:
                self._reload()
        elif self.has_player() and self._kind is not None and (
                self.info.id in changes.transcripts or changes.segments):
            self._load_units(self._kind)

    # -- tap-to-timestamp ----------------------------------------------------------------------
    def start_tapping(self) -> None:
        if not self.has_player():
            self.message.emit("Link a recording first: taps are times in the recording")
            return
        turns = self.project.transcripts.turns(self.info.id)
        self.tapper = TapTimer(self.info.id, turns, self.panel.player.position,
                               self.media.offset_ms, self)
        self.tapper.progressed.connect(self.banner.setText)
        self.tapper.progressed.connect(self._mark_next_turn)
        self.banner.setText(self.tapper.describe())
        self.banner.show()
        self._mark_next_turn()

    def _mark_next_turn(self, _text: str = "") -> None:
        """Show the turn to tap next in the table (turn units only; a mark, not a move)."""
        if self.tapper is not None and self._kind in (None, "turn") \
                and self.tapper.index < len(self.tapper.turns):
            self.spoken.emit(self.tapper.index + 1)

    def tap(self) -> None:
        if self.tapper is not None:
            self.tapper.tap()

    def take_back(self) -> None:
        if self.tapper is not None:
            self.tapper.take_back()

    def save_taps(self) -> None:
        if self.tapper is None:
            return
        try:
            command = self.tapper.command(self.panel.player.duration()
                                          or self.media.duration_ms)
        except SessionCoderError as exc:
            self.message.emit(str(exc))
            return
        if self._perform(command):
            self.message.emit("Turn times saved (Ctrl+Z undoes them)")
            self.end_tapping()

    def end_tapping(self) -> None:
        self.tapper = None
        self.banner.hide()

    def nudge(self, unit, delta_ms: int) -> None:
        """Move the start of `unit`'s turn by `delta_ms` (one undoable step)."""
        if unit is None or unit.turn_position is None:
            self.message.emit("Select a turn to nudge its time")
            return
        try:
            command = self.project.media.nudge_command(self.info.id, unit.turn_position,
                                                       delta_ms)
        except SessionCoderError as exc:
            self.message.emit(str(exc))
            return
        self._perform(command)
