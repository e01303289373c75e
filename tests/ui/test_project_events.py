"""ProjectEvents, the UI's one door for writes: commands on the undo stack, the writes that are
not commands yet, one announcement per run of writes — and views that repaint from the change
set alone (blind mode, sign-in, an import), with nobody reloading them by hand."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from coder.codebook.shipped import SHIPPED_DIR  # noqa: E402
from coder.commands import ChangeSet  # noqa: E402
from coder.coding.commands import ToggleCode  # noqa: E402
from coder.errors import SessionCoderError  # noqa: E402
from coder.project import Project  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

FIRST = SAMPLES / "plain_TC_labels_utf8.txt"
SECOND = SAMPLES / "zoom_cloud_transcript.vtt"


@pytest.fixture
def service(tmp_path):
    svc = Project.create(tmp_path / "p.scproj", codebook=SHIPPED_DIR / "alliance_safeness.yaml")
    svc.importing.import_file(FIRST)
    svc.ana = svc.raters.add("Ana Ruiz")
    svc.ben = svc.raters.add("Ben Okafor", role="supervisor")
    yield svc
    svc.close()


def first_unit(service):
    return service.transcripts.segments(service.transcripts.list()[0].id, "turn", 1, 1)[0]


def test_perform_pushes_one_step_and_announces_what_changed(service):
    events = ProjectEvents(service)
    heard = []
    events.changed.connect(heard.append)
    unit = first_unit(service)
    events.perform(ToggleCode(service.ana.id, service.codebook.current().code("validation"),
                              [unit]))
    assert events.undo_stack.count() == 1 and heard[-1].segments == {unit.id}
    events.undo_stack.undo()
    assert len(heard) == 2 and heard[-1].segments == {unit.id}
    with pytest.raises(SessionCoderError):         # refused: nothing pushed, nothing said
        events.perform(ToggleCode(service.ana.id, service.codebook.current().code("validation"),
                                  [unit], span=(0, 999)))
    assert events.undo_stack.count() == 1 and len(heard) == 2


def test_a_run_of_writes_is_announced_once_as_the_union(service):
    events = ProjectEvents(service)
    heard = []
    events.changed.connect(heard.append)
    events.hold()
    events.announce(ChangeSet(transcripts=frozenset({1})))
    service.raters.add("Cleo Diaz")                 # a part method: a command too
    assert heard == []
    events.release()
    assert len(heard) == 1
    assert heard[0].transcripts == {1} and len(heard[0].raters) == 1


def test_blind_mode_and_sign_in_repaint_every_view_from_the_change_set(qtbot, service,
                                                                      monkeypatch):
    service.perform(ToggleCode(service.ana.id, service.codebook.current().code("validation"),
                               [first_unit(service)]))
    path = service.path
    service.close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(path, ask_rater=False)
    project = window.service
    ben = project.raters.get("Ben Okafor")
    window.events.sign_in(ben)
    ws = window.workspace
    assert "Ben Okafor" in window.windowTitle()
    assert ws.model is not None and ws.model.codings(0) == []     # blind: Ana's is hidden
    assert window.reliability_view.pages.currentWidget() is window.reliability_view.blind

    asked = []
    monkeypatch.setattr("ui.workspace.rater_actions.QMessageBox.question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    window.rater_actions.act_blind.trigger()       # the menu action: blinding off
    assert asked and "Lift blinding" in asked[0]   # it asks first
    assert not project.access.blind
    assert [c.code for c in ws.model.codings(0)] == ["validation"]    # Ana's shows now
    assert window.reliability_view.pages.currentWidget() is not window.reliability_view.blind
    assert "blinding OFF" in window.status_rater.text()
    assert not window.rater_actions.act_blind.isChecked()


def test_imported_transcripts_reach_the_list_through_the_change_set(qtbot, service):
    path = service.path
    service.close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(path, ask_rater=False)
    assert window.transcripts.model.rowCount() == 1
    prepared = window.service.importing.prepare(SECOND)
    window.service.importing.store(prepared)       # what the import dialog does per file
    infos = window.service.transcripts.list()
    new = next(i for i in infos if i.name == SECOND.name)
    assert window.transcripts.model.rowCount() == 2
    assert window.transcripts.current_id() == new.id == window.workspace.info.id
    assert "2 transcripts" in window.status_project.text()


def test_a_removed_transcript_leaves_the_list_and_the_workspace(qtbot, service):
    service.importing.import_file(SECOND)
    path = service.path
    service.close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(path, ask_rater=False)
    first, second = window.service.transcripts.list()
    window.transcripts.select(second.id)
    assert window.workspace.info.id == second.id
    window.service.transcripts.remove(second.id)   # a command; nobody reloads anything
    assert [i.id for i in window.transcripts.model.items()] == [first.id]
    assert window.workspace.info.id == first.id
    window.service.transcripts.remove(first.id)
    assert window.transcripts.model.rowCount() == 0 and window.workspace.info is None
    assert "0 transcripts" in window.status_project.text()


def test_a_supervisor_of_a_protected_project_gives_the_passphrase(qtbot, service, monkeypatch):
    service.sign_in(service.ben.id)
    service.protect("correct horse")
    path = service.path
    service.close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(path, ask_rater=False)
    ben = window.service.raters.get("Ben Okafor")
    answers, warnings = ["wrong", "correct horse"], []
    monkeypatch.setattr("ui.workspace.rater_actions.QInputDialog.getText",
                        lambda *a, **k: (answers.pop(0), True))
    monkeypatch.setattr("ui.workspace.rater_actions.QMessageBox.warning",
                        lambda *a: warnings.append(a[2]))
    assert not window.rater_actions.sign_in(ben)
    assert warnings == ["wrong supervisor passphrase"] and window.service.viewer is None
    assert window.rater_actions.sign_in(ben)
    assert window.service.viewer.name == "Ben Okafor" and "Ben Okafor" in window.windowTitle()
    window.close_project()
    assert window.open_project(path, ask_rater=False)    # remembered, but not signed in
    assert window.service.viewer is None                 # without the passphrase again
