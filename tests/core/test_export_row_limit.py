"""A sheet longer than Excel allows (1,048,576 rows with the header). By default the table goes
on on "<sheet> (2)", "<sheet> (3)", ... with the header repeated, every row exactly once and
in order, and the README, the result and the CLI say so. With ``table.CONTINUE = False`` it is
refused with one line naming the sheet and its rows and pointing to the CSV export: no
workbook is written, no temporary file is left. Tested with a small limit put in place of
Excel's."""

from __future__ import annotations

import openpyxl
import pytest

import coder.export.table as table
from coder.errors import SessionCoderError
from tests.core.test_export import code_project, write_evil_srt
from tests.core.test_project_reliability_data import new_project


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limit")
    p = new_project(folder)
    p.importing.import_file(write_evil_srt(folder))
    code_project(p)
    rows = p.exports.workbook(folder / "full.xlsx").rows
    yield p, rows
    p.close()


def _left(folder):
    return sorted(f.name for f in folder.iterdir())


def test_the_biggest_sheet_fits_exactly_at_the_limit(coded, tmp_path, monkeypatch):
    p, rows = coded
    monkeypatch.setattr(table, "MAX_ROWS", max(rows.values()) + 1)     # + the header row
    assert p.exports.workbook(tmp_path / "x.xlsx").rows == rows


@pytest.mark.parametrize("sheet", ["Codings", "Segments"])
def test_a_sheet_past_the_limit_is_refused_before_anything_is_written(coded, tmp_path,
                                                                      monkeypatch, sheet):
    p, rows = coded
    monkeypatch.setattr(table, "CONTINUE", False)
    monkeypatch.setattr(table, "MAX_ROWS", rows[sheet])         # one row short
    bigger = [s for s, n in rows.items() if n >= rows[sheet] and s != sheet]
    with pytest.raises(SessionCoderError) as err:
        p.exports.workbook(tmp_path / "x.xlsx")
    text = str(err.value)
    named = text.split(":")[0]
    assert named == sheet or named in bigger                    # the first sheet too long
    assert "\n" not in text and "Excel sheet" in text and "codings export" in text
    assert _left(tmp_path) == []                                # no workbook, no part file


def test_the_codings_count_is_named_before_the_export_starts(coded, tmp_path, monkeypatch):
    p, rows = coded
    monkeypatch.setattr(table, "CONTINUE", False)
    monkeypatch.setattr(table, "MAX_ROWS", 2)
    with pytest.raises(SessionCoderError, match=r"^Codings: at least \d+ rows do not fit"):
        p.exports.workbook(tmp_path / "x.xlsx")
    assert _left(tmp_path) == []


def _sheets(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in r) for r in ws.iter_rows()]
            for ws in wb.worksheets}, wb


@pytest.mark.parametrize("stream", [True, False])
def test_long_tables_continue_on_numbered_sheets_every_row_once_in_order(
        coded, tmp_path, monkeypatch, stream):
    from coder.export import sheets_data
    p, rows = coded
    monkeypatch.setattr(sheets_data, "STREAM_ROWS", stream)
    full, _ = _sheets(p.exports.workbook(tmp_path / "full.xlsx").path)
    limit = 4                                                   # 3 rows below the header
    monkeypatch.setattr(table, "MAX_ROWS", limit)
    result = p.exports.workbook(tmp_path / "cut.xlsx")
    cut, wb = _sheets(result.path)
    long = [s for s, n in rows.items()                          # Confusion: blocks, not a
            if n > limit - 1 and s not in ("Confusion", "README")]  # table; README: one sheet
    assert {"Codings", "Segments"} <= set(long) and set(result.continued) == set(long)
    def but_readme(d):                                          # it lists the continuations
        return {k: v for k, v in d.items() if k != "README"}
    assert but_readme(result.rows) == but_readme(rows)
    for first, more in result.continued.items():
        assert more == tuple(f"{first} ({k})" for k in range(2, len(more) + 2))
        parts = [first, *more]
        at = result.sheets.index(first)
        assert list(result.sheets[at:at + len(parts)]) == parts        # right after it
        got = []
        for title in parts:
            assert cut[title][0] == full[first][0]                      # header repeated
            body = cut[title][1:]
            assert 1 <= len(body) <= limit - 1
            ws = wb[title]
            assert ws.freeze_panes == "A2"
            assert ws.auto_filter.ref.endswith(str(len(body) + 1))
            got += body
        assert got == full[first][1:]                     # every row once, in order
    readme = dict((r[0], r[1]) for r in cut["README"][1:])
    assert readme["Sheet: Codings (2)"].startswith("continues Codings from its row 4 ")
    assert "codings export" in result.continuation_note()
    assert [t for t in cut if t not in full] == [t for m in result.continued.values()
                                                  for t in m]


def test_cli_says_which_sheets_continue(coded, tmp_path, monkeypatch, capsys):
    from coder.cli import main
    p, rows = coded
    monkeypatch.setattr(table, "MAX_ROWS", max(rows.values()))       # one row over
    assert main(["export", str(p.path), str(tmp_path / "x.xlsx")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and "continues on" in out[1] and "codings export" in out[1]
