"""The streamed rows (coder.export.rowxml) against the openpyxl cells they replace: both
workbooks read back with openpyxl must agree cell for cell (value, type, number format,
bold, wrap) and sheet for sheet (column widths, frozen panes, autofilter, merged cells,
hyperlinks), on the sample project's full export and on hostile text; temporary files go
away on success and on cancel; and (slow) LibreOffice opens the streamed workbook."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from coder.export import ExportOptions, sheets_data
from coder.export.table import CUT_MARK, MAX_CELL, Col, Table
from coder.export.workbook import _save
from coder.export.ticker import Ticker
from coder.jobs import Cancelled
from coder.project import Project
from coder.sample import build_sample_project, sign_in_supervisor


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def read_back(path: Path) -> dict:
    """Everything a reader sees of a workbook, sheet by sheet."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                cells[c.coordinate] = (c.value, c.data_type, c.number_format,
                                       bool(c.font.b), bool(c.alignment.wrap_text),
                                       c.fill.fgColor.rgb if c.fill.fill_type else None)
        out[ws.title] = {
            "cells": cells,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "links": sorted((c.coordinate, c.hyperlink.target) for row in ws.iter_rows()
                            for c in row if c.hyperlink),
        }
    return out


def assert_same(new: dict, old: dict, skip: set = frozenset()) -> int:
    """Cell for cell, exactly. Returns the number of cells compared."""
    assert list(new) == list(old)
    n = 0
    for title in old:
        a, b = new[title], old[title]
        for key in ("widths", "freeze", "filter", "merged", "links"):
            assert a[key] == b[key], (title, key)
        assert a["cells"].keys() == b["cells"].keys(), title
        for ref, want in b["cells"].items():
            if (title, ref) in skip:
                continue
            got = a["cells"][ref]
            assert got[1:] == want[1:], (title, ref, got, want)
            assert got[0] == want[0] and type(got[0]) is type(want[0]), (title, ref)
            n += 1
    return n


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("rowxml") / "s.scproj"
    build_sample_project(path)
    project = Project.open(path, backup=False)
    sign_in_supervisor(project)
    yield project
    project.close()


def test_sample_export_streamed_equals_openpyxl_cells(sample, tmp_path, monkeypatch):
    options = ExportOptions(matrix_sheets=1000)        # a Matrix sheet per code
    new = tmp_path / "new.xlsx"
    sample.exports.workbook(new, options)
    monkeypatch.setattr(sheets_data, "STREAM_ROWS", False)
    old = tmp_path / "old.xlsx"
    sample.exports.workbook(old, options)
    a, b = read_back(new), read_back(old)
    assert {"Segments", "Codings"} <= set(a)
    assert any(s.startswith("Matrix ") for s in a)                # streamed since issue 17
    stamp = next(ref for ref, v in b["README"]["cells"].items() if v[0] == "Exported at")
    n = assert_same(a, b, skip={("README", "B" + stamp[1:])})
    assert len(b["Codings"]["cells"]) > 1000 and n > 2000
    assert a["Codings"]["freeze"] == "A2" and a["Codings"]["filter"].startswith("A1:R")


HOSTILE = [
    "=1+1", "=HYPERLINK(\"http://x\")", "+41 79", "-minus", "@SUM(A1)", "  two spaces ",
    " ", "\ttab", "line\nbreak", "cr\r\nlf", "a & b < c > d \"q\" 'a'", "\x00\x01bell\x07",
    "\x0b\x0c", "emoji 😀👍🏽 family 👨‍👩‍👧", "lone \ud800 surrogate \udfff", "\ufffe\uffff end",
    "x" * 40_000, "😀" * 20_000, "é" * MAX_CELL, "ok", "]]>", "&amp; already",
]


def _columns(width: int) -> list[Col]:
    return [Col("text"), Col("wrapped", wrap=True), Col("n", "number"), Col("s", "stat"),
            Col("p", "percent"), Col("t", "time"), Col("when", "datetime"), Col("b", "bool")] + [
        Col(f"extra {i}") for i in range(width)]


def _rows():
    numbers = [0, -1, 2 ** 53 + 1, 1.5, 1 / 3, float("nan"), float("inf"), True, "12", "x", None]
    stamps = [datetime(2025, 1, 1, 10, 0, 0, 123000), datetime(1900, 3, 1), None]
    for i, text in enumerate(HOSTILE):
        n = numbers[i % len(numbers)]
        yield [text, text, n, n, 0.25 if i % 2 else n, i * 1234567, stamps[i % 3],
               (None, True, False, 1, 0)[i % 5]] + [text] * 3
    yield ["long row"] + [None] * 7 + [f"c{i}" for i in range(3000)]   # 3,008 columns


