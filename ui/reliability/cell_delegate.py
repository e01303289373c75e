"""How the results table paints a statistic cell: the value on the first line; interval,
coefficient and label smaller beneath it (issue 17: the table's paint is most of a report's
arrival, so what can be made once is)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from ui.shell import theme as themes

LINES_ROLE = Qt.UserRole + 6       # (first line, second line[, tag, cautioned]) of a cell

# Made once: PySide6's enum arithmetic costs microseconds a call, and a paint asks per cell.
_LEFT = Qt.AlignLeft | Qt.AlignVCenter
_RIGHT = Qt.AlignRight | Qt.AlignVCenter
_SELECTED = QStyle.State_Selected


class StatCellDelegate(QStyledItemDelegate):
    """Value on the first line; interval, coefficient and label smaller beneath it. The two
    fonts with their metrics are made once per view font, the inks once per theme."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, tuple] = {}
        self._inks: tuple | None = None

    def _fonts_for(self, font: QFont) -> tuple:
        key = font.key()
        fonts = self._fonts.get(key)
        if fonts is None:
            bold = QFont(font)
            bold.setBold(True)
            small = QFont(font)
            small.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
            fonts = self._fonts[key] = (bold, QFontMetrics(bold), small, QFontMetrics(small))
        return fonts

    def _inks_for(self, theme) -> tuple:
        if self._inks is None or self._inks[0] is not theme:
            self._inks = (theme, QColor(theme.highlight), QColor(theme.muted),
                          QColor(theme.highlight_text), QColor(theme.text))
        return self._inks

    def paint(self, painter, option, index) -> None:
        lines = index.data(LINES_ROLE)
        if lines is None:
            super().paint(painter, option, index)
            return
        painter.save()
        _, highlight, muted, highlight_text, text = self._inks_for(themes.current())
        selected = bool(option.state & _SELECTED)
        if selected:
            painter.fillRect(option.rect, highlight)
        else:
            bg = index.data(Qt.BackgroundRole)
            if bg is not None:
                painter.fillRect(option.rect, bg)
        align = _LEFT if index.column() == 0 else _RIGHT
        r = option.rect.adjusted(6, 3, -6, -3)
        top = QRect(r.left(), r.top(), r.width(), r.height() // 2 + 1)
        bottom = QRect(r.left(), r.top() + r.height() // 2, r.width(), r.height() // 2)
        bold, fm, small, fm_small = self._fonts_for(option.font)
        painter.setFont(bold)
        undefined = lines[0] == "undefined" or (len(lines) > 3 and lines[3])
        painter.setPen(muted if undefined and not selected else
                       highlight_text if selected else text)
        painter.drawText(top, align, fm.elidedText(lines[0], Qt.ElideRight, top.width()))
        used = fm.horizontalAdvance(lines[0])
        painter.setFont(small)
        painter.setPen(highlight_text if selected else muted)
        if len(lines) > 2 and lines[2]:          # which coefficient, left of the value
            room = top.width() - used - 6
            painter.drawText(top, _LEFT,
                             fm_small.elidedText(lines[2], Qt.ElideRight, max(0, room)))
        painter.drawText(bottom, align,
                         fm_small.elidedText(lines[1], Qt.ElideRight, bottom.width()))
        painter.restore()
