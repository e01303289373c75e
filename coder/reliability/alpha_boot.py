"""Krippendorff's own bootstrap interval for alpha (Hayes & Krippendorff 2007).

Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard reliability measure
for coding data. Communication Methods and Measures 1(1), 77-89; the algorithm as the
authors' KALPHA macro (version 3, 2011) describes it. The bootstrap resamples *pairable
values*, not units:

* from the coincidence matrix o_ck (pairable values only; n = sum o_ck), a pair of values
  (c, k), c <= k, is drawn with probability o_cc / n on the diagonal and 2 o_ck / n off it;
* each replicate draws M = min(25 × (number of non-zero cells of o), (raters - 1) n / 2)
  pairs and sets alpha* = 1 - sum of the drawn pairs' d2 / (M D_e), D_e the expected
  disagreement of the data (n_c n_k / (n - 1) summed with d2, over n); alpha* below -1 is
  set to -1; when the data put values on one diagonal cell only, alpha* = 1 becomes 0;
* Krippendorff's correction for small samples: of the replicates with alpha* = 1, as many as
  round(B × sum_c (o_cc / n)^P) (P = the number of pairable value pairs) are set to 0;
* the interval is the sorted replicates' 2.5th and 97.5th percentiles as KALPHA takes them
  (positions floor(.025 B) and floor(.975 B) + 1, 1-based), and ``extra["q_below"]`` gives
  the share of replicates below .667 and .800 (KALPHA's "probability of failure to achieve"
  those alphas).

The point estimate is alpha itself, unchanged. The draws are counted per cell with one
multinomial draw per replicate, seeded (``seed``), so the same data give the same interval.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np

from .alpha import difference_matrix
from .result import StatResult

CI_METHOD = "Krippendorff bootstrap (Hayes & Krippendorff 2007), {b} replicates"
MAX_CELLS = 20_000          # beyond this many distinct value pairs, no bootstrap (said so)
THRESHOLDS = (0.667, 0.800)


@lru_cache(maxsize=64)
def _upper(q: int) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The upper triangle's indices of a q × q matrix (diagonal included) and which of them
    are on the diagonal; made once per size (every code of a report asks again)."""
    iu = np.triu_indices(q)
    for a in iu:
        a.flags.writeable = False
    diagonal = iu[0] == iu[1]
    diagonal.flags.writeable = False
    return iu, diagonal


def kalpha_replicates(o: np.ndarray, level: str, categories, n_raters: int, n_pairs: float,
                      replicates: int = 1000, seed=0) -> tuple[np.ndarray, int] | None:
    """The bootstrap replicates of alpha for coincidence matrix ``o`` (see the module
    docstring) and M, the pairs drawn per replicate; ``None`` when D_e is 0."""
    o = np.asarray(o, dtype=float)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    d2 = difference_matrix(level, np.asarray(categories, dtype=float), n_c)
    expect = (np.outer(n_c, n_c) - np.diag(n_c)) / (n - 1.0)
    de = float((expect * d2).sum()) / n
    if not de > 0:
        return None
    iu, on_diagonal = _upper(o.shape[0])
    cells = o[iu]
    p = np.where(on_diagonal, cells, 2.0 * cells) / n
    delta = d2[iu]
    nz = p > 0
    p, delta = p[nz] / p[nz].sum(), delta[nz]
    m = int(min(25 * int(np.count_nonzero(o)), (n_raters - 1) * n / 2.0))
    m = max(m, 1)
    # Only the sum of the drawn d2 matters, so cells with the same d2 are drawn as one: the
    # multinomial over cells, summed by d2 value, is the multinomial over d2 values (exact,
    # and nominal data need two bins instead of q (q + 1) / 2).
    values, inverse = np.unique(delta, return_inverse=True)
    p = np.bincount(inverse.ravel(), weights=p, minlength=values.size)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(m, p / p.sum(), size=replicates)
    boot = 1.0 - (draws @ values) / (de * m)
    boot = np.maximum(boot, -1.0)
    diag = np.diag(o)
    if int((diag > 0).sum()) == 1:
        boot[boot == 1.0] = 0.0
    else:
        ones = np.flatnonzero(boot == 1.0)
        fix = int(round(replicates * float(((diag / n) ** n_pairs).sum())))
        boot[ones[:min(fix, ones.size)]] = 0.0
    return boot, m


def with_kalpha_interval(res: StatResult, o: np.ndarray, level: str, categories,
                         n_raters: int, n_pairs: float, replicates: int = 1000,
                         seed=0) -> StatResult:
    """``res`` (alpha from ``o``) with Krippendorff's bootstrap interval, or with a note
    saying why there is none."""
    if res.value is None:
        return res
    if int((o > 0).sum()) > MAX_CELLS:
        return replace(res, extra={**res.extra, "bootstrap_note":
                                   f"more than {MAX_CELLS} distinct value pairs: no "
                                   "Krippendorff bootstrap interval"})
    out = kalpha_replicates(o, level, categories, n_raters, n_pairs, replicates, seed)
    if out is None:
        return res
    boot, m = out
    s = np.sort(boot)
    low = s[max(int(np.floor(0.025 * replicates)) - 1, 0)]
    high = s[min(int(np.floor(0.975 * replicates)), replicates - 1)]
    extra = {**res.extra, "replicates": int(replicates), "seed": seed, "pairs_drawn": m,
             "q_below": {f"{t:.3f}": float((boot < t).mean()) for t in THRESHOLDS}}
    return replace(res, se=float(boot.std(ddof=1)), ci=(float(low), float(high)),
                   ci_method=CI_METHOD.format(b=replicates), extra=extra)


def alpha_bootstrap(data, level: str, categories=None, replicates: int = 1000,
                    seed=0) -> StatResult:
    """Krippendorff's alpha of a units × raters array (NaN = missing) with Krippendorff's
    bootstrap interval (the module docstring); the same result as
    ``compute(data, level, categories)["krippendorff_alpha"]``."""
    from .compute import compute
    return compute(data, level, categories, names=["krippendorff_alpha"],
                   alpha_replicates=replicates, seed=seed)["krippendorff_alpha"]
