"""MediaActions: the Media menu — link, find or unlink a recording; the transport on keys that
leave code keys alone (Ctrl+Space, Ctrl+←/→, Ctrl+↑/↓, Ctrl+Shift+↑/↓, Ctrl+Shift+Space); follow; tap turn
times (F8 and Shift+F8 only while tapping, so a code on F8 still works otherwise); nudge a
turn's time (Ctrl+Alt+←/→)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from coder.errors import SessionCoderError
from coder.media.commands import UnlinkMedia

from ui.media.link import choose_recording, link_recording
from ui.shell.menus import make_action

NUDGE_MS = 100

SHORTCUT_HELP = """<tr><td colspan=2><b>Recording</b> (Media menu)</td></tr>
<tr><td><b>Ctrl+Space</b></td><td>play / pause</td></tr>
<tr><td><b>Ctrl+←</b> / <b>Ctrl+→</b></td><td>back / forward 5 seconds</td></tr>
<tr><td><b>Ctrl+↑</b> / <b>Ctrl+↓</b></td><td>faster / slower (0.5×–2×, pitch kept)</td></tr>
<tr><td><b>Ctrl+Shift+↑</b> / <b>Ctrl+Shift+↓</b></td><td>louder / softer</td></tr>
<tr><td><b>Ctrl+Shift+Space</b></td><td>play the selected unit (after the pre-roll)</td></tr>
<tr><td><b>Ctrl+Shift+L</b></td><td>follow the voice on / off</td></tr>
<tr><td><b>F8</b> / <b>Shift+F8</b></td><td>while tapping turn times: the next turn starts now /
take the last tap back</td></tr>
<tr><td><b>Ctrl+Alt+←</b> / <b>Ctrl+Alt+→</b></td><td>nudge the selected turn's start
0.1 s earlier / later</td></tr>"""


class MediaActions(QObject):
    message = Signal(str)

    def __init__(self, window, area, events, settings, runner,
                 current_transcript: Callable[[], int | None],
                 current_unit: Callable[[], object]) -> None:
        super().__init__(window)
        self.window, self.area, self.events = window, area, events
        self.settings, self.runner = settings, runner
        self.current_transcript, self.current_unit = current_transcript, current_unit
        w, a = window, area
        self.act_link = make_action(w, "&Link recording…", self.link)
        self.act_relocate = make_action(w, "&Find the recording…", self.relocate)
        self.act_unlink = make_action(w, "&Unlink recording", self.unlink)
        self.act_play = make_action(w, "&Play / pause", lambda: a.panel.toggle(), "Ctrl+Space")
        self.act_back = make_action(w, "&Back 5 s", lambda: a.panel.skip(-5000), "Ctrl+Left")
        self.act_fwd = make_action(w, "&Forward 5 s", lambda: a.panel.skip(5000), "Ctrl+Right")
        self.act_faster = make_action(w, "Fas&ter", lambda: a.panel.step_speed(1), "Ctrl+Up")
        self.act_slower = make_action(w, "Slo&wer", lambda: a.panel.step_speed(-1), "Ctrl+Down")
        self.act_louder = make_action(w, "&Louder", lambda: a.panel.step_volume(1),
                                      "Ctrl+Shift+Up")
        self.act_softer = make_action(w, "Soft&er", lambda: a.panel.step_volume(-1),
                                      "Ctrl+Shift+Down")
        self.act_unit = make_action(w, "Play the selected &unit", lambda: a.panel.play_unit(),
                                    "Ctrl+Shift+Space")
        self.act_follow = make_action(w, "F&ollow the voice",
                                      lambda: a.panel.follow.toggle(), "Ctrl+Shift+L")
        self.act_tap = make_action(w, "&Tap turn times…", self.start_tapping)
        self.act_tap_key = make_action(w, "Next turn starts now", a.tap, "F8")
        self.act_take_back = make_action(w, "Take the last tap back", a.take_back, "Shift+F8")
        self.act_save_taps = make_action(w, "&Save tapped times", self.save_taps)
        self.act_cancel_taps = make_action(w, "Cancel tapping", self.cancel_tapping)
        self.act_earlier = make_action(w, "Nudge turn start &earlier",
                                       lambda: a.nudge(current_unit(), -NUDGE_MS), "Ctrl+Alt+Left")
        self.act_later = make_action(w, "Nudge turn start &later",
                                     lambda: a.nudge(current_unit(), NUDGE_MS), "Ctrl+Alt+Right")
        self._player = [self.act_play, self.act_back, self.act_fwd, self.act_faster,
                        self.act_slower, self.act_louder, self.act_softer, self.act_unit,
                        self.act_follow, self.act_tap, self.act_earlier, self.act_later]
        self._tapping = [self.act_tap_key, self.act_take_back, self.act_save_taps,
                         self.act_cancel_taps]
        area.player_changed.connect(lambda _on: self.update())
        area.message.connect(self.message)
        events.opened.connect(lambda _p: self.update())
        events.changed.connect(lambda ch: ch.media and self.update())
        self.update()

    def sections(self) -> list[list]:
        """The Media menu's sections, in order."""
        return [[self.act_link, self.act_relocate, self.act_unlink], self._player[:9],
                [self.act_tap, *self._tapping, self.act_earlier, self.act_later]]

    def update(self) -> None:
        tid = self.current_transcript()
        project = self.events.project
        linked = tid is not None and project is not None and project.media.get(tid) is not None
        self.act_link.setEnabled(tid is not None and project is not None)
        self.act_relocate.setEnabled(linked)
        self.act_unlink.setEnabled(linked)
        for action in self._player:
            action.setEnabled(self.area.has_player())
        for action in self._tapping:
            action.setEnabled(self.area.tapper is not None)

    # -- slots ----------------------------------------------------------------------
    def link(self) -> None:
        tid = self.current_transcript()
        if tid is None:
            return
        path = choose_recording(self.window, self.settings.last_folder(),
                                "Link a recording to this transcript")
        if path is not None:
            link_recording(self.window, self.events, self.runner, tid, path,
                           on_done=lambda: self.message.emit(f"Linked {path.name}"))

    def relocate(self) -> None:
        tid = self.current_transcript()
        if tid is None:
            return
        located = self.events.project.media.locate(tid)
        if located.path is not None and located.moved:
            answer = QMessageBox.question(self.window, "Recording found",
                                          f"{located.reason}. Link it there?")
            if answer == QMessageBox.Yes:
                link_recording(self.window, self.events, self.runner, tid, located.path,
                               relocate=True)
                return
        path = choose_recording(self.window, self.settings.last_folder(),
                                "Where is the recording now?")
        if path is not None:
            link_recording(self.window, self.events, self.runner, tid, path, relocate=True,
                           on_done=lambda: self.message.emit(f"Recording found: {path}"))

    def unlink(self) -> None:
        tid = self.current_transcript()
        try:
            self.events.perform(UnlinkMedia(tid))
        except SessionCoderError as exc:
            self.message.emit(str(exc))

    def start_tapping(self) -> None:
        self.area.start_tapping()
        self.update()

    def save_taps(self) -> None:
        self.area.save_taps()
        self.update()

    def cancel_tapping(self) -> None:
        self.area.end_tapping()
        self.update()
