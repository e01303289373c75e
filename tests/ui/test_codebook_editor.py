"""The codebook editor panel: form edits on the undo stack and saved at once, inline checks,
add / move / archive / delete / merge, search, import and export, history, the tree model."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from coder.codebook.edit import update_code  # noqa: E402
from coder.codebook.commands import EditCodebook  # noqa: E402
from coder.project import Project  # noqa: E402
from coder.store.schema import code as code_table  # noqa: E402
from coder.store.schema import coding, rater  # noqa: E402
from ui.codebook import dialogs as codebook_dialogs  # noqa: E402
from ui.codebook.history import HistoryDialog  # noqa: E402
from ui.codebook.panel import CodebookPanel  # noqa: E402
from ui.codebook.tree_model import MIME_CODE  # noqa: E402
from ui.shell.style import STYLE  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CODEBOOKS = ROOT / "codebooks"
SAMPLE = ROOT / "tests" / "data" / "format_samples" / "plain_TC_labels_utf8.txt"


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A question a test did not answer fails the test instead of waiting for a click."""
    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")
    for name in ("ask_delete_code", "confirm", "show_error", "show_notes",
                 "choose_merge_target", "ask_import_path", "ask_export_path"):
        monkeypatch.setattr(codebook_dialogs, name, unexpected)
    monkeypatch.setattr(HistoryDialog, "exec", unexpected)


@pytest.fixture
def project(tmp_path):
    service = Project.create(tmp_path / "p.scproj")
    yield service
    service.close()


@pytest.fixture
def make_panel(qtbot):
    def make(service: Project) -> CodebookPanel:
        events = ProjectEvents(service)
        panel = CodebookPanel(service, events)
        panel._test_keep = events                 # the panel does not own it
        qtbot.addWidget(panel)
        panel.resize(1100, 760)
        panel.show()
        qtbot.waitExposed(panel)
        return panel
    return make


@pytest.fixture
def panel(project, make_panel) -> CodebookPanel:
    return make_panel(project)


def tree_text(panel: CodebookPanel, item_id: str, column: int = 0):
    index = panel.model.index_of(item_id)
    assert index.isValid(), f"{item_id} is not shown"
    return panel.model.index(index.row(), column, index.parent()).data()


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def add_codings(service: Project, code_id: str, n: int = 2) -> None:
    """Test data written straight to the table (coding commands are not under test)."""
    if not service.transcripts.list():
        service.importing.import_file(SAMPLE)
    info = service.transcripts.list()[0]
    segs = service.transcripts.segments(info.id, "turn")
    with service._store.write() as conn:
        rid = conn.execute(insert(rater).values(
            name="Ana", initials="An", role="rater",
            created_at=datetime.now().isoformat())).inserted_primary_key[0]
        cid = conn.execute(select(code_table.c.id)
                           .where(code_table.c.key == code_id)).scalar_one()
        for seg in segs[:n]:
            conn.execute(insert(coding).values(
                transcript_id=info.id, segment_id=seg.id, rater_id=rid, code_id=cid,
                value=None, codebook_version=len(service.codebook.versions()),
                created_at="2026-01-01T00:00:00"))


# -- form edits, undo, persistence ---------------------------------------------------------
def test_rename_through_the_form_updates_tree_undoes_and_persists(qtbot, tmp_path, project,
                                                                  make_panel):
    panel = make_panel(project)
    stack = panel.events.undo_stack
    assert panel.select_id("validation")
    type_into(qtbot, panel.code_form.label, "Validating")
    qtbot.keyClick(panel.code_form.label, Qt.Key_Return)

    assert tree_text(panel, "validation") == "Validating"
    assert project.codebook.current().code("validation").label == "Validating"
    assert stack.count() == 1 and stack.undoText() == "Rename 'Validation'"
    assert panel.selected_id() == "validation"
    assert "Project version 2" in panel.info.text()

    stack.undo()
    assert tree_text(panel, "validation") == "Validation"
    assert panel.code_form.label.text() == "Validation"
    assert project.codebook.current().code("validation").label == "Validation"
    stack.redo()
    assert tree_text(panel, "validation") == "Validating"

    project.close()
    with Project.open(tmp_path / "p.scproj") as again:
        assert again.codebook.current().code("validation").label == "Validating"
        versions = again.codebook.versions()
        assert [v["version"] for v in versions] == [1, 2]
        assert "renamed code 'validation'" in versions[-1]["summary"]


