"""Additive per-unit sufficient statistics, so a cluster bootstrap can work on totals.

Each coefficient below is a function of sums over units: ``unit_stats(values)`` gives one
row of addends per unit (units × m) and ``finish(totals)`` turns R rows of totals (R × m)
into R values (NaN where undefined), vectorised over replicates. The formulas are the
ones in :mod:`gwet`, :mod:`conger`, :mod:`pairwise`, :mod:`kappa`, :mod:`alpha` and
:mod:`icc`, with the same conventions for units rated by one rater.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .compute import compute
from .icc import NAMES as ICC_NAMES
from .prepare import MISSING, agreement_weights, code, scores, unit_counts
from .alpha import difference_matrix
from .result import StatResult, chance_is_one


@dataclass(frozen=True)
class SufficientStatistic:
    """A statistic the bootstrap can resample through per-cluster totals."""

    name: str
    unit_stats: Callable[[np.ndarray], np.ndarray]
    finish: Callable[[np.ndarray], np.ndarray]
    point: Callable[[np.ndarray], StatResult]


def _safe(num, den):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(np.isfinite(out) & (den != 0), out, np.nan)


def _gwet(kind: str, w: np.ndarray, cats, q: int, single_rated: str = "in_chance"):
    """Fleiss/BP/AC addends; category shares over units rated at least once ("in_chance",
    Gwet 2014) or over units rated by two or more raters ("exclude")."""
    t_w = float(w.sum())
    in_chance = single_rated == "in_chance"

    def unit_stats(values):
        c = unit_counts(code(values, cats).codes, q)
        r = c.sum(axis=1)
        pair = r >= 2
        used = (r >= 1) if in_chance else pair
        den = np.where(pair, r * (r - 1.0), 1.0)
        pa_i = np.where(pair, (c * (c @ w.T - 1.0)).sum(axis=1) / den, 0.0)
        share = np.where(used[:, None], c / np.where(r > 0, r, 1.0)[:, None], 0.0)
        return np.column_stack([pair.astype(float), used.astype(float), pa_i, share])

    def finish(tot):
        n2, n, pa = tot[:, 0], tot[:, 1], _safe(tot[:, 2], tot[:, 0])
        pi = tot[:, 3:] / np.where(n > 0, n, 1.0)[:, None]
        if kind == "pa":
            return pa
        if kind == "ac":
            pe = t_w * (pi * (1 - pi)).sum(axis=1) / (q * (q - 1)) if q > 1 else np.ones_like(n)
        elif kind == "fleiss":
            pe = np.einsum("rk,kl,rl->r", pi, w, pi)
        else:
            pe = np.full_like(n, t_w / q ** 2)
        out = _safe(pa - pe, 1.0 - pe)
        return np.where(chance_is_one(pe) | (n2 == 0), np.nan, out)
    return unit_stats, finish


def _conger(cats, q: int, k: int, single_rated: str = "in_chance"):
    """Conger's kappa addends: Fleiss' p_a terms and each rater's category counts."""
    in_chance = single_rated == "in_chance"
    eye = np.eye(q)

    def unit_stats(values):
        codes = code(values, cats).codes
        c = unit_counts(codes, q)
        r = c.sum(axis=1)
        pair = r >= 2
        used = (r >= 1) if in_chance else pair
        den = np.where(pair, r * (r - 1.0), 1.0)
        pa_i = np.where(pair, (c * (c - 1.0)).sum(axis=1) / den, 0.0)
        ind = np.zeros((codes.shape[0], k, q))
        ok = (codes != MISSING) & used[:, None]
        i, g = np.nonzero(ok)
        ind[i, g, codes[i, g]] = 1.0
        return np.column_stack([pair.astype(float), pa_i, ind.reshape(len(codes), k * q)])

    def finish(tot):
        n2, pa = tot[:, 0], _safe(tot[:, 1], tot[:, 0])
        ind = tot[:, 2:].reshape(-1, k, q)
        n_g = ind.sum(axis=2)
        has = n_g > 0
        shares = ind / np.where(has, n_g, 1.0)[:, :, None]
        r = has.sum(axis=1).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            pbar = shares.sum(axis=1) / r[:, None]
            s_kl = (np.einsum("rgk,rgl->rkl", shares, shares)
                    - r[:, None, None] * np.einsum("rk,rl->rkl", pbar, pbar)) / (r - 1)[:, None, None]
            pe = np.einsum("kl,rkl->r", eye, np.einsum("rk,rl->rkl", pbar, pbar)
                           - s_kl / r[:, None, None])
        out = _safe(pa - pe, 1.0 - pe)
        bad = chance_is_one(pe) | (n2 == 0) | (r < 2)
        return np.where(bad, np.nan, out)
    return unit_stats, finish


