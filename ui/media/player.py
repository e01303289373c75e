"""PlayerPanel: plays a transcript's recording beside the coding table (Qt Multimedia).

Transport: play/pause, back/forward 5 s, speed 0.5×–2× with pitch kept, volume. Selecting a
unit seeks to its start; "play unit" plays only that unit after a settable pre-roll;
"follow" marks the unit being spoken (the area passes it on to the workspace, which scrolls
without taking the keyboard). Every control refuses focus, so code keys keep working.
This module imports Qt Multimedia: only `MediaArea` imports it, when a transcript has media.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel,
                               QSlider, QStyle, QToolButton, QVBoxLayout, QWidget)

from coder.media import timing

from ui.media.follow import Follower
from ui.media.waveform import WaveformStrip
from ui.shell import theme as themes

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
SKIP_MS = 5000
VOLUME_STEP = 10                             # percent per Ctrl+Shift+↑/↓
PLAY, PAUSE = QStyle.SP_MediaPlay, QStyle.SP_MediaPause


def clock(ms: int, tenths: bool = False) -> str:
    s = max(0, ms) // 1000
    text = f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return text + (f".{max(0, ms) % 1000 // 100}" if tenths else "")


def _button(text: str, tip: str, slot, icon=None) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    if icon is not None:
        b.setIcon(b.style().standardIcon(icon))
        b.setToolButtonStyle(Qt.ToolButtonTextBesideIcon if text else Qt.ToolButtonIconOnly)
    b.setFocusPolicy(Qt.NoFocus)
    b.setAutoRaise(True)
    b.clicked.connect(lambda *_: slot())
    return b


class PlayerPanel(QWidget):
    spoken = Signal(int)                     # index of the unit being spoken (follow)
    offset_edited = Signal(int)              # ms; the area turns it into a command
    playing_changed = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Recording player")
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        if hasattr(self.player, "setPitchCompensation"):
            self.player.setPitchCompensation(True)       # Qt 6.10+: speed without chipmunks
        self.offset_ms = 0
        self.unit: tuple[int | None, int | None] | None = None   # transcript ms
        self._stop_at: int | None = None
        self._pending_seek: int | None = None      # asked for before the media loaded
        self.follower = Follower(self.player.position, parent=self)
        self.follower.spoken.connect(self.spoken)

        self.play_button = _button("", "Play / pause (Ctrl+Space)", self.toggle, PLAY)
        back = _button("5 s", "Back 5 seconds (Ctrl+←)", lambda: self.skip(-SKIP_MS),
                       QStyle.SP_MediaSeekBackward)
        fwd = _button("5 s", "Forward 5 seconds (Ctrl+→)", lambda: self.skip(SKIP_MS),
                      QStyle.SP_MediaSeekForward)
        self.unit_button = _button("Play unit", "Play the selected unit only, after the "
                                   "pre-roll (Ctrl+Shift+Space)", self.play_unit, PLAY)
        self.time_label = QLabel("0:00:00 / 0:00:00")
        self.time_label.setMinimumWidth(130)
        self.speed = QComboBox()
        self.speed.addItems([f"{s:g}×" for s in SPEEDS])
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Speed, pitch kept (Ctrl+↑ faster, Ctrl+↓ slower)")
        self.speed.setFocusPolicy(Qt.NoFocus)
        self.speed.currentIndexChanged.connect(
            lambda i: self.player.setPlaybackRate(SPEEDS[i]))
        self.volume = QSlider(Qt.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setFixedWidth(80)
        self.volume.setToolTip("Volume (Ctrl+Shift+↑ louder, Ctrl+Shift+↓ softer)")
        self.volume.setFocusPolicy(Qt.NoFocus)
        self.volume.valueChanged.connect(lambda v: self.audio.setVolume(v / 100))
        self.audio.setVolume(0.8)
        self.preroll = self._seconds(0, 10, 1.0, "Pre-roll: how much before the unit "
                                     "'Play unit' starts")
        self.offset = self._seconds(-3600, 3600, 0.0, "Offset: the recording's time at the "
                                    "transcript's zero (the recording started earlier: "
                                    "positive)")
        self.offset.editingFinished.connect(
            lambda: self.offset_edited.emit(round(self.offset.value() * 1000)))
        self.follow = QCheckBox("Follow")
        self.follow.setToolTip("Mark and scroll to the unit being spoken while playing")
        self.follow.setFocusPolicy(Qt.NoFocus)
        self.follow.setChecked(True)
        self.follow.toggled.connect(lambda _on: self._follow_state())
        self.name_label = QLabel("")
        self.name_label.setStyleSheet(f"color: {themes.current().muted};")
        self.note = QLabel("")
        self.note.setStyleSheet(f"color: {themes.current().warning};")
        self.note.setWordWrap(True)
        self.note.hide()
        self.wave = WaveformStrip()
        self.wave.seek_requested.connect(self.seek_media)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for w in (self.play_button, back, fwd, self.time_label, self.unit_button):
            row.addWidget(w)
        row.addWidget(QLabel("pre-roll"))
        row.addWidget(self.preroll)
        row.addSpacing(8)
        row.addWidget(self.speed)
        speaker = QLabel()
        speaker.setPixmap(self.style().standardIcon(QStyle.SP_MediaVolume).pixmap(16, 16))
        row.addWidget(speaker)
        row.addWidget(self.volume)
        row.addSpacing(8)
        row.addWidget(self.follow)
        row.addWidget(QLabel("offset"))
        row.addWidget(self.offset)
        row.addStretch(1)
        row.addWidget(self.name_label)
        self.tools = row                      # the area adds its own buttons at the end
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.wave)
        layout.addWidget(self.note)

        self.player.positionChanged.connect(self._position)
        self.player.durationChanged.connect(self._duration)
        self.player.mediaStatusChanged.connect(self._status)
        self.player.playbackStateChanged.connect(self._state)
        self.player.errorOccurred.connect(lambda _e, text: self.show_note(text))

    def _seconds(self, lo: float, hi: float, value: float, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(lo, hi)
        box.setDecimals(1)
        box.setSingleStep(0.5)
        box.setSuffix(" s")
        box.setValue(value)
        box.setToolTip(tip)
        box.setFocusPolicy(Qt.ClickFocus)     # typed into when clicked, never tabbed into
        box.setKeyboardTracking(False)
        return box

    # -- what plays ----------------------------------------------------------------------------
    def load(self, path, name: str, offset_ms: int, starts: list[int | None]) -> None:
        self.player.stop()
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.name_label.setText(name)
        self.set_offset(offset_ms)
        self.set_units(starts)
        self.show_note("")

    def set_units(self, starts: list[int | None]) -> None:
        self.follower.set_units(starts, self.offset_ms)

    def set_offset(self, offset_ms: int) -> None:
        self.offset_ms = offset_ms
        self.offset.blockSignals(True)
        self.offset.setValue(offset_ms / 1000)
        self.offset.blockSignals(False)
        self.follower.set_offset(offset_ms)
        self._mark_unit()

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # -- transport -----------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self._stop_at = None
            self.player.play()

    def skip(self, delta_ms: int) -> None:
        self.seek_media(self.player.position() + delta_ms)

    def seek_media(self, ms: int) -> None:
        duration = self.player.duration()
        ms = max(0, ms if duration <= 0 else min(ms, duration))
        if duration <= 0:
            self._pending_seek = ms
        self.player.setPosition(ms)
        self.wave.set_position(ms)

    def _status(self, status) -> None:
        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if status in loaded and self._pending_seek is not None:
            ms, self._pending_seek = self._pending_seek, None
            self.player.setPosition(ms)

    def step_speed(self, step: int) -> None:
        i = max(0, min(len(SPEEDS) - 1, self.speed.currentIndex() + step))
        self.speed.setCurrentIndex(i)

    def step_volume(self, step: int) -> None:
        """Louder (+1) or softer (-1) by one step; the slider clamps to 0–100."""
        self.volume.setValue(self.volume.value() + step * VOLUME_STEP)

    def show_unit(self, start_ms: int | None, end_ms: int | None) -> None:
        """The selected unit: seek to its start (a unit without a time leaves the player)."""
        self.unit = (start_ms, end_ms)
        self._mark_unit()
        if start_ms is not None:
            self._stop_at = None
            self.seek_media(timing.media_ms(start_ms, self.offset_ms))

    def play_unit(self) -> None:
        if self.unit is None:
            return
        span = timing.play_range(*self.unit, self.offset_ms,
                                 round(self.preroll.value() * 1000),
                                 self.player.duration() or None)
        if span is None:
            self.show_note("This unit has no time: tap the turn times first (Media menu)")
            return
        self.seek_media(span[0])
        self._stop_at = span[1]
        self.player.play()

    def _mark_unit(self) -> None:
        if self.unit is None or self.unit[0] is None:
            self.wave.set_marks(None)
            return
        start = timing.media_ms(self.unit[0], self.offset_ms)
        end = start if self.unit[1] is None else timing.media_ms(self.unit[1], self.offset_ms)
        self.wave.set_marks((start, end))

    def set_episodes(self, spans: list[tuple[int, int]]) -> None:
        self.wave.set_marks(self.wave.unit, [
            (timing.media_ms(s, self.offset_ms), timing.media_ms(e, self.offset_ms))
            for s, e in spans])

    # -- what the player says ------------------------------------------------------------------
    def _position(self, ms: int) -> None:
        if self._stop_at is not None and ms >= self._stop_at:
            self._stop_at = None
            self.player.pause()
        self.wave.set_position(ms)
        self.time_label.setText(f"{clock(ms, True)} / {clock(self.player.duration())}")

    def _duration(self, ms: int) -> None:
        self.wave.set_duration(ms)
        self.time_label.setText(f"{clock(self.player.position(), True)} / {clock(ms)}")

    def _state(self, state) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setIcon(self.style().standardIcon(PAUSE if playing else PLAY))
        self._follow_state()
        self.playing_changed.emit(playing)

    def _follow_state(self) -> None:
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        if playing and self.follow.isChecked():
            self.follower.start()
        else:
            self.follower.stop()

    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def release(self) -> None:
        self.follower.stop()
        self.player.stop()
        self.player.setSource(QUrl())
