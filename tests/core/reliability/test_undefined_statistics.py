"""Degenerate data gives 'undefined' with a reason (never a silent 0, 1 or NaN), which
statistics are present for which data, and the small agreement helpers."""

import json
import math

import numpy as np
import pytest

from coder.reliability import ALL_NAMES, compute
from coder.reliability.compute import BINARY, MULTI_RATER
from coder.reliability.agreement import (per_category_agreement, prevalence,
                                         within_one_agreement)
from coder.reliability.alpha import coincidence_matrix
from coder.reliability.kappa import confusion_matrix
from coder.reliability.prepare import code, unit_counts
from coder.reliability.result import (FEWER_THAN_TWO_RATERS, NO_COMMON_UNIT, NO_PAIRABLE_UNIT,
                                      NO_VARIANCE, ONE_CATEGORY)

nan = np.nan


def reasons(res):
    return {k: v.undefined_reason for k, v in res.items()}


def assert_json_clean(res):
    for r in res.values():
        js = r.to_json()
        json.dumps(js, allow_nan=False)
        assert set(js) == {"value", "se", "ci", "ci_method", "undefined_reason", "n_units",
                       "convention"}
        if js["value"] is None:
            assert js["undefined_reason"]
        else:
            assert math.isfinite(js["value"]) and js["undefined_reason"] is None


def test_one_rater_every_statistic_says_fewer_than_two_raters():
    res = compute(np.array([[1.0], [2.0], [3.0]]), "interval", [1, 2, 3])
    assert set(res) == set(ALL_NAMES) - BINARY - MULTI_RATER
    assert set(reasons(res).values()) == {FEWER_THAN_TWO_RATERS}
    assert_json_clean(res)


def test_nothing_pairable():
    x = np.array([[0, nan], [nan, 1], [1, nan]], dtype=float)
    res = compute(x, "nominal", [0, 1])
    r = reasons(res)
    assert r["cohen_kappa"] == NO_COMMON_UNIT
    for nm in ("percent_agreement", "positive_agreement", "negative_agreement", "scott_pi",
               "fleiss_kappa", "brennan_prediger", "gwet_ac1", "krippendorff_alpha"):
        assert r[nm] == NO_PAIRABLE_UNIT, nm
    assert res["gwet_ac1"].extra["n_units_single_rated"] == 3
    assert_json_clean(res)


def test_only_one_category_used():
    x = np.ones((6, 2))
    res = compute(x, "nominal", [0, 1])
    r = reasons(res)
    for nm in ("cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha"):
        assert r[nm] == ONE_CATEGORY, nm
    # AC1 and Brennan-Prediger are defined here by their formulas (p_e < 1), flagged.
    assert res["gwet_ac1"].value == 1.0 and res["gwet_ac1"].extra["warning"] == ONE_CATEGORY
    assert res["brennan_prediger"].value == 1.0
    assert res["percent_agreement"].value == 1.0
    assert res["positive_agreement"].value == 1.0
    assert "applied to every unit" in r["negative_agreement"]
    assert_json_clean(res)


def test_code_never_applied():
    res = compute(np.zeros((5, 3)), "nominal", [0, 1])
    assert "never applied" in res["positive_agreement"].undefined_reason
    assert res["negative_agreement"].value == 1.0


def test_codebook_with_one_category():
    res = compute(np.ones((4, 3)), "nominal", [1])
    assert res["fleiss_kappa"].undefined_reason == "there are fewer than two categories"
    assert res["gwet_ac1"].undefined_reason == "there are fewer than two categories"


