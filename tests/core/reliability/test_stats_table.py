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
        assert set(st) == {"value", "se", "ci", "ci_method", "undefined_reason"}
        assert st["ci"] is None or (isinstance(st["ci"], list) and len(st["ci"]) == 2)
    assert "icc_2_1" in rep["statistics"] and "cohen_kappa" in rep["statistics"]
    json.dumps(rep, allow_nan=False)


def test_stats_report_rejects_labels_at_interval_level(tmp_path):
    p = write(tmp_path, "unit,A,B\n1,low,low\n2,high,low\n")
    with pytest.raises(InputError, match="needs numeric ratings"):
        stats_report(p, "interval", None)
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
