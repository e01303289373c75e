"""Follower: which unit is being spoken, from a clock (the player's position), on a timer.

The clock is injected (a callable returning media milliseconds), so tests drive it with a
fake one and call `tick()`. `spoken(index)` is emitted only when the unit changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from coder.media.timing import unit_at


class Follower(QObject):
    spoken = Signal(int)               # 0-based index into the units given

    def __init__(self, clock: Callable[[], int], interval_ms: int = 100, parent=None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._starts: list[int | None] = []
        self._offset = 0
        self._last: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)

    def set_units(self, starts: Sequence[int | None], offset_ms: int) -> None:
        self._starts, self._offset, self._last = list(starts), offset_ms, None

    def set_offset(self, offset_ms: int) -> None:
        self._offset, self._last = offset_ms, None

    def start(self) -> None:
        self._last = None
        self.timer.start()
        self.tick()

    def stop(self) -> None:
        self.timer.stop()

    def tick(self) -> None:
        index = unit_at(self._starts, self.clock(), self._offset)
        if index is not None and index != self._last:
            self._last = index
            self.spoken.emit(index)
