"""Conger's (1980) kappa: Fleiss' agreement with chance agreement from each rater's own margins.

Conger, A. J. (1980). Integration and generalization of kappas for multiple raters.
Psychological Bulletin 88(2), 322-328. With r raters and p_gk the share of rater g's ratings
in category k, p̄_k their mean and s_kl the (r-1)-divisor covariance over raters,

    p_e = sum_kl w_kl (p̄_k p̄_l - s_kl / r)        (complete data: sum_k (p̄_k^2 - s_k^2 / r))

and kappa = (p_a - p_e) / (1 - p_e) with Fleiss' p_a. With two raters and complete data it is
Cohen's kappa. Missing data and the variance follow Gwet (2014, Handbook of Inter-Rater
Reliability, 4th ed., ch. 2-5) as irrCAC's ``conger()`` implements it: p_a over units rated by
two or more raters, each rater's shares p_gk over every unit that rater rated (n_g units),
and the linearised variance with

    lambda_ig = (n / n_g) sum_k [sum_l w_kl (delta_igl - (eps_ig - n_g / n) p_gl)] (r p̄_k - p_gk)
    p_e|i     = sum_g lambda_ig / (r (r - 1))

(eps_ig = 1 when rater g rated unit i, delta_igl = 1 when in category l). A rater with no
rating among the units used is left out (counted in ``extra["raters_without_data"]``).
"""

from __future__ import annotations

import numpy as np

from .gwet import GWET_CI, SINGLE_RATED
from .prepare import MISSING, unit_counts
from .result import (FEWER_THAN_TWO_CATEGORIES, FEWER_THAN_TWO_RATERS, NO_PAIRABLE_UNIT,
                     ONE_CATEGORY, StatResult, chance_is_one, defined, t_ci, undefined)


def conger_weighted(rows: np.ndarray, mult: np.ndarray, q: int, weights=None, *,
                    single_rated: str = "in_chance", name: str = "conger_kappa",
                    level: float = 0.95) -> StatResult:
    """Conger's kappa from code rows (units × raters, ``MISSING`` = no rating) where row i
    stands for ``mult[i]`` units (:class:`~coder.reliability.prepare.Distinct`)."""
    if single_rated not in SINGLE_RATED:
        raise ValueError("single_rated must be 'in_chance' or 'exclude'")
    rows = np.asarray(rows, dtype=np.int64)
    mult = np.asarray(mult, dtype=float)
    w = np.eye(q) if weights is None else np.asarray(weights, dtype=float)
    rated = rows != MISSING
    r_i = rated.sum(axis=1)
    pairable = r_i >= 2
    n2 = float(mult[pairable].sum())
    info = {"n_units_single_rated": int(mult[r_i == 1].sum()),
            "n_units_unrated": int(mult[r_i == 0].sum())}
    if rows.shape[1] < 2:
        return undefined(name, FEWER_THAN_TWO_RATERS, **info)
    if n2 == 0:
        return undefined(name, NO_PAIRABLE_UNIT, 0, **info)
    if q < 2:
        return undefined(name, FEWER_THAN_TWO_CATEGORIES, int(n2), **info)
    keep = pairable | ((r_i == 1) if single_rated == "in_chance" else False)
    rows, m, rated = rows[keep], mult[keep], rated[keep]
    n_g = m @ rated
    has = n_g > 0
    if not has.all():
        info["raters_without_data"] = np.flatnonzero(~has).tolist()
        rows, rated, n_g = rows[:, has], rated[:, has], n_g[has]
    r = rows.shape[1]
    n = float(m.sum())
    counts = unit_counts(rows, q)
    ri = counts.sum(axis=1)
    pair_i = ri >= 2
    den = np.where(pair_i, ri * (ri - 1.0), 1.0)
    pa_i = np.where(pair_i, (counts * (counts @ w.T - 1.0)).sum(axis=1) / den, 0.0)
    pa = float(m[pair_i] @ pa_i[pair_i]) / n2
    shares = np.zeros((r, q))
    for g in range(r):
        ok = rated[:, g]
        shares[g] = np.bincount(rows[ok, g], weights=m[ok], minlength=q) / n_g[g]
    pbar = shares.mean(axis=0)
    s_kl = (shares.T @ shares - r * np.outer(pbar, pbar)) / (r - 1)
    pe = float((w * (np.outer(pbar, pbar) - s_kl / r)).sum())
    info.update(n_units_used=int(n2), p_a=pa, p_e=pe, n_raters_used=r)
    if chance_is_one(pe):
        return undefined(name, ONE_CATEGORY, int(n2), **info)
    kappa = (pa - pe) / (1.0 - pe)
    b = r * pbar[None, :] - shares                       # sum of the other raters' shares
    s_g = ((shares @ w.T) * b).sum(axis=1)
    t = b @ w                                            # t_gc = sum_k w_kc b_gk
    eps = rated.astype(float)
    t_ic = t[np.arange(r)[None, :], np.where(rated, rows, 0)]
    lam = (n / n_g)[None, :] * (eps * t_ic - (eps - n_g[None, :] / n) * s_g[None, :])
    pe_i = lam.sum(axis=1) / (r * (r - 1.0))
    g_i = ((n / n2) * (pa_i - pe * pair_i) / (1.0 - pe)
           - 2.0 * (1.0 - kappa) * (pe_i - pe) / (1.0 - pe))
    se = float(np.sqrt(float(m @ (g_i - kappa) ** 2) / (n * (n - 1.0)))) if n > 1 else None
    ci, clipped = t_ci(kappa, se, int(n) - 1, level)
    if clipped:
        info["ci_clipped"] = True
    return defined(name, kappa, se=se, ci=ci, ci_method=GWET_CI, n_units=int(n2), **info)
