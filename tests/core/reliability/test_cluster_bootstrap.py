"""Cluster bootstrap: sufficient statistics are exact, runs are reproducible, progress and
cancel work, and the generic path agrees with the vectorised one."""

import numpy as np
import pytest

from coder.reliability import compute
from coder.reliability.bootstrap import BootstrapCancelled, cluster_bootstrap, cluster_totals
from coder.reliability.suffstats import sufficient_statistic

CATS = [0, 1, 2, 3]


def make(seed=0, n=600, raters=3, clusters=20, q=4):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, q, n)
    x = np.where(rng.random((n, raters)) < 0.7, truth[:, None],
                 rng.integers(0, q, (n, raters))).astype(float)
    x[rng.random(x.shape) < 0.15] = np.nan
    return x, rng.integers(0, clusters, n)


SUFF_NAMES = [("percent_agreement", "ordinal"), ("fleiss_kappa", "nominal"),
              ("brennan_prediger", "nominal"), ("gwet_ac1", "nominal"),
              ("gwet_ac2_linear", "ordinal"), ("gwet_ac2_quadratic", "interval"),
              ("krippendorff_alpha", "nominal"), ("krippendorff_alpha", "ordinal"),
              ("krippendorff_alpha", "interval"), ("krippendorff_alpha", "ratio"),
              ("conger_kappa", "nominal"), ("light_kappa", "nominal")]
PRESENCE = ["pabak", "prevalence_index", "bias_index", "conger_kappa", "fleiss_kappa"]
TWO_RATER = ["cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic", "scott_pi",
             "pabak", "prevalence_index", "bias_index",
             "positive_agreement", "negative_agreement"]
ICC = ["icc_1_1", "icc_2_1", "icc_3_1", "icc_1_k", "icc_2_k", "icc_3_k"]


def _resample_matches(x, cl, name, level, cats, rng, single_rated="in_chance"):
    """finish(counts @ totals) == compute() on the physically resampled data."""
    st = sufficient_statistic(name, level, cats, x, single_rated=single_rated)
    uniq, inv = np.unique(cl, return_inverse=True)
    totals = cluster_totals(st, x, inv, uniq.size)
    for _ in range(3):
        pick = rng.integers(0, uniq.size, uniq.size)
        counts = np.bincount(pick, minlength=uniq.size).astype(float)
        rows = np.concatenate([np.flatnonzero(inv == c) for c in pick])
        expected = compute(x[rows], level, cats, names=[name],
                           single_rated=single_rated)[name].value
        got = st.finish(counts[None, :] @ totals)[0]
        assert got == pytest.approx(expected, abs=1e-9), (name, level)


@pytest.mark.parametrize("name,level", SUFF_NAMES)
def test_sufficient_statistics_exact_many_raters(name, level):
    x, cl = make(1)
    _resample_matches(x, cl, name, level, CATS, np.random.default_rng(2))


@pytest.mark.parametrize("single_rated", ["in_chance", "exclude"])
@pytest.mark.parametrize("name", ["fleiss_kappa", "conger_kappa", "gwet_ac1",
                                  "brennan_prediger"])
def test_sufficient_statistics_follow_the_single_rated_convention(name, single_rated):
    x, cl = make(21, raters=4)
    x[::5, 1:] = np.nan                               # many units rated by one rater
    _resample_matches(x, cl, name, "nominal", CATS, np.random.default_rng(22), single_rated)


@pytest.mark.parametrize("name", PRESENCE)
def test_sufficient_statistics_exact_presence_many_raters(name):
    x, cl = make(23, raters=4, q=2)
    _resample_matches(x, cl, name, "nominal", [0, 1], np.random.default_rng(24))


@pytest.mark.parametrize("name", TWO_RATER)
def test_sufficient_statistics_exact_two_raters(name):
    x, cl = make(3, raters=2, q=2)
    _resample_matches(x, cl, name, "ordinal", [0, 1], np.random.default_rng(4))


@pytest.mark.parametrize("name", ICC)
def test_sufficient_statistics_exact_icc(name):
    x, cl = make(5)
    x = x + np.random.default_rng(6).normal(0, 0.3, x.shape)
    _resample_matches(x, cl, name, "interval", None, np.random.default_rng(7))


def test_reproducible_and_reports_method():
    x, cl = make(8)
    st = sufficient_statistic("krippendorff_alpha", "ordinal", CATS, x)
    a = cluster_bootstrap(x, cl, st, replicates=300, seed=11)
    b = cluster_bootstrap(x, cl, st, replicates=300, seed=11)
    c = cluster_bootstrap(x, cl, st, replicates=300, seed=12)
    assert a.ci == b.ci and a.se == b.se and a.ci != c.ci
    assert a.ci_method == "cluster bootstrap (300 replicates, percentile)"
    assert a.ci[0] < a.value < a.ci[1]
    assert a.value == pytest.approx(compute(x, "ordinal", CATS)["krippendorff_alpha"].value)
    assert a.extra["n_clusters"] == 20


def test_generic_callable_agrees_with_vectorised_path():
    x, cl = make(9)
    st = sufficient_statistic("gwet_ac1", "nominal", CATS, x)
    fast = cluster_bootstrap(x, cl, st, replicates=400, seed=1)
    slow = cluster_bootstrap(x, cl, lambda d: compute(d, "nominal", CATS,
                                                      names=["gwet_ac1"])["gwet_ac1"],
                             replicates=400, seed=1)
    assert slow.value == pytest.approx(fast.value, abs=1e-12)
    # different draws, same sampling distribution: the intervals agree closely
    assert slow.ci == pytest.approx(fast.ci, abs=0.02)
    assert slow.se == pytest.approx(fast.se, rel=0.25)


