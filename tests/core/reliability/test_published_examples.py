"""Published worked examples, reproduced to the published digits.

Data and figures are taken from the sources named in each test; where the published value
is itself printed by a reference implementation (SAS PROC FREQ, R irr, irrCAC), that is
said. No figure here was computed by this package and pasted back.
"""

import numpy as np
import pytest

from coder.reliability import compute
from coder.reliability.kappa import kappa_from_table, scott_pi_from_table

nan = np.nan


def expand(table):
    """Two-rater raw data (rows = rater 1's category, columns = rater 2's) from counts."""
    rows = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            rows += [[i, j]] * int(count)
    return np.array(rows, dtype=float)


# --- Cohen (1960), Educ. Psychol. Meas. 20:37-46, Table 1: proportions of 200 units ------
COHEN_1960 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]   # .44 .07 .09 / .05 .20 .05 / .01 .03 .06


def test_cohen_1960_kappa():
    r = compute(expand(COHEN_1960), "nominal", [0, 1, 2])["cohen_kappa"]
    assert r.extra["p_o"] == pytest.approx(0.70)
    assert r.extra["p_e"] == pytest.approx(0.41)
    assert round(r.value, 3) == 0.492                 # .29 / .59
    assert r.n_units == 200


# --- SAS PROC FREQ AGREE output for a 3×3 table (as printed in statsmodels' test-suite) ---
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]           # first category never used by rater 2


def test_sas_simple_kappa_ase_and_ci():
    r = compute(expand(SAS_TABLE), "ordinal", [0, 1, 2])["cohen_kappa"]
    assert round(r.value, 4) == 0.4842
    assert round(r.se, 4) == 0.1380                   # ASE
    assert (round(r.ci[0], 4), round(r.ci[1], 4)) == (0.2137, 0.7547)
    assert r.ci_method == "Fleiss-Cohen-Everitt asymptotic"
    assert round(r.extra["se_h0"], 4) == 0.1484       # ASE under H0
    assert round(r.extra["z"], 4) == 3.2626


def test_sas_weighted_kappa_cicchetti_allison():
    r = compute(expand(SAS_TABLE), "ordinal", [0, 1, 2])["weighted_kappa_linear"]
    assert round(r.value, 4) == 0.4701
    assert round(r.se, 4) == 0.1457
    assert (round(r.ci[0], 4), round(r.ci[1], 4)) == (0.1845, 0.7558)
    assert round(r.extra["se_h0"], 4) == 0.1426
    assert round(r.extra["z"], 4) == 3.2971


# --- R irr::kappa2 on the `anxiety` data, raters 2 and 3 (values in statsmodels' tests) ----
ANXIETY_R2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
ANXIETY_R3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]


def test_irr_kappa2_anxiety_unweighted_equal_squared():
    x = np.column_stack([ANXIETY_R2, ANXIETY_R3]).astype(float)
    # irr uses the levels present in the data (1,2,3,4,6), equally spaced by position
    r = compute(x, "ordinal", [1, 2, 3, 4, 6])
    expected = {"cohen_kappa": (-0.006289308, -0.0604067),
                "weighted_kappa_linear": (0.1459075, 1.282472),
                "weighted_kappa_quadratic": (0.2520325, 1.437451)}
    for name, (kappa, z) in expected.items():
        assert r[name].value == pytest.approx(kappa, abs=5e-8), name  # 7 decimals
        assert r[name].extra["z"] == pytest.approx(z, abs=5e-7), name


# --- Fleiss (1971), Psychol. Bull. 76:378-382: 30 patients × 6 psychiatrists, 5 diagnoses --
FLEISS_1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]], dtype=float)


def test_fleiss_1971_kappa():
    r = compute(FLEISS_1971, "nominal", [1, 2, 3, 4, 5])["fleiss_kappa"]
    assert round(r.value, 3) == 0.430                 # Fleiss (1971): kappa = .430
    assert r.value == pytest.approx(0.4302445, abs=5e-8)   # R irr::kappam.fleiss(diagnoses)
    assert r.n_units == 30


# --- Krippendorff (2011) "Computing Krippendorff's alpha-reliability", 4 coders × 12 units --
KRIPP = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, nan],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]).T


