"""Readable in light and in dark: WCAG contrast (>= 4.5 : 1) of badge text on every shipped
code colour and of reliability-cell text on every band colour, in both themes."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from coder.codebook.files import load_codebook  # noqa: E402
from ui.shell import theme as themes  # noqa: E402
from ui.workspace.badge_delegate import DEFAULT_COLOR  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
THEMES = [themes.LIGHT_THEME, themes.DARK_THEME]


def shipped_colours() -> set[str]:
    colours = {DEFAULT_COLOR}
    for path in sorted((ROOT / "codebooks").glob("*.yaml")):
        colours |= {e.code.color for e in load_codebook(path).codes() if e.code.color}
    return colours


def test_contrast_matches_published_values():
    # WCAG's own reference points: black on white is 21:1, a colour on itself 1:1, and
    # #767676 is the lightest grey that reaches 4.5:1 on white.
    assert themes.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert themes.contrast("#777777", "#777777") == pytest.approx(1.0)
    assert themes.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert themes.contrast("#777777", "#ffffff") < 4.5


def test_the_codebooks_have_colours_to_check():
    assert len(shipped_colours()) >= 10


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_badge_text_is_readable_on_every_code_colour(theme):
    for colour in shipped_colours():
        fill, ink = theme.badge(colour)
        assert themes.contrast(ink, fill) >= 4.5, (theme.name, colour, ink.name())
        outline = theme.outline_ink(colour)            # another rater's badge, a suggestion
        assert themes.contrast(outline, theme.base) >= 4.5, (theme.name, colour)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_reliability_cells_are_readable_in_every_band(theme):
    for n in range(2, 7):                               # schemes have two to six bands
        for rank in range(n):
            bg = theme.band(rank, n)
            for ink in (theme.text, theme.muted):
                assert themes.contrast(ink, bg) >= 4.5, (theme.name, rank, n, ink, bg.name())
    for bg in (theme.undefined_bg, theme.caution_bg, theme.base, theme.alt_base):
        assert themes.contrast(theme.muted, bg) >= 4.5, (theme.name, bg)
        assert themes.contrast(theme.text, bg) >= 4.5, (theme.name, bg)
    assert themes.contrast(theme.highlight_text, theme.highlight) >= 4.5
    assert themes.contrast(theme.title, theme.window) >= 4.5
    for ink in (theme.error, theme.warning, theme.muted, theme.text):     # on the window
        assert themes.contrast(ink, theme.window) >= 4.5, (theme.name, ink)


def test_dark_theme_is_dark_and_light_is_light():
    assert themes.luminance(themes.DARK_THEME.base) < 0.05 < themes.luminance(
        themes.DARK_THEME.text)
    assert themes.luminance(themes.LIGHT_THEME.base) > 0.9


def test_the_cells_use_the_current_theme(qapp):
    from ui.reliability.table import band_color
    try:
        themes.use(themes.DARK_THEME)
        assert band_color(0, 4) == themes.DARK_THEME.band(0, 4)
        themes.use(themes.LIGHT_THEME)
        assert band_color(0, 4) == themes.LIGHT_THEME.band(0, 4)
    finally:
        themes.use(themes.LIGHT_THEME)


def test_scheme_override_and_palette(qapp, monkeypatch):
    monkeypatch.setenv("SESSION_CODER_THEME", "dark")
    assert themes.system_scheme(qapp) == themes.DARK
    monkeypatch.setenv("SESSION_CODER_THEME", "light")
    assert themes.system_scheme(qapp) == themes.LIGHT
    pal = themes.DARK_THEME.palette()
    assert pal.color(pal.ColorRole.Base) == QColor(themes.DARK_THEME.base)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_speaker_roles_are_readable(theme):
    try:
        themes.use(theme)
        for role in ("therapist", "client", "other", None):
            assert themes.contrast(themes.role_color(role), theme.base) >= 4.5, role
    finally:
        themes.use(themes.LIGHT_THEME)
