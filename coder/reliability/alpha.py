"""Krippendorff's alpha at nominal, ordinal, interval and ratio level, with missing data.

Coincidence-matrix formulation of K. Krippendorff, "Computing Krippendorff's
alpha-reliability" (2011) and *Content Analysis*, 4th ed. (2019), ch. 12:

  o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1)       over units with m_u >= 2 values
  n_c  = sum_k o_ck,  n = sum_c n_c
  alpha = 1 - D_o / D_e = 1 - (n - 1) sum_ck o_ck d2_ck / sum_ck n_c n_k d2_ck

Difference functions d2_ck: nominal [c != k]; ordinal (sum_{g=c..k} n_g - (n_c + n_k)/2)^2
(marginal frequencies n_g, categories in codebook order); interval (c - k)^2;
ratio ((c - k)/(c + k))^2. At interval level the sums reduce to per-unit moments
(sum_{i != j} (v_i - v_j)^2 = 2 (m S2 - S1^2)), which needs no category table at all.
Units with a single value are not pairable and are left out (counted in ``extra``).
"""

from __future__ import annotations

import numpy as np

from .prepare import MISSING, distinct_rows, row_counts, unit_counts
from .result import (FEWER_THAN_TWO_RATERS, NO_PAIRABLE_UNIT, NO_VARIANCE, ONE_CATEGORY,
                     StatResult, defined, undefined)

MAX_CATEGORIES = 4000          # q × q tables beyond this are refused (use interval level)
_CHUNK_CELLS = 1 << 22         # units × categories cells counted at once


def coincidence_matrix(codes: np.ndarray, q: int) -> np.ndarray:
    """Krippendorff's q × q coincidence matrix o_ck from category indices (any raters).

    Summed over the distinct rows of ``codes`` weighted by how often each occurs
    (:func:`~coder.reliability.prepare.distinct_rows`): a unit's contribution depends on its
    row only, and a project matrix has few distinct rows."""
    d = distinct_rows(codes, q)
    return coincidences(d.rows, d.mult, q)


