"""Importing codings from the menu: a progress dialog while it runs; Cancel rolls the whole
import back and leaves no undo step; a finished import is one undo step."""

import csv
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from coder.project import Project  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"


def make(tmp_path):
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
    return tmp_path / "p.scproj", table


def test_cancel_rolls_back_and_a_finished_import_is_one_step(qtbot, tmp_path, monkeypatch):
    path, table = make(tmp_path)
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    assert window.open_project(path, ask_rater=False)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(table), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    messages = []
    window.import_actions.message.connect(messages.append)
    import ui.importing.actions as actions
    real = actions.QProgressDialog

    class Cancelling(real):
        def wasCanceled(self):                      # the user pressed Cancel at once
            return True
    monkeypatch.setattr(actions, "QProgressDialog", Cancelling)
    window.import_actions.import_codings()
    assert messages and "cancelled" in messages[-1] and not shown
    assert window.events.undo_stack.count() == 0
    assert [r.name for r in window.service.raters.list()] == []
    monkeypatch.setattr(actions, "QProgressDialog", real)
    window.import_actions.import_codings()
    assert shown and "20 coding(s) imported" in shown[-1]
    assert window.events.undo_stack.count() == 1
    window.events.undo_stack.undo()
    assert [r.name for r in window.service.raters.list()] == []
    window.close()
