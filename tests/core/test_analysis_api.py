"""The analyst's API (issue 16): DataFrames that equal the Excel sheets cell for cell, blinding
as in the app, SPSS/Stata files with labels read back, the R script beside the CSVs."""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import subprocess
import sys

import pytest

from coder.project import Project
from tests.conftest import ROOT

pd = pytest.importorskip("pandas")
GOLDEN = ROOT / "tests" / "data" / "golden"
SAMPLES = ROOT / "sample_transcripts"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two sample sessions coded by three raters (the golden test's codings), exported."""
    tmp = tmp_path_factory.mktemp("api")
    path = tmp / "study.scproj"
    with Project.create(path) as p:
        for name in ("session03_tc_labels.txt", "session04_roles.srt"):
            p.importing.import_file(SAMPLES / name)
        p.codings.import_table(GOLDEN / "codings.csv", complete=True)
        p.exports.workbook(tmp / "out.xlsx", csv_dir=tmp)
    from openpyxl import load_workbook
    return path, load_workbook(tmp / "out.xlsx", read_only=True), tmp


def sheet(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]]


def cell(value):
    """A DataFrame value as the workbook stores it."""
    if value is None or value is pd.NA or value is pd.NaT or (
            isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timedelta):
        return round(value / pd.Timedelta(days=1), 12)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(microsecond=value.microsecond // 1000 * 1000)
    if hasattr(value, "item"):
        return value.item()
    return value


def excel(value):
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, dt.timedelta):
        return round(value / dt.timedelta(days=1), 12)
    if isinstance(value, dt.time):
        return round((value.hour * 3600 + value.minute * 60 + value.second
                      + value.microsecond / 1e6) / 86400, 12)
    if isinstance(value, float):
        return round(value, 12)
    return value


def same_table(frame, header, rows):
    assert list(frame.columns) == header
    assert len(frame) == len(rows)
    for i, (got, want) in enumerate(zip(frame.itertuples(index=False), rows)):
        got = [cell(v) for v in got]
        want = [excel(v) for v in want]
        got = [round(v, 12) if isinstance(v, float) else v for v in got]
        assert got == want, f"row {i + 2}"


def test_units_codings_and_codebook_equal_the_sheets(built):
    path, book, _ = built
    import coder
    with coder.open_project(path) as study:
        same_table(study.units(), *sheet(book, "Segments"))
        same_table(study.codings(state=False), *sheet(book, "Codings"))
        header, rows = sheet(book, "Codebook")
        frame = study.codebook()
        assert list(frame["id"]) == [r[0] for r in rows]
        assert list(frame["label"]) == [r[header.index("label")] for r in rows]
        assert isinstance(frame["kind"].dtype, pd.CategoricalDtype)
        units = study.units()
        assert units["start"].dtype.kind == "m"                 # Timedelta
        assert list(units["unit_kind"].cat.categories) == ["turn", "sentence", "window"]


def test_matrix_equals_the_matrix_sheets(built):
    path, book, _ = built
    import coder
    with coder.open_project(path) as study:
        for code in ("bond_warmth", "pressure", "alliance_quality"):
            header, rows = sheet(book, f"Matrix {code}")
            frame = study.matrix(code).reset_index()
            assert list(frame.columns) == header
            for got, want in zip(frame.itertuples(index=False), rows):
                assert [cell(v) for v in got] == [excel(v) for v in want]


def test_reliability_equals_the_reliability_sheet(built):
    path, book, _ = built
    import coder
    with coder.open_project(path) as study:
        frame = study.reliability()
    header, rows = sheet(book, "Reliability")
    checked = 0
    for row in rows:
        code = row[header.index("code")]
        data = {"units": ["units", "sessions"],
                "per-session counts": ["session_counts"]}[row[header.index("data")]]
        pooled = frame[(frame["code"] == code) & frame["data"].isin(data)]
        for stat in pooled.itertuples():
            if stat.statistic not in header:
                continue
            value = row[header.index(stat.statistic)]
            got = None if stat.value is pd.NA else float(stat.value)
            assert (got is None and value is None) or got == pytest.approx(value), (code,
                                                                                  stat.statistic)
            low = f"{stat.statistic}_ci_low"
            if low in header and row[header.index(low)] is not None:
                assert float(stat.ci_low) == pytest.approx(row[header.index(low)])
            checked += 1
    assert checked > 50


def test_codings_states_are_explicit(built):
    path, _, _ = built
    import coder
    with coder.open_project(path) as study:
        long = study.codings()
        sheet_rows = study.codings(state=False)
    applied = long[long["state"] == "applied"]
    assert len(applied) == (sheet_rows["state"] == "applied").sum()
    assert set(long["state"].cat.categories) == {"applied", "not applied", "missing"}
    # a global nobody rated is missing for every rater, never "not applied"
    skill = long[long["code_id"] == "adherence_skill"]
    assert len(skill) == 2 * 3 and set(skill["state"]) == {"missing"}
    # presence codes on completed units: applied or not applied, never missing
    pressure = long[long["code_id"] == "pressure"]
    assert set(pressure["state"]) == {"applied", "not applied"}


