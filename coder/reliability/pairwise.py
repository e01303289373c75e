"""Coefficients averaged over rater pairs: Light's kappa, PABAK, prevalence and bias indices.

* Light's kappa (Light 1971, "Measures of response agreement for qualitative data",
  Psychol. Bull. 76:365-377): the mean of Cohen's kappa over all rater pairs, each pair on the
  units both raters rated. With two raters it is Cohen's kappa.
* PABAK, prevalence index and bias index (Byrt, Bishop & Carlin 1993, "Bias, prevalence and
  kappa", J. Clin. Epidemiol. 46:423-429), for presence codes (categories 0/1). For two raters
  and the 2 × 2 table [[d, c], [b, a]] (a = both applied, d = neither, n units rated by both):
  PABAK = 2 p_o - 1, prevalence index PI = |a - d| / n, bias index BI = |b - c| / n.
  **More than two raters** (our definition): each is the mean over rater pairs of the
  two-rater value, each pair on the units both rated — the same pairwise averaging as
  Light's kappa. ``extra["pairs"]`` holds each pair's value.

A pair whose value is undefined (no common unit; for kappa, one category only) is left out of
the mean and counted in ``extra["n_pairs_undefined"]``; with no defined pair the coefficient
is undefined.

Interval: delete-one-unit jackknife (Efron & Tibshirani 1993, ch. 11) over the units rated by
two or more raters, se^2 = (n-1)/n sum_i (theta_(i) - theta_(.))^2, value ± t(n-1) se. Leaving
one unit out changes each pair's table by one count, so every theta_(i) is computed in closed
form from the pair tables, once per distinct row of the data.
"""

from __future__ import annotations

import warnings

import numpy as np

from .prepare import MISSING
from .result import (FEWER_THAN_TWO_RATERS, NO_PAIRABLE_UNIT, ONE_CATEGORY, StatResult,
                     chance_is_one, clip_ci, defined, t_quantile, undefined)

JACKKNIFE_CI = "jackknife over units, t(n-1)"
CONVENTION = "mean over rater pairs, each pair on the units both raters rated"
NAMES = ("light_kappa", "pabak", "prevalence_index", "bias_index")
_NO_PAIR = "no pair of raters rated a unit in common"


def _pair_stats(rows, mult, q, g, h):
    """For one rater pair: n, agreements A, sum_k row_k col_k, the table, and per distinct
    row the cell (a, b) it adds (-1 where the pair did not both rate it)."""
    both = (rows[:, g] != MISSING) & (rows[:, h] != MISSING)
    a = np.where(both, rows[:, g], -1)
    b = np.where(both, rows[:, h], -1)
    table = np.bincount(a[both] * q + b[both], weights=mult[both],
                        minlength=q * q).reshape(q, q)
    return both, a, b, table


def _kappa(n, agree, rc):
    with np.errstate(divide="ignore", invalid="ignore"):
        po, pe = agree / n, rc / (n * n)
        out = (po - pe) / (1.0 - pe)
    return np.where((n > 0) & ~chance_is_one(pe), out, np.nan)


