"""App start (issue 17): the start screen comes up without the project machinery — no
SQLAlchemy, YAML, numpy, pandas, scipy, spaCy, openpyxl or Qt Multimedia imported — and the
areas built after it do not load them either; `main.py` with the exit-when-ready hook paints
and quits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("sqlalchemy", "yaml", "numpy", "pandas", "scipy", "spacy", "openpyxl",
         "PySide6.QtMultimedia", "coder.project", "coder.store.handle")

PROBE = f"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.shell.main_window import MainWindow
from ui.shell.settings import AppSettings
w = MainWindow(AppSettings(), defer_areas=True)
w.show(); w.repaint()
heavy = {HEAVY!r}
at_start = [m for m in heavy if m in sys.modules]
shown = w.stack.currentWidget() is w.start and w.isVisible() and not w.areas_built
w.build_areas()
after_areas = [m for m in heavy if m in sys.modules]
menus = [a.text() for a in w.menuBar().actions()]
print(json.dumps(dict(at_start=at_start, after_areas=after_areas, shown=shown, menus=menus)))
"""


def _env(tmp_path) -> dict:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SESSION_CODER_HOME": str(tmp_path)}


def test_the_start_screen_and_the_areas_load_no_heavy_library(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env=_env(tmp_path))
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["shown"]
    assert result["at_start"] == []
    assert result["after_areas"] == []
    assert "&File" in result["menus"] and "&Media" in result["menus"]


def test_main_paints_the_start_screen_and_quits_when_asked(tmp_path):
    env = {**_env(tmp_path), "SESSION_CODER_EXIT_WHEN_READY": "1"}
    out = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    ready = [line for line in out.stdout.splitlines() if line.startswith("ready ")]
    assert len(ready) == 1 and float(ready[0].split()[1]) > 0


def test_the_start_buttons_build_the_areas_first(qtbot, monkeypatch, tmp_path):
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings
    w = MainWindow(AppSettings(), defer_areas=True)
    qtbot.addWidget(w)
    assert not w.areas_built
    asked = []
    from ui.shell.actions import ShellActions
    monkeypatch.setattr(ShellActions, "choose_project", lambda self: asked.append(self))
    w.start.open_button.click()
    assert w.areas_built and asked == [w.shell_actions]
    assert w.build_areas() is w.shell_actions              # once only
    w.close()


def test_project_tabs_are_built_when_first_shown(qtbot, monkeypatch, tmp_path):
    from coder.project import Project
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings
    path = tmp_path / "p.scproj"
    with Project.create(path) as p:
        p.importing.import_file(ROOT / "sample_transcripts" / "session04_roles.srt")
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    monkeypatch.setattr(w.rater_actions, "switch_rater", lambda: None)
    w.show()
    assert w.open_project(path, ask_rater=False)
    tabs = w.project_tabs
    assert [w.tabs.tabText(i) for i in range(w.tabs.count())] == [
        "Code", "Codebook", "Reliability", "Team", "Feedback"]
    assert all(tabs.built(n) is None for n in ("codebook", "reliability", "team", "feedback"))
    w.tabs.setCurrentIndex(2)                              # Reliability shown: built now
    view = tabs.built("reliability")
    assert view is not None and w.tabs.widget(2) is view and w.tabs.currentIndex() == 2
    assert w.tabs.tabText(2) == "Reliability" and tabs.built("team") is None
    assert w.team_view is tabs.built("team") and w.tabs.indexOf(w.team_view) == 3
    w.close_project()
    assert w.tabs.count() == 1 and w.reliability_view is None
    w.close()
