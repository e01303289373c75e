"""The report's cheaper paths (issue 17, report compute time) give what the plain ones give.

* per-session counts (:func:`~coder.reliability.project.counts.session_counts`) against a
  transcript-by-transcript count on random matrices with missing values, single-rated
  units, a rater with nothing in a transcript and constant columns;
* the per-transcript entries: every statistic is exactly the value :func:`_stat` (the plain
  constructor) makes from the same figures, the values agree with ``compute`` on the
  transcript alone, for presence, category and rating matrices, two and three raters, the
  default scheme and a chosen one;
* :class:`_Maker` against :func:`_stat` over every combination of its inputs.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
import math

import numpy as np
import pytest

from coder.reliability import compute
from coder.reliability.project.caution import few_units, prevalence_reason
from coder.reliability.project.entries import CiOptions
from coder.reliability.project.counts import session_counts
from coder.reliability.project.matrices import DataMatrix, Item, cut
from coder.reliability.project.per_transcript import (HEADLINE, _Maker, _stat,
                                                      per_transcript_entries)
from coder.reliability.project.results import Statistic

KINDS = {  # kind: (level, categories, labels)
    "presence": ("nominal", (0.0, 1.0), ("not applied", "applied")),
    "category": ("nominal", (0.0, 1.0, 2.0, 3.0), ("a", "b", "c", "d")),
    "rating": ("ordinal", (1.0, 2.0, 3.0, 4.0, 5.0), ("1", "2", "3", "4", "5")),
}


def random_matrix(rng, kind, k, n_t=12):
    """Rows of 12 transcripts with the awkward cases: a transcript where one rater rated
    nothing, one where everybody gave the same value, one of a single unit, one empty."""
    level, cats, labels = KINDS[kind]
    parts, clusters = [], []
    for t in range(n_t):
        n = {3: 1, 4: 0}.get(t, int(rng.integers(2, 40)))
        v = rng.choice(np.array(cats), size=(n, k))
        v[rng.random((n, k)) < 0.25] = np.nan
        if t == 1:
            v[:, 0] = np.nan                  # rater 0 has nothing here: single-rated units
        if t == 2:
            v[:] = cats[0]                    # constant: undefined kappa, a reason
        parts.append(v)
        clusters += [t] * n
    values = np.vstack(parts)
    clusters = np.array(clusters, dtype=np.int64)
    item = Item(f"x_{kind}", kind, kind.title(), "g", ())
    full = DataMatrix(item, kind, level, cats, labels, ("A", "B", "C", "D")[:k], values, clusters,
                      np.arange(values.shape[0]), None, 0, None)
    return cut(full, range(k), drop_empty=False), n_t


def naive_counts(values, clusters, n_t):
    """Per transcript and rater: how often the rater applied the code on the units rated
    by two or more raters, or NaN unless the rater rated each of them; transcripts with a
    count from fewer than two raters left out."""
    pair = (~np.isnan(values)).sum(axis=1) >= 2
    rows, ts, single = [], [], []
    for t in range(n_t):
        v = values[pair & (clusters == t)]
        if not v.shape[0]:
            continue
        c = [float(np.nansum(v[:, j])) if not np.isnan(v[:, j]).any() else np.nan
             for j in range(v.shape[1])]
        defined = sum(not math.isnan(x) for x in c)
        if defined >= 2:
            rows.append(c)
            ts.append(t)
        elif defined == 1:
            single.append(t)
    return np.array(rows).reshape(-1, values.shape[1]), np.array(ts, dtype=np.int64), single


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("order", ["transcripts", "shuffled"])
def test_session_counts_equal_a_count_per_transcript(k, seed, order):
    """Rows in transcript order (sums over runs) and in any order (the general path)."""
    rng = np.random.default_rng(seed)
    m, n_t = random_matrix(rng, "presence", k)
    if order == "shuffled":
        m = cut(m, range(k), rows=rng.permutation(m.values.shape[0]), drop_empty=False)
        assert (np.diff(m.clusters) < 0).any()
    sc = session_counts(m)
    want, ts, single = naive_counts(m.values, m.clusters, n_t)
    assert np.array_equal(sc.values, want, equal_nan=True)
    assert sc.clusters.tolist() == ts.tolist()
    assert sc.single_clusters.tolist() == single
    assert sc.n_units_single_rated == len(single)
    assert (sc.kind, sc.level, sc.categories, sc.spans) == ("session_count", "interval",
                                                           None, None)
    assert (sc.unit_index == -1).all() and sc.unit_index.size == ts.size


def test_session_counts_of_an_empty_matrix():
    rng = np.random.default_rng(0)
    m, _ = random_matrix(rng, "presence", 3)
    empty = cut(m, range(3), rows=np.zeros(m.values.shape[0], dtype=bool))
    sc = session_counts(empty)
    assert sc.values.shape == (0, 3) and sc.clusters.size == 0


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("scheme", [None, "cicchetti"])
def test_per_transcript_entries_equal_the_plain_path(kind, k, scheme):
    rng = np.random.default_rng(len(kind) * 10 + k)
    m, n_t = random_matrix(rng, kind, k)
    level, cats, _ = KINDS[kind]
    entries = per_transcript_entries(m, n_t, CiOptions(scheme=scheme))
    assert len(entries) == n_t
    seen_undefined = seen_ci = 0
    for t, e in enumerate(entries):
        sub = m.values[m.clusters == t]
        pairable = (~np.isnan(sub)).sum(axis=1) >= 2
        assert e.n_units == int(pairable.sum())
        assert e.n_units_single_rated == int(((~np.isnan(sub)).sum(axis=1) == 1).sum())
        reasons = [few_units(e.n_units)]
        if kind == "presence":
            vals = sub[pairable]
            ok = ~np.isnan(vals)
            reasons.append(prevalence_reason(int((vals[ok] == 1).sum()), int(ok.sum())))
        caution = "; ".join(r for r in reasons if r) or None
        want = compute(sub, level, list(cats), names=list(e.statistics))
        assert list(e.statistics) == [n for n in want if n in HEADLINE]
        for name, st in e.statistics.items():
            assert type(st) is Statistic
            assert st.undefined_reason == want[name].undefined_reason, (t, name)
            if st.value is None:
                assert want[name].value is None
                seen_undefined += 1
            else:
                assert st.value == pytest.approx(want[name].value, abs=1e-12), (t, name)
                seen_ci += st.ci is not None
            plain = _stat(name, st.value, st.undefined_reason, scheme, st.se, st.ci,
                          caution)
            assert st == plain and hash(st) == hash(plain), (t, name)
            assert vars(st) == vars(plain)
    assert seen_undefined and seen_ci        # both branches were taken


@pytest.mark.parametrize("name", ["percent_agreement", "fleiss_kappa", "gwet_ac1",
                                  "krippendorff_alpha", "positive_agreement", "no_scheme"])
@pytest.mark.parametrize("scheme", [None, "landis_koch", "cicchetti", "koo_li",
                                    "krippendorff"])
def test_maker_equals_stat(name, scheme):
    make = _Maker(name, scheme)
    values = [None, -0.5, 0.0, 0.2, 0.4, 0.61, 0.667, 0.75, 0.8, 0.9, 1.0]
    for value, reason, se, ci, caution in itertools.product(
            values, [None, "a reason"], [None, 0.05], [None, (0.1, 0.9)],
            [None, "fewer than 10 units (3 units)"]):
        got = make(value, reason, se, ci, caution)
        want = _stat(name, value, reason, scheme, se, ci, caution)
        assert type(got) is Statistic
        assert got == want and hash(got) == hash(want)
        assert vars(got) == vars(want)
        assert repr(got) == repr(want)


@pytest.mark.parametrize("cats", [[0.0, 1.0], [1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 1.0, 3.0],
                                  [-2.0, 0.0, 7.0]])
def test_lookup_codes_equal_the_search(cats):
    """The lookup-table path of ``code`` gives the searched codes, and for a value that is
    not a category (off the span, between two, not whole) the same error."""
    from coder.reliability.prepare import _lookup_codes, _search_codes
    rng = np.random.default_rng(len(cats))
    c = np.array(cats)
    arr = rng.choice(c, size=(2000, 3))
    arr[rng.random(arr.shape) < 0.3] = np.nan
    present = ~np.isnan(arr)
    assert np.array_equal(_lookup_codes(arr, present, c), _search_codes(arr, present, c))
    for bad in (c.max() + 1, c.min() - 1, c.min() + 0.5, 2.0 if 2.0 not in cats else 6.5):
        wrong = arr.copy()
        wrong[rng.integers(0, 2000), rng.integers(0, 3)] = bad
        wrong[1999, 2] = bad
        p = ~np.isnan(wrong)
        with pytest.raises(ValueError) as fast:
            _lookup_codes(wrong, p, c)
        with pytest.raises(ValueError) as slow:
            _search_codes(wrong, p, c)
        assert str(fast.value) == str(slow.value)


# -- cuts inherit their code's codes, distinct rows and counts per transcript -------------
def _full(rng, kind, k, n_t=12, missing=0.35):
    """A full matrix (no cut applied) with rows where some raters have nothing, so a cut of
    those raters drops them (``missing=0``: every cut keeps every unit)."""
    level, cats, labels = KINDS[kind]
    n = 600
    values = rng.choice(np.array(cats), size=(n, k))
    values[rng.random((n, k)) < missing] = np.nan
    values[rng.random(n) < 0.1] = np.nan               # no rater at all: not a unit
    values = values[~np.isnan(values).all(axis=1)]
    clusters = np.sort(rng.integers(0, n_t, values.shape[0]))
    item = Item(f"x_{kind}", kind, kind.title(), "g", ())
    return DataMatrix(item, kind, level, cats, labels, ("A", "B", "C", "D", "E")[:k], values,
                      clusters, np.arange(values.shape[0]), None, 0, None)


def _fresh(m: DataMatrix) -> DataMatrix:
    """The same matrix with nothing computed yet (each figure made from its values)."""
    return DataMatrix(m.item, m.kind, m.level, m.categories, m.category_labels, m.raters,
                      m.values, m.clusters, m.unit_index, m.spans, m.n_units_single_rated,
                      m.snapshot, dict(m.notes), m.single_clusters)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("missing", [0.35, 0.0])
def test_a_cut_inherits_what_a_fresh_matrix_computes(kind, k, seed, missing):
    rng = np.random.default_rng(seed * 10 + k)
    full = _full(rng, kind, k, missing=missing)
    _ = full.cluster_counts                            # as the report does before cutting
    subsets = [list(range(k))] + [list(c) for c in itertools.combinations(range(k), 2)]
    subsets += [[k - 1, 0]]                            # a reference first: columns reordered
    for cols in subsets:
        for drop_empty in (True, False):
            got = cut(full, cols, drop_empty=drop_empty, spans=False)
            assert "distinct" in got.__dict__ and "cluster_counts" in got.__dict__
            want = _fresh(got)
            assert np.array_equal(got.coded.codes, want.coded.codes)
            assert got.coded.n_raters == want.coded.n_raters == got.values.shape[1]
            assert got.coded.n_units == want.coded.n_units
            for field in ("rows", "mult", "inverse"):
                assert np.array_equal(getattr(got.distinct, field),
                                      getattr(want.distinct, field)), (cols, field)
            assert np.array_equal(got.cluster_counts, want.cluster_counts)
            assert np.array_equal(got.pairable, want.pairable)
            assert got.n_units_pairable == want.n_units_pairable == int(
                ((~np.isnan(got.values)).sum(axis=1) >= 2).sum())
            plain = cut(_fresh(full), cols, drop_empty=drop_empty)   # no inherited figures
            assert np.array_equal(got.values, plain.values, equal_nan=True)
            assert np.array_equal(got.clusters, plain.clusters)
            assert np.array_equal(got.unit_index, plain.unit_index)
            assert got.n_units_single_rated == plain.n_units_single_rated
            assert np.array_equal(np.sort(got.single_clusters), np.sort(plain.single_clusters))


@pytest.mark.parametrize("kind", list(KINDS))
def test_prevalence_and_the_presence_caution_from_counts_equal_counting_values(kind):
    from coder.reliability.project.caution import presence_reason
    from coder.reliability.project.entries import _prevalence
    rng = np.random.default_rng(7)
    m = _full(rng, kind, 3)
    m.values[:, 2] = np.nan                            # a rater with no value: None
    m = _fresh(m)
    level, cats, labels = KINDS[kind]
    got = _prevalence(m)
    for j, name in enumerate(m.raters):
        col = m.values[:, j][~np.isnan(m.values[:, j])]
        if not col.size:
            assert got[name] is None
            continue
        shares = [float(np.count_nonzero(col == c)) / col.size for c in cats]
        assert got[name] == (shares[1] if kind == "presence" else dict(zip(labels, shares)))
    if kind == "presence":
        assert presence_reason(m.values, m.cell_counts()) == presence_reason(m.values)
        ones = np.where(np.isnan(m.values), np.nan, 1.0)     # every value 'applied'
        one = _fresh(replace(m, data=ones))
        assert presence_reason(ones, one.cell_counts()) == presence_reason(ones) is not None


def test_a_pairs_columns_are_a_view_of_the_same_values():
    from coder.reliability.project.cut_codes import columns_of
    values = np.asfortranarray(np.random.default_rng(3).random((50, 5)))
    for cols in itertools.permutations(range(5), 2):
        got = columns_of(values, list(cols))
        assert np.array_equal(got, values[:, list(cols)]), cols
        assert np.shares_memory(got, values)                       # no copy
    for cols in ([0, 2, 4], [4, 1, 0], [3]):
        assert np.array_equal(columns_of(values, cols), values[:, cols])


def _codes_only(m: DataMatrix) -> DataMatrix:
    """``m`` held as its codes alone (``data`` None), as a project's full matrix is: its
    values are made from the codes only if something reads them."""
    from coder.reliability.prepare import code
    out = replace(_fresh(m), data=None)
    out.__dict__["coded"] = code(m.values, list(m.categories))
    return out


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("missing", [0.35, 0.0])
def test_a_matrix_held_as_codes_reports_as_one_holding_its_values(kind, k, missing):
    """The entry (statistics with cluster-bootstrap intervals, prevalence, extras, session
    counts) and every cut of a matrix whose values are never made equal those of the same
    matrix holding its values, and the statistics read no values where codes suffice."""
    from coder.reliability.project.entries import entry
    rng = np.random.default_rng(k + (10 if missing else 0))
    held = _full(rng, kind, k, missing=missing)
    codes = _codes_only(held)
    opts = CiOptions(replicates=200, seed=3)
    for cols in [list(range(k))] + [list(c) for c in itertools.combinations(range(k), 2)]:
        a, b = cut(_fresh(held), cols, spans=False), cut(codes, cols, spans=False)
        assert b.data is None and "values" not in codes.__dict__
        assert np.array_equal(a.clusters, b.clusters)
        assert np.array_equal(a.unit_index, b.unit_index)
        assert a.n_units_single_rated == b.n_units_single_rated
        assert a.raters == b.raters
        got = entry(b, opts, bootstrap=True, spans=False)
        if kind != "rating":                   # (the rating's interval check reads values)
            assert "values" not in b.__dict__, cols
        assert repr(got) == repr(entry(a, opts, bootstrap=True, spans=False)), cols
        assert np.array_equal(a.values, b.values, equal_nan=True)
