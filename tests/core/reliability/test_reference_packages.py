"""Seeded random comparisons against independent implementations (test-only packages).

Agreement to 1e-9 wherever the definitions coincide. Known definitional differences:

* statsmodels ``fleiss_kappa`` takes a subjects × categories count table and assumes the
  same number of raters per subject, so it is compared on complete data only; its
  "randolph" (free-marginal) kappa is Brennan-Prediger.
* scikit-learn ``cohen_kappa_score`` gives no standard error; its weights use label
  positions, like our ordinal level.
* irrCAC keeps single-rated units in the chance-agreement margins (Gwet's handbook), as our
  default (``single_rated="in_chance"``) does; the "exclude" option is compared on data
  without such units, where the two conventions coincide. irrCAC clips only the upper CI bound (at 1); we clip
  both ends to [-1, 1], so lower bounds are compared only where they are above -1.
* pingouin computes the ICC(A,k) interval by Spearman-Brown from ICC(A,1)'s, which is
  algebraically McGraw & Wong's ICC(A,k) row; the two agree exactly.
"""

import importlib
import numpy as np
import pytest

from coder.reliability import compute

TOL = 1e-9


def random_ratings(rng, n, raters, q, p_missing=0.0, p_agree=0.6, min_two=False):
    truth = rng.integers(0, q, n)
    x = np.where(rng.random((n, raters)) < p_agree, truth[:, None],
                 rng.integers(0, q, (n, raters))).astype(float)
    if p_missing:
        x[rng.random(x.shape) < p_missing] = np.nan
    if min_two:
        x = x[(~np.isnan(x)).sum(axis=1) >= 2]
    return x


def cases(seed, count):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield rng


# --- statsmodels -------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::RuntimeWarning")   # statsmodels on degenerate tables
def test_cohen_kappa_and_fce_ses_vs_statsmodels():
    ir = importlib.import_module("statsmodels.stats.inter_rater")
    for rng in cases(1, 60):
        q = int(rng.integers(2, 7))
        x = random_ratings(rng, int(rng.integers(8, 80)), 2, q, p_missing=0.1)
        x[x == q - 1] = 0                                   # often leave a category unused
        cats = list(range(q))
        ours = compute(x, "ordinal", cats)
        both = ~np.isnan(x).any(axis=1)
        table = np.zeros((q, q))
        np.add.at(table, (x[both, 0].astype(int), x[both, 1].astype(int)), 1)
        for name, wt in (("cohen_kappa", None), ("weighted_kappa_linear", "linear"),
                         ("weighted_kappa_quadratic", "quadratic")):
            ref = ir.cohens_kappa(table, weights=None if wt is None else np.arange(q), wt=wt)
            r = ours[name]
            if r.value is None:
                assert not np.isfinite(ref.kappa) or ref.kappa == pytest.approx(0)
                continue
            assert r.value == pytest.approx(ref.kappa, abs=TOL)
            assert r.se == pytest.approx(ref.std_kappa, abs=TOL)
            assert r.extra["se_h0"] == pytest.approx(ref.std_kappa0, abs=TOL)
            assert r.ci[0] == pytest.approx(max(ref.kappa_low, -1), abs=TOL)
            assert r.ci[1] == pytest.approx(min(ref.kappa_upp, 1), abs=TOL)


def test_fleiss_and_brennan_prediger_vs_statsmodels_complete_data():
    ir = importlib.import_module("statsmodels.stats.inter_rater")
    for rng in cases(2, 40):
        q, k = int(rng.integers(2, 6)), int(rng.integers(2, 8))
        x = random_ratings(rng, int(rng.integers(5, 60)), k, q)
        counts = np.stack([(x == c).sum(axis=1) for c in range(q)], axis=1)
        ours = compute(x, "nominal", list(range(q)))
        ref_f = ir.fleiss_kappa(counts, method="fleiss")
        if ours["fleiss_kappa"].value is not None:
            assert ours["fleiss_kappa"].value == pytest.approx(ref_f, abs=TOL)
        assert ours["brennan_prediger"].value == pytest.approx(
            ir.fleiss_kappa(counts, method="randolph"), abs=TOL)
        if k == 2 and ours["scott_pi"].value is not None:
            assert ours["scott_pi"].value == pytest.approx(ref_f, abs=TOL)


# --- scikit-learn ------------------------------------------------------------------------

def test_cohen_kappa_vs_sklearn():
    metrics = importlib.import_module("sklearn.metrics")
    for rng in cases(3, 60):
        q = int(rng.integers(2, 7))
        x = random_ratings(rng, int(rng.integers(8, 80)), 2, q)
        ours = compute(x, "ordinal", list(range(q)))
        for name, w in (("cohen_kappa", None), ("weighted_kappa_linear", "linear"),
                        ("weighted_kappa_quadratic", "quadratic")):
            if ours[name].value is None:
                continue
            ref = metrics.cohen_kappa_score(x[:, 0], x[:, 1], labels=list(range(q)), weights=w)
            assert ours[name].value == pytest.approx(ref, abs=TOL)


