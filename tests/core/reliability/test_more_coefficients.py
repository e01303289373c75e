"""Conger's and Light's kappa, PABAK with prevalence/bias indices, per-category kappa,
agreement with a reference rater and Krippendorff's bootstrap for alpha — against irrCAC,
scikit-learn, statsmodels, the krippendorff package, hand-computed tables and brute force."""

import importlib
import itertools

import numpy as np
import pytest

from coder.reliability import compute
from coder.reliability.alpha_boot import kalpha_replicates
from coder.reliability.category import against_reference, per_category_kappa
from coder.reliability.conger import conger_weighted
from coder.reliability.prepare import code, distinct_rows, unit_counts

TOL = 1e-9


def ratings(rng, n, k, q, p_missing=0.0, p_agree=0.6):
    truth = rng.integers(0, q, n)
    x = np.where(rng.random((n, k)) < p_agree, truth[:, None],
                 rng.integers(0, q, (n, k))).astype(float)
    x[rng.random(x.shape) < p_missing] = np.nan
    return x


def irrcac(x, cats, weights="identity"):
    pd = importlib.import_module("pandas")
    raw = importlib.import_module("irrCAC.raw")
    return raw.CAC(pd.DataFrame(x), weights=weights, categories=list(cats), digits=15)


# --- Conger's kappa ------------------------------------------------------------------------

def test_conger_vs_irrcac_with_single_rated_units():
    rng = np.random.default_rng(31)
    checked = singles = 0
    for _ in range(60):
        q, k = int(rng.integers(2, 6)), int(rng.integers(3, 6))
        x = ratings(rng, int(rng.integers(6, 50)), k, q, p_missing=0.35)
        x = x[(~np.isnan(x)).any(axis=1)]
        if (~np.isnan(x)).sum(axis=0).min() == 0 or (~np.isnan(x)).sum(axis=1).max() < 2:
            continue
        ours = compute(x, "nominal", list(range(q)))["conger_kappa"]
        ref = irrcac(x, range(q)).conger()["est"]
        if ours.value is None:
            continue
        checked += 1
        singles += int(((~np.isnan(x)).sum(axis=1) == 1).sum())
        assert ours.value == pytest.approx(ref["coefficient_value"], abs=TOL)
        assert ours.se == pytest.approx(ref["se"], abs=TOL)
        assert ours.ci[1] == pytest.approx(ref["confidence_interval"][1], abs=TOL)
        assert ours.extra["p_e"] == pytest.approx(ref["pe"], abs=TOL)
    assert checked > 40 and singles > 50


def test_conger_two_raters_complete_is_cohen():
    rng = np.random.default_rng(32)
    for _ in range(20):
        q = int(rng.integers(2, 6))
        x = ratings(rng, 40, 2, q)
        d = distinct_rows(code(x, list(range(q))).codes, q)
        c = conger_weighted(d.rows, d.mult, q)
        assert c.value == pytest.approx(compute(x, "nominal", list(range(q)))
                                        ["cohen_kappa"].value, abs=TOL)


def test_conger_published_formula_complete_data():
    """p_e = sum_k (m_k^2 - s_k^2 / r) with the (r-1)-divisor variance (Conger 1980)."""
    x = np.array([[0, 0, 1], [1, 1, 1], [2, 2, 2], [0, 1, 1], [2, 2, 0], [1, 1, 1]], float)
    shares = np.array([[np.mean(x[:, g] == k) for k in range(3)] for g in range(3)])
    pe = float((shares.mean(axis=0) ** 2 - shares.var(axis=0, ddof=1) / 3).sum())
    c = unit_counts(code(x, [0, 1, 2]).codes, 3)
    pa = float(((c * (c - 1)).sum(axis=1) / 6).mean())
    res = compute(x, "nominal", [0, 1, 2])["conger_kappa"]
    assert res.value == pytest.approx((pa - pe) / (1 - pe), abs=1e-12)


# --- the Gwet family with single-rated units, default convention ---------------------------

