"""Multi-rater chance-corrected agreement with Gwet's variance, any number of raters per unit.

Coefficients (all of the form (p_a - p_e) / (1 - p_e)):

* percent agreement p_a (and weighted p_a, e.g. ±1 agreement),
* Fleiss' kappa generalised to unequal raters per unit (Fleiss 1971; Gwet 2014 ch. 5),
  equal to Scott's pi (Scott 1955) with two raters,
* Brennan & Prediger (1981),
* Gwet's AC1 (Gwet 2008) and AC2 (weighted).

Formulas follow K. L. Gwet, *Handbook of Inter-Rater Reliability*, 4th ed. (2014):
with r_ik raters putting unit i in category k, r_i = sum_k r_ik, r*_ik = sum_l w_kl r_il,

    p_a|i = sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1))            (units with r_i >= 2)
    pi_k  = (1/n) sum_i r_ik / r_i
    p_e   = T_w / (q (q-1)) sum_k pi_k (1 - pi_k)               (AC1/AC2, T_w = sum w_kl)
          = sum_kl w_kl pi_k pi_l                               (Fleiss)
          = T_w / q^2                                           (Brennan-Prediger)

and the "Var of AC" linearisation: gamma*_i = gamma_i - 2 (1 - gamma) (p_e|i - p_e)/(1 - p_e),
gamma_i = (n / n2) (p_a|i - p_e [r_i >= 2]) / (1 - p_e), Var = sum (gamma*_i - gamma)^2 / (n (n-1))
(no finite-population correction). p_e|i is T_w/(q(q-1)) sum_k (r_ik/r_i)(1 - pi_k) for AC,
sum_k (r_ik/r_i) (W pi + W' pi)_k / 2 for Fleiss, and p_e (no term) for Brennan-Prediger.

Units rated by a single rater (Gwet 2014, ch. 2-4, as irrCAC implements it): p_a averages
over the n2 units with r_i >= 2, but the category shares pi_k average over all n units with
r_i >= 1, and the variance sums over those n units. That is the default
(``single_rated="in_chance"``, :data:`GWET_CONVENTION`), so a coefficient carrying Gwet's or
Fleiss' name gives the published value. ``single_rated="exclude"`` (:data:`PAIRABLE_CONVENTION`)
leaves single-rated units out of the margins too, as this product did before 2026-12.
"""

from __future__ import annotations

import numpy as np

from .result import (FEWER_THAN_TWO_CATEGORIES, NO_PAIRABLE_UNIT, ONE_CATEGORY, StatResult,
                     chance_is_one, defined, t_ci, undefined)

GWET_CI = "Gwet (2014) variance, t(n-1)"
KINDS = ("pa", "fleiss", "bp", "ac")
SINGLE_RATED = ("in_chance", "exclude")
GWET_CONVENTION = ("Gwet (2014)/irrCAC: agreement over units rated by two or more raters; "
                   "category shares (chance agreement) and variance over every unit rated "
                   "at least once")
PAIRABLE_CONVENTION = ("units rated by two or more raters only (single-rated units left out "
                       "of agreement and chance agreement)")
PA_CONVENTION = "units rated by two or more raters"


def convention(single_rated: str) -> str:
    """The words for a ``single_rated`` option (see the module docstring)."""
    return GWET_CONVENTION if single_rated == "in_chance" else PAIRABLE_CONVENTION


def chance_corrected(counts: np.ndarray, weights: np.ndarray, kind: str, name: str, *,
                     single_rated: str = "in_chance", level: float = 0.95) -> StatResult:
    """Compute one coefficient of the family from unit × category counts r_ik.

    ``kind``: "pa" (percent agreement, weighted by ``weights``), "fleiss", "bp" or "ac".
    """
    counts = np.asarray(counts, dtype=float)
    return weighted(counts, np.ones(counts.shape[0]), weights, kind, name,
                    single_rated=single_rated, level=level)


