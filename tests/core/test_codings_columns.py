"""The column-wise check of a codings table (`table_columns.check_columns`, the import's fast
path) gives exactly what the row-by-row rules (`table_checks.check_rows`) give: the same plan
(every array, the rater names in their first spelling, codes and category sets in order of
first use, notes), the same count of missing values and the same errors, on random tables
mixing good rows with every kind of wrong cell."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.coding import table_columns
from coder.coding.table_checks import Context, check_rows
from coder.coding.table_columns import check_columns
from coder.coding.table_rows import read_rows
from tests.core.test_project_reliability_data import new_project

MISSING = ("n/a", "-99")
TRANSCRIPTS = ["s1.srt", "s2.srt", "s1", "s3.srt", "", "1e400", "nan"]
SEGMENTS = ["", "1", "2", "3", "4", "8", "9", "0", "-1", "2.0", "2.5", "x", "1e400", "inf",
            "99999999999999999999"]
RATERS = ["Ana", "ana", "ANA", "Ben", "Cleo", "", "nan"]
CODES = ["validate", "withdraw", "question", "reflection", "advice", "warmth",
         "significance", "alliance", "nope", "", "inf"]
VALUES = ["", "1", "3", "5", "6", "0", "2.0", "2.5", "x", "n/a", "-99", "-99.0", "nan",
          "1e400", "'=1"]
NOTES = ["", "", "", "a note", "'=SUM(A1)", "inf"]


@pytest.fixture(scope="module")
def project():
    folder = Path(tempfile.mkdtemp(prefix="columns-"))
    p = new_project(folder, transcripts=("s1.srt", "s2.srt"))
    yield p
    p.close()


def plan_fields(plan) -> dict:
    return {name: list(getattr(plan, name)) for name in (
        "transcripts", "segments", "raters", "codes", "groups", "numbers", "rater_names",
        "code_keys", "group_labels")} | {
        "values": [None if np.isnan(x) else x for x in plan.values], "notes": plan.notes}


def both(project, tmp_path: Path, lines: list[str], fallback_expected: bool = False):
    """(column-wise result, row-by-row result). The column-wise path hands only rows it
    found wrong to the row rules; unless `fallback_expected`, the rules must find every one
    of them wrong (else the path fell back to checking the whole table row by row, which
    would hide any row it turns away wrongly)."""
    path = tmp_path / "t.csv"
    path.write_text("transcript,segment,rater,code,value,note\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    book = project.codebook.current()
    handed: list[tuple[int, int]] = []          # (rows accepted, missing) per hand-over

    def spy(ctx, records, **kw):
        out = check_rows(ctx, records, **kw)
        handed.append((len(out[0]), out[1]))
        return out
    with project._store.read() as conn:
        ctx = Context(conn, path, book, MISSING)
        real, table_columns.check_rows = table_columns.check_rows, spy
        try:
            fast = check_columns(ctx, read_rows(path))
        finally:
            table_columns.check_rows = real
        slow = check_rows(Context(conn, path, book, MISSING), read_rows(path).records())
    fell_back = any(accepted or missing for accepted, missing in handed)
    assert fell_back == fallback_expected
    return fast, slow


def same(fast, slow) -> None:
    assert plan_fields(fast[0]) == plan_fields(slow[0])
    assert fast[1] == slow[1]
    assert sorted(fast[2]) == sorted(slow[2])


GOOD = [("s1.srt", "1", "Ana", "validate", "", "first"), ("s1.srt", "2", "Ben", "withdraw", "", ""),
        ("s1", "3", "ana", "question", "", ""), ("s2.srt", "1", "Cleo", "warmth", "4", ""),
        ("s2.srt", "1", "Cleo", "significance", "2", ""), ("s2.srt", "", "Ana", "alliance", "5", ""),
        ("s2.srt", "3", "Ben", "advice", "n/a", ""), ("s1.srt", "5", "Ben", "reflection", "", "")]
COLUMN_TEXTS = (TRANSCRIPTS, SEGMENTS, RATERS, CODES, VALUES, NOTES)


@st.composite
def rows_(draw):
    """A good row with at most one cell swapped for any text of its column (so most rows
    are good or wrong in one way, and every rule is reached)."""
    row = list(draw(st.sampled_from(GOOD)))
    column = draw(st.integers(0, 8))
    if column < 6:
        row[column] = draw(st.sampled_from(COLUMN_TEXTS[column]))
    return tuple(row)


ROW = rows_()


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(ROW, min_size=1, max_size=60), blank=st.booleans())
def test_columns_agree_with_the_row_rules(project, rows, blank):
    with tempfile.TemporaryDirectory() as tmp:
        lines = [",".join(r) for r in rows]
        if blank:
            lines.insert(len(lines) // 2, " , ,")
        same(*both(project, Path(tmp), lines))


def test_a_good_table_in_both_paths(project, tmp_path):
    """Every kind of code, good: the plan is non-trivial (names, sets, values, notes)."""
    lines = ["s1.srt,1,Ana,validate,,first", "s1.srt,2,Ben,withdraw,,",
             "s1,3,ana,question,,", "s2.srt,1,Cleo,warmth,4,", "s2.srt,1,Cleo,significance,2,",
             "s2.srt,,Ana,alliance,5,", "s2.srt,3,Ben,advice,n/a,", "s1.srt,5,Ben,reflection,,"]
    fast, slow = both(project, tmp_path, lines)
    same(fast, slow)
    plan, n_missing, errors = fast
    assert (len(plan), n_missing, errors) == (7, 1, [])
    assert plan.rater_names == ["Ana", "Ben", "Cleo"]
    assert plan.group_labels == ["Behaviour"]
    assert plan.notes == {0: "first"}


def test_a_wrong_row_is_worded_by_the_row_rules(project, tmp_path):
    fast, slow = both(project, tmp_path, ["s1.srt,1,Ana,validate,,", "s1.srt,1,Ana,warmth,9,"])
    same(fast, slow)
    assert fast[2] == [(3, "t.csv:3: warmth needs a whole number from 1 to 5, not '9' "
                           "(column value)")]


def test_a_row_the_columns_turn_away_wrongly_falls_back_to_the_row_rules(project, tmp_path,
                                                                           monkeypatch):
    """Were the column-wise value check ever stricter than the rules, the whole table is
    checked row by row: the result is the rules' own."""
    monkeypatch.setattr(table_columns, "value_of", lambda ctx, code, text: (
        table_columns.UNUSABLE, float("nan")))
    fast, slow = both(project, tmp_path, ["s1.srt,1,Ana,validate,,", "s2.srt,1,Ben,warmth,3,"],
                      fallback_expected=True)
    same(fast, slow)
    assert len(fast[0]) == 2 and fast[2] == []