def test_shortcut_conflict_is_shown_inline_and_not_applied(qtbot, panel):
    form = panel.code_form
    panel.select_id("bond_warmth")
    form.shortcut.setFocus()
    qtbot.keyClick(form.shortcut, Qt.Key_V)
    message = form.messages["shortcut"]
    assert message.text() == "V is already the shortcut of 'Validation'"
    assert message.isVisible()
    assert panel.service.codebook.current().code("bond_warmth").shortcut == "b"
    assert panel.events.undo_stack.count() == 0

    qtbot.keyClick(form.shortcut, Qt.Key_Z)
    assert not message.isVisible()
    assert panel.service.codebook.current().code("bond_warmth").shortcut == "z"
    assert panel.events.undo_stack.undoText() == "Set shortcut of 'Bond / warmth' to Z"
    assert tree_text(panel, "bond_warmth", 1) == "Z"


def test_invalid_text_is_shown_while_typing_and_not_applied(qtbot, panel):
    form = panel.code_form
    panel.select_id("validation")
    form.label.setFocus()
    form.label.selectAll()
    qtbot.keyClick(form.label, Qt.Key_Backspace)
    assert form.messages["label"].text() == "The label must not be empty"
    assert form.messages["label"].isVisible()
    qtbot.keyClick(form.label, Qt.Key_Return)
    assert panel.events.undo_stack.count() == 0
    assert panel.service.codebook.current().code("validation").label == "Validation"

    form.definition.setFocus()
    form.definition.selectAll()
    qtbot.keyClicks(form.definition, "Names why the reaction makes sense.")
    qtbot.keyClick(form.definition, Qt.Key_Return)   # one paragraph: Return commits
    assert panel.events.undo_stack.undoText() == "Edit definition of 'Validation'"
    assert panel.service.codebook.current().code("validation").definition == (
        "Names why the reaction makes sense.")
    assert form.label.text() == ""                # still being typed: the reload keeps it


def test_kind_scale_roles_colour_and_item_fields(qtbot, panel):
    form = panel.code_form
    panel.select_id("task_alignment")
    assert not form.scale_labels.isVisible()
    form.kind.setCurrentIndex(form.kind.findData("rating"))
    form.kind.activated.emit(form.kind.currentIndex())
    code = panel.service.codebook.current().code("task_alignment")
    assert (code.kind, code.scale.min, code.scale.max) == ("rating", 1, 5)
    assert form.scale_labels.isVisible() and form.unit.isVisible()
    assert form.scale_labels.rowCount() == 5

    form.scale_labels.item(0, 0).setText("absent")
    assert panel.service.codebook.current().code("task_alignment").scale.labels == ((1, "absent"),)
    form.scale_max.setValue(1)                    # max must exceed min: shown, not applied
    assert "must be greater than" in form.messages["scale"].text()
    form.scale_max.editingFinished.emit()
    assert panel.service.codebook.current().code("task_alignment").scale.max == 5
    form.scale_max.setValue(7)
    form.scale_max.editingFinished.emit()
    assert panel.service.codebook.current().code("task_alignment").scale.max == 7

    form.roles["client"].click()
    assert panel.service.codebook.current().code("task_alignment").roles == ("therapist", "client")
    form.roles["any"].click()
    assert panel.service.codebook.current().code("task_alignment").roles == ("any",)
    form.roles["any"].click()                     # nothing ticked: refused
    assert "at least one" in form.messages["roles"].text()
    assert panel.service.codebook.current().code("task_alignment").roles == ("any",)

    form.choose_color = lambda initial: "#112233"
    form.color.click()
    assert panel.service.codebook.current().code("task_alignment").color == "#112233"
    assert panel.events.undo_stack.undoText() == "Set colour of 'Task alignment'"

    type_into(qtbot, form.item, "alignment")
    qtbot.keyClick(form.item, Qt.Key_Return)      # an item needs an aspect: not yet applied
    assert "Choose the aspect too" in form.messages["item"].text()
    form.aspect.setCurrentIndex(form.aspect.findData("adherence"))
    form.aspect.activated.emit(form.aspect.currentIndex())
    code = panel.service.codebook.current().code("task_alignment")
    assert (code.item, code.aspect) == ("alignment", "adherence")