def test_progress_and_cancel():
    x, cl = make(10)
    st = sufficient_statistic("percent_agreement", "nominal", CATS, x)
    seen = []
    cluster_bootstrap(x, cl, st, replicates=50, seed=0, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (50, 50)
    calls = []
    fn = lambda d: compute(d, "nominal", CATS, names=["percent_agreement"])["percent_agreement"]
    with pytest.raises(BootstrapCancelled):
        cluster_bootstrap(x, cl, fn, replicates=50, seed=0,
                          progress=lambda d, t: calls.append(d), cancel=lambda: len(calls) >= 5)
    assert calls == [1, 2, 3, 4, 5]


def test_undefined_point_and_single_cluster():
    x = np.ones((10, 2))
    st = sufficient_statistic("cohen_kappa", "nominal", [0, 1], x)
    r = cluster_bootstrap(x, np.arange(10), st, replicates=10)
    assert r.value is None and r.undefined_reason == "only one category was used"
    x, _ = make(11)
    r = cluster_bootstrap(x, np.zeros(len(x)), sufficient_statistic("gwet_ac1", "nominal",
                                                                     CATS, x), replicates=10)
    assert r.ci is None and "fewer than two clusters" in r.extra["bootstrap_note"]


@pytest.mark.parametrize("name,level", [("gwet_ac1", "nominal"), ("conger_kappa", "nominal"),
                                        ("krippendorff_alpha", "ordinal")])
def test_cluster_totals_by_distinct_rows_equal_unit_by_unit_sums(name, level):
    """Few distinct rows: totals come from (units per cluster and row) @ addends; they must
    equal the plain per-unit sums, and an array changed in place is not served stale."""
    x, cl = make(31, n=2000)
    st = sufficient_statistic(name, level, CATS, x)
    uniq, inv = np.unique(cl, return_inverse=True)
    slow = np.zeros((uniq.size, st.unit_stats(x[:1]).shape[1]))
    np.add.at(slow, inv, st.unit_stats(x))
    assert np.allclose(cluster_totals(st, x, inv, uniq.size), slow, atol=1e-9)
    x[0] = [0.0, 1.0, 2.0]
    slow = np.zeros_like(slow)
    np.add.at(slow, inv, st.unit_stats(x))
    assert np.allclose(cluster_totals(st, x, inv, uniq.size), slow, atol=1e-9)


@pytest.mark.parametrize("name,level", [("gwet_ac1", "nominal"), ("conger_kappa", "nominal"),
                                        ("light_kappa", "nominal"),
                                        ("krippendorff_alpha", "ordinal")])
def test_the_data_are_not_needed_with_totals_and_the_rater_count(name, level):
    """A report's matrix held as codes gives the bootstrap its per-cluster totals and the
    number of raters, not the data: the interval, SE and jackknife SE are those the data
    give; without totals the data are still required."""
    from coder.reliability.jackknife import cluster_jackknife_se
    x, cl = make(5, n=900, raters=4)
    with_data = sufficient_statistic(name, level, CATS, x)
    without = sufficient_statistic(name, level, CATS, n_raters=4)
    uniq, inv = np.unique(cl, return_inverse=True)
    totals = cluster_totals(without, x, inv, uniq.size)
    assert np.array_equal(totals, cluster_totals(with_data, x, inv, uniq.size))
    want = cluster_bootstrap(x, cl, with_data, replicates=300, seed=2)
    point = compute(x, level, CATS, names=[name])[name]
    from dataclasses import replace as _replace
    known = _replace(without, point=lambda _values: point)
    got = cluster_bootstrap(None, cl, known, replicates=300, seed=2, totals=totals)
    assert (got.value, got.se, *got.ci) == pytest.approx((want.value, want.se, *want.ci))
    assert cluster_jackknife_se(None, cl, without, totals) == pytest.approx(
        cluster_jackknife_se(x, cl, with_data))
    with pytest.raises(ValueError):
        cluster_bootstrap(None, cl, known, replicates=10)
    with pytest.raises(ValueError):
        cluster_jackknife_se(None, cl, without)
    if name in ("conger_kappa", "light_kappa"):
        with pytest.raises(ValueError):
            sufficient_statistic(name, level, CATS)


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
@pytest.mark.parametrize("raters", [2, 4])
def test_compute_from_prepared_codes_alone(level, raters):
    """With its codes prepared, ``compute`` gives every statistic below interval level
    without the values (a matrix held as codes), the same as with them; interval
    statistics still ask for the values."""
    from coder.reliability.prepare import code, distinct_rows
    x, _ = make(8, n=700, raters=raters)
    c = code(x, CATS)
    prepared = (c, distinct_rows(c.codes, c.q))
    want = compute(x, level, CATS, prepared=prepared)
    got = compute(None, level, CATS, prepared=prepared)
    assert set(got) == set(want) and len(got) > 5
    assert repr(got) == repr(want)
    with pytest.raises(ValueError, match="need the values"):
        compute(None, "interval", CATS, prepared=prepared)
