"""The first hour, by keyboard only: from the start screen to the sample project (signed in as
its supervisor, blinding lifted), code, undo and redo, a note, a window rating, a session
rating, done-next, the Reliability tab with a computed table, and an Excel export."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.export.dialog import ExportDialog  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

WAIT = 60_000


def key(qtbot, k, mods=Qt.NoModifier):
    """A key to whatever has the focus, as a user's keyboard would send it."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, k, mods)


@pytest.mark.slow
def test_first_hour_by_keyboard(qtbot, tmp_path):
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.start.sample_button, timeout=5000)

    key(qtbot, Qt.Key_Space)                                   # Open the sample project
    qtbot.waitUntil(lambda: w.service is not None, timeout=WAIT)
    service, ws = w.service, w.workspace
    assert service.viewer.role == "supervisor" and not service.access.blind
    assert "blinding lifted" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ws.table, timeout=5000)

    # The transcript list by keyboard: Ctrl+Shift+O, arrows open another transcript (the
    # keyboard stays in the list), Enter goes on to its units.
    first = ws.info.id
    key(qtbot, Qt.Key_O, Qt.ControlModifier | Qt.ShiftModifier)
    assert QApplication.focusWidget() is w.transcripts.view
    key(qtbot, Qt.Key_Down)
    qtbot.waitUntil(lambda: ws.info is not None and ws.info.id != first, timeout=5000)
    key(qtbot, Qt.Key_Up)
    qtbot.waitUntil(lambda: ws.info.id == first, timeout=5000)
    assert QApplication.focusWidget() is w.transcripts.view
    key(qtbot, Qt.Key_Return)
    assert QApplication.focusWidget() is ws.table

    # Code a client turn: move to it, press the code's key; undo and redo.
    ws.go_to_position(1)
    while ws.model.segment(ws.current_row()).role != "client":
        key(qtbot, Qt.Key_Down)
    row = ws.current_row()
    me = service.viewer.id

    def mine(r):
        return {c.code for c in ws.model.codings(r) if c.rater_id == me}
    had = "wd_denial" in mine(row)
    key(qtbot, Qt.Key_1)                                       # Denial
    assert ("wd_denial" in mine(row)) != had
    key(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert ("wd_denial" in mine(row)) == had
    key(qtbot, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert ("wd_denial" in mine(row)) != had

    # A note on the unit: Ctrl+Shift+N, type, Enter saves and returns to the table.
    key(qtbot, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    assert QApplication.focusWidget() is ws.note
    qtbot.keyClicks(ws.note, "Check against the recording")
    key(qtbot, Qt.Key_Return)
    assert ws.model.note(row) == "Check against the recording"
    assert QApplication.focusWidget() is ws.table

    key(qtbot, Qt.Key_Return)                                  # done, next
    assert ws.current_row() > row

    # Time windows: switch the unit kind, rate the window with a number key.
    key(qtbot, Qt.Key_K, Qt.ControlModifier | Qt.ShiftModifier)
    assert ws.model.kind == "window"
    ws.go_to_position(1)
    key(qtbot, Qt.Key_2)
    rated = {c.code: c.value for c in ws.model.codings(0) if c.rater_id == me}
    assert rated.get(ws.codes.active_rating()) == 2
    key(qtbot, Qt.Key_K, Qt.ControlModifier | Qt.ShiftModifier)
    assert ws.model.kind == "turn"

    # Session ratings: Ctrl+Shift+G, then Space sets the focused point.
    key(qtbot, Qt.Key_G, Qt.ControlModifier | Qt.ShiftModifier)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.objectName() == "scalePoint"
    key(qtbot, Qt.Key_Tab)
    point = QApplication.focusWidget()
    key(qtbot, Qt.Key_Space)
    values = {g.code: g.value for g in service.codings.session_globals(ws.info.id) if g.rater_id == me}
    assert float(point.text()) in values.values()

    # Reliability: Ctrl+3 shows the tab, computed at once for the sample.
    key(qtbot, Qt.Key_3, Qt.ControlModifier)
    view = w.reliability_view
    assert w.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT)
    report = view.result.report
    alphas = [c.statistics["krippendorff_alpha"].value for c in report.codes]
    assert sum(a is not None for a in alphas) >= 20
    assert view.model.rowCount() >= 20

    # Every tab has its Ctrl+digit: Feedback is the fifth, Code the first.
    key(qtbot, Qt.Key_5, Qt.ControlModifier)
    assert w.tabs.currentWidget() is w.feedback_view
    key(qtbot, Qt.Key_1, Qt.ControlModifier)
    assert QApplication.focusWidget() is ws.table

    # Export: Ctrl+E, a file name typed, Enter exports, the dialog reports and Escape closes.
    target = tmp_path / "first hour.xlsx"
    done = []

    def drive_export():
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, ExportDialog), dialog
            dialog.target.setFocus()
            dialog.target.selectAll()
            qtbot.keyClicks(dialog.target, str(target))
            qtbot.keyClick(dialog.target, Qt.Key_Return)
            qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT)
            done.append(dialog.status.text())
            assert dialog.show_button.isVisible()
            qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_Escape)
        except BaseException as exc:             # never leave a modal dialog open
            done.append(exc)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()
    QTimer.singleShot(0, drive_export)
    key(qtbot, Qt.Key_E, Qt.ControlModifier)
    assert done and not isinstance(done[0], BaseException), done
    assert done[0].startswith("Wrote first hour.xlsx")
    book = openpyxl.load_workbook(target, read_only=True)
    assert {"Codings", "Reliability", "Disagreements"} <= set(book.sheetnames)
    w.close()