def test_gwet_family_default_vs_irrcac_many_matrices_with_single_rated_units():
    rng = np.random.default_rng(33)
    n_single = 0
    for _ in range(80):
        q, k = int(rng.integers(2, 6)), int(rng.integers(2, 6))
        x = ratings(rng, int(rng.integers(5, 45)), k, q, p_missing=0.4)
        x = x[(~np.isnan(x)).any(axis=1)]
        if (~np.isnan(x)).sum(axis=1).max() < 2 or (~np.isnan(x)).sum(axis=0).min() == 0:
            continue
        n_single += int(((~np.isnan(x)).sum(axis=1) == 1).sum())
        ours = compute(x, "ordinal", list(range(q)))
        for name, wt, method in (("gwet_ac1", "identity", "gwet"),
                                 ("gwet_ac2_quadratic", "quadratic", "gwet"),
                                 ("fleiss_kappa", "identity", "fleiss"),
                                 ("brennan_prediger", "identity", "bp")):
            est = getattr(irrcac(x, range(q), wt), method)()["est"]
            r = ours[name]
            if r.value is None:
                continue
            assert r.value == pytest.approx(est["coefficient_value"], abs=TOL), name
            if est["se"] > 1e-12:
                assert r.se == pytest.approx(est["se"], abs=TOL), name
    assert n_single > 100


# --- Light's kappa -------------------------------------------------------------------------

def test_light_kappa_is_mean_pairwise_cohen_vs_sklearn():
    metrics = importlib.import_module("sklearn.metrics")
    rng = np.random.default_rng(34)
    for _ in range(25):
        q, k = int(rng.integers(2, 6)), int(rng.integers(3, 6))
        x = ratings(rng, int(rng.integers(10, 60)), k, q)
        ref = np.mean([metrics.cohen_kappa_score(x[:, g], x[:, h], labels=list(range(q)))
                       for g, h in itertools.combinations(range(k), 2)])
        assert compute(x, "nominal", list(range(q)))["light_kappa"].value == \
            pytest.approx(ref, abs=TOL)


def _brute_jackknife(x, q, name):
    n = x.shape[0]
    loo = np.array([compute(np.delete(x, i, axis=0), "nominal", list(range(q)),
                            names=[name])[name].value for i in range(n)])
    return float(np.sqrt((n - 1) / n * ((loo - loo.mean()) ** 2).sum()))


@pytest.mark.parametrize("name,q", [("light_kappa", 3), ("pabak", 2), ("prevalence_index", 2),
                                    ("bias_index", 2)])
def test_jackknife_se_equals_brute_force(name, q):
    rng = np.random.default_rng(35)
    x = ratings(rng, 30, 3, q)
    res = compute(x, "nominal", list(range(q)))[name]
    assert res.se == pytest.approx(_brute_jackknife(x, q, name), abs=1e-12)
    assert res.ci_method == "jackknife over units, t(n-1)"


# --- PABAK, prevalence and bias indices (Byrt, Bishop & Carlin 1993) -----------------------

def table_data(a, b, c, d):
    """Two raters: a both applied, b rater 1 only, c rater 2 only, d neither."""
    rows = [[1, 1]] * a + [[1, 0]] * b + [[0, 1]] * c + [[0, 0]] * d
    return np.array(rows, dtype=float)


def test_pabak_and_indices_by_hand():
    r = compute(table_data(40, 9, 6, 45), "nominal", [0, 1])
    assert r["pabak"].value == pytest.approx(2 * 0.85 - 1)           # p_o = 85/100
    assert r["prevalence_index"].value == pytest.approx(5 / 100)     # |40 - 45| / 100
    assert r["bias_index"].value == pytest.approx(3 / 100)           # |9 - 6| / 100
    # a rare code: high agreement, kappa pulled down by prevalence, PABAK is not
    r = compute(table_data(2, 3, 4, 91), "nominal", [0, 1])
    assert r["pabak"].value == pytest.approx(2 * 0.93 - 1)
    assert r["prevalence_index"].value == pytest.approx(0.89)
    assert r["cohen_kappa"].value < 0.4 < r["pabak"].value


