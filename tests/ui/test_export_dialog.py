"""The export dialog: choices reach the core, the worker's result lands, cancel keeps the old
file, errors are shown, blind mode switches the reliability sheets off."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.core.test_project_reliability_data import new_project
from ui.export.dialog import ExportDialog
from ui.shell.jobs import JobRunner
from ui.shell.settings import AppSettings

WAIT_MS = 30_000


@pytest.fixture
def project(tmp_path):
    p = new_project(tmp_path)
    code_project_light(p)
    yield p
    p.close()


def code_project_light(p) -> None:
    from tests.core.test_project_reliability_data import apply, done
    done(p, "A", "s1.srt", range(1, 9))
    done(p, "B", "s1.srt", range(1, 9))
    apply(p, "A", "validate", "s1.srt", 1)
    apply(p, "B", "validate", "s1.srt", 1)
    apply(p, "B", "validate", "s1.srt", 3)


@pytest.fixture
def dialog(qtbot, project, tmp_path):
    d = ExportDialog(project, AppSettings(), JobRunner())
    qtbot.addWidget(d)
    d.target.setText(str(tmp_path / "out.xlsx"))
    d.show()
    return d


def uncheck(view, key: str) -> None:
    for i in range(view.count()):
        if view.item(i).data(Qt.UserRole) == key:
            view.item(i).setCheckState(Qt.Unchecked)


def test_export_with_choices_lands(qtbot, dialog, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("ui.export.dialog.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()))
    assert not dialog.show_button.isVisible()
    uncheck(dialog.raters, "C")
    uncheck(dialog.transcripts, "s3.srt")
    dialog.sheet_boxes["Confusion"].setChecked(False)
    dialog.csv.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    result = blocker.args[0]
    assert result.path == tmp_path / "out.xlsx"
    wb = openpyxl.load_workbook(result.path)
    assert "Confusion" not in wb.sheetnames and "Reliability" in wb.sheetnames
    codings = pd.read_excel(result.path, sheet_name="Codings")
    assert set(codings.rater) == {"A", "B"} and set(codings.transcript) == {"s1.srt"}
    assert (tmp_path / "codings.csv").exists()
    assert dialog.progress.value() == 100 and "Wrote out.xlsx" in dialog.status.text()
    assert dialog.export_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert opened == []                        # the folder never opens by itself ...
    assert dialog.show_button.isVisible()
    qtbot.mouseClick(dialog.show_button, Qt.LeftButton)
    assert opened == [str(tmp_path)]           # ... only when asked


def test_cancel_keeps_the_old_file(qtbot, dialog, tmp_path, monkeypatch):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    import coder.export.sheets_data as sd
    original = sd.write_segments

    def slow(ctx, ws):                       # cancel arrives while the export runs
        dialog.job.cancel()
        original(ctx, ws)
    monkeypatch.setattr(sd, "write_segments", slow)
    import coder.export.workbook as wbm
    monkeypatch.setattr(wbm, "write_segments", slow)
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT_MS)
    assert out.read_bytes() == b"old"
    assert "Cancelled" in dialog.status.text()
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_errors_are_shown_in_the_dialog(qtbot, dialog, tmp_path):
    out = tmp_path / "ro.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o444)
    dialog.target.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "read-only" in dialog.status.text() and dialog.job is None
    out.chmod(0o644)
    for i in range(dialog.raters.count()):
        dialog.raters.item(i).setCheckState(Qt.Unchecked)
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert "at least one rater" in dialog.status.text()


@pytest.mark.parametrize("in_child", [False, True], ids=["thread", "child process"])
def test_blind_rater_sees_reliability_switched_off(qtbot, project, tmp_path, in_child):
    project.sign_in(project.r["B"])
    d = ExportDialog(project, AppSettings(), JobRunner())
    d.process_from_bytes = 0 if in_child else None    # the access decision travels along
    qtbot.addWidget(d)
    assert not d.sheet_boxes["Reliability"].isEnabled()
    assert not d.sheet_boxes["Reliability"].isChecked()
    assert d.raters.count() == 1 and d.raters.item(0).text() == "B"
    d.target.setText(str(tmp_path / "b.xlsx"))
    with qtbot.waitSignal(d.exported, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(d.export_button, Qt.LeftButton)
    assert "Reliability" not in blocker.args[0].sheets
    assert set(pd.read_excel(tmp_path / "b.xlsx", sheet_name="Codings").rater) == {"B"}


def _spy_children(monkeypatch) -> list:
    import ui.export.dialog as dialog_module
    started = []
    real = dialog_module.run_in_process

    def spy(*args, **kwargs):
        started.append(args[1])
        return real(*args, **kwargs)
    monkeypatch.setattr(dialog_module, "run_in_process", spy)
    return started


def test_a_large_export_runs_in_a_child_process(qtbot, dialog, tmp_path, monkeypatch):
    started = _spy_children(monkeypatch)
    dialog.process_from_bytes = 1                # this small project counts as large
    uncheck(dialog.raters, "C")
    dialog.sheet_boxes["Confusion"].setChecked(False)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    result = blocker.args[0]
    assert len(started) == 1 and started[0].options.raters == ("A", "B")
    assert result.path == tmp_path / "out.xlsx" and "Confusion" not in result.sheets
    codings = pd.read_excel(result.path, sheet_name="Codings")
    assert set(codings.rater) == {"A", "B"}
    assert "Wrote out.xlsx" in dialog.status.text()
    # below the size, the same dialog stays on a thread
    dialog.process_from_bytes = 1 << 40
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert len(started) == 1


def test_cancel_of_an_export_in_a_child_keeps_the_old_file(qtbot, dialog, tmp_path,
                                                           monkeypatch):
    started = _spy_children(monkeypatch)
    dialog.process_from_bytes = 0
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    dialog.job.progressed.connect(lambda *_: dialog.job and dialog.job.cancel())
    qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT_MS)
    assert started and out.read_bytes() == b"old"
    assert "Cancelled" in dialog.status.text()
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []
    import multiprocessing
    assert multiprocessing.active_children() == []
