"""SessionTimeline: the session's lanes and episodes; click or keys to go to a unit.

Keys: Left / Right step through the units that carry a mark, Home / End go to the first /
last, Enter (or a click) opens the selected unit in the coding workspace.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from coder.analytics.timeline import LANE_LABELS, LANES, Timeline

from .timeline_paint import lane_rect, paint_timeline, x_at


class SessionTimeline(QWidget):
    unit_activated = Signal(int)        # a unit position, 1-based
    current_changed = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session timeline")
        self.timeline: Timeline | None = None
        self.current: int | None = None
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(150)
        self.setAccessibleName("Session timeline")
        self.setToolTip("Click a mark to open its unit; Left/Right step between marks, "
                        "Enter opens the selected one")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(800, 170)

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self.current = None
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0, 2, 0, -2)
        if self.timeline is None or not self.timeline.units:
            p.drawText(rect, Qt.AlignCenter, "Choose a coded session to see its timeline")
            return
        paint_timeline(p, rect, self.timeline, current=self.current)
        if self.hasFocus():
            p.setPen(self.palette().highlight().color())
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))

    # -- finding what is under the mouse -------------------------------------------------------
    def position_at(self, x: float, y: float) -> int | None:
        """The unit of the nearest mark within 6 px (in the lane under y, else any lane)."""
        t = self.timeline
        if t is None:
            return None
        rect = QRectF(self.rect()).adjusted(0, 2, 0, -2)
        lanes = [name for i, name in enumerate(LANES)
                 if lane_rect(rect, i).top() <= y <= lane_rect(rect, i).bottom()]
        best, dist = None, 6.0
        for m in t.marks:
            if lanes and m.lane not in lanes:
                continue
            d = abs(x_at(rect, m.x) - x)
            if d <= dist:
                best, dist = m.position, d
        if best is None:
            for sp in t.spans:
                if x_at(rect, sp.x0) <= x <= x_at(rect, sp.x1):  # inside a span
                    return sp.first
        return best

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        pos = self.position_at(event.position().x(), event.position().y())
        if pos is not None:
            self._select(pos)
            self.unit_activated.emit(pos)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        pos = self.position_at(event.position().x(), event.position().y())
        if pos is None or self.timeline is None:
            QToolTip.hideText()
            return
        marks = [m for m in self.timeline.marks if m.position == pos]
        text = f"Unit {pos}: " + "; ".join(
            f"{LANE_LABELS[m.lane]} ({', '.join(m.codes)})" for m in marks)
        QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        positions = self.timeline.positions() if self.timeline else ()
        if not positions:
            return super().keyPressEvent(event)
        key = event.key()
        cur = self.current
        if key == Qt.Key_Right:
            nxt = [p for p in positions if cur is None or p > cur]
            self._select(nxt[0] if nxt else positions[-1])
        elif key == Qt.Key_Left:
            prev = [p for p in positions if cur is not None and p < cur]
            self._select(prev[-1] if prev else positions[0])
        elif key == Qt.Key_Home:
            self._select(positions[0])
        elif key == Qt.Key_End:
            self._select(positions[-1])
        elif key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space) and cur is not None:
            self.unit_activated.emit(cur)
        else:
            return super().keyPressEvent(event)
        event.accept()

    def _select(self, position: int) -> None:
        self.current = position
        self.current_changed.emit(position)
        self.update()