def coincidences(codes: np.ndarray, mult: np.ndarray, q: int) -> np.ndarray:
    """:func:`coincidence_matrix` where row i of ``codes`` stands for ``mult[i]`` units."""
    o = np.zeros((q, q))
    rows = max(1, _CHUNK_CELLS // max(q, 1))
    for start in range(0, codes.shape[0], rows):
        counts = unit_counts(codes[start:start + rows], q)
        m = counts.sum(axis=1)
        scale = np.where(m >= 2, 1.0 / np.maximum(m - 1.0, 1.0), 0.0) * mult[start:start + rows]
        scaled = counts * scale[:, None]
        o += scaled.T @ counts
        o[np.diag_indices(q)] -= scaled.sum(axis=0)
    return o


def difference_matrix(level: str, categories: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    """Squared difference d2_ck for the level (see module docstring)."""
    v = np.asarray(categories, dtype=float)
    if level == "nominal":
        return 1.0 - np.eye(v.size)
    if level == "ordinal":
        mid = np.cumsum(n_c) - n_c / 2.0
        return (mid[:, None] - mid[None, :]) ** 2
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        s = v[:, None] + v[None, :]
        d = np.divide(v[:, None] - v[None, :], s, out=np.zeros_like(s), where=s != 0)
        return d ** 2
    raise ValueError(f"unknown level {level!r}")


def alpha_from_coincidences(o: np.ndarray, level: str, categories: np.ndarray,
                            name: str = "krippendorff_alpha", **extra) -> StatResult:
    """Alpha from a coincidence matrix (also used by the cluster bootstrap)."""
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    if n == 0:
        return undefined(name, NO_PAIRABLE_UNIT, 0, **extra)
    d2 = difference_matrix(level, categories, n_c)
    do = float((o * d2).sum())
    de = float(n_c @ d2 @ n_c)
    extra.update(n_pairable_values=int(round(n)))
    if de <= 0:
        return undefined(name, ONE_CATEGORY, extra.get("n_units_used", 0), **extra)
    extra.update(D_o=do / n, D_e=de / (n * (n - 1.0)))
    return defined(name, 1.0 - (n - 1.0) * do / de, n_units=extra.get("n_units_used", 0),
                   **extra)


def _interval_alpha(values: np.ndarray, name: str, **extra) -> StatResult:
    present = ~np.isnan(values)
    m = row_counts(present)
    keep = m >= 2
    v = values[keep]
    p = present[keep]
    mk = m[keep].astype(float)
    n = float(mk.sum())
    extra.update(n_pairable_values=int(n))
    centre = float(v[p].mean())
    x = np.where(p, v - centre, 0.0)
    s1, s2 = x.sum(axis=1), (x * x).sum(axis=1)
    do = float((2.0 * (mk * s2 - s1 * s1) / (mk - 1.0)).sum())
    de = 2.0 * (n * float(s2.sum()) - float(s1.sum()) ** 2)
    if de <= 1e-12 * max(1.0, n * float(s2.sum())):
        return undefined(name, NO_VARIANCE, extra["n_units_used"], **extra)
    extra.update(D_o=do / n, D_e=de / (n * (n - 1.0)))
    return defined(name, 1.0 - (n - 1.0) * do / de, n_units=extra["n_units_used"], **extra)


def krippendorff_alpha(values: np.ndarray, codes: np.ndarray | None, categories,
                       level: str, name: str = "krippendorff_alpha") -> StatResult:
    """Krippendorff's alpha for ``level`` from raw values (units × raters, NaN = missing)
    and, except at interval level, their category indices ``codes``."""
    m = row_counts(~np.isnan(values))
    extra = {"measurement_level": level, "n_units_used": int((m >= 2).sum()),
             "n_units_single_rated": int((m == 1).sum())}
    if values.shape[1] < 2:
        return undefined(name, FEWER_THAN_TWO_RATERS, 0, **extra)
    if extra["n_units_used"] == 0:
        return undefined(name, NO_PAIRABLE_UNIT, 0, **extra)
    if level == "interval":
        return _interval_alpha(values, name, **extra)
    cats = np.asarray(categories, dtype=float)
    if (refused := _unusable_categories(cats, level, name, extra)) is not None:
        return refused
    o = coincidence_matrix(codes, cats.size)
    return alpha_from_coincidences(o, level, cats, name, **extra)


def _unusable_categories(cats: np.ndarray, level: str, name: str, extra: dict):
    """The undefined result for categories α cannot use at this level, else None."""
    if level == "ratio" and (cats < 0).any():
        return undefined(name, "ratio level needs values of zero or more",
                         extra["n_units_used"], **extra)
    if cats.size > MAX_CATEGORIES:
        return undefined(name, f"more than {MAX_CATEGORIES} distinct values: use interval level",
                         extra["n_units_used"], **extra)
    return None


def alpha_distinct(codes: np.ndarray, mult: np.ndarray, categories, level: str,
                   name: str = "krippendorff_alpha") -> StatResult:
    """:func:`krippendorff_alpha` at a category level (not interval) from the distinct rows
    of the codes and their multiplicities (:class:`~coder.reliability.prepare.Distinct`), so
    :func:`~coder.reliability.compute` reuses the rows its other coefficients were built on."""
    m = (codes != MISSING).sum(axis=1)
    extra = {"measurement_level": level, "n_units_used": int(mult[m >= 2].sum()),
             "n_units_single_rated": int(mult[m == 1].sum())}
    if codes.shape[1] < 2:
        return undefined(name, FEWER_THAN_TWO_RATERS, 0, **extra)
    if extra["n_units_used"] == 0:
        return undefined(name, NO_PAIRABLE_UNIT, 0, **extra)
    cats = np.asarray(categories, dtype=float)
    if (refused := _unusable_categories(cats, level, name, extra)) is not None:
        return refused
    return alpha_from_coincidences(coincidences(codes, mult, cats.size), level, cats, name,
                                   **extra)
