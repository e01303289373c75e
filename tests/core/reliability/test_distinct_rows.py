"""The distinct-row engine paths (issue 5, report speed) give the unit-by-unit results.

``compute`` and the project report sum every coefficient over the distinct rows of a matrix
weighted by their multiplicity (:func:`coder.reliability.prepare.distinct_rows`); the public
unit-level functions (``chance_corrected``, ``specific_agreement``, ``cohen_kappa``,
``krippendorff_alpha``, ``cluster_totals``) still work one unit per row. Both must agree to
1e-12 on random data with missing values, any rater count and both single-rated modes.
"""

from __future__ import annotations

import numpy as np
import pytest

from coder.reliability import agreement, alpha, compute, gwet, kappa
from coder.reliability.bootstrap import cluster_totals
from coder.reliability.prepare import (
    MISSING,
    agreement_weights,
    code,
    count_present,
    distinct_rows,
    row_counts,
    scores,
    unit_counts,
)
from coder.reliability.project.matrices import DataMatrix
from coder.reliability.project.per_transcript import _distinct_per_transcript
from coder.reliability.suffstats import sufficient_statistic

TOL = 1e-12


def random_values(rng, n, k, q, missing=0.3):
    v = rng.integers(0, q, (n, k)).astype(float)
    v[rng.random((n, k)) < missing] = np.nan
    return v


def same(a, b):
    """Two StatResults agree: value, se, ci, method, reason, n_units."""
    ja, jb = a.to_json(), b.to_json()
    assert ja.keys() == jb.keys()
    for key in ja:
        if key == "convention":        # set by compute(), not by the unit-level functions
            continue
        x, y = ja[key], jb[key]
        if isinstance(x, float) or isinstance(y, float) or isinstance(x, list):
            assert x == pytest.approx(y, abs=TOL, rel=TOL), key
        else:
            assert x == y, key


@pytest.mark.parametrize("k,q,n", [(2, 2, 400), (3, 2, 1000), (3, 5, 2000), (1, 3, 10),
                                   (12, 6, 300), (40, 5, 200), (3, 3, 0)])
def test_distinct_rows_rebuild_the_codes(k, q, n):
    rng = np.random.default_rng(k * 100 + q)
    codes = rng.integers(MISSING, q, (n, k))
    d = distinct_rows(codes, q)
    assert d.rows.shape[1] == k
    assert (d.rows[d.inverse] == codes).all()
    assert d.mult.sum() == n and (d.mult > 0).all()
    assert np.unique(d.rows, axis=0).shape[0] == d.rows.shape[0]
    assert np.allclose((d.counts(q) * d.mult[:, None]).sum(axis=0),
                       unit_counts(codes, q).sum(axis=0))


def test_row_counts_is_a_row_sum():
    mask = np.random.default_rng(1).random((500, 4)) < 0.5
    assert (row_counts(mask) == mask.sum(axis=1)).all()
    assert row_counts(np.zeros((0, 3), bool)).shape == (0,)


def test_count_present_counts_the_values_that_are_not_nan():
    v = random_values(np.random.default_rng(2), 500, 5, 3, missing=0.4)
    assert (count_present(v) == (~np.isnan(v)).sum(axis=1)).all()
    assert count_present(np.asfortranarray(v)).tolist() == count_present(v).tolist()
    many = np.full((3, 200), np.nan)
    many[0, :150] = 1.0                               # more raters than an int8 holds
    assert count_present(many).tolist() == [150, 0, 0]
    assert count_present(np.zeros((0, 3))).shape == (0,)
    codes = np.where(np.isnan(v), -1, 1).astype(np.int8)          # a code matrix: MISSING
    assert count_present(codes).tolist() == count_present(v).tolist()


