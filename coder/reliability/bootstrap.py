"""Cluster (session) bootstrap: resample whole transcripts, not segments.

Segments inside one session are not independent (DOMAIN.md), so the resampling unit is the
cluster: each replicate draws as many clusters as there are, with replacement, keeps every
unit of each drawn cluster, and recomputes the statistic (Davison & Hinkley 1997, §3.8,
"Multistage sampling"; percentile interval, Efron & Tibshirani 1993, ch. 13).

Two ways to give the statistic:

* a :class:`~coder.reliability.suffstats.SufficientStatistic` (see
  :func:`~coder.reliability.suffstats.sufficient_statistic`): per-cluster totals are computed
  once and every replicate is a weighted sum of them, vectorised over replicates — 1,000
  replicates over 50,000 units take well under a second for kappa/AC1/alpha/ICC;
* any callable ``fn(data) -> float | StatResult | None``: rows are gathered per replicate
  (general but slower).

Replicates whose statistic is undefined are dropped and counted in ``extra``.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np

from ..jobs import Cancelled

from .prepare import distinct_rows
from .result import StatResult, defined
from .suffstats import SufficientStatistic

_BATCH_CELLS = 4_000_000      # replicate × cluster cells drawn at once
_CHUNK_CELLS = 4_000_000      # unit × statistic cells summed at once


class BootstrapCancelled(Cancelled):
    """Raised when ``cancel()`` returned True between replicates."""


def _value(res) -> float:
    if isinstance(res, StatResult):
        res = res.value
    if res is None:
        return np.nan
    return float(res)


def _cluster_index(clusters) -> tuple[np.ndarray, int, np.ndarray]:
    labels = np.asarray(clusters)
    if labels.ndim != 1:
        raise ValueError("clusters must be one label per unit")
    uniq, idx = np.unique(labels, return_inverse=True)
    return idx.ravel(), uniq.size, uniq


def cluster_totals(stat: SufficientStatistic, data: np.ndarray, cl: np.ndarray,
                   n_clusters: int) -> np.ndarray:
    """Per-cluster sums of the statistic's unit addends (clusters × m).

    A unit's addends depend on its row only, so when the data have few distinct rows (coded
    categories: a handful, however many units) the totals are (units per cluster and
    distinct row) @ (addends of each distinct row): the addends are computed once per
    distinct row, not once per unit. Otherwise they are summed unit by unit, in row chunks."""
    distinct = _distinct_by_cluster(data, cl, n_clusters)
    if distinct is not None:
        rows, per_cluster = distinct
        return per_cluster @ stat.unit_stats(rows)
    order = np.argsort(cl, kind="stable")
    first = stat.unit_stats(data[order[:1]])
    m = first.shape[1]
    totals = np.zeros((n_clusters, m))
    step = max(1, _CHUNK_CELLS // max(m, 1))
    for start in range(0, order.size, step):
        rows = order[start:start + step]
        u = stat.unit_stats(data[rows])
        c = cl[rows]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        totals[c[starts]] += np.add.reduceat(u, starts, axis=0)
    return totals


_DISTINCT: OrderedDict = OrderedDict()      # content digest -> (rows, per_cluster) or None
_DISTINCT_SIZE = 8
_DISTINCT_LOCK = threading.Lock()           # reports may run in worker threads


def _distinct_by_cluster(data: np.ndarray, cl: np.ndarray, n_clusters: int):
    """The distinct rows of ``data`` (NaN kept) and how often each occurs in each cluster
    (clusters × rows), or None when the rows are mostly distinct (continuous values).

    Cached by a digest of the contents (not by object identity, so an array changed in place
    is never served stale): a report bootstraps a dozen statistics of each matrix."""
    data = np.ascontiguousarray(data, dtype=float)
    cl = np.ascontiguousarray(cl, dtype=np.int64)
    h = hashlib.blake2b(data.tobytes(), digest_size=16)
    h.update(np.array(data.shape, dtype=np.int64).tobytes())
    h.update(cl.tobytes())
    key = (h.digest(), n_clusters)
    with _DISTINCT_LOCK:
        if key in _DISTINCT:
            _DISTINCT.move_to_end(key)
            return _DISTINCT[key]
    out = None
    n, k = data.shape
    if n >= 64 and k:
        codes = np.empty((n, k), dtype=np.int64)
        uniq = []
        for j in range(k):
            u, inv = np.unique(data[:, j], return_inverse=True)   # NaN: one value of its own
            codes[:, j] = inv.ravel()
            uniq.append(u)
        q = max(u.size for u in uniq)
        d = distinct_rows(codes, q)
        if d.rows.shape[0] <= n // 4:
            rows = np.column_stack([uniq[j][d.rows[:, j]] for j in range(k)])
            p = d.rows.shape[0]
            per = np.bincount(cl * p + d.inverse, minlength=n_clusters * p)
            out = (rows, per.reshape(n_clusters, p).astype(float))
    with _DISTINCT_LOCK:
        _DISTINCT[key] = out
        while len(_DISTINCT) > _DISTINCT_SIZE:
            _DISTINCT.popitem(last=False)
    return out


def _draw_counts(rng: np.random.Generator, b: int, n_clusters: int) -> np.ndarray:
    idx = rng.integers(0, n_clusters, size=(b, n_clusters))
    flat = (idx + (np.arange(b) * n_clusters)[:, None]).ravel()
    return np.bincount(flat, minlength=b * n_clusters).reshape(b, n_clusters).astype(float)


_DRAWS: OrderedDict = OrderedDict()          # (seed, replicates, clusters, batch) -> batches


def _draws(seed, replicates: int, n_clusters: int, batch: int):
    """The replicate batches of cluster counts for an integer ``seed``: every statistic of a
    report bootstrapped with the same seed over the same clusters draws the same resamples,
    so they are drawn once (a fresh generator per seed gives exactly these batches)."""
    key = (seed, replicates, n_clusters, batch)
    cacheable = isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
    if cacheable:
        with _DISTINCT_LOCK:
            if key in _DRAWS:
                _DRAWS.move_to_end(key)
                return _DRAWS[key]
    rng = np.random.default_rng(seed)
    out, done = [], 0
    while done < replicates:
        b = min(batch, replicates - done)
        out.append(_draw_counts(rng, b, n_clusters))
        done += b
    if cacheable:
        with _DISTINCT_LOCK:
            _DRAWS[key] = out
            while len(_DRAWS) > 4:
                _DRAWS.popitem(last=False)
    return out


def cluster_bootstrap(data, clusters, statistic_fn, replicates: int = 1000, seed=0,
                      ci: float = 0.95, progress: Callable[[int, int], None] | None = None,
                      cancel: Callable[[], bool] | None = None,
                      totals: np.ndarray | None = None) -> StatResult:
    """Percentile CI for a statistic by resampling clusters (e.g. transcripts) with replacement.

    Returns the statistic on the full data as ``value``, the replicates' SD as ``se`` and
    the percentile interval with ``ci_method = "cluster bootstrap (N replicates, percentile)"``.
    Reproducible for a given ``seed``. ``progress(done, total)`` is called and ``cancel()``
    checked between replicate batches; cancelling raises :class:`BootstrapCancelled`.
    ``totals``: the per-cluster sums of a sufficient statistic's addends when the caller
    has them (clusters in sorted label order, as :func:`cluster_totals` makes them).
    ``data`` may be None with ``totals`` and a sufficient statistic whose ``point`` needs no
    data (a report's matrix held as codes: its point value is already known).
    """
    suff = isinstance(statistic_fn, SufficientStatistic)
    if data is None and not (suff and totals is not None):
        raise ValueError("the data are needed without a sufficient statistic's totals")
    values = None if data is None else np.asarray(data, dtype=float)
    if values is not None and values.ndim != 2:
        raise ValueError("data must be a units × raters table")
    cl, n_clusters, _ = _cluster_index(clusters)
    if values is not None and cl.size != values.shape[0]:
        raise ValueError(f"{cl.size} cluster labels for {values.shape[0]} units")
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    point = statistic_fn.point(values) if suff else statistic_fn(values)
    if isinstance(point, StatResult):
        if point.value is None:
            return point
        name, n_units = point.name, point.n_units
    else:
        name, n_units = getattr(statistic_fn, "__name__", "statistic"), cl.size
        if _value(point) != _value(point):
            raise ValueError("the statistic is undefined on the full data")
    est = _value(point)
    info = {"n_clusters": int(n_clusters), "replicates": int(replicates), "seed": seed}
    if n_clusters < 2:
        return defined(name, est, n_units=n_units, bootstrap_note="fewer than two clusters "
                       "to resample: no bootstrap interval", **info)
    rng = np.random.default_rng(seed)
    out = np.empty(replicates)
    batch = max(1, min(replicates, _BATCH_CELLS // n_clusters)) if suff else 1
    if suff:
        if totals is None:
            totals = cluster_totals(statistic_fn, values, cl, n_clusters)
        batches = iter(_draws(seed, replicates, n_clusters, batch))
    else:
        order = np.argsort(cl, kind="stable")
        sizes = np.bincount(cl, minlength=n_clusters)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
    done = 0
    while done < replicates:
        if cancel is not None and cancel():
            raise BootstrapCancelled(f"cancelled after {done} of {replicates} replicates")
        b = min(batch, replicates - done)
        if suff:
            out[done:done + b] = statistic_fn.finish(next(batches) @ totals)
        else:
            pick = rng.integers(0, n_clusters, size=n_clusters)
            ln = sizes[pick]
            offs = np.repeat(starts[pick] - np.r_[0, np.cumsum(ln)[:-1]], ln)
            rows = order[offs + np.arange(int(ln.sum()))]
            out[done] = _value(statistic_fn(values[rows]))
        done += b
        if progress is not None:
            progress(done, replicates)
    valid = out[np.isfinite(out)]
    info["n_replicates_undefined"] = int(replicates - valid.size)
    if valid.size < 2:
        return defined(name, est, n_units=n_units, bootstrap_note="fewer than two replicates "
                       "gave a value: no bootstrap interval", **info)
    tail = (1.0 - ci) / 2.0
    low, high = np.quantile(valid, [tail, 1.0 - tail])
    return defined(name, est, se=float(valid.std(ddof=1)), ci=(float(low), float(high)),
                   ci_method=f"cluster bootstrap ({replicates} replicates, percentile)",
                   n_units=n_units, **info)
