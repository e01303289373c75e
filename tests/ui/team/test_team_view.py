"""The Team tab: adjudication by keyboard with undo (blind by default), the training report
and the drift chart; the main window's Team menu and tab."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from pytestqt.qt_compat import qt_api  # noqa: E402,F401

from coder.team.drift import SetRound  # noqa: E402
from coder.team.training import MarkMaster  # noqa: E402
from tests.core.team.conftest import team  # noqa: E402,F401
from tests.core.team.test_drift import two_rounds  # noqa: E402,F401
from ui.team.adjudication_view import AdjudicationView  # noqa: E402
from ui.team.team_view import TeamView  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402


def test_adjudicate_by_keyboard_and_undo(team, qtbot, tmp_path):   # noqa: F811
    events = ProjectEvents(team)
    stack = events.undo_stack
    team.sign_in(team.ana.id)                 # a rater in a blind project sees nothing
    blind_view = AdjudicationView(team, events)
    qtbot.addWidget(blind_view)
    assert blind_view.model.rowCount() == 0 and "blind" in blind_view.summary.text()
    team.sign_in(team.sue.id)
    team.raters.set_blind(False)                     # the supervisor lifts blinding to adjudicate
    view = AdjudicationView(team, events)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    model = view.model
    assert model.rowCount() == 3                       # units 0, 3, 4 differ
    assert model.headerData(3, Qt.Horizontal) == "1: Rater 1"    # blind by default
    assert "Ana" not in "".join(str(model.headerData(c, Qt.Horizontal))
                               for c in range(model.columnCount()))
    view.grab().save(str(tmp_path / "adjudication.png"))
    view.table.setFocus()
    view.table.selectRow(0)
    view.reason.setText("turn only reflects content")
    qtbot.keyClick(view.table, Qt.Key_2)                # take rater 2's codes
    assert model.row(0).consensus == ()                # Ben did not apply validation
    assert view.reason.text() == ""
    assert stack.count() == 1
    from coder.team.access import TeamAccess
    [decision] = TeamAccess.of(team).decisions()
    assert decision["reason"] == "turn only reflects content"
    assert decision["decided_by_name"] == "Susanne Lind"
    assert view.table.currentIndex().row() == 1        # moved to the next undecided
    qtbot.keyClick(view.table, Qt.Key_2)                # unit 3: Ben applied validation
    assert model.row(1).consensus == (("validation", None),)
    os.makedirs("/tmp/team_shots", exist_ok=True)
    view.grab().save("/tmp/team_shots/adjudication.png")
    stack.undo()
    stack.undo()
    assert all(d.consensus is None for d in model.rows)
    assert TeamAccess.of(team).decisions() == []
    view.blind.setChecked(False)
    assert model.headerData(3, Qt.Horizontal) == "1: Ana Ruiz"


def test_team_view_training_and_drift(two_rounds, qtbot, tmp_path):   # noqa: F811
    p = two_rounds
    p.perform(MarkMaster(p.ana.id, [p.t3]))
    p.perform(SetRound([p.t3], "R1"))
    p.perform(SetRound([p.t4], "R2"))
    view = TeamView(p, ProjectEvents(p))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.tabs.setCurrentWidget(view.training)
    html = view.training.out.toHtml()
    assert "Benedikt Okafor" in html and "not yet" in html
    view.grab().save(str(tmp_path / "training.png"))
    view.tabs.setCurrentWidget(view.drift)
    view.drift.by.setCurrentIndex(view.drift.by.findData("round"))
    codes = [view.drift.code.itemData(i) for i in range(view.drift.code.count())]
    assert codes == ["validation"]                 # only codes someone applied
    assert [pt.batch for pt in view.drift.chart.points] == ["R1", "R2"]
    assert view.drift.chart.points[0].ci is not None
    view.grab().save(str(tmp_path / "drift.png"))
    os.makedirs("/tmp/team_shots", exist_ok=True)
    for n in ("training", "drift"):
        (tmp_path / f"{n}.png").replace(f"/tmp/team_shots/{n}.png")


def test_edit_consensus_code_by_code(team, qtbot, monkeypatch):   # noqa: F811
    from ui.team.consensus_dialog import ConsensusDialog
    events = ProjectEvents(team)
    stack = events.undo_stack
    team.sign_in(team.sue.id)
    team.raters.set_blind(False)
    view = AdjudicationView(team, events)
    qtbot.addWidget(view)
    view.show()
    view.table.selectRow(0)

    def fill(dialog):
        box, _ = dialog.fields["validation"]
        box.setChecked(False)
        dialog.reason.setText("edited")
        return 1
    monkeypatch.setattr(ConsensusDialog, "exec", fill)
    qtbot.keyClick(view.table, Qt.Key_E)
    assert view.model.row(0).consensus == ()
    from coder.team.access import TeamAccess
    [d] = TeamAccess.of(team).decisions()
    assert d["reason"] == "edited" and d["outcome"] == {"applied": False, "value": None}
    stack.undo()
    assert TeamAccess.of(team).decisions() == []


def test_mark_master_and_name_rounds_in_the_app(two_rounds, qtbot, monkeypatch):   # noqa: F811
    from ui.team.pick_dialog import PickDialog
    p = two_rounds
    events = ProjectEvents(p)
    stack = events.undo_stack
    view = TeamView(p, events)
    qtbot.addWidget(view)
    view.show()
    picks = iter([("Ana Ruiz", [p.t3]), ("Pilot", [p.t3]), ("Main", [p.t4])])
    monkeypatch.setattr(PickDialog, "exec", lambda self: 1)
    monkeypatch.setattr(PickDialog, "chosen", lambda self: next(picks))
    view.tabs.setCurrentWidget(view.training)
    view.training.mark_master()
    assert view.training.master.currentText() == "Ana Ruiz"
    assert "Benedikt Okafor" in view.training.out.toHtml()
    view.tabs.setCurrentWidget(view.drift)
    view.drift.name_round()
    view.drift.name_round()
    assert [pt.batch for pt in view.drift.chart.points] == ["Pilot", "Main"]
    assert stack.count() == 3
    stack.undo()
    view.drift.refresh()
    assert [pt.batch for pt in view.drift.chart.points] == ["Pilot"]


def test_drift_is_computed_on_the_job_runner(two_rounds, qtbot, monkeypatch):   # noqa: F811
    """With the app's JobRunner the drift report is read and computed on a worker thread
    (its own connection), and the chart shows the same series as the direct computation."""
    import threading

    import coder.team.access as access_module
    from ui.shell.jobs import JobRunner
    p = two_rounds
    p.perform(SetRound([p.t3], "R1"))
    p.perform(SetRound([p.t4], "R2"))
    direct = access_module.TeamAccess.of(p).drift(by="round")
    threads = []
    real = access_module.drift_report

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)
    monkeypatch.setattr(access_module, "drift_report", spy)
    runner = JobRunner()
    view = TeamView(p, ProjectEvents(p), runner=runner)
    qtbot.addWidget(view)
    view.show()
    view.tabs.setCurrentWidget(view.drift)
    view.drift.by.setCurrentIndex(view.drift.by.findData("round"))
    qtbot.waitUntil(lambda: view.drift.report is not None and view.drift._job is None,
                    timeout=20000)
    runner.shutdown()
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert [(pt.batch, pt.value) for pt in view.drift.chart.points] == \
        [(pt.batch, pt.value) for pt in direct.series("validation")]
    assert [pt.batch for pt in view.drift.chart.points] == ["R1", "R2"]
