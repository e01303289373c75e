"""Importing codings from the menu: the options dialog (complete, missing values; remembered),
the table read and checked as a JobRunner job with a progress dialog — Cancel writes nothing
and leaves no undo step, a bad table is one warning and one status line — and a finished
import is one undo step. No processEvents: the write is one command on the main thread."""

import csv
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from coder.project import Project  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from ui.importing.codings_options import CodingsImportOptions  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"


def make(tmp_path, extra_rows=()):
    project = Project.create(tmp_path / "p.scproj")
    project.importing.import_file(SESSION3)
    info = project.transcripts.list()[0]
    therapist = [s.position for s in project.transcripts.segments(info.id, "turn")
                 if s.role == "therapist"][:20]
    project.close()
    table = tmp_path / "c.csv"
    with open(table, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["transcript", "segment", "rater", "code", "value", "note"])
        w.writerows([info.name, p, "Cleo", "validation", "", ""] for p in therapist)
        w.writerows([info.name, *row] for row in extra_rows)
    return tmp_path / "p.scproj", table


@pytest.fixture
def window(qtbot, monkeypatch):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    window.shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: window.shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: window.shown.append(a[2]))
    yield window
    window.close()


def open_with(window, monkeypatch, path, table, choice=(True, "")):
    assert window.open_project(path, ask_rater=False)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(table), ""))
    monkeypatch.setattr(CodingsImportOptions, "ask", classmethod(lambda cls, *a: choice))


def test_cancel_writes_nothing_and_a_finished_import_is_one_step(qtbot, tmp_path, window,
                                                                 monkeypatch):
    path, table = make(tmp_path)
    open_with(window, monkeypatch, path, table)
    actions = window.import_actions
    with qtbot.waitSignal(actions.message, timeout=30_000) as blocker:
        actions.import_codings()
        actions.progress_dialog.canceled.emit()     # the user presses Cancel at once
    assert "cancelled" in blocker.args[0] and not window.shown
    assert window.events.undo_stack.count() == 0
    assert [r.name for r in window.service.raters.list()] == []
    with qtbot.waitSignal(actions.message, timeout=30_000) as blocker:
        actions.import_codings()
    assert window.shown and "20 coding(s) imported" in window.shown[-1]
    assert "20 coding(s) imported" in blocker.args[0]
    assert window.events.undo_stack.count() == 1
    window.events.undo_stack.undo()
    assert [r.name for r in window.service.raters.list()] == []


def test_a_bad_table_is_one_warning_and_one_line(qtbot, tmp_path, window, monkeypatch):
    path, table = make(tmp_path, [("1", "Cleo", "no_such_code", "", "")])
    open_with(window, monkeypatch, path, table)
    with qtbot.waitSignal(window.import_actions.message, timeout=30_000) as blocker:
        window.import_actions.import_codings()
    line = blocker.args[0]
    assert "\n" not in line and line.startswith("Import of codings failed: nothing was "
                                                "imported; 1 problem(s)")
    assert len(window.shown) == 1 and "c.csv:22: unknown code 'no_such_code'" in window.shown[0]
    assert window.events.undo_stack.count() == 0 and window.service.raters.list() == []


def test_missing_values_from_the_dialog(qtbot, tmp_path, window, monkeypatch):
    path, table = make(tmp_path, [("", "Cleo", "alliance_quality", "n/a", "")])
    open_with(window, monkeypatch, path, table, (False, "n/a, -99"))
    with qtbot.waitSignal(window.import_actions.message, timeout=30_000):
        window.import_actions.import_codings()
    assert window.shown and "1 row(s) with a missing value left out" in window.shown[-1]
    assert "20 coding(s) imported" in window.shown[-1]


def test_the_dialog_remembers_its_choice(qtbot, tmp_path):
    settings = AppSettings()
    dialog = CodingsImportOptions(settings)
    qtbot.addWidget(dialog)
    dialog.complete.setChecked(True)
    dialog.missing.setText("n/a, -99")
    dialog.accept()
    again = CodingsImportOptions(settings)
    qtbot.addWidget(again)
    assert again.values() == (True, "n/a, -99")
