"""TapTimer: tap-to-timestamp for an untimed transcript. Play the recording and press the tap
key (F8) as each turn starts; Shift+F8 takes the last tap back. Saving stores every turn's
times as one undoable command (`SetTurnTimes`); window units come with them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from coder.media import timing
from coder.media.commands import SetTurnTimes
from coder.media.model import MediaProblem


class TapTimer(QObject):
    progressed = Signal(str)          # the banner's text
    ended = Signal()

    def __init__(self, transcript_id: int, turns, clock: Callable[[], int], offset_ms: int,
                 parent=None) -> None:
        super().__init__(parent)
        self.transcript_id, self.turns, self.clock = transcript_id, list(turns), clock
        self.offset_ms = offset_ms
        # already timed turns keep their times until tapped again
        self.taps: list[int | None] = [
            None if t.start_ms is None else timing.media_ms(t.start_ms, offset_ms)
            for t in self.turns]
        self.index = next((i for i, t in enumerate(self.turns) if t.start_ms is None), 0)
        self.first = self.index

    def describe(self) -> str:
        if self.index >= len(self.turns):
            return (f"All {len(self.turns)} turns tapped — Save times to keep them "
                    "(one step; Ctrl+Z undoes it)")
        t = self.turns[self.index]
        text = t.text if len(t.text) < 70 else t.text[:67] + "…"
        return (f"Tap F8 when turn {self.index + 1} of {len(self.turns)} starts — "
                f"{t.speaker or '?'}: {text}   (Shift+F8 takes a tap back; "
                "Media ▸ Save tapped times keeps them)")

    def tap(self) -> None:
        if self.index >= len(self.turns):
            return
        now = self.clock()
        earlier = [t for t in self.taps[:self.index] if t is not None]
        if earlier and now < earlier[-1]:
            now = earlier[-1]               # the player was moved back: no time reversal
        self.taps[self.index] = now
        # later turns' old times may now come before this tap: they will be tapped again
        for j in range(self.index + 1, len(self.taps)):
            if self.taps[j] is not None and self.taps[j] < now:
                self.taps[j] = None
        self.index += 1
        self.progressed.emit(self.describe())

    def take_back(self) -> None:
        if self.index > self.first:
            self.index -= 1
            self.taps[self.index] = None
            self.progressed.emit(self.describe())

    def command(self, duration_ms: int | None) -> SetTurnTimes:
        if all(t is None for t in self.taps):
            raise MediaProblem("no turn was tapped")
        try:
            times = timing.taps_to_times(self.taps, self.offset_ms, duration_ms)
        except ValueError as exc:
            raise MediaProblem(str(exc)) from None
        return SetTurnTimes(self.transcript_id, times, "Tap turn times")
