"""What the results table keeps for its paints (issue 17: a result's arrival paints the table
more than once) is what the model would work out afresh, after every change that alters a
cell: a scheme, live figures, the cut's live switch, new entries, the theme. And the main
window freezes its start-up objects once its areas are built, so that later full
collections (a report's result arriving) do not walk them."""

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from tests.core.test_project_reliability import project  # noqa: E402,F401  (fixture)
from tests.ui.test_reliability_view import compute, make_view, shown  # noqa: E402
from ui.reliability.data import COLUMNS  # noqa: E402
from ui.reliability.table import LINES_ROLE  # noqa: E402
from ui.shell import theme as themes  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

ROLES = (LINES_ROLE, Qt.BackgroundRole)


def assert_fresh(model) -> None:
    """Every painted cell equals what the model works out without its store."""
    for row in range(model.rowCount()):
        for col in range(len(COLUMNS)):
            index = model.index(row, col)
            for role in ROLES:
                assert model.data(index, role) == model._data(index, role), (row, col, role)


def test_painted_cells_follow_every_change(project, qtbot):   # noqa: F811
    view = make_view(qtbot, project)
    compute(qtbot, view)
    model = view.model
    view.table.grab()                        # a paint fills the store
    assert model._painted, "the paint kept nothing"
    assert_fresh(model)

    code = model.index(model.row_of("validate"), 0)
    model.set_live({"validate": "α .71"})
    assert model.data(code, LINES_ROLE)[1].endswith("live α .71")
    model.show_live = False                  # another cut: live figures do not apply
    assert "live" not in model.data(code, LINES_ROLE)[1]
    model.show_live = True
    assert model.data(code, LINES_ROLE)[1].endswith("live α .71")

    cautioned = shown(view, "validate", "kappa")
    light = themes.current()
    assert cautioned.data(Qt.BackgroundRole) == QColor(light.caution_bg)
    try:
        dark = themes.use(themes.DARK_THEME if light is not themes.DARK_THEME
                          else themes.LIGHT_THEME)
        assert dark.caution_bg != light.caution_bg
        assert cautioned.data(Qt.BackgroundRole) == QColor(dark.caution_bg)
        view.table.grab()
        assert_fresh(model)
    finally:
        themes.use(light)
    assert cautioned.data(Qt.BackgroundRole) == QColor(light.caution_bg)

    view.settings.scheme.setCurrentIndex(view.settings.scheme.findData("cicchetti"))
    assert_fresh(model)
    entries = list(model.entries)
    model.set_entries(entries[1:])
    assert_fresh(model)
    model.set_entries(entries)
    view.table.grab()
    assert_fresh(model)


def test_the_window_freezes_its_start_up_objects(qtbot):
    gc.unfreeze()                            # another test's window may have frozen some
    try:
        window = MainWindow(AppSettings(), defer_areas=True)
        qtbot.addWidget(window)
        assert gc.get_freeze_count() == 0    # the start screen alone: nothing frozen yet
        window.build_areas()
        assert gc.get_freeze_count() > 0
        # the areas are in the permanent generation: a collection no longer walks them
        assert not any(o is window.workspace for o in gc.get_objects())
        window.close()
    finally:
        gc.unfreeze()
