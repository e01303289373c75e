"""A sheet longer than Excel allows (1,048,576 rows with the header) is refused with one line
naming the sheet and its rows and pointing to the CSV export: no workbook is written, no
temporary file is left. Tested with a small limit put in place of Excel's."""

from __future__ import annotations

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
    monkeypatch.setattr(table, "MAX_ROWS", 2)
    with pytest.raises(SessionCoderError, match=r"^Codings: at least \d+ rows do not fit"):
        p.exports.workbook(tmp_path / "x.xlsx")
    assert _left(tmp_path) == []