# -- tree actions ---------------------------------------------------------------------------
def test_add_move_archive_and_delete_a_code(qtbot, panel, monkeypatch):
    service, model = panel.service, panel.model
    panel.select_id("consistent")
    panel.act_add_code.trigger()
    book = service.codebook.current()
    new = book.code("new_code")
    assert (new.label, new.kind, new.definition) == ("New code", "presence",
                                                     "Describe when this code applies.")
    assert book.entry("new_code").group.id == "consistent"
    assert panel.selected_id() == "new_code"

    data = model.mimeData([model.index_of("new_code")])
    assert model.dropMimeData(data, Qt.MoveAction, 0, 0, model.index_of("inconsistent"))
    qtbot.waitUntil(lambda: service.codebook.current().entry("new_code").group.id == "inconsistent")
    assert service.codebook.current().group("inconsistent").codes[0].id == "new_code"
    assert panel.events.undo_stack.undoText() == "Move 'New code'"
    assert panel.selected_id() == "new_code"

    panel.act_archive.trigger()
    assert service.codebook.current().code("new_code").archived
    assert not model.index_of("new_code").isValid()          # hidden while not shown
    panel.show_archived.setChecked(True)
    index = model.index_of("new_code")
    assert index.data(Qt.FontRole).italic()
    panel.select_id("new_code")
    assert panel.act_archive.text() == "Restore"
    panel.act_archive.trigger()
    assert not service.codebook.current().code("new_code").archived

    asked = []
    monkeypatch.setattr(codebook_dialogs, "ask_delete_code",
                        lambda parent, label, n: asked.append((label, n)) or "delete")
    panel.select_id("new_code")
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key_Delete)
    assert asked == [("New code", 0)]
    assert "new_code" not in service.codebook.current().code_ids()
    panel.events.undo_stack.undo()
    assert "new_code" in service.codebook.current().code_ids()


def test_drop_between_codes_and_with_a_search_active(qtbot, panel):
    service, model = panel.service, panel.model
    data = model.mimeData([model.index_of("pressure")])
    assert model.dropMimeData(data, Qt.MoveAction, 2, 0, model.index_of("consistent"))
    qtbot.waitUntil(lambda: service.codebook.current().entry("pressure").group.id == "consistent")
    assert [c.id for c in service.codebook.current().group("consistent").codes][:3] == [
        "bond_warmth", "mutual_respect", "pressure"]
    # with a search, rows are those shown: row 1 is the second match, not the second code
    panel.search.setText("alignment")
    assert model.visible_code_ids() == ["goal_alignment", "task_alignment"]
    data = QMimeData()                              # a drag that began before the search
    data.setData(MIME_CODE, QByteArray(b"pressure"))
    assert model.dropMimeData(data, Qt.MoveAction, 1, 0, model.index_of("consistent"))
    qtbot.waitUntil(lambda: panel.events.undo_stack.count() == 2)
    ids = [c.id for c in service.codebook.current().group("consistent").codes]
    assert ids.index("pressure") == ids.index("task_alignment") - 1
    assert not model.canDropMimeData(data, Qt.MoveAction, 0, 0, QModelIndex())  # not at top