def test_icc_no_variance_and_incomplete_rows():
    res = compute(np.full((5, 3), 4.0), "interval", [1, 2, 3, 4, 5])
    for nm in ("icc_1_1", "icc_2_1", "icc_3_1", "icc_1_k", "icc_2_k", "icc_3_k"):
        assert res[nm].undefined_reason == NO_VARIANCE
    assert res["krippendorff_alpha"].undefined_reason == NO_VARIANCE
    x = np.array([[1, 2, nan], [nan, 2, 3], [4, 5, 5], [2, 2, 3]], dtype=float)
    r = compute(x, "interval")["icc_2_1"]
    assert r.n_units == 2 and r.extra["n_units_dropped"] == 2
    x[2:, 0] = nan
    r = compute(x, "interval")["icc_2_1"]
    assert r.undefined_reason == "no unit was rated by every rater"
    x[3, 0] = 2
    assert compute(x, "interval")["icc_2_1"].undefined_reason == \
        "fewer than two units were rated by every rater"


def test_value_outside_codebook_is_an_error():
    with pytest.raises(ValueError, match="not one of the categories"):
        compute(np.array([[1, 2], [3, 7]], dtype=float), "nominal", [1, 2, 3])


def test_ratio_negative_values_and_too_many_values():
    x = np.array([[-1, 1], [2, 2], [0, 1]], dtype=float)
    r = compute(x, "ratio", [-1, 0, 1, 2])["krippendorff_alpha"]
    assert "zero or more" in r.undefined_reason
    rng = np.random.default_rng(0)
    y = rng.normal(size=(300, 2))
    res = compute(y, "interval")
    assert "too many to treat as categories" in res["gwet_ac1"].undefined_reason
    assert res["krippendorff_alpha"].value is not None and res["icc_2_1"].value is not None


def test_which_statistics_are_present():
    two = np.array([[0, 1], [1, 1], [0, 0], [1, 0]], dtype=float)
    assert list(compute(two, "nominal", [0, 1])) == [
        "percent_agreement", "positive_agreement", "negative_agreement", "cohen_kappa",
        "scott_pi", "fleiss_kappa", "brennan_prediger", "gwet_ac1", "pabak",
        "prevalence_index", "bias_index", "krippendorff_alpha"]
    three = np.column_stack([two, two[:, 0]])
    got = set(compute(three, "ordinal", [0, 1, 2]))
    assert got == {"percent_agreement", "fleiss_kappa", "conger_kappa", "light_kappa",
                   "brennan_prediger", "gwet_ac1", "gwet_ac2_linear", "gwet_ac2_quadratic",
                   "krippendorff_alpha"}
    assert set(compute(two, "ratio", [0, 1])) == set(ALL_NAMES) - MULTI_RATER
    assert list(compute(two, "ordinal", [0, 1], names=["gwet_ac1"])) == ["gwet_ac1"]
    with pytest.raises(ValueError):
        compute(two, "ordinal", [0, 1], names=["kappa"])
    with pytest.raises(ValueError):
        compute(two, "fuzzy", [0, 1])


def test_missing_is_not_absent_and_units_excluded_are_counted():
    x = np.array([[1, 1, nan], [0, 1, 1], [1, nan, nan], [nan, nan, nan]], dtype=float)
    res = compute(x, "nominal", [0, 1])
    pa = res["percent_agreement"]
    assert pa.value == pytest.approx((1 + 1 / 3) / 2)        # units 1 and 2 only
    assert pa.n_units == 2
    assert pa.extra["n_units_single_rated"] == 1 and pa.extra["n_units_unrated"] == 1
    assert res["positive_agreement"].value == pytest.approx((2 + 2) / (2 + 4))
    assert res["negative_agreement"].value == 0.0


def test_positive_negative_agreement_two_raters():
    # a = both 1 (3), b = (1,0) (2), c = (0,1) (1), d = both 0 (4)
    x = np.array([[1, 1]] * 3 + [[1, 0]] * 2 + [[0, 1]] + [[0, 0]] * 4, dtype=float)
    res = compute(x, "nominal", [0, 1])
    assert res["positive_agreement"].value == pytest.approx(6 / 9)   # 2a / (2a + b + c)
    assert res["negative_agreement"].value == pytest.approx(8 / 11)  # 2d / (2d + b + c)