def test_pabak_more_raters_is_the_pairwise_mean():
    rng = np.random.default_rng(36)
    x = ratings(rng, 50, 4, 2, p_missing=0.2)
    res = compute(x, "nominal", [0, 1])
    for name in ("pabak", "prevalence_index", "bias_index"):
        per_pair = [compute(x[:, [g, h]], "nominal", [0, 1], names=[name])[name].value
                    for g, h in itertools.combinations(range(4), 2)]
        assert res[name].value == pytest.approx(np.mean(per_pair), abs=1e-12)
        assert [p["value"] for p in res[name].extra["pairs"]] == pytest.approx(per_pair)
        assert res[name].convention.startswith("mean over rater pairs")


def test_pabak_undefined_without_a_common_unit():
    x = np.array([[1, np.nan], [np.nan, 0], [0, np.nan]])
    r = compute(x, "nominal", [0, 1])["pabak"]
    assert r.value is None and r.undefined_reason


# --- per-category kappa --------------------------------------------------------------------

def test_per_category_kappa_vs_irrcac_on_collapsed_data():
    rng = np.random.default_rng(37)
    for _ in range(20):
        q = int(rng.integers(3, 6))
        x = ratings(rng, 40, 3, q, p_missing=0.25)
        x = x[(~np.isnan(x)).any(axis=1)]
        per = per_category_kappa(unit_counts(code(x, list(range(q))).codes, q))
        for k in range(q):
            collapsed = np.where(np.isnan(x), np.nan, (x == k).astype(float))
            est = irrcac(collapsed, [0.0, 1.0]).fleiss()["est"]
            if per[str(k)].value is None:
                continue
            assert per[str(k)].value == pytest.approx(est["coefficient_value"], abs=TOL)
            assert per[str(k)].se == pytest.approx(est["se"], abs=TOL)


def test_per_category_kappa_weighted_mean_is_fleiss_kappa():
    """Fleiss (1971): kappa = sum_j p_j q_j kappa_j / sum_j p_j q_j with complete data."""
    rng = np.random.default_rng(38)
    x = ratings(rng, 60, 5, 4)
    counts = unit_counts(code(x, [0, 1, 2, 3]).codes, 4)
    per = per_category_kappa(counts, labels=["a", "b", "c", "d"])
    p = counts.sum(axis=0) / counts.sum()
    w = p * (1 - p)
    mean = sum(w[j] * per[lab].value for j, lab in enumerate("abcd")) / w.sum()
    assert mean == pytest.approx(compute(x, "nominal", [0, 1, 2, 3])["fleiss_kappa"].value,
                                 abs=1e-12)


def test_per_category_kappa_unused_category_says_so():
    x = np.array([[0, 0], [1, 1], [0, 1]], float)
    per = per_category_kappa(unit_counts(code(x, [0, 1, 2]).codes, 3), labels=["x", "y", "z"])
    assert per["z"].value is None and per["z"].undefined_reason == "category z was never used"


# --- against a reference rater -------------------------------------------------------------

def test_against_reference_vs_sklearn_and_statsmodels():
    metrics = importlib.import_module("sklearn.metrics")
    prop = importlib.import_module("statsmodels.stats.proportion")
    rng = np.random.default_rng(39)
    x = ratings(rng, 80, 3, 2, p_missing=0.1)
    out = against_reference(x, 0, ["gold", "b", "c"])
    for j, name in ((1, "b"), (2, "c")):
        both = ~np.isnan(x[:, 0]) & ~np.isnan(x[:, j])
        y, p = x[both, 0], x[both, j]
        got = out[name]
        assert got["sensitivity"].value == pytest.approx(metrics.recall_score(y, p))
        assert got["specificity"].value == pytest.approx(metrics.recall_score(y, p, pos_label=0))
        assert got["precision"].value == pytest.approx(metrics.precision_score(y, p))
        assert got["f1"].value == pytest.approx(metrics.f1_score(y, p))
        tp, pos = int(((y == 1) & (p == 1)).sum()), int((y == 1).sum())
        lo, hi = prop.proportion_confint(tp, pos, method="wilson")
        assert got["sensitivity"].ci == pytest.approx((lo, hi), abs=1e-12)
        loo = [metrics.f1_score(np.delete(y, i), np.delete(p, i)) for i in range(y.size)]
        n = y.size
        se = np.sqrt((n - 1) / n * ((np.array(loo) - np.mean(loo)) ** 2).sum())
        assert got["f1"].se == pytest.approx(se, abs=1e-12)
    assert "gold" not in out


