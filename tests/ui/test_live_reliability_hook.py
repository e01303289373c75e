"""The live agreement hook: each change set updates the per-code alpha to what a fresh build
gives; blinding shows nothing; the code list paints the indicator."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from coder.coding.commands import MarkDone, ToggleCode  # noqa: E402
from tests.core.test_project_reliability_data import code_s1_s2, new_project, unit  # noqa: E402
from ui.reliability.live_hook import LiveReliability, alpha_text  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402
from ui.workspace.code_panel import CodePanel  # noqa: E402


@pytest.fixture
def project(tmp_path):
    p = new_project(tmp_path)
    code_s1_s2(p)
    yield p
    p.close()


def test_each_change_updates_alpha_to_a_fresh_builds(project, qtbot):
    events = ProjectEvents(project)
    hook = LiveReliability(events)
    heard = []
    hook.updated.connect(heard.append)
    hook.rebuild()
    before = hook.results["validate"].value
    code = project.codebook.current().code("validate")
    events.perform(MarkDone(project.r["C"], [unit(project, "s1.srt", k) for k in (1, 3, 5)]))
    hook.flush()
    events.perform(ToggleCode(project.r["C"], code, [unit(project, "s1.srt", 1)]))
    assert hook.pending and len(heard) == 2         # after the repaint, on a zero timer
    qtbot.waitUntil(lambda: len(heard) == 3)
    fresh = project.reliability.live()
    assert hook.live.state() == fresh.state()
    assert hook.results["validate"].value == fresh.alpha("validate").value != before
    events.undo_stack.undo()
    events.undo_stack.undo()                        # a burst: one update
    qtbot.waitUntil(lambda: not hook.pending)
    assert hook.results["validate"].value == before and len(heard) == 4
    assert hook.code_texts()["question"] == alpha_text(hook.results["behaviour"])


def test_blinding_shows_nothing(project, qtbot):
    project.access.interactive = True               # the app: blind before anyone signs in
    events = ProjectEvents(project)
    hook = LiveReliability(events)
    heard = []
    hook.updated.connect(heard.append)
    hook.rebuild()
    assert hook.live is None and heard == [{}] and hook.code_texts() == {}


def test_code_panel_paints_the_indicator(project, qtbot, tmp_path):
    panel = CodePanel()
    qtbot.addWidget(panel)
    panel.set_codebook(project.codebook.current())
    panel.set_context("turn", "therapist", 1, {}, {})
    panel.resize(320, 420)
    panel.show()
    blank = panel.view.grab().toImage()
    panel.set_agreement({"validate": "α .71", "question": "α .40"})
    painted = panel.view.grab().toImage()
    assert painted != blank
    painted.save(str(tmp_path / "codes.png"))
    assert alpha_text(None) == "α –"


def test_built_on_the_runner_with_changes_made_meanwhile(project, qtbot):
    from ui.shell.jobs import JobRunner
    events = ProjectEvents(project)
    runner = JobRunner()
    hook = LiveReliability(events, runner)
    hook.rebuild()
    code = project.codebook.current().code("validate")
    events.perform(MarkDone(project.r["C"], [unit(project, "s1.srt", 1)]))  # while building
    events.perform(ToggleCode(project.r["C"], code, [unit(project, "s1.srt", 1)]))
    qtbot.waitUntil(lambda: hook.live is not None, timeout=10_000)
    assert hook.live.state() == project.reliability.live().state()
    runner.shutdown()


def test_a_large_change_rebuilds_from_a_snapshot(project, qtbot, monkeypatch):
    import ui.reliability.live_hook as hook_module
    events = ProjectEvents(project)
    hook = LiveReliability(events)
    hook.rebuild()
    first = hook.live
    monkeypatch.setattr(hook_module, "REBUILD_ABOVE", 2)
    events.perform(MarkDone(project.r["C"], [unit(project, "s1.srt", k) for k in (1, 3, 5)]))
    hook.flush()
    assert hook.live is not first                    # rebuilt, not updated unit by unit
    assert hook.live.state() == project.reliability.live().state()


def test_results_table_shows_live_agreement_in_the_pooled_cut(qtbot):
    from coder.reliability.project.results import CodeEntry, frozen_map
    from ui.reliability.table import LINES_ROLE, ReliabilityTableModel
    model = ReliabilityTableModel()
    model.set_entries([CodeEntry(
        id="validate", kind="presence", label="Validate", group="Moves", level="nominal",
        categories=None, n_units=0, n_raters=2, raters=("A", "B"), n_units_single_rated=0,
        prevalence=frozen_map(), statistics=frozen_map())])
    model.set_live({"validate": "α .71"})
    assert model.data(model.index(0, 0), LINES_ROLE)[1].endswith("live α .71")
    model.show_live = False                          # another cut: per transcript, pairs
    assert "live" not in model.data(model.index(0, 0), LINES_ROLE)[1]
