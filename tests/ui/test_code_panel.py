"""CodePanel and GlobalsForm: pure views over a codebook and the current selection."""

import html
import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from coder.codebook import load_codebook
from tests.conftest import ROOT
from ui.workspace.code_panel import CODE_ID_ROLE, CodePanel
from ui.workspace.globals_form import GlobalsForm
from ui.shell.style import STYLE

BOOKS = ROOT / "codebooks"


def book(name):
    return load_codebook(str(BOOKS / f"{name}.yaml"))


@pytest.fixture
def panel(qtbot):
    p = CodePanel()
    qtbot.addWidget(p)
    p.resize(320, 700)
    p.show()
    return p


def shown_ids(p):
    return p.model.code_ids()


def index_of(p, code_id):
    m = p.model
    for row in range(m.rowCount()):
        if m.index(row).data(CODE_ID_ROLE) == code_id:
            return m.index(row)
    return QModelIndex()


def click_code(qtbot, p, code_id):
    index = index_of(p, code_id)
    assert index.isValid(), code_id
    p.view.scrollTo(index)
    qtbot.mouseClick(p.view.viewport(), Qt.LeftButton, pos=p.view.visualRect(index).center())


def shoot(widget, path):
    """Save a screenshot with the app's style sheet, as the running app shows it."""
    host = QWidget()
    host.setStyleSheet(STYLE)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    old_parent = widget.parentWidget()
    layout.addWidget(widget)
    host.resize(320, 700)
    host.show()
    QApplication.processEvents()
    if QApplication.focusWidget() is not None:      # in the app the transcript has focus
        QApplication.focusWidget().clearFocus()
    assert host.grab().save(path)
    host.hide()
    widget.setParent(old_parent)
    host.deleteLater()


# -- code list ------------------------------------------------------------------------------
def test_clicking_a_code_emits_its_id(panel, qtbot):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    with qtbot.waitSignal(panel.code_triggered) as sig:
        click_code(qtbot, panel, "validation")
    assert sig.args == ["validation"]


def test_space_and_enter_trigger_the_current_code(panel, qtbot):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    panel.view.setFocus()
    panel.view.setCurrentIndex(index_of(panel, "empowerment"))
    got = []
    panel.code_triggered.connect(got.append)
    qtbot.keyClick(panel.view, Qt.Key_Space)
    qtbot.keyClick(panel.view, Qt.Key_Return)
    assert got == ["empowerment", "empowerment"]


def test_nothing_selected_offers_no_code_to_apply(panel, qtbot):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context(None, None, 0, {}, {})
    assert "validation" in shown_ids(panel)          # browsable, but not enabled
    assert not index_of(panel, "validation").flags() & Qt.ItemIsEnabled
    got = []
    panel.code_triggered.connect(got.append)
    click_code(qtbot, panel, "validation")
    assert got == []
    assert "Select a unit" in panel.note.text()


def test_client_codes_are_not_offered_on_a_therapist_turn(panel):
    rr = book("rupture_repair")
    panel.set_codebook(rr)
    panel.set_context("turn", "therapist", 1, {}, {})
    ids = set(shown_ids(panel))
    assert "wd_denial" not in ids and "cf_complaint_therapist" not in ids
    assert "rp_clarify_misunderstanding" in ids
    assert panel.note.isVisible() and "Client codes are hidden" in panel.note.text()
    panel.set_context("turn", "client", 1, {}, {})
    ids = set(shown_ids(panel))
    assert "wd_denial" in ids and "rp_clarify_misunderstanding" not in ids
    assert "Therapist codes are hidden" in panel.note.text()


def test_window_shows_the_window_ratings_and_no_turn_codes(panel):
    panel.set_codebook(book("rupture_repair"))
    panel.set_context("window", None, 1, {}, {"rupture_significance": 3})
    assert shown_ids(panel) == []
    assert not panel.view.isVisible()
    assert panel.ratings.code_ids() == ["rupture_significance", "resolution_impact"]
    assert panel.rating_buttons("rupture_significance").button(3).isChecked()
    panel.set_context("turn", "client", 1, {}, {})
    assert panel.ratings.isHidden()


