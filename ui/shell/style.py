"""The app's look: one style sheet, calm colours, readable sizes — in the light or the dark
theme the app follows (ui.shell.theme)."""

from __future__ import annotations

from ui.shell.theme import LIGHT_THEME, Theme


def style_sheet(t: Theme) -> str:
    return f"""
QLabel#startTitle {{ font-size: 26px; font-weight: 600; color: {t.title}; }}
QLabel#panelTitle {{ font-size: 14px; font-weight: 600; color: {t.title}; }}
QLabel#hint {{ color: {t.muted}; }}
QLabel#detailHeader {{ color: {t.title}; font-weight: 600; }}
QFrame#startCard {{ background: {t.card}; border: 1px solid {t.border}; border-radius: 10px; }}
QPushButton#startButton {{ text-align: left; padding: 6px 14px; font-size: 13px; }}
QTableView {{ selection-background-color: {t.highlight}; selection-color: {t.highlight_text};
             alternate-background-color: {t.alt_base}; }}
QPlainTextEdit#detailText {{ font-size: 13px; }}
QHeaderView::section {{ padding: 4px 6px; }}
"""


STYLE = style_sheet(LIGHT_THEME)        # the light sheet, for callers that want it as is