def weighted(counts: np.ndarray, mult: np.ndarray, weights: np.ndarray, kind: str, name: str,
             *, single_rated: str = "in_chance", level: float = 0.95) -> StatResult:
    """:func:`chance_corrected` where row i of ``counts`` stands for ``mult[i]`` units.

    Why: a project matrix of 50,000 units has a handful of distinct count rows
    (:func:`~coder.reliability.prepare.distinct_rows`); every sum below is a sum over units,
    so it is taken over the distinct rows weighted by their multiplicity."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if single_rated not in SINGLE_RATED:
        raise ValueError("single_rated must be 'in_chance' or 'exclude'")
    mult = np.asarray(mult, dtype=float)
    q = counts.shape[1]
    r = counts.sum(axis=1)
    pairable = r >= 2
    n2 = int(mult[pairable].sum())
    info = {"n_units_single_rated": int(mult[r == 1].sum()),
            "n_units_unrated": int(mult[r == 0].sum())}
    if n2 == 0:
        return undefined(name, NO_PAIRABLE_UNIT, 0, **info)
    if kind != "pa" and q < 2:
        return undefined(name, FEWER_THAN_TWO_CATEGORIES, n2, **info)
    keep = pairable | ((r == 1) if single_rated == "in_chance" else False)
    c, m = counts[keep], mult[keep]
    ri = c.sum(axis=1)
    pair_i = ri >= 2
    n = int(m.sum())
    w = np.asarray(weights, dtype=float)
    star = c @ w.T                                   # r*_ik = sum_l w_kl r_il
    den = np.where(pair_i, ri * (ri - 1.0), 1.0)
    pa_i = np.where(pair_i, (c * (star - 1.0)).sum(axis=1) / den, 0.0)
    m2 = m[pair_i]
    pa = float(m2 @ pa_i[pair_i]) / n2
    info.update(n_units_used=n2, p_a=pa)

    if kind == "pa":
        # Var(p_a) from the unit-level values (Gwet 2014, ch. 5).
        se = (float(np.sqrt(float(m2 @ (pa_i[pair_i] - pa) ** 2) / (n2 * (n2 - 1))))
              if n2 > 1 else None)
        ci, clipped = t_ci(pa, se, n2 - 1, level)
        if ci is not None:
            ci = (max(ci[0], 0.0), ci[1])
        return defined(name, pa, se=se, ci=ci, ci_method=GWET_CI, n_units=n2, **info)

    share = c / ri[:, None]                          # r_ik / r_i
    pi = (m @ share) / n
    t_w = float(w.sum())
    if kind == "ac":
        pe = t_w * float((pi * (1.0 - pi)).sum()) / (q * (q - 1))
        pe_i = (t_w / (q * (q - 1))) * (share @ (1.0 - pi))
    elif kind == "fleiss":
        pe = float(pi @ w @ pi)
        pe_i = share @ ((w @ pi + w.T @ pi) / 2.0)
    else:  # bp
        pe = t_w / q ** 2
        pe_i = None
    info["p_e"] = pe
    used = np.flatnonzero((m @ c) > 0)
    if used.size == 1:
        info["warning"] = ONE_CATEGORY
    if chance_is_one(pe):
        return undefined(name, ONE_CATEGORY, n2, **info)
    gamma = (pa - pe) / (1.0 - pe)
    g_i = (n / n2) * (pa_i - pe * pair_i) / (1.0 - pe)
    if pe_i is not None:
        g_i = g_i - 2.0 * (1.0 - gamma) * (pe_i - pe) / (1.0 - pe)
    se = float(np.sqrt(float(m @ (g_i - gamma) ** 2) / (n * (n - 1)))) if n > 1 else None
    ci, clipped = t_ci(gamma, se, n - 1, level)
    if clipped:
        info["ci_clipped"] = True
    return defined(name, gamma, se=se, ci=ci, ci_method=GWET_CI, n_units=n2, **info)


def percent_agreement(counts, name="percent_agreement", weights=None, **kw) -> StatResult:
    """Share of agreeing rater pairs per unit, averaged over units rated by >= 2 raters."""
    w = np.eye(counts.shape[1]) if weights is None else weights
    return chance_corrected(counts, w, "pa", name, **kw)


def fleiss_kappa(counts, name="fleiss_kappa", weights=None, **kw) -> StatResult:
    """Fleiss' kappa, generalised to unequal raters per unit as Gwet (2014) does."""
    w = np.eye(counts.shape[1]) if weights is None else weights
    return chance_corrected(counts, w, "fleiss", name, **kw)


def brennan_prediger(counts, name="brennan_prediger", weights=None, **kw) -> StatResult:
    """Brennan & Prediger (1981): chance agreement 1/q (T_w/q^2 when weighted)."""
    w = np.eye(counts.shape[1]) if weights is None else weights
    return chance_corrected(counts, w, "bp", name, **kw)


def gwet_ac(counts, name="gwet_ac1", weights=None, **kw) -> StatResult:
    """Gwet's AC1 (identity weights) or AC2 (linear/quadratic weights), Gwet (2008, 2014)."""
    w = np.eye(counts.shape[1]) if weights is None else weights
    return chance_corrected(counts, w, "ac", name, **kw)
