"""The coding workspace, driven by keyboard only: presence codes, category replace, window
ratings, session globals, done-next, undo/redo, blind mode, text spans with emoji."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from coder.codebook.shipped import SHIPPED_DIR  # noqa: E402
from coder.coding.commands import ToggleCode  # noqa: E402
from coder.project import Project  # noqa: E402
from tests.conftest import ROOT, SAMPLES  # noqa: E402
from ui.workspace.coding_workspace import CodingWorkspace  # noqa: E402
from ui.workspace.span_highlighter import to_utf16  # noqa: E402
from ui.shell.jobs import JobRunner  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402


def make(tmp_path, qtbot, codebook="alliance_safeness.yaml", files=()):
    service = Project.create(tmp_path / "p.scproj", codebook=SHIPPED_DIR / codebook)
    for f in files:
        service.importing.import_file(f)
    service.ana = service.raters.add("Ana Ruiz")
    service.ben = service.raters.add("Ben Okafor", role="supervisor")
    service.sign_in(service.ana.id)
    events = ProjectEvents()
    ws = CodingWorkspace(events, JobRunner())
    ws.show_hints = False
    qtbot.addWidget(ws)
    events.set_project(service)
    stack = events.undo_stack
    ws.resize(1200, 700)
    ws.show()
    return service, ws, stack


def key(qtbot, ws, k, mods=Qt.NoModifier):
    qtbot.keyClick(ws.table, k, mods)


def own_codes(ws, position):
    return sorted(c.code for c in ws.model.codings(position - 1)
                  if c.rater_id == ws.service.viewer.id)


@pytest.fixture
def alliance(tmp_path, qtbot):
    service, ws, stack = make(tmp_path, qtbot, files=[SAMPLES / "plain_TC_labels_utf8.txt"])
    ws.show_transcript(service.transcripts.list()[0])
    yield service, ws, stack
    service.close()


def test_keyboard_apply_done_next_undo_redo(alliance, qtbot):
    service, ws, stack = alliance
    ws.table.setFocus()
    assert ws.current_row() == 0                      # starts at the first unfinished unit
    key(qtbot, ws, Qt.Key_V)                          # Validation (therapist turn)
    key(qtbot, ws, Qt.Key_B)                          # Bond / warmth
    assert own_codes(ws, 1) == ["bond_warmth", "validation"]
    assert stack.undoText() == "Apply 'Bond / warmth' to 1 segment"
    key(qtbot, ws, Qt.Key_Return)                     # done, next
    assert ws.current_row() == 1 and ws.model.is_done(0)
    assert service.codings.progress(service.transcripts.list()[0].id, "turn") == (1, 5)
    key(qtbot, ws, Qt.Key_V)                          # client turn: not offered, no change
    assert own_codes(ws, 2) == [] and stack.count() == 3
    stack.undo()                                      # done
    stack.undo()                                      # bond
    assert own_codes(ws, 1) == ["validation"] and not ws.model.is_done(0)
    stack.redo()
    assert own_codes(ws, 1) == ["bond_warmth", "validation"]
    # Toggle off with the same key; the view repaints from the change set.
    ws.go_to_position(1)
    key(qtbot, ws, Qt.Key_V)
    assert own_codes(ws, 1) == ["bond_warmth"]
    assert stack.undoText() == "Remove 'Validation' from 1 segment"


def test_shift_extends_selection_and_codes_apply_in_bulk(alliance, qtbot):
    service, ws, stack = alliance
    ws.go_to_position(1)
    key(qtbot, ws, Qt.Key_Down, Qt.ShiftModifier)
    key(qtbot, ws, Qt.Key_Down, Qt.ShiftModifier)
    assert len(ws.selected_units()) == 3
    key(qtbot, ws, Qt.Key_V)                     # applies to the two therapist turns only
    assert own_codes(ws, 1) == own_codes(ws, 3) == ["validation"] and own_codes(ws, 2) == []
    assert stack.undoText() == "Apply 'Validation' to 2 segments"
    key(qtbot, ws, Qt.Key_Return)                # marks all three done
    assert all(ws.model.is_done(r) for r in range(3))


def test_category_key_replaces_the_other_category(tmp_path, qtbot):
    service, ws, stack = make(tmp_path, qtbot, "mi_behaviour.yaml",
                              [SAMPLES / "plain_TC_labels_utf8.txt"])
    try:
        ws.show_transcript(service.transcripts.list()[0])
        book = service.codebook.current()
        therapist_set = [e.code for e in book.codes()
                         if e.code.kind == "category" and "therapist" in e.code.roles
                         and e.code.shortcut]
        first, second = therapist_set[0], therapist_set[1]
        ws.go_to_position(1)
        qtbot.keyClicks(ws.table, first.shortcut)
        assert own_codes(ws, 1) == [first.id]
        qtbot.keyClicks(ws.table, second.shortcut)
        assert own_codes(ws, 1) == [second.id]        # replaced, not added
        stack.undo()
        assert own_codes(ws, 1) == [first.id]
    finally:
        service.close()


def test_window_rating_by_number_key_and_session_global(tmp_path, qtbot):
    service, ws, stack = make(tmp_path, qtbot, "rupture_repair.yaml",
                              [ROOT / "sample_transcripts" / "session04_roles.srt"])
    try:
        info = service.transcripts.list()[0]
        ws.show_transcript(info)
        ws.bar.kind_box.setCurrentIndex(ws.bar.kind_box.findData("window"))
        assert ws.model.kind == "window"
        ws.go_to_position(2)
        rating = ws.codes.active_rating()
        assert rating is not None
        key(qtbot, ws, Qt.Key_4)
        [view] = [c for c in ws.model.codings(1) if c.code == rating]
        assert view.value == 4.0
        assert stack.undoText().startswith("Rate ")
        key(qtbot, ws, Qt.Key_2)
        assert [c.value for c in ws.model.codings(1) if c.code == rating] == [2.0]
        stack.undo()
        assert [c.value for c in ws.model.codings(1) if c.code == rating] == [4.0]
        # Session globals through the form's signal, as a click would send it.
        gl = next(e.code for e in service.codebook.current().codes() if e.code.kind == "global")
        ws.globals.global_changed.emit(gl.id, gl.scale.max)
        assert [(v.code, v.value) for v in service.codings.session_globals(info.id)] == [
            (gl.id, float(gl.scale.max))]
    finally:
        service.close()


def test_blind_mode_hides_another_raters_codings(alliance, qtbot):
    service, ws, stack = alliance
    seg = ws.model.segment(0)
    service.perform(ToggleCode(service.ben.id, service.codebook.current().code("validation"), [seg]))
    ws.show_transcript(service.transcripts.list()[0])
    assert ws.model.codings(0) == []                  # Ana does not see Ben's coding
    service.sign_in(service.ben.id)
    service.raters.set_blind(False)
    service.sign_in(service.ana.id)
    ws.set_project(service)
    ws.show_transcript(service.transcripts.list()[0])
    assert [c.rater_id for c in ws.model.codings(0)] == [service.ben.id]
    assert own_codes(ws, 1) == []


def test_span_with_emoji_and_accents_round_trips(tmp_path, qtbot):
    text = "T: Zoë, I hear you 🙂 — the café felt unsafe?\nC: Maybe.\n"
    path = tmp_path / "emoji.txt"
    path.write_text(text, encoding="utf-8")
    service, ws, stack = make(tmp_path, qtbot, files=[path])
    try:
        ws.show_transcript(service.transcripts.list()[0])
        ws.go_to_position(1)
        unit_text = ws.model.segment(0).text
        target = "the café felt unsafe"
        start = unit_text.index(target)          # code points
        cursor = ws.detail.textCursor()
        cursor.setPosition(to_utf16(unit_text, start))
        cursor.setPosition(to_utf16(unit_text, start + len(target)), QTextCursor.KeepAnchor)
        ws.detail.setTextCursor(cursor)
        assert cursor.selectedText() == target
        qtbot.keyClick(ws.detail, Qt.Key_V)
        [view] = ws.model.codings(0)
        assert unit_text[view.span_start:view.span_end] == target
        out = tmp_path / "c.csv"
        service.codings.export_csv(out)
        # The span survives a reopen of the project file.
        service.close()
        again = Project.open(tmp_path / "p.scproj", backup=False)
        again.sign_in(again.raters.get("Ana Ruiz").id)
        seg = again.transcripts.segments(again.transcripts.list()[0].id, "turn")[0]
        [v] = again.codings.on([seg.id])
        assert seg.text[v.span_start:v.span_end] == target
        again.close()
    finally:
        if service._lock is not None:
            service.close()


def test_search_filter_and_notes(alliance, qtbot):
    service, ws, stack = alliance
    ws.bar.search_edit.setText("stuck")
    assert ws.bar.matches.text() == "2 matches"
    ws.bar.only.setChecked(True)
    hidden = [ws.table.isRowHidden(r) for r in range(5)]
    assert hidden == [False, False, True, True, True]
    ws.bar.only.setChecked(False)
    ws.bar.search_edit.setText("")
    ws.bar.role_box.setCurrentIndex(ws.bar.role_box.findData("client"))
    assert [ws.table.isRowHidden(r) for r in range(5)] == [True, False, True, False, True]
    ws.bar.role_box.setCurrentIndex(0)
    ws.go_to_position(3)
    ws.note.setText("tone shifts here")
    ws.note.editingFinished.emit()
    assert ws.model.note(2) == "tone shifts here"
    assert stack.undoText() == "Edit note"
    stack.undo()
    assert ws.model.note(2) is None


def test_next_with_code_and_coding_note_via_menu(alliance, qtbot, monkeypatch):
    service, ws, stack = alliance
    for pos in (1, 3):
        ws.go_to_position(pos)
        key(qtbot, ws, Qt.Key_V)
    ws.go_to_position(1)
    ws.next_with_code(1)
    assert ws.current_row() == 2                   # the other unit with Validation
    ws.next_with_code(1)
    assert ws.current_row() == 0                   # wraps round
    monkeypatch.setattr("ui.workspace.menu.QInputDialog.getText",
                        lambda *a, **k: ("borderline", True))
    from ui.workspace.menu import unit_menu
    menu = unit_menu(ws, 0)
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["Mark done", "Reopen"] and "Note on 'Validation'…" in texts
    next(a for a in menu.actions() if a.text() == "Note on 'Validation'…").trigger()
    assert ws.model.codings(0)[0].note == "borderline"
    assert stack.undoText() == "Edit note"


def _select(ws, qtbot, unit_text, start, end, mods=Qt.NoModifier):
    """Select [start, end) by code points, then release the mouse as a user would."""
    cursor = ws.detail.textCursor()
    cursor.setPosition(to_utf16(unit_text, start))
    cursor.setPosition(to_utf16(unit_text, end), QTextCursor.KeepAnchor)
    ws.detail.setTextCursor(cursor)
    qtbot.mouseRelease(ws.detail.viewport(), Qt.LeftButton, mods,
                       ws.detail.cursorRect().center())


def test_span_selection_snaps_to_whole_words_and_alt_keeps_exact(tmp_path, qtbot):
    text = "T: So, yes. It’s done. It’s a relief, in a way.\nC: Maybe.\n"
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    service, ws, stack = make(tmp_path, qtbot, files=[path])
    try:
        ws.show_transcript(service.transcripts.list()[0])
        ws.go_to_position(1)
        unit_text = ws.model.segment(0).text
        start = unit_text.index("t’s done")
        end = unit_text.index("relief") + len("relief")
        _select(ws, qtbot, unit_text, start, end)
        assert ws.detail.textCursor().selectedText() == "It’s done. It’s a relief"   # shown
        qtbot.keyClick(ws.detail, Qt.Key_V)
        [view] = ws.model.codings(0)
        assert unit_text[view.span_start:view.span_end] == "It’s done. It’s a relief"
        _select(ws, qtbot, unit_text, start, end, Qt.AltModifier)
        assert ws.detail.textCursor().selectedText() == "t’s done. It’s a relief"
        qtbot.keyClick(ws.detail, Qt.Key_B)
        spans = {c.code: unit_text[c.span_start:c.span_end] for c in ws.model.codings(0)}
        assert spans["bond_warmth"] == "t’s done. It’s a relief"
    finally:
        service.close()
