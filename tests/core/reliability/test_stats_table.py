"""Units × raters tables for the headless calculator: reading, errors, report shape, text."""

import json

import numpy as np
import pytest

from coder.errors import InputError
from coder.reliability.table import format_report, read_table, stats_report


def write(tmp_path, text, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def test_numeric_comma_table_with_missing(tmp_path):
    p = write(tmp_path, "unit,A,B,C\nu1,1,2,\nu2,3,3,3\nu3,,NA,2\nu4,5,4,4\n")
    ids, raters, data, labels = read_table(p)
    assert ids == ["u1", "u2", "u3", "u4"] and raters == ["A", "B", "C"]
    assert labels == ["1", "2", "3", "4", "5"]
    assert np.array_equal(data, np.array([[1, 2, np.nan], [3, 3, 3], [np.nan, np.nan, 2],
                                          [5, 4, 4]]), equal_nan=True)


def test_semicolon_labels_in_codebook_order_with_bom(tmp_path):
    text = "\ufeffSegment;Ana;Ben\r\ns1;low;high\r\ns2;mid;mid\r\ns3;high;\r\n"
    p = write(tmp_path, text)
    _, raters, data, labels = read_table(p, "low,mid,high,extreme")
    assert raters == ["Ana", "Ben"] and labels == ["low", "mid", "high", "extreme"]
    assert np.array_equal(data, np.array([[0, 2], [1, 1], [2, np.nan]]), equal_nan=True)
    _, _, _, inferred = read_table(p)
    assert inferred == ["high", "low", "mid"]          # sorted distinct values


def test_decimal_comma_cp1252_and_utf16(tmp_path):
    p = write(tmp_path, "id;Zoë;René\na;2,5;3\nb;4;4,5\n", encoding="cp1252")
    _, raters, data, labels = read_table(p)
    assert raters == ["Zoë", "René"] and data.tolist() == [[2.5, 3.0], [4.0, 4.5]]
    assert labels == ["2.5", "3", "4", "4.5"]
    p = write(tmp_path, "id,A,B\nx,oui,non\n".encode("utf-16"), name="u16.csv")
    assert read_table(p)[3] == ["non", "oui"]


@pytest.mark.parametrize("text,cats,line,column,words", [
    ("u,A,B\n1,a,b\n2,a,zz\n", "a,b", 3, 3, "'zz' is not one of the categories"),
    ("u,A,B\n1,1,2\n1,2,2\n", None, 3, 1, "appears twice"),
    ("u,A,B\n1,1,2\n,2,2\n", None, 3, 1, "unit id is empty"),
    ("u,A,A\n1,1,2\n", None, 1, 3, "appears twice"),
    ("u,A,\n1,1,2\n", None, 2, 3, "cells but the header has"),
    ("u\n1\n", None, 1, None, "at least one rater"),
])
def test_errors_name_row_and_column(tmp_path, text, cats, line, column, words):
    p = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        read_table(p, cats)
    assert words in err.value.message
    assert err.value.file == "t.csv" and err.value.line == line and err.value.column == column


def test_empty_and_unreadable(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_table(write(tmp_path, "\n\n"))
    with pytest.raises(InputError, match="cannot open"):
        read_table(tmp_path / "nope.csv")


def test_stats_report_shape_and_json(tmp_path):
    p = write(tmp_path, "unit,A,B\n1,1,1\n2,2,2\n3,3,2\n4,4,4\n5,5,5\n6,2,3\n")
    rep = stats_report(p, "interval", None)
    assert set(rep) == {"n_units", "n_raters", "level", "categories", "statistics"}
    assert rep["n_units"] == 6 and rep["n_raters"] == 2 and rep["level"] == "interval"
    assert rep["categories"] == ["1", "2", "3", "4", "5"]
    for st in rep["statistics"].values():
        assert set(st) == {"value", "se", "ci", "ci_method", "undefined_reason", "convention"}
        assert st["ci"] is None or (isinstance(st["ci"], list) and len(st["ci"]) == 2)
    assert "icc_2_1" in rep["statistics"] and "cohen_kappa" in rep["statistics"]
    json.dumps(rep, allow_nan=False)


def test_stats_report_rejects_labels_at_interval_level(tmp_path):
    p = write(tmp_path, "unit,A,B\n1,low,low\n2,high,low\n")
    with pytest.raises(InputError, match="'low' is not a number") as err:
        stats_report(p, "interval", None)
    assert (err.value.line, err.value.column) == (2, 2)
    assert "codebook" not in str(err.value)
    with pytest.raises(InputError, match="level must be"):
        stats_report(p, "metric", None)


def test_format_report_is_aligned_and_names_schemes(tmp_path):
    p = write(tmp_path, "unit,A,B\n1,1,1\n2,0,0\n3,1,0\n4,0,0\n5,1,1\n6,0,0\n7,0,0\n")
    text = format_report(stats_report(p, "nominal", "0,1"))
    lines = text.splitlines()
    assert lines[0].startswith("7 units x 2 raters, nominal level")
    header = next(i for i, ln in enumerate(lines) if ln.startswith("Statistic"))
    assert set(lines[header + 1]) <= {"-", " "}
    assert "Cohen's kappa" in text and "Fleiss-Cohen-Everitt asymptotic" in text
    assert "(Landis & Koch 1977)" in text and "(Krippendorff 2019)" in text
    assert "Biometrics" in text                       # the citation is printed
    one = stats_report(write(tmp_path, "u,A,B\n1,1,1\n2,1,1\n", name="o.csv"), "nominal", "0,1")
    assert "only one category was used" in format_report(one)


# --- round two: no silent wrong answer ------------------------------------------------------

ONE_TO_TEN = "unit,A,B\n" + "".join(f"u{i},{i},{min(10, i + (i % 3 == 0))}\n"
                                    for i in range(1, 11))


def test_a_label_among_numbers_is_an_error_not_a_category(tmp_path):
    """The reported case: one "n/a" among ratings 1-10 used to sort as text and turn alpha
    .91 into .47 with exit status 0."""
    p = write(tmp_path, ONE_TO_TEN.replace("u4,4,4", "u4,n/a,4"))
    for level in ("ordinal", "interval", "ratio"):
        with pytest.raises(InputError) as err:
            stats_report(p, level)
        e = err.value
        assert (e.file, e.line, e.column) == ("t.csv", 5, 2)
        assert "'n/a' is not a number" in e.message and "--missing" in e.message
        assert "codebook" not in str(e)
    assert stats_report(p, "nominal")["n_units"] == 10      # nominal: a label is a label


def test_missing_tokens_make_the_label_missing(tmp_path):
    clean = stats_report(write(tmp_path, ONE_TO_TEN.replace("u4,4,4", "u4,,4"), "c.csv"),
                         "interval")
    p = write(tmp_path, ONE_TO_TEN.replace("u4,4,4", "u4,n/a,4").replace("u7,7,7", "u7,-99.0,7")
              .replace("u8,8,8", "u8,.,8"))
    got = stats_report(p, "interval", missing="n/a,.,-99")
    assert got["statistics"]["krippendorff_alpha"]["value"] == pytest.approx(
        stats_report(write(tmp_path, ONE_TO_TEN.replace("u4,4,4", "u4,,4")
                           .replace("u7,7,7", "u7,,7").replace("u8,8,8", "u8,,8"), "d.csv"),
                     "interval")["statistics"]["krippendorff_alpha"]["value"])
    assert clean["statistics"]["krippendorff_alpha"]["value"] is not None


def test_ordinal_numbers_are_ordered_as_numbers(tmp_path):
    """2 < 10 at ordinal level: text order would put "10" before "2"."""
    p = write(tmp_path, "u,A,B\n1,2,2\n2,10,9\n3,9,10\n4,1,2\n5,10,10\n")
    rep = stats_report(p, "ordinal")
    assert rep["categories"] == ["1", "2", "9", "10"]
    from coder.reliability import compute
    x = np.array([[2, 2], [10, 9], [9, 10], [1, 2], [10, 10]], float)
    assert rep["statistics"]["krippendorff_alpha"]["value"] == pytest.approx(
        compute(x, "ordinal", [1, 2, 9, 10])["krippendorff_alpha"].value)


def test_ordinal_labels_use_the_given_scale_order(tmp_path):
    p = write(tmp_path, "u,A,B\n1,low,mid\n2,high,high\n3,mid,mid\n4,low,low\n5,high,mid\n")
    with pytest.raises(InputError, match="--categories"):
        stats_report(p, "ordinal")
    rep = stats_report(p, "ordinal", "low,mid,high")
    from coder.reliability import compute
    x = np.array([[0, 1], [2, 2], [1, 1], [0, 0], [2, 1]], float)
    assert rep["statistics"]["weighted_kappa_linear"]["value"] == pytest.approx(
        compute(x, "ordinal", [0, 1, 2])["weighted_kappa_linear"].value)


def test_xlsx_first_or_named_sheet_and_tsv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "first"
    for row in (["unit", "A", "B"], ["u1", 1, 1], ["u2", 2, 3], ["u3", 3, 3], ["u4", None, 2]):
        wb.active.append(row)
    other = wb.create_sheet("other")
    for row in (["unit", "A", "B"], ["u1", "x", "y"], ["u2", "y", "y"]):
        other.append(row)
    wb.save(tmp_path / "t.xlsx")
    ids, raters, data, labels = read_table(tmp_path / "t.xlsx")
    assert ids == ["u1", "u2", "u3", "u4"] and labels == ["1", "2", "3"]
    assert np.array_equal(data, [[1, 1], [2, 3], [3, 3], [np.nan, 2]], equal_nan=True)
    assert read_table(tmp_path / "t.xlsx", sheet="other")[3] == ["x", "y"]
    with pytest.raises(InputError, match="no sheet 'nope'"):
        read_table(tmp_path / "t.xlsx", sheet="nope")
    tsv = write(tmp_path, "unit\tA\tB\nu1\t1\t1\nu2\t2\t3\nu3\t3\t3\nu4\t\t2\n", "t.tsv")
    assert np.array_equal(read_table(tsv)[2], data, equal_nan=True)


def test_matrix_csv_ids_and_single_rated_units_reproduce_irrcac(tmp_path):
    """An exported data matrix (transcript, unit_kind, unit, raters...) reads with three id
    columns, recognised from its header; a unit rated by one rater counts as irrCAC counts it."""
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    text = ("transcript,unit_kind,unit,ana,ben,cai\n"
            "s1,turn,1,1,1,0\ns1,turn,2,0,0,0\ns1,turn,3,1,,\ns2,turn,1,1,1,1\n"
            "s2,turn,2,0,1,\ns2,turn,3,,,0\ns3,session,,1,0,1\n")
    p = write(tmp_path, text)
    rep = stats_report(p, "nominal", "0,1")
    assert rep["n_units"] == 7 and rep["n_raters"] == 3
    assert stats_report(p, "nominal", "0,1", id_columns=3) == rep
    x = np.array([[1, 1, 0], [0, 0, 0], [1, np.nan, np.nan], [1, 1, 1], [0, 1, np.nan],
                  [np.nan, np.nan, 0], [1, 0, 1]])
    ref = raw.CAC(pd.DataFrame(x), categories=[0.0, 1.0], digits=15)
    assert rep["statistics"]["gwet_ac1"]["value"] == pytest.approx(
        ref.gwet()["est"]["coefficient_value"], abs=1e-12)
    assert rep["statistics"]["fleiss_kappa"]["value"] == pytest.approx(
        ref.fleiss()["est"]["coefficient_value"], abs=1e-12)
    with pytest.raises(InputError, match="appears twice"):
        stats_report(p, "nominal", id_columns=1)


def test_per_category_kappa_in_the_report(tmp_path):
    p = write(tmp_path, "u,A,B,C\n1,a,a,b\n2,b,b,b\n3,c,c,a\n4,a,a,a\n5,c,b,c\n")
    rep = stats_report(p, "nominal")
    assert set(rep["per_category_kappa"]) == {"a", "b", "c"}
    text = format_report(rep)
    assert "Per-category kappa" in text and "Units used:" in text and "irrCAC" in text
