"""Nothing clipped without a tooltip: at a narrow window every cell whose text does not fit
its column (the transcript list, the unit table's code badges, the code list, the reliability
table, the disagreements) has a tooltip holding the whole text."""

import html
import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QAbstractListModel, Qt  # noqa: E402
from PySide6.QtGui import QFontMetrics  # noqa: E402

from ui.reliability.table import LINES_ROLE  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402
from ui.workspace.badge_delegate import badge_text  # noqa: E402
from ui.workspace.code_list import ROW_ROLE  # noqa: E402
from ui.workspace.coding_model import CODES_ROLE  # noqa: E402

WAIT = 60_000


def plain(tip) -> str:
    """A tooltip as read: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<br\s*/?>", "\n", tip or "")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def clipped(view, index, text: str, font=None, pad: int = 12) -> bool:
    fm = QFontMetrics(font or view.font())
    return fm.horizontalAdvance(text) > view.visualRect(index).width() - pad


def check_view(view, texts_of, font=None) -> int:
    """Every visible cell whose text is clipped has it in its tooltip; returns how many were
    clipped (so a test can insist that its narrow layout did clip something)."""
    model = view.model()
    n = 0
    cols = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    for row in range(min(model.rowCount(), 40)):
        for col in range(cols):
            index = model.index(row, col)
            if view.isColumnHidden(col) if hasattr(view, "isColumnHidden") else False:
                continue
            for text in texts_of(index):
                if text and clipped(view, index, text, font):
                    n += 1
                    tip = plain(index.data(Qt.ToolTipRole))
                    assert " ".join(text.split()) in tip, (type(model).__name__, row, col,
                                                           text, tip)
    return n


def display(index):
    value = index.data(Qt.DisplayRole)
    return [] if value is None else [str(value)]


@pytest.mark.slow
def test_clipped_cells_have_their_whole_text_as_tooltip(qtbot):
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.shell_actions.open_sample()
    qtbot.waitUntil(lambda: w.service is not None, timeout=WAIT)
    ws = w.workspace

    # Squeeze the columns, as a narrow window or a dragged splitter would.
    w.coding_page.setSizes([220, 1146])
    tv = w.transcripts.view
    for col in range(w.transcripts.model.columnCount()):
        tv.setColumnWidth(col, 60)
    assert check_view(tv, display) > 0                       # speakers and names clipped

    ws.table.setColumnWidth(ws.model.COL_CODES, 90)
    qtbot.wait(20)
    small = ws.table.font()
    small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
    book = w.service.codebook.current()

    def badges(index):
        if index.column() != ws.model.COL_CODES:
            return []
        labels = [badge_text(book.code(c.code), None).rstrip("…") for c in index.data(CODES_ROLE) or []]
        whole = " ".join(labels)
        if not labels or not clipped(ws.table, index, whole, small):
            return []
        return [book.code(c.code).label for c in index.data(CODES_ROLE) or []]
    checked = 0
    for _ in range(3):                                       # a few screens of coded units
        checked += check_view(ws.table, badges, font=small)
        ws.go_to_position(ws.current_row() + 40)
    assert checked > 0

    codes = ws.codes.view
    codes.resize(150, codes.height())
    codes.parentWidget().setFixedWidth(170)
    qtbot.wait(20)

    def code_rows(index):
        row = index.data(ROW_ROLE)
        return [row.code.label if row.code is not None else row.title]
    assert check_view(codes, code_rows) > 0

    # The Reliability tab, computed for the sample at once; then its disagreements.
    w.shell_actions.show_tab(2)
    view = w.reliability_view
    qtbot.waitUntil(lambda: view.result is not None, timeout=WAIT)
    for col in range(view.proxy.columnCount()):
        view.table.setColumnWidth(col, 55)
    qtbot.wait(20)

    def cell_lines(index):
        lines = index.data(LINES_ROLE)
        if lines is None:
            return display(index)
        return [part for line in lines[:3] if isinstance(line, str) and line
                for part in line.split(" · ")]
    assert check_view(view.table, cell_lines) > 0

    view.tabs.setCurrentWidget(view.disagreements)
    dv = view.disagreements.view
    for col in range(dv.model().columnCount()):
        dv.setColumnWidth(col, 50)
    qtbot.wait(20)
    if dv.model().rowCount():
        check_view(dv, display)
    w.close()
