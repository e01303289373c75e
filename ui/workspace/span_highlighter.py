"""Display-only highlights in the detail pane's text (DESIGN.md rule 4): coded spans in the
code's colour, marker-phrase suggestions underlined, search matches in yellow.

Offsets from the core are Python code points; Qt counts UTF-16 units, so they are converted
here, at the boundary (an emoji is one code point but two UTF-16 units).
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat


def to_utf16(text: str, index: int) -> int:
    """UTF-16 position of code-point `index` in `text`."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def from_utf16(text: str, pos: int) -> int:
    """Code-point index of UTF-16 position `pos` in `text`."""
    units = 0
    for i, ch in enumerate(text):
        if units >= pos:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document) -> None:
        super().__init__(document)
        self._spans: list[tuple[int, int, str]] = []      # code points, colour
        self._hints: list[tuple[int, int]] = []
        self._search: re.Pattern | None = None
        self._text = ""

    def set_content(self, text: str, spans, hints) -> None:
        self._text = text
        self._spans = list(spans)
        self._hints = list(hints)
        self.rehighlight()

    def set_search(self, pattern: re.Pattern | None) -> None:
        self._search = pattern
        self.rehighlight()

    def highlightBlock(self, block_text: str) -> None:  # noqa: N802 - Qt API
        block = self.currentBlock()
        base = block.position()                     # UTF-16 offset of this block
        length = len(block_text)

        def apply(start16: int, end16: int, fmt: QTextCharFormat) -> None:
            a, b = max(start16 - base, 0), min(end16 - base, length)
            if a < b:
                self.setFormat(a, b - a, fmt)

        for start, end in self._hints:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.DashUnderline)
            fmt.setUnderlineColor(QColor("#8a8f98"))
            apply(to_utf16(self._text, start), to_utf16(self._text, end), fmt)
        for start, end, color in self._spans:
            fmt = QTextCharFormat()
            c = QColor(color)
            c.setAlpha(90)
            fmt.setBackground(c)
            apply(to_utf16(self._text, start), to_utf16(self._text, end), fmt)
        if self._search is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ffe066"))
            for m in self._search.finditer(block_text):
                a, b = to_utf16(block_text, m.start()), to_utf16(block_text, m.end())
                if a < b:
                    self.setFormat(a, b - a, fmt)