def _values(kind, n, agree, rc, t00, t11, t01, t10):
    """The pair value for ``kind`` from table summaries (arrays broadcast)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "light_kappa":
            return _kappa(n, agree, rc)
        if kind == "pabak":
            out = 2.0 * agree / n - 1.0
        elif kind == "prevalence_index":
            out = np.abs(t11 - t00) / n
        else:
            out = np.abs(t10 - t01) / n
    return np.where(n > 0, out, np.nan)


def pairwise_weighted(rows: np.ndarray, mult: np.ndarray, q: int, kind: str, *,
                      level: float = 0.95, rater_names=None) -> StatResult:
    """One of :data:`NAMES` from code rows (units × raters) standing for ``mult[i]`` units
    each. For PABAK and the indices the categories must be (0 = not applied, 1 = applied)."""
    return pairwise_many(rows, mult, q, (kind,), level=level, rater_names=rater_names)[kind]


def pairwise_many(rows: np.ndarray, mult: np.ndarray, q: int, kinds, *,
                  level: float = 0.95, rater_names=None) -> dict[str, StatResult]:
    """``{kind: pairwise_weighted(rows, mult, q, kind)}`` for each of ``kinds``, the rater
    pairs' tables and leave-one-out summaries made once for all of them."""
    for kind in kinds:
        if kind not in NAMES:
            raise ValueError(f"unknown pairwise statistic {kind!r}")
        if kind != "light_kappa" and q != 2:
            raise ValueError(f"{kind} needs presence data (categories 0 and 1)")
    rows = np.asarray(rows, dtype=np.int64)
    mult = np.asarray(mult, dtype=float)
    k = rows.shape[1]
    if k < 2:
        return {kind: undefined(kind, FEWER_THAN_TWO_RATERS) for kind in kinds}
    m_i = (rows != MISSING).sum(axis=1)
    used = m_i >= 2
    n_used = float(mult[used].sum())
    single = int(mult[m_i == 1].sum())
    if n_used == 0:
        return {kind: undefined(kind, NO_PAIRABLE_UNIT, 0, n_units_single_rated=single)
                for kind in kinds}
    names = list(rater_names) if rater_names is not None else [str(j) for j in range(k)]
    pairs = [_pair_summary(rows, mult, q, g, h) for g in range(k) for h in range(g + 1, k)]
    return {kind: _pairwise_result(kind, pairs, names, mult, used, n_used, single, level)
            for kind in kinds}


def _pair_summary(rows, mult, q, g, h) -> tuple:
    """One rater pair's table summaries, whole and with each distinct row left out (only
    rows the pair both rated change): ``(g, h, full, loo)``, each ``(n, agree, rc, t00,
    t11, t01, t10)``."""
    both, a, b, t = _pair_stats(rows, mult, q, g, h)
    n, agree = t.sum(), np.trace(t)
    row, col = t.sum(axis=1), t.sum(axis=0)
    rc = float(row @ col)
    cells = (t[0, 0], t[1, 1], t[0, 1], t[1, 0]) if q == 2 else (0, 0, 0, 0)
    aa, bb = np.where(both, a, 0), np.where(both, b, 0)
    d = both.astype(float)
    same = d * (aa == bb)
    n1, agree1 = n - d, agree - same
    rc1 = rc - d * (col[aa] + row[bb]) + same
    cell = tuple(c - d * ((aa == x) & (bb == y)) for c, (x, y)
                 in zip(cells, ((0, 0), (1, 1), (0, 1), (1, 0)))) if q == 2 else cells
    return g, h, (n, agree, rc) + cells, (n1, agree1, rc1) + cell


def _pairwise_result(kind, pairs, names, mult, used, n_used, single, level) -> StatResult:
    """One coefficient's mean over the rater pairs and its jackknife interval."""
    extra = {"n_units_single_rated": single}
    full, loo, listed = [], [], []
    for g, h, whole, left_out in pairs:
        value = float(_values(kind, *whole))
        full.append(value)
        listed.append({"raters": [names[g], names[h]], "n_units": int(whole[0]),
                       "value": None if np.isnan(value) else value})
        loo.append(_values(kind, *left_out))
    full = np.array(full)
    ok = ~np.isnan(full)
    extra.update(n_pairs=len(full), n_pairs_undefined=int((~ok).sum()), pairs=listed)
    if not ok.any():
        reason = _NO_PAIR if all(p["n_units"] == 0 for p in listed) else ONE_CATEGORY
        return undefined(kind, reason, int(n_used), **extra)
    value = float(full[ok].mean())
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # a row whose removal leaves no pair
        theta = np.nanmean(np.array(loo)[ok], axis=0)[used]     # per distinct row
    m = mult[used]
    se, ci = None, None
    if n_used > 1 and np.isfinite(theta).all():
        mean = float(m @ theta) / n_used
        se = float(np.sqrt((n_used - 1.0) / n_used * float(m @ (theta - mean) ** 2)))
        t = t_quantile(level, n_used - 1)
        lo, hi = (-1.0, 1.0) if kind in ("light_kappa", "pabak") else (0.0, 1.0)
        ci, clipped = clip_ci(value - t * se, value + t * se, lo, hi)
        if clipped:
            extra["ci_clipped"] = True
    return defined(kind, value, se=se, ci=ci, ci_method=JACKKNIFE_CI if ci else None,
                   n_units=int(n_used), **extra)
