"""The style sheets of the code panel and the rating forms, in the current theme's colours
(ui.shell.theme): rating buttons, item boxes and the code list."""

from __future__ import annotations

from ui.shell.theme import Theme


def scale_style(t: Theme) -> str:
    """The rating buttons and boxes in theme `t` (ui.shell.theme)."""
    return f"""
QToolButton#scalePoint {{ border: 1px solid {t.keycap_border}; border-radius: 4px;
    background: {t.base}; color: {t.text}; padding: 2px 0px; min-width: 22px; min-height: 20px; }}
QToolButton#scalePoint:hover {{ border-color: #7fa3cf; background: {t.hover_row}; }}
QToolButton#scalePoint:checked {{ background: #35618f; border-color: #35618f; color: #ffffff;
                                 font-weight: 600; }}
QToolButton#scalePoint:focus {{ border-color: #5b8ed0; }}
QToolButton#clearButton {{ color: {t.title}; border: none; padding: 0px 2px; }}
QToolButton#clearButton:hover {{ text-decoration: underline; }}
QLabel#legend {{ color: {t.muted}; }}
QLabel#rowLabel {{ font-weight: 600; color: {t.text}; }}
QFrame#itemBox {{ border: 1px solid {t.border}; border-radius: 6px; background: {t.alt_base}; }}
QLabel#itemTitle {{ color: {t.title}; font-weight: 600; }}
QFrame#ratingRow {{ border: 1px solid transparent; border-radius: 6px; }}
QFrame#ratingRow[active="true"] {{ background: {t.focus_row}; border-color: {t.keycap_border}; }}
"""


def panel_style(t: Theme) -> str:
    return scale_style(t) + (f"QListView#codeList {{ border: 1px solid {t.border}; "
                             f"border-radius: 4px; background: {t.base}; }}")