def test_a_rater_of_a_blind_project_gets_only_their_own_rows(built, tmp_path):
    path, _, _ = built
    copy = tmp_path / "copy.scproj"
    shutil.copy(path, copy)
    import coder
    with coder.open_project(copy, rater="Ana") as study:
        for frame in (study.codings(), study.codings(state=False)):
            assert set(frame["rater"].dropna().astype(str)) == {"Ana"}
        assert list(study.matrix("pressure").columns) == ["Ana"]
        with pytest.raises(Exception, match="blind"):
            study.reliability()


def test_pandas_is_not_imported_by_the_core():
    code = ("import sys, coder, coder.project, coder.cli; "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize("ext", [".sav", ".dta"])
def test_spss_and_stata_files_keep_labels_and_values(built, tmp_path, ext):
    pyreadstat = pytest.importorskip("pyreadstat")
    path, book, _ = built
    out = tmp_path / f"study{ext}"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(path),
                             str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    read = pyreadstat.read_sav if ext == ".sav" else pyreadstat.read_dta
    long, meta = read(str(out), user_missing=True)
    import coder
    with coder.open_project(path) as study:
        expected = study.codings()
    assert len(long) == len(expected)
    assert meta.column_names_to_labels["state"] == "Applied, not applied, or missing"
    assert meta.variable_value_labels["state"][1] == "applied"
    missing = long["state"].isin([9, "a"]) if ext == ".sav" else long["state"] == "a"
    assert missing.sum() == (expected["state"] == "missing").sum()
    wide, wmeta = read(str(out.with_name(f"study_turn{ext}")))
    header, rows = sheet(book, "Matrix pressure")
    for rater in ("Ana", "Ben", "Cy"):
        column = f"pressure_{rater}"
        assert wmeta.column_names_to_labels[column].startswith("Pressure (rater " + rater)
        assert wmeta.variable_value_labels[column] == {1.0: "applied", 0.0: "not applied"}
        merged = dict(zip(zip(wide["transcript"], wide["unit"]), wide[column]))
        for row in rows:
            got = merged[(row[0], float(row[2]))]
            want = row[header.index(rater)]
            assert (math.isnan(got) and want is None) or got == want
    session, smeta = read(str(out.with_name(f"study_session{ext}")))
    assert smeta.variable_value_labels["alliance_quality_Ana"][5].startswith("strong")
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_r_script_beside_the_csv_files(built):
    _, _, folder = built
    script = folder / "analysis.R"
    text = script.read_text(encoding="utf-8")
    for csv in folder.glob("matrix_*.csv"):
        assert f'"{csv.name}"' in text
    assert "irr::kripp.alpha" in text and "irr::kappam.fleiss" in text
    rscript = shutil.which("Rscript")
    if rscript is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Rscript is missing under CI (.ci/run installs r-base-core)")
        pytest.skip("R is not installed (Debian package r-base-core): the script's syntax "
                    "is checked in CI")
    result = subprocess.run([rscript, "-e", f"invisible(parse('{script}'))"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_episodes_equal_the_episodes_sheet(tmp_path):
    from coder.codebook.shipped import SHIPPED_DIR
    from coder.coding.commands import ToggleCode
    path = tmp_path / "rupture.scproj"
    with Project.create(path, codebook=SHIPPED_DIR / "rupture_repair.yaml") as p:
        p.importing.import_file(SAMPLES / "session04_roles.srt")
        tid = p.transcripts.list()[0].id
        units = p.transcripts.segments(tid, "turn")
        client = [u for u in units if u.role == "client"]
        therapist = [u for u in units if u.role == "therapist"]
        book = p.codebook.current()
        rater = p.raters.add("Ana")
        p.sign_in(rater.id)
        p.perform(ToggleCode(rater.id, book.code("wd_minimal_response"), [client[2]]))
        p.perform(ToggleCode(rater.id, book.code("rp_clarify_misunderstanding"),
                             [next(u for u in therapist if u.position > client[2].position)]))
        p.perform(ToggleCode(rater.id, book.code("cf_complaint_therapist"), [client[20]]))
        p.access.sign_out()
        p.exports.workbook(tmp_path / "out.xlsx")
    from openpyxl import load_workbook
    header, rows = sheet(load_workbook(tmp_path / "out.xlsx", read_only=True), "Episodes")
    import coder
    with coder.open_project(path) as study:
        frame = study.episodes()
    assert len(rows) == 2 and list(frame.columns) == header
    for got, want in zip(frame.itertuples(index=False), rows):
        assert [cell(v) for v in got] == [excel(v) for v in want]
    assert list(frame["resolved"]) == [True, False]
