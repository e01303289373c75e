"""Project ▸ Import codings: a table whose only problem is a new rater name that looks like a
misspelling asks the user, and imports only if they say the names are right."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from coder.project import Project  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

S3 = "session03_tc_labels.txt"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "p.scproj"
    p = Project.create(path)
    p.importing.import_file(ROOT / "sample_transcripts" / S3)
    p.raters.add("Ana Ruiz")
    p.close()
    table = tmp_path / "c.csv"
    table.write_text(f"transcript,segment,rater,code\n{S3},1,Anna Ruiz,validation\n",
                     encoding="utf-8")
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    assert w.open_project(path, ask_rater=False)
    monkeypatch.setattr("ui.importing.actions.QFileDialog.getOpenFileName",
                        staticmethod(lambda *a, **k: (str(table), "")))
    w.asked: list[str] = []
    w.told: list[str] = []
    monkeypatch.setattr("ui.importing.actions.QMessageBox.information",
                        staticmethod(lambda parent, title, text: w.told.append(text)))
    monkeypatch.setattr("ui.importing.actions.QMessageBox.warning",
                        staticmethod(lambda parent, title, text: w.told.append(text)))
    yield w
    w.close()


def _answers(monkeypatch, window, complete, create):
    monkeypatch.setattr("ui.importing.codings_options.CodingsImportOptions.ask",
                        classmethod(lambda cls, *a: (complete == QMessageBox.Yes, "")))

    def question(parent, title, text, *a):
        window.asked.append(text)
        return create
    monkeypatch.setattr("ui.importing.actions.QMessageBox.question", staticmethod(question))


def _import(qtbot, window) -> str:
    """Run Import codings to its end (the table is checked in a job); the status line."""
    with qtbot.waitSignal(window.import_actions.message, timeout=30_000) as blocker:
        window.import_actions.import_codings()
    return blocker.args[0]


def test_a_look_alike_name_is_created_when_the_user_confirms(window, monkeypatch, qtbot):
    _answers(monkeypatch, window, QMessageBox.No, QMessageBox.Yes)
    _import(qtbot, window)
    assert "did you mean 'Ana Ruiz'?" in window.asked[0]
    assert window.told == ["1 coding(s) imported (0 replaced), 1 new rater(s) (Anna Ruiz)"]
    assert [r.name for r in window.service.raters.list()] == ["Ana Ruiz", "Anna Ruiz"]


def test_nothing_is_imported_when_the_user_declines(window, monkeypatch, qtbot):
    _answers(monkeypatch, window, QMessageBox.No, QMessageBox.No)
    assert "nothing was imported" in _import(qtbot, window)
    assert len(window.asked) == 1 and window.told == []
    assert [r.name for r in window.service.raters.list()] == ["Ana Ruiz"]