def test_delete_a_code_with_codings_offers_archive(qtbot, panel, monkeypatch):
    service = panel.service
    add_codings(service, "validation", 2)
    panel.reload()
    answers = iter(["archive", "delete"])
    asked = []
    monkeypatch.setattr(codebook_dialogs, "ask_delete_code",
                        lambda parent, label, n: asked.append(n) or next(answers))
    panel.select_id("validation")
    panel.act_delete.trigger()
    assert service.codebook.current().code("validation").archived
    assert service.codebook.coding_counts()["validation"] == 2
    panel.show_archived.setChecked(True)
    panel.select_id("validation")
    panel.act_delete.trigger()
    assert asked == [2, 2]
    assert "validation" not in service.codebook.current().code_ids()
    assert service.codebook.coding_counts().get("validation", 0) == 0
    panel.events.undo_stack.undo()
    assert service.codebook.coding_counts()["validation"] == 2


def test_groups_add_and_delete_and_refused_edits_show_a_message(qtbot, panel):
    service = panel.service
    panel.act_add_group.trigger()
    assert service.codebook.current().group("new_group").label == "New group"
    assert panel.selected_id() == "new_group"
    assert panel.group_form.label.hasFocus()
    type_into(qtbot, panel.group_form.label, "Extra")
    qtbot.keyClick(panel.group_form.label, Qt.Key_Return)
    assert service.codebook.current().group("new_group").label == "Extra"
    assert panel.events.undo_stack.undoText() == "Rename group 'New group'"
    panel.act_delete.trigger()
    assert "new_group" not in {g.id for _, g in service.codebook.current().iter_groups()}

    panel.select_id("consistent")
    panel.act_delete.trigger()
    assert "move or delete them first" in panel.banner.text()
    assert panel.banner.isVisible()


def test_a_refused_command_is_shown_not_raised(qtbot, tmp_path, make_panel, monkeypatch):
    with Project.create(tmp_path / "mi.scproj",
                               codebook=CODEBOOKS / "mi_behaviour.yaml") as service:
        panel = make_panel(service)
        book = service.codebook.current()
        sets = [g for _, g in book.iter_groups() if g.category_set]
        glob = next(e.code for e in book.codes() if e.code.kind == "global")
        panel.actions_.move_code(glob.id, sets[0].id, None)   # a global in a category set
        assert panel.banner.text().startswith(f"'{glob.label}' is a session global code")
        assert panel.events.undo_stack.count() == 0
        assert tree_text(panel, sets[0].id, 2) == "Category set"

        # the core refuses: a category set keeps at least two categories
        monkeypatch.setattr(codebook_dialogs, "ask_delete_code", lambda *a: "delete")
        small = min(sets, key=lambda g: len(g.codes))
        for c in small.codes[:-2]:
            panel.select_id(c.id)
            panel.act_delete.trigger()
        panel.select_id(small.codes[-2].id)
        panel.act_delete.trigger()
        assert "needs at least two categories" in panel.banner.text()
        assert small.codes[-2].id in service.codebook.current().code_ids()
        assert panel.selected_id() == small.codes[-2].id

        # an edit prepared against an older codebook is refused, and the panel reloads
        stale = service.codebook.current()
        panel.select_id(sets[0].id)
        panel.act_add_code.trigger()                  # in a category set: a category
        assert service.codebook.current().code("new_code").kind == "category"
        panel.actions_.apply_edit(stale, update_code(stale, glob.id, label="Old"), "Rename")
        assert "changed since" in panel.banner.text()
        assert service.codebook.current().code(glob.id).label == glob.label