def _pairwise(kind: str, cats, q: int, k: int):
    """Light's kappa, PABAK and the indices: every rater pair's q × q table per unit."""
    from .pairwise import _values
    pairs = [(g, h) for g in range(k) for h in range(g + 1, k)]
    pos = [int(np.flatnonzero(np.asarray(cats, float) == v)[0]) for v in (0.0, 1.0)] \
        if kind != "light_kappa" else None

    def unit_stats(values):
        codes = code(values, cats).codes
        out = np.zeros((codes.shape[0], len(pairs), q * q))
        for p, (g, h) in enumerate(pairs):
            both = np.flatnonzero((codes[:, g] != MISSING) & (codes[:, h] != MISSING))
            out[both, p, codes[both, g] * q + codes[both, h]] = 1.0
        return out.reshape(codes.shape[0], len(pairs) * q * q)

    def finish(tot):
        t = tot.reshape(tot.shape[0], len(pairs), q, q)
        n = t.sum(axis=(2, 3))
        agree = np.trace(t, axis1=2, axis2=3)
        rc = np.einsum("rpk,rpk->rp", t.sum(axis=3), t.sum(axis=2))
        cells = ((t[:, :, pos[0], pos[0]], t[:, :, pos[1], pos[1]], t[:, :, pos[0], pos[1]],
                  t[:, :, pos[1], pos[0]]) if pos else (0, 0, 0, 0))
        v = _values(kind, n, agree, rc, *cells)
        ok = np.isfinite(v)
        cnt = ok.sum(axis=1)
        return np.where(cnt > 0, np.where(ok, v, 0.0).sum(axis=1) / np.maximum(cnt, 1), np.nan)
    return unit_stats, finish


def _kappa(w: np.ndarray, cats, q: int):
    def unit_stats(values):
        codes = code(values, cats).codes
        both = (codes != MISSING).all(axis=1)
        out = np.zeros((codes.shape[0], q * q))
        idx = np.flatnonzero(both)
        out[idx, codes[idx, 0] * q + codes[idx, 1]] = 1.0
        return out

    def finish(tot):
        t = tot.reshape(-1, q, q)
        n = t.sum(axis=(1, 2))
        p = t / np.where(n > 0, n, 1.0)[:, None, None]
        po = (p * w).sum(axis=(1, 2))
        pe = np.einsum("ri,ij,rj->r", p.sum(axis=2), w, p.sum(axis=1))
        out = _safe(po - pe, 1.0 - pe)
        return np.where(chance_is_one(pe) | (n == 0), np.nan, out)
    return unit_stats, finish