def test_checked_and_partial_states_come_from_applied(panel):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 3, {"validation": 3, "bond_warmth": 1}, {})

    def state(code_id):
        return Qt.CheckState(index_of(panel, code_id).data(Qt.CheckStateRole))
    assert state("validation") == Qt.Checked
    assert state("bond_warmth") == Qt.PartiallyChecked
    assert state("pressure") == Qt.Unchecked
    panel.set_context("turn", "therapist", 1, {"bond_warmth": 1}, {})
    assert state("bond_warmth") == Qt.Checked and state("validation") == Qt.Unchecked


def test_same_rows_keep_the_current_row(panel, qtbot):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    panel.view.setCurrentIndex(index_of(panel, "pressure"))
    with qtbot.assertNotEmitted(panel.model.modelReset):
        panel.set_context("turn", "therapist", 1, {"pressure": 1}, {})
    assert panel.view.currentIndex().data(CODE_ID_ROLE) == "pressure"


def test_group_filter(panel):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    labels = [panel.group_box.itemText(i) for i in range(panel.group_box.count())]
    assert labels == ["All groups", "Model-consistent moves", "Model-inconsistent moves"]
    panel.group_box.setCurrentIndex(panel.group_box.findData("inconsistent"))
    assert shown_ids(panel) == ["rigid_persistence", "invalidating", "pressure"]
    panel.group_box.setCurrentIndex(0)
    assert len(shown_ids(panel)) == 14


def test_text_filter_matches_label_and_definition(panel, qtbot):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    qtbot.keyClicks(panel.find_edit, "valid")
    assert shown_ids(panel) == ["validation", "invalidating"]
    panel.find_edit.setText("minimises")                    # in Invalidating's definition
    assert shown_ids(panel) == ["invalidating"]
    panel.find_edit.setText("zzz")
    assert shown_ids(panel) == [] and "No codes match" in panel.note.text()
    panel.find_edit.clear()
    assert len(shown_ids(panel)) == 14


def test_category_sets_are_marked(panel):
    panel.set_codebook(book("mi_behaviour"))
    panel.set_context("turn", "therapist", 1, {}, {})
    header = panel.model.index(0).data(Qt.UserRole + 2)
    assert header.code is None and header.one_of and header.title == "Therapist behaviour"
    assert "sustain_talk" not in shown_ids(panel)


def test_tooltip_has_definition_use_not_and_an_example(panel):
    cb = book("alliance_safeness")
    panel.set_codebook(cb)
    panel.set_context("turn", "therapist", 1, {}, {})
    tip = index_of(panel, "validation").data(Qt.ToolTipRole)
    code = cb.code("validation")
    for text in ("Use when:", "Not when:", "Key V", code.examples[0][:20], code.definition[:30]):
        assert text in tip
    text = html.unescape(re.sub(r"<[^>]+>", "\n", tip.replace("<b>", "").replace("</b>", "")))
    assert max(len(line) for line in text.splitlines()) <= 62     # wrapped to about 60


@pytest.mark.parametrize("name", ["alliance_safeness", "rupture_repair", "mi_behaviour"])
def test_shortcut_map_is_the_codebooks_shortcuts(panel, name):
    cb = book(name)
    panel.set_codebook(cb)
    expected = {QKeySequence(e.code.shortcut).toString(): e.code.id for e in cb.codes()
                if e.code.kind in ("presence", "category") and e.code.shortcut
                and not e.code.archived}
    assert panel.shortcut_map() == expected
    assert len(expected) == len([e for e in cb.codes() if e.code.kind in ("presence", "category")])


def test_printable_keys_in_the_list_go_on_to_the_workspace(panel, qtbot):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    panel.view.setCurrentIndex(index_of(panel, "bond_warmth"))
    qtbot.keyClick(panel.view, Qt.Key_V)            # no type-ahead jump to "Validation"
    assert panel.view.currentIndex().data(CODE_ID_ROLE) == "bond_warmth"


# -- rating strip -----------------------------------------------------------------------------
def test_rating_strip_emits_values_and_none_on_reclick(panel, qtbot):
    panel.set_codebook(book("rupture_repair"))
    panel.set_context("window", None, 1, {}, {"rupture_significance": None})
    assert panel.active_rating() == "rupture_significance"
    got = []
    panel.rating_chosen.connect(lambda c, v: got.append((c, v)))
    qtbot.mouseClick(panel.rating_buttons("resolution_impact").button(4), Qt.LeftButton)
    assert got == [("resolution_impact", 4)]
    assert panel.active_rating() == "resolution_impact"
    # a pure view: the button shows the stored value until the workspace calls back
    assert not panel.rating_buttons("resolution_impact").button(4).isChecked()
    panel.set_context("window", None, 1, {}, {"resolution_impact": 4})
    assert panel.rating_buttons("resolution_impact").button(4).isChecked()
    qtbot.mouseClick(panel.rating_buttons("resolution_impact").button(4), Qt.LeftButton)
    assert got[-1] == ("resolution_impact", None)
    assert panel.active_rating() == "resolution_impact"         # kept across refreshes