def test_merge_into_a_compatible_code(qtbot, panel, monkeypatch):
    book = panel.service.codebook.current()
    presence = [e.code.id for e in book.codes() if e.code.kind == "presence"]
    assert codebook_dialogs.merge_targets(book, "validation") == [
        i for i in presence if i != "validation"]
    # the session globals differ in their scale labels: the core merges none of them
    assert codebook_dialogs.merge_targets(book, "alliance_quality") == []
    add_codings(panel.service, "validation", 2)
    monkeypatch.setattr(codebook_dialogs, "choose_merge_target",
                        lambda parent, book, source, counts: "mutual_respect")
    panel.reload()
    panel.select_id("validation")
    panel.act_merge.trigger()
    assert "validation" not in panel.service.codebook.current().code_ids()
    assert panel.service.codebook.coding_counts()["mutual_respect"] == 2
    assert panel.selected_id() == "mutual_respect"
    assert panel.events.undo_stack.undoText() == "Merge 'Validation' into 'Mutual respect'"


def test_search_filters_by_label_id_or_definition(qtbot, panel):
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key_F, Qt.ControlModifier)
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "WARMTH")
    book = panel.service.codebook.current()
    expected = [e.code.id for e in book.codes()
                if any("warmth" in s.lower() for s in (e.code.label, e.code.id,
                                                        e.code.definition))]
    assert "bond_warmth" in expected
    assert panel.model.visible_code_ids() == expected
    panel.search.setText("goal_alignment")          # by id
    assert panel.model.visible_code_ids() == ["goal_alignment"]
    panel.search.setText("partner whose knowledge")  # by definition
    assert panel.model.visible_code_ids() == ["mutual_respect"]
    panel.search.clear()
    assert len(panel.model.visible_code_ids()) == len(book.code_ids())


def test_keyboard_f2_edits_the_label_and_arrows_move(qtbot, panel):
    panel.select_id("bond_warmth")
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key_Down)
    assert panel.selected_id() == "mutual_respect"
    assert panel.code_form.code_id == "mutual_respect"
    qtbot.keyClick(panel.tree, Qt.Key_F2)
    assert panel.code_form.label.hasFocus()


def test_reloads_on_changes_made_elsewhere_keeping_the_selection(qtbot, panel):
    panel.select_id("empowerment")
    book = panel.service.codebook.current()
    panel.events.perform(EditCodebook(book, update_code(book, "empowerment", label="Choice"),
                                      "Rename 'Empowerment'"))
    assert tree_text(panel, "empowerment") == "Choice"
    assert panel.selected_id() == "empowerment"
    assert panel.code_form.label.text() == "Choice"


# -- files and history ----------------------------------------------------------------------
def test_export_import_and_history(qtbot, tmp_path, panel, monkeypatch):
    service = panel.service
    for name in ("out.yaml", "out.qdc"):
        monkeypatch.setattr(codebook_dialogs, "ask_export_path",
                            lambda parent, suggested, n=name: str(tmp_path / n))
        panel.act_export.trigger()
        assert (tmp_path / name).stat().st_size > 1000
    assert "Exported" in panel.banner.text()

    panel.select_id("validation")
    type_into(qtbot, panel.code_form.label, "Validating")
    qtbot.keyClick(panel.code_form.label, Qt.Key_Return)
    assert panel.events.undo_stack.count() == 1

    shown = []
    monkeypatch.setattr(codebook_dialogs, "confirm", lambda *a: True)
    monkeypatch.setattr(codebook_dialogs, "show_notes", lambda *a: shown.append(a))
    monkeypatch.setattr(codebook_dialogs, "ask_import_path",
                        lambda parent, folder: str(tmp_path / "out.qdc"))
    panel.act_import.trigger()                      # REFI-QDA: notes on what it lacks
    assert service.codebook.current().code("validation").label == "Validation"
    assert panel.events.undo_stack.count() == 2                 # the import is one undoable step
    assert panel.events.undo_stack.undoText().startswith("Use codebook")
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0][3]                              # the notes
    assert panel.title.text() == "out"

    monkeypatch.setattr(codebook_dialogs, "ask_import_path",
                        lambda parent, folder: str(CODEBOOKS / "rupture_repair.yaml"))
    panel.act_import.trigger()
    assert service.codebook.current().id == "rupture_repair"
    assert panel.title.text() == service.codebook.current().name
    assert "Project version 4" in panel.info.text()
    panel.events.undo_stack.undo()                              # brings the imported .qdc codebook back
    assert service.codebook.current().code("validation").label == "Validation"
    panel.events.undo_stack.redo()
    assert service.codebook.current().id == "rupture_repair"

    dialog = HistoryDialog(service, panel)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 4
    assert [dialog.model.index(r, 2).data() for r in range(4)] == [
        "rupture_repair.yaml", "out.qdc", "edit", "alliance_safeness.yaml"]
    dialog.old_box.setCurrentIndex(0)
    dialog.new_box.setCurrentIndex(1)
    lines = dialog.compare()
    assert lines == service.codebook.diff(1, 2).describe()
    assert "renamed code 'validation'" in dialog.diff.toPlainText()


