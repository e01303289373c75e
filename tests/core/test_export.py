"""Excel export: every sheet read back with openpyxl and pandas — order, table form (bold
frozen header, autofilter), number formats and types, completion state — and the reliability
sheets equal the reliability report's JSON and the data matrices (one code path)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from coder.export import SHEETS, ExportOptions
from coder.reliability.project import data_matrices, to_json
from coder.store.snapshot_read import read_snapshot
from coder.export.sheets_team import TEAM_SHEETS
from tests.core.test_project_reliability_data import apply, code_s1_s2, done, new_project, rate

EVIL = ("=HYPERLINK(\"http://x\",\"click\")", "+SUM(1,2)", "-2+3*cmd|' /C calc'!A0",
        "@SUM(1)")
TABLE_SHEETS = ("README", "Codebook", "Segments", "Codings", "Reliability", "Pairwise",
                "Sessions", "Disagreements", "Episodes", "Profile", "Measures")


def write_evil_srt(folder: Path) -> Path:
    lines = []
    for i, text in enumerate(EVIL):
        lines += [str(i + 1), f"00:00:{i * 10:02d},000 --> 00:00:{i * 10 + 8:02d},000",
                  f"{'T' if i % 2 == 0 else 'C'}: {text}", ""]
    path = folder / "evil.srt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def code_project(p) -> None:
    code_s1_s2(p)
    for t, vals in (("s1.srt", {"A": 4, "B": 3}), ("s2.srt", {"A": 2, "B": 2, "C": 3})):
        for r, v in vals.items():
            rate(p, r, "alliance", t, None, v)
    done(p, "A", "evil.srt", range(1, 5))
    apply(p, "A", "validate", "evil.srt", 1, span=(0, 10))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    p = new_project(folder)
    p.importing.import_file(write_evil_srt(folder))
    code_project(p)
    out = folder / "out.xlsx"
    result = p.exports.workbook(out, csv_dir=folder)
    yield p, out, result
    p.close()


@pytest.fixture(scope="module")
def wb(built):
    return openpyxl.load_workbook(built[1])


def rows_of(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_sheets_in_order(built, wb):
    names = wb.sheetnames
    expected = ["README", "Codebook", "Segments", "Codings", "Matrix validate",
                "Matrix withdraw", "Matrix behaviour", "Matrix warmth", "Matrix significance",
                "Matrix alliance", "Reliability", "Pairwise", "Confusion", "Sessions",
                "Disagreements", "Episodes", "Profile", "Measures"]
    assert names == expected
    assert list(built[2].sheets) == expected


@pytest.mark.parametrize("name", TABLE_SHEETS + ("Matrix validate",))
def test_every_table_has_a_bold_frozen_header_and_autofilter(wb, name):
    ws = wb[name]
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1] if c.value is not None)
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert all(5 <= w <= 120 for w in widths)


def test_pandas_reads_every_sheet(built):
    frames = pd.read_excel(built[1], sheet_name=None)
    assert list(frames) == list(built[2].sheets)
    codings = frames["Codings"]
    assert list(codings.columns) == [
        "transcript", "unit_kind", "unit", "speaker", "role", "rater", "code_id",
        "code_label", "kind", "value", "span_start", "span_end", "span_text", "note",
        "coded_at", "codebook_version", "unit_completed", "state"]
    assert list(frames["Segments"].columns) == ["transcript", "unit_kind", "unit", "turn",
                                                "speaker", "role", "start", "end", "text"]
    assert pd.api.types.is_numeric_dtype(codings["unit"])
    assert pd.api.types.is_numeric_dtype(codings["value"])
    assert pd.api.types.is_datetime64_any_dtype(codings["coded_at"])
    assert pd.api.types.is_numeric_dtype(frames["Reliability"]["krippendorff_alpha"])


def test_types_and_number_formats(wb):
    seg = wb["Segments"]
    h = header(seg)
    row = next(r for r in seg.iter_rows(min_row=2)
               if (r[0].value, r[1].value, r[2].value) == ("s1.srt", "turn", 2))
    start = row[h.index("start")]
    assert start.number_format == "[h]:mm:ss" and start.value == dt.timedelta(seconds=90)
    assert isinstance(row[h.index("unit")].value, int)
    assert row[h.index("text")].alignment.wrap_text
    rel = wb["Reliability"]
    rh = header(rel)
    alpha = rel.cell(2, rh.index("krippendorff_alpha") + 1)
    assert isinstance(alpha.value, float) and alpha.number_format == "0.000"
    cod = wb["Codings"]
    ch = header(cod)
    first = [c for c in cod[2]]
    assert isinstance(first[ch.index("coded_at")].value, dt.datetime)
    assert first[ch.index("coded_at")].number_format == "yyyy-mm-dd hh:mm:ss"
    assert first[ch.index("unit_completed")].value is True


def codings_frame(built) -> pd.DataFrame:
    return pd.read_excel(built[1], sheet_name="Codings")


def test_codings_rows_and_completion_state(built):
    df = codings_frame(built)
    s1 = df[df.transcript == "s1.srt"]
    b7 = s1[(s1.rater == "B") & (s1.unit == 7) & (s1.unit_kind == "turn")]
    assert set(b7.code_id) == {"validate", "reflection"}
    assert not b7.unit_completed.astype(bool).any()         # applied, never completed
    a2 = s1[(s1.rater == "A") & (s1.unit == 2) & (s1.unit_kind == "turn")]
    assert list(a2.code_id) == ["withdraw"] and list(a2.state) == ["applied"]
    b4 = s1[(s1.rater == "B") & (s1.unit == 4) & (s1.unit_kind == "turn")]
    assert list(b4.state) == ["none applied"] and b4.code_id.isna().all()
    # B never completed turn 8: no row at all (missing), while A's turn 8 is "none applied"
    assert s1[(s1.rater == "B") & (s1.unit == 8) & (s1.unit_kind == "turn")].empty
    assert list(s1[(s1.rater == "A") & (s1.unit == 8)].state) == ["none applied"]
    glob = df[df.code_id == "alliance"]
    assert glob.unit.isna().all() and glob.unit_completed.isna().all()
    assert list(glob.value) == [4, 3, 2, 2, 3]
    span = df[(df.transcript == "s1.srt") & (df.rater == "A") & (df.code_id == "validate")
              & (df.unit == 1)]
    assert list(span.span_text) == ["turn 1 o"]
    assert (df.state == "applied").sum() == sum(built[0].codebook.coding_counts().values())


def test_codings_order_follows_the_codings_csv(built):
    df = codings_frame(built)
    units = df[df.unit.notna()]
    assert list(dict.fromkeys(df.transcript)) == ["evil.srt", "s1.srt", "s2.srt"]
    s1 = units[(units.transcript == "s1.srt") & (units.unit_kind == "turn")]
    keys = list(zip(s1.unit, s1.rater))
    assert keys == sorted(keys)
    first = s1[(s1.unit == 1) & (s1.rater == "A")]
    assert list(first.code_id) == ["validate", "question", "warmth"]   # codebook order


def _json_report(p, **kw) -> dict:
    report = p.reliability.report(kw.pop("raters", None), kw.pop("transcripts", None), **kw)
    return json.loads(json.dumps(to_json(report)))   # exactly what --json prints


def _check_reliability_sheet(path: Path, report: dict) -> None:
    df = pd.read_excel(path, sheet_name="Reliability")
    units = df[df.data == "units"].reset_index(drop=True)
    entries = report["codes"] + report["globals"]
    assert list(units.code) == [e["id"] for e in entries]
    for i, e in enumerate(entries):
        row = units.iloc[i]
        assert row.n_units == e["n_units"] and row.n_raters == e["n_raters"]
        assert row.n_units_single_rated == e["n_units_single_rated"]
        for name, st in e["statistics"].items():
            got = row[name]
            if st["value"] is None:
                assert pd.isna(got), (e["id"], name)
                assert st["undefined_reason"] in row.undefined_reasons
            else:
                assert got == pytest.approx(st["value"], abs=1e-12), (e["id"], name)
            lo, hi = st["ci"] or (None, None)
            for col, want in ((f"{name}_ci_low", lo), (f"{name}_ci_high", hi)):
                assert (pd.isna(row[col]) if want is None
                        else row[col] == pytest.approx(want, abs=1e-12)), (e["id"], col)
            if st.get("interpretation"):
                it = st["interpretation"]
                assert row[f"{name}_label"] == f"{it['label']} ({it['scheme_name']})"
            if st.get("caution") and f"{name}_label" in row:
                assert row[f"{name}_label"] == f"caution: {st['caution']}"
            if st.get("caution"):
                assert st["caution"] in row.cautions, (e["id"], name)
        for r, v in (e["prevalence"] or {}).items():
            if isinstance(v, float):
                assert row[f"prevalence_{r}"] == pytest.approx(v, abs=1e-12)
    counts = df[df.data == "per-session counts"]
    assert list(counts.code) == [e["id"] for e in report["codes"] if e["kind"] == "presence"]


def test_reliability_sheet_equals_the_report_json(built):
    _check_reliability_sheet(built[1], _json_report(built[0]))


def test_reliability_for_a_selection_and_scheme(built, tmp_path):
    p = built[0]
    opts = ExportOptions(raters=("A", "B"), transcripts=("s1.srt",),
                         codes=("validate", "behaviour", "warmth"), scheme="cicchetti",
                         reference="B")
    out = tmp_path / "sel.xlsx"
    p.exports.workbook(out, opts)
    report = _json_report(p, raters=["A", "B"], transcripts=["s1.srt"],
                          codes=["validate", "behaviour", "warmth"], scheme="cicchetti",
                          reference="B")
    _check_reliability_sheet(out, report)
    pair = pd.read_excel(out, sheet_name="Pairwise")
    ref = pair[pair.comparison == "reference"]
    assert set(ref.rater_1) == {"B"} and set(ref.rater_2) == {"A"}
    want = report["reference"]["against"][0]["codes"][0]["statistics"]["gwet_ac1"]["value"]
    assert ref[ref.code == "validate"].gwet_ac1.iloc[0] == pytest.approx(want, abs=1e-12)
    # the Reference sheet: the report's 2 x 2 counts and figures, per code and per category
    accuracy = pd.read_excel(out, sheet_name="Reference")
    got = accuracy[accuracy.code == "validate"].iloc[0]
    want = report["reference"]["against"][0]["codes"][0]["against_reference"]
    assert got.reference == "B" and got.rater == "A" and pd.isna(got.category)
    for k in ("n_units", "true_positive", "false_positive", "false_negative", "true_negative"):
        assert got[k] == want[k], k
    for n, st in want["statistics"].items():
        if st["value"] is None:
            assert pd.isna(got[n]) and st["undefined_reason"] in got.undefined_reasons
        else:
            assert got[n] == pytest.approx(st["value"], abs=1e-12)
    beh = accuracy[accuracy.code == "behaviour"]
    assert list(beh.category) == ["Question", "Reflection", "Advice"]
    assert "warmth" not in set(accuracy.code)                    # ratings have no positive
    codes = pd.read_excel(out, sheet_name="Codings")
    assert set(codes.code_id.dropna()) <= {"validate", "question", "reflection", "advice",
                                           "warmth"}
    assert set(codes.rater) == {"A", "B"} and set(codes.transcript) == {"s1.srt"}


def test_matrix_cells_equal_data_matrices(built, wb):
    p = built[0]
    with p._store.read() as conn:
        snap = read_snapshot(conn, None)
    for key, m in data_matrices(snap).items():
        ws = wb[f"Matrix {key}"]
        rows = rows_of(ws)
        assert list(rows[0]) == ["transcript", "unit_kind", "unit", *m.raters]
        assert len(rows) - 1 == m.values.shape[0]
        for (t, kind, pos), got, want in zip(m.units, rows[1:], m.values.tolist()):
            assert got[0] == t and got[2] == pos
            assert got[1] == (None if kind == "session" else kind)
            for g, w in zip(got[3:], want):
                if np.isnan(w):
                    assert g is None
                elif m.kind == "category":
                    assert g == m.category_labels[int(w)]
                else:
                    assert g == w and isinstance(g, (int, float))


def test_many_codes_go_to_one_matrices_sheet(built, tmp_path):
    out = tmp_path / "m.xlsx"
    built[0].exports.workbook(out, ExportOptions(matrix_sheets=2))
    wb = openpyxl.load_workbook(out)
    assert "Matrices" in wb.sheetnames and not any(n.startswith("Matrix ")
                                                   for n in wb.sheetnames)
    df = pd.read_excel(out, sheet_name="Matrices")
    assert list(df.columns[:5]) == ["code", "kind", "transcript", "unit_kind", "unit"]
    v = df[(df.code == "validate") & (df.transcript == "s2.srt") & (df.unit == 1)]
    assert list(v[["A", "B", "C"]].iloc[0]) == [1, 0, 1]


def test_reliability_colours_and_alpha_chart(wb):
    ws = wb["Reliability"]
    h = header(ws)
    col = ws.cell(1, h.index("krippendorff_alpha") + 1).column_letter
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert f"{col}2:{col}{ws.max_row}" in ranges
    rules = next(r.rules for r in ws.conditional_formatting
                 if str(r.sqref) == f"{col}2:{col}{ws.max_row}")
    # a cautioned value stays grey, then Krippendorff's 3 bands
    assert len(rules) == 4 and all(r.stopIfTrue for r in rules)
    label = ws.cell(1, h.index("krippendorff_alpha_label") + 1).column_letter
    assert rules[0].formula[0] == f'LEFT({label}2,8)="caution:"'
    assert ">=0.8" in rules[1].formula[0]
    assert len(ws._charts) == 1


def test_codebook_colour_cells_and_readme(wb, built):
    ws = wb["Codebook"]
    assert [r[0] for r in rows_of(ws)[1:]] == list(built[0].codebook.current().code_ids())
    readme = dict(rows_of(wb["README"])[1:])
    assert readme["Project"] == "p" and "Krippendorff" in readme["Interpretation"]
    assert isinstance(readme["Exported at"], dt.datetime)
    assert all(f"Sheet: {n}" in readme for n in SHEETS
               if n not in ("README", "Matrix", "Reference") + TEAM_SHEETS)
    # team sheets: only with data; Reference: only with a reference rater
    assert "Reference" not in wb.sheetnames


def test_sessions_and_disagreements(built):
    frames = pd.read_excel(built[1], sheet_name=["Sessions", "Disagreements"])
    s = frames["Sessions"]
    a1 = s[(s.transcript == "s1.srt") & (s.rater == "A")].iloc[0]
    assert a1.n_validate == 2 and a1.n_withdraw == 1 and a1.alliance == 4
    assert a1.warmth_mean == pytest.approx((4 + 2 + 5) / 3)
    assert a1.validate_per_10min == pytest.approx(2 / (a1.duration.total_seconds() / 600)
                                                  if hasattr(a1.duration, "total_seconds")
                                                  else 2 / (a1.duration * 144))
    d = frames["Disagreements"]
    t1 = d[(d.transcript == "s1.srt") & (d.unit == 3) & (d.unit_kind == "turn")].iloc[0]
    assert "validate" in t1.differ_on and "behaviour" in t1.differ_on
    assert t1.A == "validate; reflection; warmth=2" and t1.C == "(not completed)"


def test_injection_looking_text_stays_text(wb):
    ws = wb["Segments"]
    got = [r for r in rows_of(ws) if r[0] == "evil.srt" and r[1] == "turn"]
    assert [r[-1] for r in got] == list(EVIL)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
    span = [r for r in rows_of(wb["Codings"]) if r[0] == "evil.srt" and r[6] == "validate"]
    assert span[0][12] == EVIL[0][:10]


def test_csv_files_for_r(built):
    folder = built[1].parent
    names = sorted(p.name for p in built[2].csv_files)
    assert names == sorted(["codings.csv", "matrix_validate.csv", "matrix_withdraw.csv",
                            "matrix_behaviour.csv", "matrix_warmth.csv",
                            "matrix_significance.csv", "matrix_alliance.csv"])
    csv = pd.read_csv(folder / "codings.csv")
    sheet = codings_frame(built)
    assert len(csv) == len(sheet) and list(csv.columns) == list(sheet.columns)
    evil = (folder / "codings.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in evil
    m = pd.read_csv(folder / "matrix_validate.csv")
    x = pd.read_excel(built[1], sheet_name="Matrix validate")
    pd.testing.assert_frame_equal(m, x, check_dtype=False)
