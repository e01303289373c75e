"""Fuzzing the two table readers a user feeds by hand: `codings import` (CSV or XLSX into a
project, all rows or none) and `stats` (a units x raters CSV). Each input ends in success or
a `SessionCoderError`, within the bounds of `limits`; a refused codings import changes
nothing."""

from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from coder.coding.table_io import ImportCodings
from coder.errors import SessionCoderError
from coder.reliability.table import format_report, stats_report
from coder.project import Project
from tests.core.fuzz.limits import bounded_memory, fuzz_settings

ROOT = Path(__file__).resolve().parents[3]
S3 = "session03_tc_labels.txt"

NUMBERS = st.sampled_from(["1", "2", "3", "5", "0", "-1", "1.5", "2,0", "127", "128", "1e3",
                           "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "1e308",
                           "99999999999999999999", "0x10", "", " ", "'=1", "=1+1"])
CELL_TEXT = st.sampled_from(["", " ", "x", "é", '"', "'", ",", ";", "\n", "\t", "\x00",
                             "a" * 300])


@pytest.fixture(scope="module")
def project():
    folder = Path(tempfile.mkdtemp(prefix="fuzz-codings-"))
    p = Project.create(folder / "p.scproj")
    p.importing.import_file(ROOT / "sample_transcripts" / S3)
    p.raters.add("Ana Ruiz")
    p.raters.add("Ben Okafor")
    p.folder = folder
    p.book = p.codebook.current()        # parsed once: most of an import's time is the YAML
    yield p
    p.close()


ROW = st.fixed_dictionaries({
    "transcript": st.sampled_from([S3, S3, S3, "other.txt", "", "nan"]) | CELL_TEXT,
    "segment": NUMBERS,
    "rater": st.sampled_from(["Ana Ruiz", "ana ruiz", "Anna Ruiz", "Ben Okafor", "Ben Okafr",
                              "Cleo", "Rater 1", "Rater 2", "", "nan"]) | CELL_TEXT,
    "code": st.sampled_from(["validation", "bond_warmth", "alliance_quality", "pressure",
                             "nope", ""]),
    "value": NUMBERS,
    "note": CELL_TEXT | NUMBERS,
})
HEADERS = st.sampled_from([
    ["transcript", "segment", "rater", "code", "value", "note"],
    ["Transcript", "Segment", "Rater", "Code", "Value"],
    ["transcript", "segment", "rater", "code"],
    ["transcript", "rater", "code"],
    ["transcript", "segment", "rater", "code", "value", "note", "value"],
])


def _counts(p) -> tuple[int, int]:
    conn = sqlite3.connect(p.path)             # a second reader of the WAL project
    try:
        return (conn.execute("SELECT count(*) FROM coding").fetchone()[0],
                conn.execute("SELECT count(*) FROM rater").fetchone()[0])
    finally:
        conn.close()


def _import(p, path: Path, complete: bool, new_raters: bool) -> None:
    before = _counts(p)
    try:
        with bounded_memory():
            command = ImportCodings(path, p.book, complete, new_raters)
            p.perform(command)
    except SessionCoderError as exc:
        assert str(exc)
        assert _counts(p) == before                     # all or nothing
        event("refused")
        return
    assert command.summary
    event("imported")


@fuzz_settings(120)
@given(HEADERS, st.lists(ROW, max_size=12), st.booleans(), st.booleans(),
       st.sampled_from([",", ";", "\t"]))
def test_codings_import_csv(project, header, rows, complete, new_raters, delimiter) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h.lower(), "") for h in header])
    path = project.folder / "codings.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    _import(project, path, complete, new_raters)


@fuzz_settings(150)
@given(st.binary(max_size=2000), st.sampled_from(["c.csv", "c.xlsx", "c.txt"]))
def test_codings_import_random_bytes(project, data: bytes, name: str) -> None:
    path = project.folder / name
    path.write_bytes(data)
    _import(project, path, False, False)


XCELL = st.none() | st.integers(-10**20, 10**20) | st.floats() | st.booleans() | NUMBERS \
    | CELL_TEXT.map(lambda s: "".join(ch for ch in s if ch >= " " or ch in "\t\n"))


@fuzz_settings(30)
@given(st.lists(st.lists(XCELL, max_size=7), min_size=1, max_size=6), st.booleans())
def test_codings_import_xlsx(project, cells, header) -> None:
    book = openpyxl.Workbook()
    if header:
        book.active.append(["transcript", "segment", "rater", "code", "value", "note"])
    for row in cells:
        book.active.append([None if isinstance(c, float) and c != c else c for c in row])
    path = project.folder / "codings.xlsx"
    book.save(path)
    _import(project, path, False, True)


STAT_CELLS = NUMBERS | CELL_TEXT | st.sampled_from(["a", "b", "yes", "no", "1", "2", "3"])


@fuzz_settings(200)
@given(st.lists(st.sampled_from(["unit", "A", "B", "C", "", "A", "é"]), min_size=0,
                max_size=5),
       st.lists(st.lists(STAT_CELLS, max_size=6), max_size=10),
       st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
       st.none() | st.sampled_from(["1,2,3", "a,b", "a,,b", "1,1", "1,1.0", "yes,no,1", "x"]),
       st.sampled_from([",", ";"]))
def test_stats(tmp_path_factory, header, rows, level, categories, delimiter) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.getbasetemp() / "stats.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    try:
        with bounded_memory():
            report = stats_report(str(path), level, categories)
            format_report(report)
    except SessionCoderError as exc:
        assert str(exc)
        return
    assert report["level"] == level


@fuzz_settings(150)
@given(st.binary(max_size=2000), st.sampled_from(["nominal", "interval"]))
def test_stats_random_bytes(tmp_path_factory, data: bytes, level: str) -> None:
    path = tmp_path_factory.getbasetemp() / "stats.bin.csv"
    path.write_bytes(data)
    try:
        with bounded_memory():
            format_report(stats_report(str(path), level))
    except SessionCoderError:
        pass