@pytest.mark.parametrize("k,q", [(2, 2), (3, 2), (3, 5), (5, 4)])
@pytest.mark.parametrize("single_rated", ["exclude", "in_chance"])
def test_weighted_family_equals_unit_by_unit(k, q, single_rated):
    rng = np.random.default_rng(7 * k + q)
    codes = code(random_values(rng, 3000, k, q), np.arange(q, dtype=float)).codes
    d = distinct_rows(codes, q)
    counts, pats = unit_counts(codes, q), d.counts(q)
    sc = scores(np.arange(q, dtype=float), "ordinal")
    for w in (np.eye(q), agreement_weights("linear", sc), agreement_weights("quadratic", sc)):
        for kind in ("pa", "fleiss", "bp", "ac"):
            same(gwet.weighted(pats, d.mult, w, kind, "x", single_rated=single_rated),
                 gwet.chance_corrected(counts, w, kind, "x", single_rated=single_rated))
    for c in range(q):
        same(agreement.specific_weighted(pats, d.mult, c, "s"),
             agreement.specific_agreement(counts, c, "s"))
    assert np.allclose(agreement.prevalence_weighted(d.rows, d.mult, q),
                       agreement.prevalence(codes, q), atol=TOL, equal_nan=True)
    assert np.allclose(alpha.coincidences(d.rows, d.mult, q),
                       alpha.coincidences(codes, np.ones(len(codes)), q), atol=TOL)
    for level in ("nominal", "ordinal"):
        same(alpha.alpha_distinct(d.rows, d.mult, np.arange(q, dtype=float), level),
             alpha.krippendorff_alpha(np.where(codes == MISSING, np.nan, codes), codes,
                                      np.arange(q, dtype=float), level))
    if k == 2:
        for w in (None, agreement_weights("quadratic", sc)):
            same(kappa.cohen_weighted(d.rows, d.mult, q, w), kappa.cohen_kappa(codes, q, w))


def test_compute_equals_the_unit_level_functions():
    rng = np.random.default_rng(3)
    values = random_values(rng, 5000, 2, 4)
    cats = [0.0, 1.0, 2.0, 3.0]
    res = compute(values, "ordinal", cats, alpha_replicates=0)
    codes = code(values, cats).codes
    counts = unit_counts(codes, 4)
    w = agreement_weights("quadratic", scores(np.asarray(cats), "ordinal"))
    same(res["percent_agreement"], gwet.percent_agreement(counts))
    same(res["gwet_ac2_quadratic"], gwet.gwet_ac(counts, name="gwet_ac2_quadratic", weights=w))
    same(res["fleiss_kappa"], gwet.fleiss_kappa(counts))
    same(res["weighted_kappa_quadratic"],
         kappa.cohen_kappa(codes, 4, w, name="weighted_kappa_quadratic"))
    same(res["krippendorff_alpha"], alpha.krippendorff_alpha(values, codes, cats, "ordinal"))
    assert res["fleiss_kappa"].convention.startswith("Gwet (2014)/irrCAC")


@pytest.mark.parametrize("name,level,q", [("percent_agreement", "nominal", 2),
                                          ("gwet_ac1", "nominal", 3),
                                          ("cohen_kappa", "nominal", 2),
                                          ("krippendorff_alpha", "ordinal", 5),
                                          ("positive_agreement", "nominal", 2)])
def test_per_transcript_totals_equal_cluster_totals(name, level, q):
    rng = np.random.default_rng(q)
    k = 2 if name == "cohen_kappa" else 3
    values = random_values(rng, 2000, k, q, missing=0.2)
    clusters = np.sort(rng.integers(0, 25, values.shape[0]))
    cats = tuple(float(c) for c in range(q))
    m = DataMatrix(None, "presence", level, cats, None, ("a", "b", "c")[:k], values, clusters,
                   np.arange(values.shape[0]), None, 0, None)
    rows, per_t = _distinct_per_transcript(m, 25)
    suff = sufficient_statistic(name, level, list(cats))
    fast = suff.finish(per_t @ suff.unit_stats(rows))
    slow = suff.finish(cluster_totals(suff, values, clusters, 25))
    assert np.allclose(fast, slow, rtol=TOL, atol=TOL, equal_nan=True)
