"""Per-category kappa for category sets, and agreement with a reference rater.

* Per-category kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters",
  Psychol. Bull. 76:378-382, eq. for kappa_j): Fleiss' kappa of the data collapsed to
  "category k" versus "any other category". Here it is computed with :mod:`gwet`'s Fleiss
  kappa on the collapsed counts, so missing data, the single-rated convention and the
  variance are the same as for the overall Fleiss' kappa. With complete data the overall
  kappa is the p_k (1 - p_k)-weighted mean of the per-category kappas (Fleiss 1971).
* Against a reference rater (e.g. a gold-standard coder): for each other rater, over the
  units both rated, with the reference's "applied" as the truth: sensitivity TP / (TP + FN),
  specificity TN / (TN + FP), precision TP / (TP + FP) with Wilson score intervals
  (Wilson 1927; Newcombe 1998), and F1 = 2 TP / (2 TP + FP + FN) with a delete-one-unit
  jackknife interval (four cell types, so every leave-one-out value is closed form).
"""

from __future__ import annotations

import math

import numpy as np

from . import gwet
from .result import (StatResult, clip_ci, defined, t_quantile, undefined, z_quantile)

WILSON_CI = "Wilson score"
JACKKNIFE_CI = "jackknife over units, t(n-1)"


def per_category_kappa(counts: np.ndarray, mult=None, labels=None, *,
                       single_rated: str = "in_chance",
                       level: float = 0.95) -> dict[str, StatResult]:
    """Fleiss' kappa for each category against the rest, keyed by label (see module doc).

    ``counts``: units × q rater counts r_ik (row i standing for ``mult[i]`` units)."""
    counts = np.asarray(counts, dtype=float)
    m = np.ones(counts.shape[0]) if mult is None else np.asarray(mult, dtype=float)
    q = counts.shape[1]
    labels = [str(i) for i in range(q)] if labels is None else [str(x) for x in labels]
    r = counts.sum(axis=1)
    out = {}
    for k, lab in enumerate(labels):
        two = np.column_stack([r - counts[:, k], counts[:, k]])
        res = gwet.weighted(two, m, np.eye(2), "fleiss", f"kappa[{lab}]",
                            single_rated=single_rated, level=level)
        if res.value is None and res.undefined_reason and "one category" in res.undefined_reason:
            used = float(m @ counts[:, k])
            why = (f"category {lab} was never used" if used == 0
                   else f"every rating was category {lab}")
            res = undefined(res.name, why, res.n_units, **res.extra)
        out[lab] = res
    return out


def wilson(successes: float, n: float, name: str, level: float = 0.95,
           why_none: str = "no unit to compute it on") -> StatResult:
    """A proportion with its Wilson score interval (undefined, ``why_none``, when n is 0)."""
    if n <= 0:
        return undefined(name, why_none, 0)
    p = successes / n
    z = z_quantile(level)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return defined(name, p, se=math.sqrt(p * (1 - p) / n), ci=(centre - half, centre + half),
                   ci_method=WILSON_CI, n_units=int(n), successes=int(successes))


def _f1(tp, fp, fn):
    den = 2 * tp + fp + fn
    return 2 * tp / den if den > 0 else math.nan


def f1_score(tp: float, fp: float, fn: float, tn: float, level: float = 0.95) -> StatResult:
    """F1 with a jackknife interval over the n = tp + fp + fn + tn units."""
    n = tp + fp + fn + tn
    value = _f1(tp, fp, fn)
    if n == 0 or math.isnan(value):
        return undefined("f1", "neither the rater nor the reference applied the code", int(n))
    loo = [(tp, _f1(tp - 1, fp, fn)), (fp, _f1(tp, fp - 1, fn)), (fn, _f1(tp, fp, fn - 1)),
           (tn, value)]
    loo = [(c, v) for c, v in loo if c > 0]
    if n < 2 or any(math.isnan(v) for _, v in loo):
        return defined("f1", value, n_units=int(n))
    mean = sum(c * v for c, v in loo) / n
    se = math.sqrt((n - 1) / n * sum(c * (v - mean) ** 2 for c, v in loo))
    t = t_quantile(level, n - 1)
    ci, _ = clip_ci(value - t * se, value + t * se, 0.0, 1.0)
    return defined("f1", value, se=se, ci=ci, ci_method=JACKKNIFE_CI, n_units=int(n))


def against_reference(values, reference: int, rater_names=None, positive: float = 1.0,
                      level: float = 0.95) -> dict[str, dict[str, StatResult]]:
    """Sensitivity, specificity, precision and F1 of every other rater against column
    ``reference`` of a units × raters array of presence values (``positive`` = applied,
    any other number = not applied, NaN = missing), over the units both rated."""
    x = np.asarray(values, dtype=float)
    k = x.shape[1]
    if not 0 <= reference < k:
        raise ValueError(f"reference rater {reference} is not one of the {k} columns")
    names = list(rater_names) if rater_names is not None else [str(j) for j in range(k)]
    ref = x[:, reference]
    out = {}
    for j in range(k):
        if j == reference:
            continue
        both = ~np.isnan(ref) & ~np.isnan(x[:, j])
        truth, said = ref[both] == positive, x[both, j] == positive
        tp = float((truth & said).sum())
        fp = float((~truth & said).sum())
        fn = float((truth & ~said).sum())
        tn = float((~truth & ~said).sum())
        out[names[j]] = {
            "sensitivity": wilson(tp, tp + fn, "sensitivity", level,
                                  "the reference never applied the code"),
            "specificity": wilson(tn, tn + fp, "specificity", level,
                                  "the reference applied the code on every unit"),
            "precision": wilson(tp, tp + fp, "precision", level,
                                "the rater never applied the code"),
            "f1": f1_score(tp, fp, fn, tn, level),
        }
    return out
