"""Cohen's kappa for exactly two raters, unweighted and weighted, with large-sample SEs.

kappa = (p_o - p_e) / (1 - p_e), p_o = sum w_ij p_ij, p_e = sum w_ij p_i. p_.j
(Cohen 1960; weighted: Cohen 1968). Standard errors from Fleiss, Cohen & Everitt (1969),
"Large sample standard errors of kappa and weighted kappa", Psychol. Bull. 72:323-327:

  Var(k)  = [sum_ij p_ij (w_ij (1 - p_e) - (wbar_i. + wbar_.j)(1 - p_o))^2
             - (p_o p_e - 2 p_e + p_o)^2] / (n (1 - p_e)^4)
  Var0(k) = [sum_ij p_i. p_.j (w_ij - (wbar_i. + wbar_.j))^2 - p_e^2] / (n (1 - p_e)^2)

with wbar_i. = sum_j w_ij p_.j and wbar_.j = sum_i w_ij p_i.. The unweighted case is w = I.
The CI uses the non-null SE (as SAS PROC FREQ's "ASE"); the SE under H0 (kappa = 0) is
reported in ``extra["se_h0"]`` with the z statistic.
"""

from __future__ import annotations

import numpy as np

from .prepare import MISSING
from .result import (FEWER_THAN_TWO_RATERS, NO_COMMON_UNIT, ONE_CATEGORY, StatResult, chance_is_one,
                     defined, normal_ci, undefined)

FCE_CI = "Fleiss-Cohen-Everitt asymptotic"


def confusion_matrix(codes: np.ndarray, q: int) -> np.ndarray:
    """q × q counts of (rater 1 category, rater 2 category) over units rated by both."""
    if codes.shape[1] != 2:
        raise ValueError("a confusion matrix needs exactly two raters")
    both = (codes != MISSING).all(axis=1)
    a, b = codes[both, 0].astype(np.int64), codes[both, 1]
    return np.bincount(a * q + b, minlength=q * q).reshape(q, q).astype(float)


def kappa_from_table(table: np.ndarray, weights: np.ndarray, name: str, *,
                     level: float = 0.95, **extra) -> StatResult:
    """(Weighted) kappa and its Fleiss-Cohen-Everitt SEs from a q × q count table."""
    table = np.asarray(table, dtype=float)
    n = float(table.sum())
    if n == 0:
        return undefined(name, NO_COMMON_UNIT, 0, **extra)
    w = np.asarray(weights, dtype=float)
    p = table / n
    row, col = p.sum(axis=1), p.sum(axis=0)
    po = float((w * p).sum())
    pe = float(row @ w @ col)
    extra.update(p_o=po, p_e=pe)
    if chance_is_one(pe):
        return undefined(name, ONE_CATEGORY, int(n), **extra)
    kappa = (po - pe) / (1.0 - pe)
    wi = w @ col                                     # wbar_i.
    wj = row @ w                                     # wbar_.j
    spread = wi[:, None] + wj[None, :]
    var = ((p * (w * (1.0 - pe) - spread * (1.0 - po)) ** 2).sum()
           - (po * pe - 2.0 * pe + po) ** 2) / (n * (1.0 - pe) ** 4)
    var0 = ((np.outer(row, col) * (w - spread) ** 2).sum() - pe ** 2) / (n * (1.0 - pe) ** 2)
    var, var0 = (max(v, 0.0) if v > -1e-12 else v for v in (var, var0))  # rounding at 0
    se = float(np.sqrt(var)) if var >= 0 else None
    se0 = float(np.sqrt(var0)) if var0 >= 0 else None
    extra["se_h0"] = se0
    extra["z"] = kappa / se0 if se0 else None
    ci, clipped = normal_ci(kappa, se, level)
    if clipped:
        extra["ci_clipped"] = True
    return defined(name, kappa, se=se, ci=ci, ci_method=FCE_CI, n_units=int(n), **extra)


def cohen_kappa(codes: np.ndarray, q: int, weights: np.ndarray | None = None,
                name: str = "cohen_kappa", level: float = 0.95) -> StatResult:
    """Cohen's (weighted) kappa for two raters over the units both rated."""
    return cohen_weighted(codes, np.ones(codes.shape[0]), q, weights, name, level)


def cohen_weighted(codes: np.ndarray, mult: np.ndarray, q: int,
                   weights: np.ndarray | None = None, name: str = "cohen_kappa",
                   level: float = 0.95) -> StatResult:
    """:func:`cohen_kappa` where row i of ``codes`` stands for ``mult[i]`` units (the
    distinct rows of a large matrix, :func:`~coder.reliability.prepare.distinct_rows`)."""
    if codes.shape[1] < 2:
        return undefined(name, FEWER_THAN_TWO_RATERS)
    if codes.shape[1] > 2:
        raise ValueError("Cohen's kappa needs exactly two raters")
    w = np.eye(q) if weights is None else weights
    rated = codes != MISSING
    both = rated.all(axis=1)
    extra = {"n_units_excluded": int(mult[~both & rated.any(axis=1)].sum())}
    a, b = codes[both, 0], codes[both, 1]
    table = np.bincount(a * q + b, weights=mult[both], minlength=q * q).reshape(q, q)
    return kappa_from_table(table, w, name, level=level, **extra)


def scott_pi_from_table(table: np.ndarray) -> float | None:
    """Scott's (1955) pi from a 2-rater table: pooled margins (p_i. + p_.i)/2.

    An independent closed form used to check that Fleiss' kappa reduces to Scott's pi.
    """
    p = np.asarray(table, float) / np.sum(table)
    m = (p.sum(axis=0) + p.sum(axis=1)) / 2.0
    pe = float((m ** 2).sum())
    return None if np.isclose(pe, 1.0) else (float(np.trace(p)) - pe) / (1.0 - pe)