def test_every_single_wrong_cell(project, tmp_path):
    """Every good row with each cell swapped for every text of its column, in one table
    (one rater per variant, so no variant repeats another's unit and code)."""
    lines = []
    for k, good in enumerate(GOOD):
        for column, texts in enumerate(COLUMN_TEXTS):
            for j, text in enumerate(texts):
                row = list(good)
                row[column] = text
                if column != 2:
                    row[2] = f"{row[2]} {k}-{column}-{j}"
                lines.append(",".join(row))
    fast, slow = both(project, tmp_path, lines)
    same(fast, slow)
    assert len(fast[0]) > 100 and len(fast[2]) > 100 and fast[1] > 10


def test_a_rating_takes_whole_numbers_on_its_scale_only(project, tmp_path):
    """The value rule both paths share (`table_checks.value_of`), at the scale's edges."""
    lines = [f"s1.srt,1,R{v},warmth,{v}," for v in ("1", "5", "5.0", "0", "6", "2.5")]
    fast, slow = both(project, tmp_path, lines)
    same(fast, slow)
    plan, _, errors = fast
    assert list(plan.values) == [1.0, 5.0, 5.0]
    assert [number for number, _ in sorted(errors)] == [5, 6, 7]
    assert all("needs a whole number from 1 to 5" in text for _, text in errors)