@pytest.mark.parametrize("level,published", [("nominal", 0.743), ("ordinal", 0.815),
                                             ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_alpha(level, published):
    r = compute(KRIPP, level, [1, 2, 3, 4, 5])["krippendorff_alpha"]
    assert round(r.value, 3) == published
    assert r.n_units == 11                            # unit 12 has a single value
    assert r.extra["n_units_single_rated"] == 1
    assert r.extra["n_pairable_values"] == 40


# --- Shrout & Fleiss (1979), Psychol. Bull. 86:420-428, Table 2: 6 targets × 4 judges -------
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
                          [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], dtype=float)


def test_shrout_fleiss_1979_icc():
    r = compute(SHROUT_FLEISS, "interval")
    published = {"icc_1_1": 0.17, "icc_2_1": 0.29, "icc_3_1": 0.71,
                 "icc_1_k": 0.44, "icc_2_k": 0.62, "icc_3_k": 0.91}
    for name, value in published.items():
        assert round(r[name].value, 2) == value, name
        assert r[name].ci is not None and r[name].ci[0] < r[name].value < r[name].ci[1]
    assert r["icc_2_1"].extra["mcgraw_wong"] == "ICC(A,1)"
    assert r["icc_3_1"].extra["mcgraw_wong"] == "ICC(C,1)"
    assert r["icc_2_1"].extra["shrout_fleiss"] == "ICC(2,1)"


# --- Gwet (2014) Handbook, 4th ed., 4 raters × 12 units with missing ratings (p. 160) -------
# The same reliability data as Krippendorff's; values as printed in the irrCAC docs.

@pytest.mark.parametrize("option", [{}, {"single_rated": "in_chance"}])
def test_gwet_handbook_ac1_and_fleiss_with_single_rated_unit(option):
    """The default is Gwet's convention: unit 12 (one rating) counts in the category shares."""
    r = compute(KRIPP, "nominal", [1, 2, 3, 4, 5], **option)
    ac1, fk = r["gwet_ac1"], r["fleiss_kappa"]
    assert round(ac1.value, 5) == 0.77544
    assert round(ac1.se, 5) == 0.14295
    assert round(ac1.ci[0], 5) == 0.46081 and ac1.ci[1] == 1.0
    assert ac1.extra["p_a"] == pytest.approx(0.81818, abs=5e-6)
    assert ac1.extra["p_e"] == pytest.approx(0.19032, abs=5e-6)
    assert round(fk.value, 5) == 0.76117
    assert round(fk.se, 5) == 0.15302
    assert round(fk.ci[0], 5) == 0.42438
    assert fk.extra["p_e"] == pytest.approx(0.23872, abs=5e-6)
    assert ac1.convention.startswith("Gwet (2014)/irrCAC")
    assert r["krippendorff_alpha"].convention.startswith("pairable values only")


def test_exclude_option_leaves_single_rated_unit_out():
    """The named older convention drops unit 12 from the margins too: the handbook formula
    applied to the 11 pairable units."""
    excl = compute(KRIPP, "nominal", [1, 2, 3, 4, 5], single_rated="exclude")["gwet_ac1"]
    dropped = compute(KRIPP[:11], "nominal", [1, 2, 3, 4, 5])
    assert excl.value == pytest.approx(dropped["gwet_ac1"].value, abs=1e-12)
    assert excl.value != pytest.approx(0.77544, abs=1e-4)
    assert excl.extra["n_units_single_rated"] == 1
    assert excl.convention.startswith("units rated by two or more raters only")


# --- Gwet (2014): 100 pregnancies × 2 abstractors, 3 categories (irrCAC table docs) ---------
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def test_gwet_abstractors_ac1_ac2():
    r = compute(expand(ABSTRACTORS), "ordinal", [0, 1, 2])
    ac1, ac2 = r["gwet_ac1"], r["gwet_ac2_quadratic"]
    assert round(ac1.value, 5) == 0.84933
    assert ac1.extra["p_e"] == pytest.approx(0.26992, abs=5e-6)
    assert round(ac2.value, 5) == 0.94024
    assert ac2.extra["p_e"] == pytest.approx(0.53985, abs=5e-6)
    # The published SEs (0.04322, 0.01792) use Gwet's 2-rater *table* variance, which divides
    # by n where the raw-data "Var of AC" formula used here divides by n - 1.
    n = 100
    assert round(ac1.se * np.sqrt((n - 1) / n), 5) == 0.04322
    assert round(ac2.se * np.sqrt((n - 1) / n), 5) == 0.01792


def test_fleiss_equals_scott_pi_with_two_raters():
    x = expand(COHEN_1960)
    r = compute(x, "nominal", [0, 1, 2])
    assert r["fleiss_kappa"].value == pytest.approx(r["scott_pi"].value, abs=1e-12)
    assert r["scott_pi"].value == pytest.approx(scott_pi_from_table(COHEN_1960), abs=1e-12)
    assert r["scott_pi"].value != pytest.approx(r["cohen_kappa"].value, abs=1e-3)


def test_kappa_from_table_matches_raw():
    r = kappa_from_table(np.array(COHEN_1960), np.eye(3), "k")
    assert round(r.value, 3) == 0.492