def test_against_reference_undefined_reasons():
    x = np.array([[0, 0], [0, 1], [0, 0]], float)
    out = against_reference(x, 0)["1"]
    assert out["sensitivity"].undefined_reason == "the reference never applied the code"
    assert out["specificity"].value == pytest.approx(2 / 3)


# --- Krippendorff's bootstrap (Hayes & Krippendorff 2007) ----------------------------------

def test_alpha_point_estimate_unchanged_and_interval_named():
    kd = importlib.import_module("krippendorff")
    rng = np.random.default_rng(40)
    x = ratings(rng, 60, 3, 4, p_missing=0.2)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        cats = [1.0, 2.0, 3.0, 4.0]
        y = x + 1
        r = compute(y, level, cats)["krippendorff_alpha"]
        assert r.value == pytest.approx(kd.alpha(reliability_data=y.T, value_domain=cats,
                                                 level_of_measurement=level), abs=TOL)
        assert r.ci_method == "Krippendorff bootstrap (Hayes & Krippendorff 2007), 1000 replicates"
        assert r.ci[0] < r.value < r.ci[1]
        assert set(r.extra["q_below"]) == {"0.667", "0.800"}
        again = compute(y, level, cats)["krippendorff_alpha"]
        other = compute(y, level, cats, seed=5)["krippendorff_alpha"]
        assert again.ci == r.ci and other.ci != r.ci


def test_kalpha_replicates_average_to_alpha():
    """Each drawn pair's d2 has mean D_o, so the replicates' mean is alpha (up to Monte Carlo
    error and the small-sample correction, which is nil here)."""
    rng = np.random.default_rng(41)
    x = ratings(rng, 200, 3, 5, p_missing=0.1)
    r = compute(x, "interval", [0, 1, 2, 3, 4], alpha_replicates=0)["krippendorff_alpha"]
    d = distinct_rows(code(x, [0, 1, 2, 3, 4]).codes, 5)
    from coder.reliability.alpha import coincidences
    o = coincidences(d.rows, d.mult, 5)
    boot, m = kalpha_replicates(o, "interval", [0, 1, 2, 3, 4], 3, 1e9, 4000, seed=1)
    assert m == min(25 * int((o > 0).sum()), int(2 * o.sum() / 2))
    assert boot.mean() == pytest.approx(r.value, abs=4 * boot.std() / np.sqrt(4000))


def test_kalpha_interval_covers_the_population_alpha():
    """Coverage sanity: samples of 150 units from a large population; the interval should
    cover the population's alpha in most samples (not a calibration test)."""
    rng = np.random.default_rng(42)
    big = ratings(rng, 100_000, 2, 4, p_agree=0.7)
    truth = compute(big, "nominal", [0, 1, 2, 3], alpha_replicates=0)["krippendorff_alpha"].value
    hits, widths = 0, []
    for s in range(60):
        sample = big[rng.choice(big.shape[0], 150, replace=False)]
        r = compute(sample, "nominal", [0, 1, 2, 3], seed=s)["krippendorff_alpha"]
        hits += r.ci[0] <= truth <= r.ci[1]
        widths.append(r.ci[1] - r.ci[0])
    assert hits >= 48                                   # >= 80 % of 60 at a nominal 95 %
    assert 0.05 < np.median(widths) < 0.5


def test_kalpha_one_category_on_the_diagonal_gives_zero():
    o = np.array([[10.0, 0.0], [0.0, 0.0]])
    assert kalpha_replicates(o, "nominal", [0, 1], 2, 5, 100) is None   # no variation at all

