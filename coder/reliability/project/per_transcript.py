"""The per-transcript cut: each code's headline coefficients in every transcript at once.

Why not call :func:`~coder.reliability.compute` once per transcript and code? A project of
100 sessions and 40 codes would make 4,000 calls (several seconds). The coefficients are sums
over units (:mod:`coder.reliability.suffstats`, the same additive forms the cluster bootstrap
uses), so one pass over a code's pooled matrix gives per-transcript totals and every
transcript's value. A value that comes out undefined is recomputed with ``compute`` on that
transcript alone, so it carries the engine's reason (never a bare NaN).

These are point estimates: ``ci`` is None and ``ci_note`` says so (the pooled, pair and
reference cuts have intervals). The raters are the pooled cut's raters, so a coefficient
that needs exactly two raters appears only when the pooled cut has two.
"""

from __future__ import annotations

import numpy as np

from ..bootstrap import cluster_totals
from ..compute import applicable, compute
from ..suffstats import sufficient_statistic
from .entries import CiOptions, interpretation
from .matrices import DataMatrix

HEADLINE = ("percent_agreement", "positive_agreement", "negative_agreement", "cohen_kappa",
            "weighted_kappa_quadratic", "fleiss_kappa", "gwet_ac1", "gwet_ac2_quadratic",
            "krippendorff_alpha")
CI_NOTE = "per-transcript figures are point estimates (intervals: pooled and pair cuts)"


def _stat(name: str, value, reason, scheme) -> dict:
    return {"value": value, "se": None, "ci": None, "ci_method": None,
            "undefined_reason": reason, "interpretation": interpretation(name, value, scheme),
            "ci_note": CI_NOTE}


def _prevalence(m: DataMatrix, n_t: int) -> list[dict]:
    out: list[dict] = [{} for _ in range(n_t)]
    for j, rater in enumerate(m.raters):
        col = m.values[:, j]
        have = np.bincount(m.clusters, weights=~np.isnan(col), minlength=n_t)
        shares = [np.bincount(m.clusters, weights=(col == c), minlength=n_t)
                  / np.where(have > 0, have, 1) for c in m.categories]
        for t in range(n_t):
            if have[t] == 0:
                out[t][rater] = None
            elif m.kind == "presence":
                out[t][rater] = float(shares[1][t])
            else:
                out[t][rater] = {lab: float(s[t]) for lab, s in zip(m.category_labels, shares)}
    return out


def per_transcript_entries(m: DataMatrix, n_t: int, opts: CiOptions) -> list[dict]:
    """One entry per transcript index, from the pooled matrix ``m`` of one code."""
    cats = list(m.categories)
    k = m.values.shape[1]
    names = [n for n in applicable(m.level, k, cats) if n in HEADLINE]
    n_units = np.bincount(m.clusters, minlength=n_t)
    n_single = np.bincount(m.single_clusters, minlength=n_t)
    values: dict[str, np.ndarray] = {}
    if k >= 2 and m.values.shape[0]:
        for name in names:
            suff = sufficient_statistic(name, m.level, cats, data=m.values)
            values[name] = suff.finish(cluster_totals(suff, m.values, m.clusters, n_t))
    prevalence = _prevalence(m, n_t)
    rows_of = np.argsort(m.clusters, kind="stable")
    bounds = np.searchsorted(m.clusters[rows_of], np.arange(n_t + 1))
    out: list[dict] = []
    item = m.item
    for t in range(n_t):
        vals = {n: (values[n][t] if n in values else np.nan) for n in names}
        undefined = [n for n, v in vals.items() if not np.isfinite(v)]
        reasons: dict[str, str | None] = {}
        if undefined:
            sub = m.values[rows_of[bounds[t]:bounds[t + 1]]].reshape(-1, k)
            res = compute(sub, m.level, cats, names=undefined, confidence=opts.confidence)
            for n in undefined:
                vals[n] = res[n].value if n in res else None
                reasons[n] = res[n].undefined_reason if n in res else "not computed"
        stats = {n: _stat(n, None if vals[n] is None else float(vals[n]), reasons.get(n),
                          opts.scheme) for n in names}
        out.append({
            "id": item.key, "kind": m.kind, "label": item.label, "group": item.group,
            "level": m.level, "n_units": int(n_units[t]), "n_raters": k,
            "raters": list(m.raters), "n_units_single_rated": int(n_single[t]),
            "prevalence": prevalence[t], "statistics": stats})
    return out