def _write(path: Path, stream: bool, width: int) -> None:
    wb = Workbook(write_only=True)
    table = Table(wb.create_sheet("T"), _columns(width), stream=stream)
    for row in _rows():
        table.append(row)
    table.finish()
    with open(path, "wb") as fh:
        _save(wb, fh, Ticker(None, None, 1))


def test_hostile_text_streamed_equals_openpyxl_cells(tmp_path):
    new, old = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    _write(new, True, 3000)
    _write(old, False, 3000)
    a, b = read_back(new), read_back(old)
    assert assert_same(a, b) > 150
    cells = a["T"]["cells"]
    column = [cells.get(f"A{r}") for r in range(2, len(HOSTILE) + 2)]
    assert column[0][:2] == ("=1+1", "s")                      # text, never a formula
    assert column[1][0].startswith("=HYPERLINK") and not a["T"]["links"]
    assert column[5][0] == "  two spaces " and column[6][0] == " "
    assert column[9][0] == "cr\r\nlf" and column[10][0] == "a & b < c > d \"q\" 'a'"
    assert column[11][0] == "bell" and column[12] is None
    assert column[13][0] == "emoji 😀👍🏽 family 👨‍👩‍👧"
    assert column[14][0] == "lone  surrogate " and column[15][0] == " end"
    for cut in (column[16][0], column[17][0]):
        assert cut.endswith(CUT_MARK) and MAX_CELL - 2 <= _utf16(cut) <= MAX_CELL
    assert column[17][0][:-len(CUT_MARK)] == "😀" * ((MAX_CELL - len(CUT_MARK)) // 2)
    assert column[18][0] == "é" * MAX_CELL                    # exactly the limit: kept
    assert cells["C4"][:2] == (2 ** 53, "n") and cells["J2"][0] == "=1+1"
    assert cells["H3"] == (True, "b", "General", False, False, None)
    assert cells["G2"][2] == "yyyy-mm-dd hh:mm:ss" and cells["D5"][2] == "0.000"
    last = len(HOSTILE) + 2
    assert cells[f"A{last}"][0] == "long row" and cells[f"DKR{last}"][0] == "c2999"
    assert a["T"]["filter"] == f"A1:DKR{last}" and a["T"]["freeze"] == "A2"


@pytest.mark.parametrize("stage", ["Codings", "Saving"])
def test_streamed_rows_leave_no_temporary_files(sample, tmp_path, monkeypatch, stage):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    sample.exports.workbook(tmp_path / "ok.xlsx")
    assert not list(scratch.iterdir())
    state = {"stage": None, "checks": 0, "files": 0}

    def progress(done, total, message=""):
        state["stage"] = message

    def cancel():
        if state["stage"] == stage:
            state["checks"] += 1
            state["files"] = max(state["files"], len(list(scratch.iterdir())))
        return state["checks"] > (1 if stage == "Saving" else 0)

    with pytest.raises(Cancelled):
        sample.exports.workbook(tmp_path / "cancelled.xlsx", progress=progress, cancel=cancel)
    assert state["files"] >= 2                  # the streams were there when it was cancelled
    assert not list(scratch.iterdir()) and not (tmp_path / "cancelled.xlsx").exists()


def test_a_streamed_table_refuses_caller_made_cells():
    wb = Workbook(write_only=True)
    with pytest.raises(ValueError, match="colour"):
        Table(wb.create_sheet("T"), [Col("colour", "raw")], stream=True)


@pytest.mark.slow
def test_libreoffice_opens_the_streamed_workbook(sample, tmp_path):
    from tests.conftest import libreoffice
    soffice = libreoffice()
    sample.exports.workbook(tmp_path / "sample.xlsx", ExportOptions())
    _write(tmp_path / "hostile.xlsx", True, 20)
    env = dict(os.environ, HOME=str(tmp_path))        # a fresh LibreOffice profile
    for name in ("sample", "hostile"):
        res = subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "csv",
                              "--outdir", str(tmp_path / "csv"), str(tmp_path / f"{name}.xlsx")],
                             capture_output=True, text=True, timeout=180, env=env)
        assert res.returncode == 0, res.stderr
        made = tmp_path / "csv" / f"{name}.csv"
        assert made.exists(), (res.stdout, res.stderr)
        assert "error" not in res.stderr.lower().replace("javaldx", ""), res.stderr
        first = made.read_text(encoding="utf-8", errors="replace").splitlines()[0]
        # csv converts the first sheet: README for the export, the hostile table itself
        assert first.startswith("item,value" if name == "sample" else "text,wrapped,n")
