"""Delete-one-cluster jackknife standard error (transcripts as clusters).

With few transcripts a cluster bootstrap has few distinct resamples and its percentile
interval is rough; the jackknife standard error is given beside it as a check. Each
transcript is left out in turn and the statistic recomputed from the other transcripts'
totals of its unit addends (:mod:`.suffstats`), so the G leave-one-out values cost one pass:

    SE_jack = sqrt((G - 1) / G * sum_g (theta_(g) - mean theta_(.))^2)

(Efron & Tibshirani 1993, ch. 11; for clusters: Davison & Hinkley 1997, §3.8). Leave-one-out
values that are undefined (e.g. every remaining unit agrees, so a kappa has no chance
disagreement) are dropped and G counts only the defined ones; fewer than three defined
values give no SE.
"""

from __future__ import annotations

import math

import numpy as np

from .bootstrap import cluster_totals
from .suffstats import SufficientStatistic

#: with two transcripts each leave-one-out value rests on one transcript alone (one degree of
#: freedom): no jackknife SE is given from fewer than three defined leave-one-out values
MIN_VALUES = 3


def cluster_jackknife_se(data, clusters, stat: SufficientStatistic,
                         totals: np.ndarray | None = None) -> float | None:
    """The delete-one-cluster jackknife SE of ``stat`` on ``data`` (units × raters, NaN =
    missing) with one cluster label per unit; None with fewer than :data:`MIN_VALUES`
    defined leave-one-out values. ``data`` may be None when ``totals`` are given."""
    if data is None and totals is None:
        raise ValueError("the data or the totals are needed")
    _, cl = np.unique(np.asarray(clusters), return_inverse=True)
    cl = cl.ravel()
    g = int(cl.max()) + 1 if cl.size else 0
    if g < MIN_VALUES:
        return None
    if totals is None:
        totals = cluster_totals(stat, np.asarray(data, dtype=float), cl, g)
    loo = np.asarray(stat.finish(totals.sum(axis=0)[None, :] - totals), dtype=float)
    loo = loo[np.isfinite(loo)]
    n = loo.size
    if n < MIN_VALUES:
        return None
    se = math.sqrt((n - 1) / n * float(((loo - loo.mean()) ** 2).sum()))
    return se if math.isfinite(se) else None
