"""Raw agreement: specific (positive/negative, per-category) agreement and prevalence.

Specific agreement for category k over units rated by two or more raters, counting
ordered rater pairs (Fleiss 1971; Uebersax 1982; Cicchetti & Feinstein 1990):

    p_s(k) = sum_i r_ik (r_ik - 1) / sum_i r_ik (r_i - 1)

With two raters and a 2×2 table [[a, b], [c, d]] (1 = applied) this is the familiar
positive agreement 2a / (2a + b + c) and negative agreement 2d / (2d + b + c).
Percent, exact and ±1 agreement live in :mod:`gwet` (weighted p_a) and are re-exported.
"""

from __future__ import annotations

import numpy as np

from .gwet import percent_agreement
from .prepare import MISSING, agreement_weights
from .result import NO_PAIRABLE_UNIT, StatResult, defined, undefined

__all__ = ["specific_agreement", "per_category_agreement", "positive_negative_agreement",
           "exact_agreement", "within_one_agreement", "prevalence", "percent_agreement"]


def specific_agreement(counts: np.ndarray, k: int, name: str,
                       label: str | None = None) -> StatResult:
    """Agreement specific to category index ``k`` (see module docstring)."""
    return specific_weighted(counts, None, k, name, label)


def specific_weighted(counts: np.ndarray, mult: np.ndarray | None, k: int, name: str,
                      label: str | None = None) -> StatResult:
    """:func:`specific_agreement` where row i of ``counts`` stands for ``mult[i]`` units
    (``None``: one each), as :class:`~coder.reliability.prepare.Distinct` gives them."""
    m = np.ones(counts.shape[0]) if mult is None else np.asarray(mult, dtype=float)
    r = counts.sum(axis=1)
    pair = r >= 2
    n2 = int(m[pair].sum())
    extra = {"n_units_single_rated": int(m[r == 1].sum())}
    if n2 == 0:
        return undefined(name, NO_PAIRABLE_UNIT, 0, **extra)
    rk, mk = counts[pair, k], m[pair]
    den = float(mk @ (rk * (r[pair] - 1.0)))
    if den == 0:
        what = f"category {label}" if label is not None else "the category"
        return undefined(name, f"{what} was never used on a unit rated by two or more raters",
                         n2, **extra)
    return defined(name, float(mk @ (rk * (rk - 1.0))) / den, n_units=n2,
                   pairs_with_category=den, **extra)


def positive_negative_agreement(counts: np.ndarray) -> dict[str, StatResult]:
    """Positive (category 1) and negative (category 0) agreement for presence codes.

    ``counts`` must have two columns in the order (0 = not applied, 1 = applied).
    """
    return positive_negative_weighted(counts, None)


def positive_negative_weighted(counts: np.ndarray, mult) -> dict[str, StatResult]:
    """:func:`positive_negative_agreement` with row multiplicities (see
    :func:`specific_weighted`)."""
    if counts.shape[1] != 2:
        raise ValueError("positive/negative agreement needs binary (0/1) data")
    pos = specific_weighted(counts, mult, 1, "positive_agreement")
    neg = specific_weighted(counts, mult, 0, "negative_agreement")
    if pos.value is None and pos.n_units:
        pos = undefined("positive_agreement", "the code was never applied on a unit rated by "
                        "two or more raters", pos.n_units, **pos.extra)
    if neg.value is None and neg.n_units:
        neg = undefined("negative_agreement", "the code was applied to every unit rated by "
                        "two or more raters", neg.n_units, **neg.extra)
    return {"positive_agreement": pos, "negative_agreement": neg}


def per_category_agreement(counts: np.ndarray, labels=None) -> dict[str, StatResult]:
    """Specific agreement for every category, keyed by its label (or value)."""
    return per_category_weighted(counts, None, labels)


def per_category_weighted(counts: np.ndarray, mult, labels=None) -> dict[str, StatResult]:
    """:func:`per_category_agreement` with row multiplicities (see :func:`specific_weighted`)."""
    q = counts.shape[1]
    labels = [str(i) for i in range(q)] if labels is None else [str(x) for x in labels]
    return {lab: specific_weighted(counts, mult, k, f"specific_agreement[{lab}]", lab)
            for k, lab in enumerate(labels)}


def exact_agreement(counts: np.ndarray, **kw) -> StatResult:
    """Exact agreement: percent agreement under the name used for ordinal scales."""
    return percent_agreement(counts, name="exact_agreement", **kw)


def within_one_agreement(counts: np.ndarray, scores: np.ndarray, **kw) -> StatResult:
    """Share of rater pairs at most one scale point apart (codebook positions for ordinal data)."""
    w = agreement_weights("within_one", np.asarray(scores, dtype=float))
    return percent_agreement(counts, name="within_one_agreement", weights=w, **kw)


def prevalence(codes: np.ndarray, q: int) -> np.ndarray:
    """raters × q: share of each rater's ratings in each category (NaN row if a rater
    rated nothing). For presence codes column 1 is the share of units coded 1."""
    return prevalence_weighted(codes, np.ones(codes.shape[0]), q)


def prevalence_weighted(codes: np.ndarray, mult: np.ndarray, q: int) -> np.ndarray:
    """:func:`prevalence` where row i of ``codes`` stands for ``mult[i]`` units."""
    out = np.full((codes.shape[1], q), np.nan)
    for j in range(codes.shape[1]):
        col = codes[:, j]
        ok = col != MISSING
        size = mult[ok].sum()
        if size:
            out[j] = np.bincount(col[ok], weights=mult[ok], minlength=q) / size
    return out
