"""The workspace follows a coding command's exact writes (issue 17): after random keypresses,
ratings, undos and redos the unit table holds what a fresh load from the store holds, without
reading the store for a keypress; another change source (a codings import into the same
transcript) is read again and ends the same."""

import os
import random

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from coder.coding.scope import applies_to  # noqa: E402

from tests.conftest import ROOT  # noqa: E402
from tests.ui.test_workspace import make  # noqa: E402
from ui.workspace.coding_model import CODES_ROLE, CodingTableModel  # noqa: E402

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"
SESSION4 = ROOT / "sample_transcripts" / "session04_roles.srt"


def table(model) -> list:
    """What every row of the unit table shows: codings (the badges), done, note."""
    return [(model.data(model.index(r, model.COL_CODES), CODES_ROLE), model.is_done(r),
             model.note(r)) for r in range(model.rowCount())]


def fresh(ws) -> list:
    return table(CodingTableModel(ws.service, ws.info.id, ws.model.kind, ws.book))


class Reads:
    """Counts the workspace's reads of codings, done state and notes."""

    def __init__(self, service, monkeypatch) -> None:
        self.n = 0
        for name in ("on", "completed", "notes", "progress", "session_globals"):
            original = getattr(service.codings, name)
            monkeypatch.setattr(service.codings, name, self._counted(original))

    def _counted(self, original):
        def counted(*args, **kwargs):
            self.n += 1
            return original(*args, **kwargs)
        return counted


@pytest.mark.parametrize("codebook, source, kind", [
    ("mi_behaviour.yaml", SESSION3, "turn"),                 # presence and category keys
    ("rupture_repair.yaml", SESSION4, "window")])            # window ratings too
def test_keypresses_undo_redo_and_an_import_leave_no_stale_cell(tmp_path, qtbot, monkeypatch,
                                                                 codebook, source, kind):
    service, ws, stack = make(tmp_path, qtbot, codebook, files=[source])
    try:
        ws.show_transcript(service.transcripts.list()[0])
        ws.bar.kind_box.setCurrentIndex(ws.bar.kind_box.findData(kind))
        assert ws.model.kind == kind
        ws.table.setFocus()
        rows = ws.model.rowCount()
        for r in range(rows):                       # every block loaded, so all rows compare
            ws.model.segment(r)
        book = service.codebook.current()
        keys = [k for k, c in ws.codes.shortcut_map().items() if k.isalpha() and any(
            applies_to(book.code(c), kind, u.role) for u in map(ws.model.segment, range(rows)))]
        ratings = [e.code for e in book.codes() if e.code.kind == "rating"]
        if kind == "window":                        # number keys rate the active rating
            scale = book.code(ws.codes.active_rating()).scale
            keys = [str(v) for v in range(int(scale.min), int(scale.max) + 1)]
        assert keys and rows >= 4
        reads = Reads(service, monkeypatch)
        rng = random.Random(17)
        kinds = set()
        for step in range(120):
            op = rng.random()
            before, count = reads.n, stack.count()
            if op < 0.12 and stack.canUndo():
                stack.undo()
                kinds.add("undo")
            elif op < 0.2 and stack.canRedo():
                stack.redo()
                kinds.add("redo")
            elif op < 0.3 and ratings:
                ws.go_to_position(rng.randint(1, rows))
                code = rng.choice(ratings)
                unit = ws.selected_units()[0]
                if applies_to(code, unit.kind, unit.role):
                    ws.set_rating(code.id, rng.choice([None, code.scale.min, code.scale.max]))
                    kinds.add("rating")
            else:
                ws.go_to_position(rng.randint(1, rows))
                before = reads.n
                qtbot.keyClick(ws.table, getattr(Qt, f"Key_{rng.choice(keys).upper()}"))
                if stack.count() > count:
                    kinds.add("key")
                    assert reads.n == before, "a coding keypress read the store again"
            assert table(ws.model) == fresh(ws), f"step {step}"
        assert {"undo", "redo", "key"} | ({"rating"} if ratings else set()) <= kinds

        # Another change source on the same transcript: a codings table for this rater.
        info = ws.info
        units = [ws.model.segment(r) for r in (0, 1, 2)]
        code = next(e.code for e in book.codes() if e.code.kind != "global"
                    and applies_to(e.code, units[0].kind, units[0].role))
        value = "" if code.scale is None else int(code.scale.min)
        csv = tmp_path / "codings.csv"
        csv.write_text("transcript,segment,rater,code,value,note\n" + "".join(
            f"{info.name},{u.position},Ana Ruiz,{code.id},{value},\n" for u in units[:1]),
            encoding="utf-8")
        before = reads.n
        service.codings.import_table(csv, complete=True)
        assert reads.n > before                      # not described by writes: read again
        assert table(ws.model) == fresh(ws)
        assert ws.model.is_done(0)
        stack.undo()                                 # the last keypress, after the import
        assert table(ws.model) == fresh(ws)
    finally:
        service.close()


def test_follow_reads_only_what_a_change_set_does_not_describe():
    from coder.commands import ChangeSet, UnitWrite
    from ui.workspace.following import Follow, follow
    w = UnitWrite(5, 1, 1, "validation", 9, None)
    g = UnitWrite(None, 1, 1, "alliance", 10, None)
    keypress = ChangeSet(segments=frozenset({5}), raters=frozenset({1}), written=(w,))
    assert follow(keypress, 1, {1}) == Follow(writes=(w,))
    assert follow(ChangeSet(transcripts=frozenset({1}), written=(g,)), 1, {1}) == Follow(
        writes=(g,), globals=True)
    imported = ChangeSet(segments=frozenset({5}), transcripts=frozenset({1}))
    assert follow(keypress | imported, 1, {1}) == Follow(read_all=True, info=True,
                                                         progress=True)
    assert follow(imported, 2, {1}) == Follow(read=frozenset({5}), progress=True)
    assert follow(ChangeSet(raters=frozenset({7})), 1, {1}).reload
    assert follow(ChangeSet(times=frozenset({1})), 1, {1}).reload