def test_helpers_confusion_coincidence_prevalence_per_category():
    x = np.array([[0, 0], [0, 1], [1, 1], [2, 2], [nan, 2]], dtype=float)
    c = code(x, [0, 1, 2, 3])
    assert confusion_matrix(c.codes, 4).tolist()[:2] == [[1, 1, 0, 0], [0, 1, 0, 0]]
    o = coincidence_matrix(c.codes, 4)
    assert np.allclose(o, o.T) and o.sum() == 8 and o[3].sum() == 0
    prev = prevalence(c.codes, 4)
    assert prev[0].tolist() == [0.5, 0.25, 0.25, 0.0]
    assert prev[1].tolist() == [0.2, 0.4, 0.4, 0.0]
    per = per_category_agreement(unit_counts(c.codes, 4), ["a", "b", "c", "d"])
    assert per["a"].value == pytest.approx(2 / 3) and per["c"].value == 1.0
    assert "never used" in per["d"].undefined_reason
    w1 = within_one_agreement(unit_counts(c.codes, 4), np.arange(4.0))
    assert w1.value == 1.0
    pa = compute(x, "ordinal", [0, 1, 2, 3])["percent_agreement"]
    assert pa.extra["within_one_agreement"] == 1.0 and pa.value == 0.75


def test_unused_category_changes_weighted_kappa_ac1_bp_but_not_kappa():
    # an unused category between used ones changes ordinal distances (weighted kappa);
    # any unused category changes AC1 and Brennan-Prediger (q enters their chance term)
    x = np.array([[0, 0], [0, 1], [1, 1], [3, 3], [0, 3], [1, 0], [3, 1]], dtype=float)
    a = compute(x, "ordinal", [0, 1, 3])
    b = compute(x, "ordinal", [0, 1, 2, 3])
    assert a["cohen_kappa"].value == pytest.approx(b["cohen_kappa"].value)
    for nm in ("weighted_kappa_linear", "gwet_ac1", "brennan_prediger"):
        assert a[nm].value != pytest.approx(b[nm].value), nm
    assert b["gwet_ac1"].extra["categories_inferred"] is False
    assert compute(x, "ordinal")["gwet_ac1"].extra["categories_inferred"] is True


def test_icc_interval_limit_at_minus_one_over_k_minus_one_is_no_interval_not_a_crash():
    # Two units × two raters, as a two-transcript selection of the study project gave:
    # ICC(A,1)'s lower limit is exactly -1, whose Spearman-Brown image for ICC(A,k) is
    # -1·2/(1 - 1): no finite interval (this raised ZeroDivisionError before).
    x = np.array([[2.0, 2.0], [4.0, 1.0]])
    res = compute(x, "interval", [1, 2, 3, 4, 5])
    # the point values by the formulas: MSR 0.25, MSC 2.25, MSE 2.25, MSW 2.25
    assert res["icc_2_1"].value == pytest.approx((0.25 - 2.25) / (0.25 + 2.25))
    assert res["icc_2_k"].value == pytest.approx((0.25 - 2.25) / 0.25)
    assert res["icc_2_1"].ci is not None and res["icc_2_1"].ci[0] == pytest.approx(-1.0)
    assert res["icc_2_k"].ci is None
    assert res["icc_3_k"].ci is not None                    # the others keep theirs


def test_icc_without_a_satterthwaite_df_has_no_interval_not_a_crash():
    # equal unit means and equal rater means (MSR = MSC = 0, MSE = 4/3): ICC(A,1) =
    # (0 - MSE) / (MSE + 2·(0 - MSE)/4) = -2, so b = 1 + k r (n-1) / (n (1-r)) = 0 and both
    # terms of the Satterthwaite df are 0 (ZeroDivisionError before)
    x = np.array([[4.0, 4.0], [4.0, 4.0], [3.0, 5.0], [5.0, 3.0]])
    res = compute(x, "interval", [1, 2, 3, 4, 5])
    assert res["icc_2_1"].value == pytest.approx(-2.0)
    assert res["icc_2_1"].ci is None and res["icc_2_k"].ci is None
    assert res["icc_2_1"].extra["satterthwaite_df"] is None
