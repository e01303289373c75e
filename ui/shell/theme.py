"""Light or dark: which scheme the app follows, and the colours that must stay readable in it.

The app follows the system: on Qt 6.5 and later ``QStyleHints.colorScheme()`` says light or
dark; before that (or when it says "unknown") the lightness of the palette's window colour
decides. ``SESSION_CODER_THEME=light|dark`` overrides both (screenshots, tests, a user who
wants the other one). :func:`apply` sets the palette and the style sheet once at start;
delegates ask :func:`current` at paint time, so badges, keycaps and reliability cells take
their colours from the same :class:`Theme`.

Readable means the WCAG 2 contrast ratio (:func:`contrast`) of text on its background is at
least 4.5 : 1; ``tests/ui/test_theme.py`` checks it for every shipped code colour and every
reliability band in both schemes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QColor, QPalette

LIGHT, DARK = "light", "dark"
READABLE = 4.5                       # WCAG AA for body text


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color) -> float:
    """WCAG relative luminance of an opaque colour (a QColor or a "#rrggbb" name)."""
    c = QColor(color)
    return (0.2126 * _channel(c.redF()) + 0.7152 * _channel(c.greenF())
            + 0.0722 * _channel(c.blueF()))


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(background) -> QColor:
    """Black or white, whichever reads better on `background` (always at least 4.58 : 1)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(black, background) >= contrast(white, background) else white


def readable_on(color, background, ratio: float = READABLE) -> QColor:
    """`color` darkened (on a light background) or lightened (on a dark one) just enough to
    reach `ratio` against `background`, keeping its hue: a code's colour as text."""
    c = QColor(color)
    dark_bg = luminance(background) < 0.18
    for _ in range(40):
        if contrast(c, background) >= ratio:
            return c
        h, s, v, _a = c.getHsvF()
        if dark_bg:
            c = QColor.fromHsvF(max(h, 0.0), s * 0.9, min(1.0, v + 0.06))
        else:
            c = QColor.fromHsvF(max(h, 0.0), s, max(0.0, v - 0.06))
    return ink_on(background)


@lru_cache(maxsize=1024)             # painted for every badge: a few dozen colours in all
def _ink_on(name: str) -> str:
    return ink_on(name).name()


@lru_cache(maxsize=1024)
def _readable_on(name: str, background: str) -> str:
    return readable_on(name, background).name()


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str                # lists and tables
    alt_base: str
    text: str
    muted: str               # secondary text, readable on base and on the band colours
    title: str               # panel titles
    border: str
    card: str
    highlight: str           # selected rows
    highlight_text: str
    focus_row: str           # the keyboard's row in the code list
    hover_row: str
    keycap: str
    keycap_border: str
    undefined_bg: str        # reliability: undefined and caution cells
    caution_bg: str
    playing: str             # the unit being spoken
    error: str               # a problem's text on the window
    warning: str             # a warning's text on the window
    band_saturation: float   # reliability bands: pale in light, deep in dark
    band_value: float

    @property
    def dark(self) -> bool:
        return self.name == DARK

    def band(self, rank: int, n: int) -> QColor:
        """Green for the best band through amber to red for the worst."""
        hue = 0.36 * (1 - rank / max(1, n - 1))
        return QColor.fromHsvF(hue, self.band_saturation, self.band_value)

    def badge(self, color) -> tuple[QColor, QColor]:
        """A filled badge: the code's own colour, with black or white text."""
        fill = QColor(color)
        return fill, QColor(_ink_on(fill.name()))

    def outline_ink(self, color) -> QColor:
        """Text of an outlined badge (another rater's code, a suggestion) on the base."""
        return QColor(_readable_on(QColor(color).name(), self.base))

    def palette(self) -> QPalette:
        p = QPalette()
        roles = {QPalette.Window: self.window, QPalette.WindowText: self.text,
                 QPalette.Base: self.base, QPalette.AlternateBase: self.alt_base,
                 QPalette.Text: self.text, QPalette.Button: self.card,
                 QPalette.ButtonText: self.text, QPalette.ToolTipBase: self.card,
                 QPalette.ToolTipText: self.text, QPalette.Highlight: self.highlight,
                 QPalette.HighlightedText: self.highlight_text,
                 QPalette.PlaceholderText: self.muted, QPalette.Link: "#8ab4f8"}
        for role, name in roles.items():
            p.setColor(role, QColor(name))
        for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
            p.setColor(QPalette.Disabled, role, QColor(self.muted))
        return p


