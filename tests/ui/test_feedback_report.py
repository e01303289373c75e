"""The feedback report renders: HTML from the core, PDF through Qt with the expected pages,
and its first page (rendered to PNG by poppler's pdftoppm) is not blank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "core" / "analytics"))

from feedback_helpers import book, session  # noqa: E402

from coder.analytics.advice import try_next, went_well  # noqa: E402
from coder.analytics.data import EpisodeSettings  # noqa: E402
from coder.analytics.discordance import discordance  # noqa: E402
from coder.analytics.measures import Measure, MeasureValue  # noqa: E402
from coder.analytics.session import session_feedback  # noqa: E402
from coder.analytics.timeline import build_timeline  # noqa: E402
from coder.report.gather import Report, ReportText, default_text  # noqa: E402
from coder.report.html import render_html  # noqa: E402


def make_report(n_units=60) -> Report:
    s = session(book("rupture_repair"), n_units,
                {3: ["wd_denial"], 4: ["rp_invite_relationship"], 21: ["cf_object_tasks"]},
                globals_={"extent_of_resolution": 3})
    units = tuple(replace(u, text="I told [NAME] it was fine, it's nothing really")
                  if u.position == 21 else u for u in s.units)
    s = replace(s, units=units)
    srs = Measure("SRS", 0, 40, alliance=True)
    fb = session_feedback(s, "Ann", EpisodeSettings(), [srs], [MeasureValue("s1.txt", "SRS", 39)])
    flags = discordance([fb])
    return Report("Study", fb, (fb,), None, tuple(flags), tuple(went_well(fb)),
                  tuple(try_next(fb, flags)), build_timeline(fb))


def test_html_has_every_section_and_keeps_deidentification_tags():
    r = make_report()
    html = render_html(r, default_text(r))
    for heading in ("Timeline", "Ruptures and repair", "Adherence profile", "Session ratings",
                    "The client's view beside the coders'", "What went well",
                    "What to try next", "How these figures were made"):
        assert f">{heading}</h2>" in html.replace("&#x27;", "'")
    assert "[NAME]" in html and "<svg" in html
    assert "Unresolved ruptures, top alliance rating" in html
    assert "N = 10, M = 5" in html


def test_edited_text_replaces_the_generated_one():
    r = make_report()
    html = render_html(r, ReportText("- Warm start\n- Good pacing", "- Slow down at unit 21",
                                     "Talked about this in supervision."))
    assert "<li>Warm start</li><li>Good pacing</li>" in html
    assert "<li>Slow down at unit 21</li>" in html and "Supervisor's notes" in html
    assert "noticed and worked through" not in html


def _first_page_png(pdf: Path, tmp_path: Path) -> Path | None:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm (poppler-utils) is required on CI")
        return None
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    return next(tmp_path.glob("page*.png"))


def test_pdf_has_the_expected_pages_and_a_first_page_that_is_not_blank(qapp, tmp_path):
    from PySide6.QtGui import QImage

    from ui.feedback.report_pdf import page_count, write_pdf
    r = make_report()
    out = tmp_path / "report.pdf"
    pages = write_pdf(r, default_text(r), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and page_count(data) == pages
    assert 2 <= pages <= 5          # the body, then "How these figures were made" on its own
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert not list(tmp_path.glob(".report.pdf.*"))       # no temporary file left behind
    png = _first_page_png(out, tmp_path)
    if png is None:
        pytest.skip("pdftoppm not installed (Debian package poppler-utils)")
    image = QImage(str(png))
    assert image.width() > 100
    dark = sum(1 for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
               if image.pixelColor(x, y).lightness() < 200)
    assert dark > 200, "the first page looks blank"


def test_mi_report_has_scores_beside_thresholds_and_no_empty_episode_section():
    t = {2: "open_question", 4: "closed_question", 6: "simple_reflection",
         8: "complex_reflection", 10: "complex_reflection", 12: "simple_reflection"}
    s = session(book("mi_behaviour"), 12, {p: [c] for p, c in t.items()},
                globals_={"partnership": 4, "empathy": 3})
    fb = session_feedback(s, "Ann", EpisodeSettings())
    r = Report("Study", fb, (fb,), None, (), tuple(went_well(fb)), tuple(try_next(fb)),
               build_timeline(fb))
    html = render_html(r, default_text(r))
    assert "marks no groups as rupture markers" in html and ">Timeline</h2>" not in html
    # R:Q = 4 / 2; % CR = 2 / 4; relational (4 + 3) / 2; technical needs its two globals
    assert "<td>2.00:1</td><td>1.00:1</td><td>2.00:1</td><td>good</td>" in html
    assert "<td>50%</td><td>40%</td><td>50%</td><td>good</td>" in html
    assert "<td>3.50</td><td>3.50</td><td>4.00</td><td>fair</td>" in html
    assert "not computable: needs both globals cultivating_change_talk" in html
    assert "MITI 4.2.1 (Moyers et al. 2016)" in html