def test_active_rating_is_none_without_ratings(panel):
    panel.set_codebook(book("alliance_safeness"))
    panel.set_context("turn", "therapist", 1, {}, {})
    assert panel.active_rating() is None
    panel.set_codebook(book("rupture_repair"))
    panel.set_context("window", None, 1, {}, {})
    panel.set_active_rating("resolution_impact")
    assert panel.active_rating() == "resolution_impact"
    panel.set_active_rating("no_such_code")
    assert panel.active_rating() == "resolution_impact"


def test_code_list_model(qtmodeltester, panel):
    panel.set_codebook(book("mi_behaviour"))
    panel.set_context("turn", "therapist", 2, {"open_question": 2, "affirm": 1}, {})
    qtmodeltester.check(panel.model)


# -- globals ----------------------------------------------------------------------------------
@pytest.fixture
def form(qtbot):
    f = GlobalsForm()
    qtbot.addWidget(f)
    f.resize(320, 700)
    f.show()
    return f


def test_globals_form_emits_and_shows_values(form, qtbot):
    form.set_codebook(book("alliance_safeness"))
    form.set_values({"alliance_quality": 4, "adherence_extent": 0})
    assert form.scale_buttons("alliance_quality").button(4).isChecked()
    assert form.scale_buttons("adherence_extent").button(0).isChecked()
    assert not any(form.scale_buttons("safeness_climate").button(p).isChecked()
                   for p in range(1, 6))
    got = []
    form.global_changed.connect(lambda c, v: got.append((c, v)))
    qtbot.mouseClick(form.scale_buttons("safeness_climate").button(2), Qt.LeftButton)
    qtbot.mouseClick(form.scale_buttons("alliance_quality").button(4), Qt.LeftButton)
    qtbot.mouseClick(form.row("adherence_extent").clear_button, Qt.LeftButton)
    assert got == [("safeness_climate", 2), ("alliance_quality", None),
                   ("adherence_extent", None)]
    assert "good" in form.row("alliance_quality").legend.text()
    assert not form.row("safeness_climate").status.isHidden()       # "not rated"
    assert form.row("alliance_quality").status.isHidden()
    assert not form.row("alliance_quality").clear_button.isHidden()


def test_globals_of_one_item_share_a_box(form):
    form.set_codebook(book("alliance_safeness"))
    a, c = form.row("adherence_extent"), form.row("adherence_skill")
    assert a.parentWidget() is c.parentWidget()
    assert a.parentWidget().objectName() == "itemBox"


def test_globals_form_without_globals(form):
    cb = book("mi_behaviour")
    from dataclasses import replace
    bare = replace(cb, groups=tuple(g for g in cb.groups if g.id != "mi_globals"))
    form.set_codebook(bare)
    assert form.note.text() == "This codebook has no session globals."


# -- screenshots ------------------------------------------------------------------------------
def test_screenshots(qtbot):
    p = CodePanel()
    qtbot.addWidget(p)
    p.set_codebook(book("alliance_safeness"))
    p.set_context("turn", "therapist", 3, {"validation": 3, "bond_warmth": 1, "pressure": 3}, {})
    shoot(p, "/tmp/code_panel_alliance.png")
    p.set_codebook(book("rupture_repair"))
    p.set_context("window", None, 1, {}, {"rupture_significance": 4})
    shoot(p, "/tmp/code_panel_rupture_window.png")
    p.set_codebook(book("mi_behaviour"))
    p.set_context("turn", "therapist", 1, {"complex_reflection": 1}, {})
    shoot(p, "/tmp/code_panel_mi.png")
    f = GlobalsForm()
    qtbot.addWidget(f)
    f.set_codebook(book("alliance_safeness"))
    f.set_values({"alliance_quality": 4, "adherence_extent": 3})
    shoot(f, "/tmp/globals_form.png")