def _alpha(level: str, cats, q: int):
    cat_vals = np.asarray(cats, dtype=float)

    def unit_stats(values):
        codes = code(values, cats).codes
        c = unit_counts(codes, q)
        m = c.sum(axis=1)
        scale = np.where(m >= 2, 1.0 / np.where(m > 1, m - 1.0, 1.0), 0.0)
        o = (c * scale[:, None])[:, :, None] * c[:, None, :]
        o[:, np.arange(q), np.arange(q)] -= c * scale[:, None]
        return o.reshape(len(c), q * q)

    def finish(tot):
        step = max(1, (1 << 21) // max(q * q, 1))      # replicates × q × q cells at once
        if tot.shape[0] > step:
            return np.concatenate([finish(tot[i:i + step])
                                   for i in range(0, tot.shape[0], step)])
        o = tot.reshape(-1, q, q)
        n_c = o.sum(axis=2)
        n = n_c.sum(axis=1)
        if level == "ordinal":             # d2 depends on each replicate's margins
            mid = np.cumsum(n_c, axis=1) - n_c / 2.0
            d2 = (mid[:, :, None] - mid[:, None, :]) ** 2
        else:
            d2 = difference_matrix(level, cat_vals, n_c[0])[None, :, :]
        de = np.einsum("rk,rkl,rl->r", n_c, d2, n_c)
        do = (o * d2).sum(axis=(1, 2))
        ok = (n > 0) & (de > 0)
        return np.where(ok, 1.0 - (n - 1.0) * do / np.where(ok, de, 1.0), np.nan)
    return unit_stats, finish


def _alpha_interval(centre: float):
    def unit_stats(values):
        p = ~np.isnan(values)
        m = p.sum(axis=1).astype(float)
        keep = m >= 2
        x = np.where(p & keep[:, None], values - centre, 0.0)
        s1, s2 = x.sum(axis=1), (x * x).sum(axis=1)
        do = np.where(keep, 2.0 * (m * s2 - s1 * s1) / np.where(keep, m - 1.0, 1.0), 0.0)
        return np.column_stack([np.where(keep, m, 0.0), do, s1, s2])

    def finish(tot):
        n, do, s1, s2 = tot.T
        de = 2.0 * (n * s2 - s1 * s1)
        ok = de > 1e-12 * np.maximum(1.0, n * s2)
        return np.where(ok, 1.0 - (n - 1.0) * do / np.where(ok, de, 1.0), np.nan)
    return unit_stats, finish


def _icc(name: str, centre: float, k: int):
    def unit_stats(values):
        keep = ~np.isnan(values).any(axis=1)
        x = np.where(keep[:, None], values - centre, 0.0)
        row = x.sum(axis=1)
        return np.column_stack([keep.astype(float), (x * x).sum(axis=1), row * row, x])

    def finish(tot):
        n, sxx, srow2 = tot[:, 0], tot[:, 1], tot[:, 2]
        col = tot[:, 3:]
        g = col.sum(axis=1)
        nk = np.where(n > 0, n * k, 1.0)
        sst = sxx - g * g / nk
        ssr = srow2 / k - g * g / nk
        ssc = (col * col).sum(axis=1) / np.where(n > 0, n, 1.0) - g * g / nk
        sse = np.maximum(sst - ssr - ssc, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            msr, msc = ssr / (n - 1), ssc / (k - 1)
            mse, msw = sse / ((n - 1) * (k - 1)), np.maximum(sst - ssr, 0) / (n * (k - 1))
        num_den = {
            "icc_1_1": (msr - msw, msr + (k - 1) * msw),
            "icc_2_1": (msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n),
            "icc_3_1": (msr - mse, msr + (k - 1) * mse),
            "icc_1_k": (msr - msw, msr),
            "icc_2_k": (msr - mse, msr + (msc - mse) / n),
            "icc_3_k": (msr - mse, msr),
        }[name]
        return np.where(n >= 2, _safe(*num_den), np.nan)
    return unit_stats, finish


def _specific(k_index: int, cats, q: int):
    def unit_stats(values):
        c = unit_counts(code(values, cats).codes, q)
        r = c.sum(axis=1)
        rk = np.where(r >= 2, c[:, k_index], 0.0)
        return np.column_stack([rk * (rk - 1.0), rk * (r - 1.0)])

    def finish(tot):
        return _safe(tot[:, 0], tot[:, 1])
    return unit_stats, finish


def sufficient_statistic(name: str, level: str, categories=None,
                         data: np.ndarray | None = None,
                         single_rated: str = "in_chance",
                         n_raters: int | None = None) -> SufficientStatistic:
    """The bootstrap-ready form of statistic ``name`` (a :func:`compute` name).

    ``data`` is needed only for interval alpha and ICC (to centre values for accuracy),
    Conger's and the pairwise coefficients (for the number of raters) and to infer categories
    when none are given. ``single_rated`` as in :func:`compute`. ``n_raters``: the number of
    raters where ``data`` is not given (a categorical matrix held as codes: the report's
    matrices, whose addends are computed on their distinct rows).
    """
    values = None if data is None else np.asarray(data, dtype=float)
    cats = categories
    if cats is None and values is not None:
        cats = np.unique(values[~np.isnan(values)])
    if cats is None and name not in ICC_NAMES:
        raise ValueError("categories (or data) are needed")
    q = 0 if cats is None else len(cats)
    centre = 0.0 if values is None or np.isnan(values).all() else float(np.nanmean(values))
    sc = scores(np.asarray(cats, float), level) if cats is not None else None
    w_of = {"linear": lambda: agreement_weights("linear", sc),
            "quadratic": lambda: agreement_weights("quadratic", sc)}
    sr = single_rated
    if name == "percent_agreement":
        us, fin = _gwet("pa", np.eye(q), cats, q)
    elif name == "scott_pi":
        us, fin = _gwet("fleiss", np.eye(q), cats, q, "exclude")
    elif name == "fleiss_kappa":
        us, fin = _gwet("fleiss", np.eye(q), cats, q, sr)
    elif name == "brennan_prediger":
        us, fin = _gwet("bp", np.eye(q), cats, q, sr)
    elif name == "gwet_ac1":
        us, fin = _gwet("ac", np.eye(q), cats, q, sr)
    elif name.startswith("gwet_ac2_"):
        us, fin = _gwet("ac", w_of[name.rsplit("_", 1)[1]](), cats, q, sr)
    elif name in ("conger_kappa", "light_kappa", "pabak", "prevalence_index", "bias_index"):
        if values is None and n_raters is None:
            raise ValueError(f"{name} bootstrap needs the data or the number of raters")
        k = values.shape[1] if values is not None else int(n_raters)
        us, fin = (_conger(cats, q, k, sr) if name == "conger_kappa"
                   else _pairwise(name, cats, q, k))
    elif name == "cohen_kappa":
        us, fin = _kappa(np.eye(q), cats, q)
    elif name.startswith("weighted_kappa_"):
        us, fin = _kappa(w_of[name.rsplit("_", 1)[1]](), cats, q)
    elif name == "krippendorff_alpha":
        us, fin = _alpha_interval(centre) if level == "interval" else _alpha(level, cats, q)
    elif name in ("positive_agreement", "negative_agreement"):
        idx = [float(c) for c in cats].index(1.0 if name == "positive_agreement" else 0.0)
        us, fin = _specific(idx, cats, q)
    elif name in ICC_NAMES:
        if values is None:
            raise ValueError("ICC bootstrap needs the data")
        us, fin = _icc(name, centre, values.shape[1])
    else:
        raise ValueError(f"no sufficient-statistic form for {name!r}")

    def point(v):
        return compute(v, level, categories, names=[name], single_rated=single_rated)[name]
    return SufficientStatistic(name, us, fin, point)
