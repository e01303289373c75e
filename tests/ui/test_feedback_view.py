"""The Feedback tab: timeline keys and clicks reach the unit, the measures form writes through
the undo stack, the report dialog saves the supervisor's edited text, the main window hosts
the tab and opens the clicked unit in the coding workspace."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QPoint, Qt

from coder.analytics.measures import Measure
from coder.feedback.commands import DefineMeasure
from coder.project import Project
from tests.conftest import ROOT
from ui.feedback.feedback_view import FeedbackView
from ui.feedback.measures_form import MeasuresDialog
from ui.feedback.report_dialog import ReportDialog
from ui.feedback.timeline_paint import x_at
from ui.shell.project_events import ProjectEvents

SAMPLE = ROOT / "sample_transcripts"


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.scproj"
    with Project.create(path, codebook=ROOT / "codebooks" / "rupture_repair.yaml") as p:
        p.importing.import_file(SAMPLE / "session03_tc_labels.txt")
        info = p.transcripts.list()[0]
        segs = p.transcripts.segments(info.id, info.unit)
        client = [s.position for s in segs if s.role == "client"]
        therapist = [s.position for s in segs if s.role == "therapist"]
        c1 = client[2]
        t1 = next(t for t in therapist if t > c1)
        c2 = next(c for c in client if c > t1 + 15)
        table = tmp_path / "c.csv"
        with open(table, "w", newline="") as fh:
            csv.writer(fh).writerows([
                ["transcript", "segment", "rater", "code", "value"],
                [info.name, c1, "Ana", "wd_denial", ""],
                [info.name, t1, "Ana", "rp_rationale", ""],
                [info.name, c2, "Ana", "cf_object_tasks", ""]])
        p.codings.import_table(table)
        p.perform(DefineMeasure(Measure("Session alliance", 0, 40, alliance=True)))
    return path, (c1, t1, c2)


@pytest.fixture
def view(project, qtbot):
    path, positions = project
    service = Project.open(path)
    events = ProjectEvents(service)
    v = FeedbackView(service, events)
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    yield v, positions
    events.set_project(None)            # drops the undo stack's commands before the close
    service.close()


def test_view_shows_the_session_and_its_episodes(view):
    v, (c1, t1, c2) = view
    assert v.rater_box.currentText() == "Ana"
    assert v.report is not None and v.report.feedback.episodes.count == 2
    assert [s.resolved for s in v.timeline.timeline.spans] == [True, False]
    assert "1 resolved" in v.summary.text.text() and "1 unresolved" in v.summary.text.text()


def test_timeline_keys_step_through_marks_and_enter_opens_the_unit(view, qtbot):
    v, (c1, t1, c2) = view
    opened = []
    v.open_unit_of_kind.connect(lambda tid, kind, pos: opened.append((kind, pos)))
    v.timeline.setFocus()
    qtbot.keyClick(v.timeline, Qt.Key_Right)
    assert v.timeline.current == c1
    qtbot.keyClick(v.timeline, Qt.Key_Right)
    assert v.timeline.current == t1
    qtbot.keyClick(v.timeline, Qt.Key_End)
    assert v.timeline.current == c2
    qtbot.keyClick(v.timeline, Qt.Key_Left)
    assert v.timeline.current == t1
    qtbot.keyClick(v.timeline, Qt.Key_Return)
    assert opened == [("turn", t1)]


def test_clicking_a_mark_opens_its_unit(view, qtbot):
    v, (c1, t1, c2) = view
    opened = []
    v.open_unit_of_kind.connect(lambda tid, kind, pos: opened.append(pos))
    mark = next(m for m in v.timeline.timeline.marks if m.position == c2)
    from PySide6.QtCore import QRectF
    rect = QRectF(v.timeline.rect()).adjusted(0, 2, 0, -2)
    x = x_at(rect, mark.x)
    y = rect.top() + (rect.height() - 1.7 * 11) / 5 * 1.5     # the confrontation lane
    qtbot.mouseClick(v.timeline, Qt.LeftButton, pos=QPoint(int(x), int(y)))
    assert opened == [c2]


def test_measures_form_saves_through_the_undo_stack(view):
    v, _ = view
    info = v.service.transcripts.get(v.session_box.currentData())
    dialog = MeasuresDialog(v.service, v.events, info, v)
    assert dialog.boxes["Session alliance"].text() == "not entered"
    dialog.boxes["Session alliance"].setValue(39)
    dialog.save()
    assert [(m.measure, m.value) for m in v.service.feedback.measure_values(info.id)] == [
        ("Session alliance", 39)]
    v.refresh()
    assert [f.rule for f in v.report.flags] == ["A"]          # unresolved + top rating
    v.events.undo_stack.undo()
    assert v.service.feedback.measure_values(info.id) == []
    dialog.name.setText("Session alliance")
    dialog.add_measure()
    assert "already a measure" in dialog.problem.text()


def test_report_dialog_saves_the_edited_text(view, tmp_path):
    v, _ = view
    dialog = ReportDialog(v.report, tmp_path)
    assert dialog.well.toPlainText().startswith("- ")
    dialog.next.setPlainText("- Try pausing after the client's objection")
    html = dialog.save("html", tmp_path / "r.html")
    text = html.read_text(encoding="utf-8")
    assert "Try pausing after the client&#x27;s objection" in text or \
        "Try pausing after the client's objection" in text
    pdf = dialog.save("pdf", tmp_path / "r.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_main_window_has_the_feedback_tab_and_opens_a_clicked_unit(project, qtbot, monkeypatch):
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings
    path, (c1, t1, c2) = project
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    monkeypatch.setattr(w.rater_actions, "switch_rater", lambda: None)
    w.show()
    assert w.open_project(path)
    index = w.tabs.indexOf(w.feedback_view)
    assert w.tabs.tabText(index) == "Feedback"
    w.tabs.setCurrentIndex(index)                        # the tab reads when first shown
    assert "Blind mode" in w.feedback_view.message.text()     # nobody signed in yet
    w.events.sign_in(w.service.raters.get("Ana"))        # announced: the tab reloads
    assert w.feedback_view.report is not None and not w.feedback_view.message.text()
    w.feedback_view.timeline.unit_activated.emit(c2)
    assert w.tabs.currentWidget() is w.coding_page
    w.close()
