"""CodeBadgeDelegate: paints a unit's codes as small coloured badges (DESIGN.md rule 4).

Own codes are filled in the code's colour; other raters' codes (visible only when blinding is
off) are outlined and carry the rater's initials; suggestions are faint dashed outlines.
Every badge carries its code's label as text, so colour is never the only sign of a code;
text colours come from the current theme (ui.shell.theme) and read at 4.5 : 1 or better.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from ui.shell import theme as themes
from ui.workspace.coding_model import CODES_ROLE, HINTS_ROLE

DEFAULT_COLOR = "#8a8f98"


def badge_text(code, value) -> str:
    label = code.label if code is not None else "?"
    short = label if len(label) <= 14 else label[:13] + "…"
    return short if value is None else f"{short} {value:g}"


class CodeBadgeDelegate(QStyledItemDelegate):
    def __init__(self, model_getter, own_rater_getter, initials_getter, parent=None) -> None:
        super().__init__(parent)
        self._model = model_getter          # callables, so the delegate follows model swaps
        self._own = own_rater_getter
        self._initials = initials_getter

    def paint(self, painter: QPainter, option, index) -> None:
        if option.state & QStyle.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        codings = index.data(CODES_ROLE) or []
        hints = index.data(HINTS_ROLE) or []
        model = self._model()
        if model is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        font = option.font
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        fm = QFontMetrics(font)
        x = option.rect.left() + 3
        h = fm.height() + 4
        y = option.rect.top() + (option.rect.height() - h) / 2
        right = option.rect.right() - 3
        own = self._own()
        theme = themes.current()
        items = [(c.code, c.value, c.rater_id != own, c.rater_id) for c in codings]
        items += [(h_, None, None, None) for h_ in hints]
        for n, (code_id, value, foreign, rater_id) in enumerate(items):
            code = model.code(code_id)
            text = badge_text(code, value)
            if foreign:
                text = f"{self._initials(rater_id)}: {text}"
            w = fm.horizontalAdvance(text) + 10
            if x + w > right:
                painter.setPen(QColor(theme.muted))
                more = f"+{len(items) - n}"          # how many did not fit (tooltip: all)
                painter.drawText(QRectF(x, y, right - x, h), Qt.AlignVCenter,
                                 more if fm.horizontalAdvance(more) <= right - x else "…")
                break
            color = QColor(code.color if code is not None and code.color else DEFAULT_COLOR)
            rect = QRectF(x, y, w, h)
            if foreign is None:          # a suggestion
                pen = QPen(color, 1, Qt.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.NoBrush)
                painter.drawRoundedRect(rect, 4, 4)
                painter.setPen(theme.outline_ink(color))
            elif foreign:
                painter.setPen(QPen(color, 1.5))
                painter.setBrush(QColor(theme.base))
                painter.drawRoundedRect(rect, 4, 4)
                painter.setPen(theme.outline_ink(color))
            else:
                fill, ink = theme.badge(color)
                painter.setPen(Qt.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(rect, 4, 4)
                painter.setPen(ink)
            painter.drawText(rect, Qt.AlignCenter, text)
            x += w + 4
        painter.restore()
