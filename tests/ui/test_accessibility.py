"""Accessibility: every widget of our own classes and every interactive widget a user can
reach in the main window on the sample project (each tab, each inner tab) and in the export
and new-project dialogs has a name a screen reader can speak — its accessible name, or what
Qt derives from a button's text or a field's buddy label."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTabWidget, QWidget  # noqa: E402

from tests.ui.a11y import is_custom, spoken_name, unnamed  # noqa: E402
from ui.export.dialog import ExportDialog  # noqa: E402
from ui.shell.jobs import JobRunner  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.new_project_dialog import NewProjectDialog  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402
from ui.workspace.badge_delegate import badge_text  # noqa: E402


def test_the_walk_finds_what_has_no_name(qtbot):
    """The checker itself: a bare line edit and a custom widget without a name are found;
    a buddy label, a button's text or an accessible name each count as a name."""
    class Nameless(QWidget):
        pass
    Nameless.__module__ = "ui.fake"
    root = QWidget()
    qtbot.addWidget(root)
    bare, buddied, named = QLineEdit(root), QLineEdit(root), Nameless(root)
    label = QLabel("&Find", root)
    label.setBuddy(buddied)
    QPushButton("Open", root)
    assert is_custom(named) and spoken_name(buddied) == "Find"
    found = unnamed(root)
    assert len(found) == 2 and any("Nameless" in x for x in found), found
    bare.setAccessibleName("Search")
    named.setAccessibleName("Chart")
    assert unnamed(root) == []


def _walk_tabs(qtbot, window, tabs: QTabWidget, seen: list[str]) -> None:
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        qtbot.wait(30)
        seen += [f"{tabs.tabText(i)}: {x}" for x in unnamed(window)]
        for inner in tabs.currentWidget().findChildren(QTabWidget):
            if inner.isVisibleTo(window) and inner is not tabs:
                _walk_tabs(qtbot, window, inner, seen)


@pytest.mark.slow
def test_every_widget_of_the_main_window_has_a_name(qtbot):
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    assert unnamed(w) == []                                   # the start screen
    w.shell_actions.open_sample()
    qtbot.waitUntil(lambda: w.service is not None, timeout=60_000)
    problems: list[str] = []
    _walk_tabs(qtbot, w, w.tabs, problems)
    assert problems == []
    # Our own panels carry names of their own (not only derived ones).
    for widget in (w.start, w.workspace, w.transcripts, w.workspace.codes, w.reliability_view,
                   w.team_view, w.feedback_view, w.codebook_panel, w.media):
        assert widget.accessibleName(), type(widget).__name__
    w.close()


def test_dialogs_have_names(qtbot, tmp_path):
    from coder.project import Project
    with Project.create(tmp_path / "a.scproj") as project:
        export = ExportDialog(project, AppSettings(), JobRunner())
        qtbot.addWidget(export)
        export.show()
        assert unnamed(export) == [] and export.accessibleName()
        export.close()
    new = NewProjectDialog(tmp_path)
    qtbot.addWidget(new)
    new.show()
    assert unnamed(new) == [] and new.accessibleName()
    new.close()


def test_badges_carry_text_not_only_colour():
    class Code:
        label = "Withdrawal: denial of feelings"
    assert badge_text(Code, None).startswith("Withdrawal")
    assert badge_text(Code, 3).endswith(" 3")
    assert badge_text(None, None) == "?"