# --- krippendorff ------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_vs_krippendorff_package(level):
    kd = importlib.import_module("krippendorff")
    for rng in cases(4, 40):
        q = int(rng.integers(2, 8))
        domain = np.sort(rng.choice(np.arange(1, 20), size=q, replace=False)).astype(float)
        idx = random_ratings(rng, int(rng.integers(5, 60)), int(rng.integers(2, 6)), q,
                             p_missing=0.3)
        x = np.where(np.isnan(idx), np.nan, domain[np.nan_to_num(idx).astype(int)])
        ours = compute(x, level, domain)["krippendorff_alpha"]
        if ours.value is None:
            continue
        ref = kd.alpha(reliability_data=x.T, level_of_measurement=level, value_domain=domain)
        assert ours.value == pytest.approx(ref, abs=TOL)


# --- pingouin ----------------------------------------------------------------------------

def test_icc_vs_pingouin():
    pg = importlib.import_module("pingouin")
    pd = importlib.import_module("pandas")
    names = {"ICC1": "icc_1_1", "ICC2": "icc_2_1", "ICC3": "icc_3_1",
             "ICC1k": "icc_1_k", "ICC2k": "icc_2_k", "ICC3k": "icc_3_k"}
    saved = pg.options["round.column.CI95"]
    pg.options["round.column.CI95"] = None          # pingouin rounds CIs to 2 digits
    try:
        _icc_cases(pg, pd, names)
    finally:
        pg.options["round.column.CI95"] = saved


def _icc_cases(pg, pd, names):
    for rng in cases(5, 15):
        n, k = int(rng.integers(4, 30)), int(rng.integers(2, 6))
        x = rng.normal(size=(n, 1)) * rng.uniform(0.2, 2) + rng.normal(size=(n, k)) \
            + rng.normal(size=(1, k)) * rng.uniform(0, 1)
        long = pd.DataFrame([(i, j, x[i, j]) for i in range(n) for j in range(k)],
                            columns=["t", "r", "y"])
        ref = pg.intraclass_corr(long, targets="t", raters="r", ratings="y").set_index("Type")
        ours = compute(x, "interval")
        for pg_name, nm in names.items():
            row = ref.loc[{"ICC1": "ICC(1,1)", "ICC2": "ICC(A,1)", "ICC3": "ICC(C,1)",
                           "ICC1k": "ICC(1,k)", "ICC2k": "ICC(A,k)",
                           "ICC3k": "ICC(C,k)"}[pg_name]]
            assert ours[nm].value == pytest.approx(row["ICC"], abs=TOL), nm
            assert ours[nm].ci[0] == pytest.approx(row["CI95"][0], abs=TOL), nm
            assert ours[nm].ci[1] == pytest.approx(row["CI95"][1], abs=TOL), nm
            assert ours[nm].extra["F"] == pytest.approx(row["F"], rel=TOL), nm


# --- irrCAC ------------------------------------------------------------------------------

def _irrcac(x, cats, weights):
    pd = importlib.import_module("pandas")
    raw = importlib.import_module("irrCAC.raw")
    return raw.CAC(pd.DataFrame(x), weights=weights, categories=list(cats), digits=15)


def _check(ours, est, tol=TOL):
    assert ours.value == pytest.approx(est["coefficient_value"], abs=tol)
    if est["se"] > 1e-12:
        assert ours.se == pytest.approx(est["se"], abs=tol)
        low, high = est["confidence_interval"]
        assert ours.ci[1] == pytest.approx(high, abs=tol)
        if low > -1:
            assert ours.ci[0] == pytest.approx(low, abs=tol)


@pytest.mark.parametrize("single_rated", ["exclude", "in_chance"])
def test_gwet_family_vs_irrcac(single_rated):
    importlib.import_module("irrCAC")
    for rng in cases(6 if single_rated == "exclude" else 7, 12):
        q = int(rng.integers(2, 6))
        cats = np.arange(1, q + 1, dtype=float) * (1 if rng.random() < .5 else 1.5)
        idx = random_ratings(rng, int(rng.integers(6, 40)), int(rng.integers(2, 5)), q,
                             p_missing=0.25, min_two=single_rated == "exclude")
        idx = idx[(~np.isnan(idx)).any(axis=1)]
        if (~np.isnan(idx)).sum(axis=1).max() < 2:
            continue
        x = np.where(np.isnan(idx), np.nan, cats[np.nan_to_num(idx).astype(int)])
        ours = compute(x, "interval", cats, single_rated=single_rated)
        _check(ours["gwet_ac1"], _irrcac(x, cats, "identity").gwet()["est"])
        _check(ours["gwet_ac2_linear"], _irrcac(x, cats, "linear").gwet()["est"])
        _check(ours["gwet_ac2_quadratic"], _irrcac(x, cats, "quadratic").gwet()["est"])
        _check(ours["fleiss_kappa"], _irrcac(x, cats, "identity").fleiss()["est"])
        _check(ours["brennan_prediger"], _irrcac(x, cats, "identity").bp()["est"])


def test_alpha_nominal_vs_irrcac():
    importlib.import_module("irrCAC")
    for rng in cases(8, 10):
        q = int(rng.integers(2, 6))
        x = random_ratings(rng, int(rng.integers(6, 40)), 3, q, p_missing=0.2, min_two=True)
        ours = compute(x, "nominal", list(range(q)))["krippendorff_alpha"]
        ref = _irrcac(x, list(range(q)), "identity").krippendorff()["est"]
        assert ours.value == pytest.approx(ref["coefficient_value"], abs=TOL)