LIGHT_THEME = Theme(
    name=LIGHT, window="#f3f5f8", base="#ffffff", alt_base="#f7f9fb", text="#1f2933",
    muted="#4f5966", title="#1f3b5c", border="#d7dde5", card="#ffffff",
    highlight="#cfe0f5", highlight_text="#111111", focus_row="#dce8f6", hover_row="#f1f5fa",
    keycap="#f5f7fa", keycap_border="#b4bfcc", undefined_bg="#eeeeee", caution_bg="#f1f1f1",
    playing="#ffeeb8", error="#b00020", warning="#a04000", band_saturation=0.20, band_value=0.98)
DARK_THEME = Theme(
    name=DARK, window="#202329", base="#17191d", alt_base="#1d2025", text="#e6e9ee",
    muted="#c3cad4", title="#a9c7ea", border="#3a404a", card="#2a2e35",
    highlight="#2f4f78", highlight_text="#ffffff", focus_row="#2b3d55", hover_row="#242932",
    keycap="#2f343c", keycap_border="#58616e", undefined_bg="#2c2f34", caution_bg="#30333a",
    playing="#5a4a14", error="#ff8a80", warning="#ffb870", band_saturation=0.50, band_value=0.30)

_current: Theme = LIGHT_THEME


def role_color(role: str | None) -> QColor:
    """A speaker role's colour as text on the current theme's base, readable (4.5 : 1)."""
    return QColor(_role_ink(_current.name, role or "other"))


@lru_cache(maxsize=None)
def _role_ink(name: str, role: str) -> str:
    from ui.shell.formatting import ROLE_COLORS
    return readable_on(ROLE_COLORS.get(role, "#666666"), theme_for(name).base).name()


def theme_for(name: str) -> Theme:
    return DARK_THEME if name == DARK else LIGHT_THEME


def system_scheme(app=None) -> str:
    """'dark' or 'light': the override, else what Qt says of the system, else the palette."""
    wanted = os.environ.get("SESSION_CODER_THEME", "").strip().lower()
    if wanted in (LIGHT, DARK):
        return wanted
    if app is not None:
        hints = app.styleHints()
        if hasattr(hints, "colorScheme"):                      # Qt >= 6.5
            from PySide6.QtCore import Qt
            scheme = hints.colorScheme()
            if scheme == Qt.ColorScheme.Dark:
                return DARK
            if scheme == Qt.ColorScheme.Light:
                return LIGHT
        if app.palette().color(QPalette.Window).lightnessF() < 0.5:
            return DARK
    return LIGHT


def current() -> Theme:
    """The theme the app was started with (light until :func:`apply` says otherwise)."""
    return _current


def use(theme: Theme) -> Theme:
    """Make `theme` the current one without touching an application (tests, screenshots)."""
    global _current
    _current = theme
    return theme


def apply(app, name: str | None = None) -> Theme:
    """Follow the system's scheme (or `name`): palette, style sheet and the current theme."""
    from ui.shell.style import style_sheet

    theme = use(theme_for(name or system_scheme(app)))
    app.setStyle("Fusion")
    if theme.dark or app.palette().color(QPalette.Window).lightnessF() < 0.5:
        app.setPalette(theme.palette())       # ours in dark; light asked for on a dark system
    app.setStyleSheet(style_sheet(theme))
    return theme