def test_an_import_the_core_refuses_is_reported(qtbot, panel, monkeypatch):
    errors = []
    monkeypatch.setattr(codebook_dialogs, "ask_import_path",
                        lambda parent, folder: str(CODEBOOKS / "no_such_file.yaml"))
    monkeypatch.setattr(codebook_dialogs, "confirm", lambda *a: True)
    monkeypatch.setattr(codebook_dialogs, "show_error", lambda *a: errors.append(a))
    panel.act_import.trigger()
    assert errors and errors[0][1] == "Cannot import codebook"
    assert panel.service.codebook.current().id == "alliance_safeness"


def test_a_project_without_a_codebook(qtbot, tmp_path, make_panel, monkeypatch):
    with Project.create(tmp_path / "e.scproj", empty=True) as service:
        panel = make_panel(service)
        assert panel.title.text() == "No codebook"
        assert not panel.act_add_code.isEnabled() and panel.act_import.isEnabled()
        assert panel.model.rowCount() == 0
        monkeypatch.setattr(codebook_dialogs, "ask_import_path",
                            lambda parent, folder: str(CODEBOOKS / "mi_behaviour.yaml"))
        monkeypatch.setattr(codebook_dialogs, "confirm", lambda *a: True)
        panel.act_import.trigger()
        assert panel.title.text() == service.codebook.current().name
        assert panel.act_add_code.isEnabled()


# -- model ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["alliance_safeness.yaml", "mi_behaviour.yaml",
                                  "rupture_repair.yaml"])
def test_tree_model_passes_the_model_tester(qtbot, qtmodeltester, tmp_path, name):
    from coder.codebook import load_codebook
    from ui.codebook.tree_model import CodebookTreeModel
    model = CodebookTreeModel()
    model.set_codebook(load_codebook(CODEBOOKS / name))
    qtmodeltester.check(model)
    model.set_filter("a", True)
    qtmodeltester.check(model)
    assert model.rowCount(QModelIndex()) >= 1


# -- looking at it --------------------------------------------------------------------------
def test_screenshots(qtbot, tmp_path, make_panel, qapp):
    qapp.setStyleSheet(STYLE)
    try:
        with Project.create(tmp_path / "r.scproj",
                                   codebook=CODEBOOKS / "rupture_repair.yaml") as service:
            panel = make_panel(service)
            panel.select_id("rupture_significance")
            assert panel.code_form.scale_labels.isVisible()
            qtbot.wait(100)                         # let the layouts settle, as on screen
            panel.grab().save("/tmp/codebook_panel.png")
            panel.code_form.shortcut.setFocus()
            qtbot.keyClick(panel.code_form.shortcut, Qt.Key_F6)   # taken: shown inline
            qtbot.wait(100)
            panel.grab().save("/tmp/codebook_panel_conflict.png")
        with Project.create(tmp_path / "m.scproj",
                                   codebook=CODEBOOKS / "mi_behaviour.yaml") as service:
            panel = make_panel(service)
            panel.select_id(next(e.code.id for e in service.codebook.current().codes()))
            qtbot.wait(100)
            panel.grab().save("/tmp/codebook_panel_mi.png")
    finally:
        qapp.setStyleSheet("")
