"""The per-transcript cut: each code's headline coefficients in every transcript at once.

Why not call :func:`~coder.reliability.compute` once per transcript and code? A project of
100 sessions and 40 codes would make 4,000 calls (several seconds). The coefficients are sums
over units (:mod:`coder.reliability.suffstats`, the same additive forms the cluster bootstrap
uses), so one pass over a code's pooled matrix gives per-transcript totals and every
transcript's value. The totals are taken over the matrix's few distinct rows (how often each
occurs in each transcript, times its addends), not unit by unit. A value that comes out
undefined is recomputed with ``compute`` on that transcript alone, so it carries the
engine's reason (never a bare NaN).

These are point estimates: ``ci`` is None and ``ci_note`` says so (the pooled, pair and
reference cuts have intervals). The raters are the pooled cut's raters, so a coefficient
that needs exactly two raters appears only when the pooled cut has two.
"""

from __future__ import annotations

import math

import numpy as np

from ..compute import applicable, compute
from ..prepare import MISSING, code, distinct_rows
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


def _prevalence(m: DataMatrix, codes: np.ndarray, n_t: int) -> list[dict]:
    """Each rater's share of values in each category, per transcript (one bincount per
    rater over transcript × category; plain floats to fill 100 × 40 small dicts)."""
    out: list[dict] = [{} for _ in range(n_t)]
    q = len(m.categories)
    for j, rater in enumerate(m.raters):
        ok = codes[:, j] != MISSING
        per = np.bincount(m.clusters[ok] * q + codes[ok, j], minlength=n_t * q).reshape(n_t, q)
        have = per.sum(axis=1)
        shares = (per / np.where(have > 0, have, 1)[:, None]).tolist()
        for t, h in enumerate(have.tolist()):
            if h == 0:
                out[t][rater] = None
            elif m.kind == "presence":
                out[t][rater] = shares[t][1]
            else:
                out[t][rater] = dict(zip(m.category_labels, shares[t]))
    return out


def _distinct_per_transcript(m: DataMatrix, codes: np.ndarray,
                             n_t: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``m.values`` (p × k, NaN kept) and how often each occurs in each
    transcript (n_t × p).

    Why: the per-transcript totals of a statistic's unit addends
    (:mod:`coder.reliability.suffstats`) are then ``per_t @ unit_stats(rows)``: the addends
    are computed for a few dozen distinct rows instead of every unit, once per statistic."""
    cats = np.asarray(m.categories, dtype=float)
    d = distinct_rows(codes, cats.size)
    p = d.rows.shape[0]
    rows = np.where(d.rows == MISSING, np.nan, cats[np.maximum(d.rows, 0)])
    per_t = np.bincount(m.clusters * p + d.inverse, minlength=n_t * p).reshape(n_t, p)
    return rows, per_t.astype(float)


def per_transcript_entries(m: DataMatrix, n_t: int, opts: CiOptions) -> list[dict]:
    """One entry per transcript index, from the pooled matrix ``m`` of one code."""
    cats = list(m.categories)
    k = m.values.shape[1]
    names = [n for n in applicable(m.level, k, cats) if n in HEADLINE]
    n_units = np.bincount(m.clusters[m.pairable], minlength=n_t)
    n_single = np.bincount(m.single_clusters, minlength=n_t)
    values: dict[str, np.ndarray] = {}
    codes = code(m.values, cats).codes
    if k >= 2 and m.values.shape[0]:
        rows, per_t = _distinct_per_transcript(m, codes, n_t)
        data = m.values if m.level in ("interval", "ratio") else None   # centring only
        for name in names:
            suff = sufficient_statistic(name, m.level, cats, data=data)
            values[name] = suff.finish(per_t @ suff.unit_stats(rows))
    prevalence = _prevalence(m, codes, n_t)
    rows_of = np.argsort(m.clusters, kind="stable")
    bounds = np.searchsorted(m.clusters[rows_of], np.arange(n_t + 1))
    out: list[dict] = []
    item = m.item
    as_lists = {n: values[n].tolist() for n in names if n in values}   # plain floats
    nan_list = [math.nan] * n_t
    for t in range(n_t):
        vals = {n: as_lists.get(n, nan_list)[t] for n in names}
        undefined = [n for n, v in vals.items() if not math.isfinite(v)]
        reasons: dict[str, str | None] = {}
        if undefined:
            sub = m.values[rows_of[bounds[t]:bounds[t + 1]]]       # (units, k), k may be 0
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
