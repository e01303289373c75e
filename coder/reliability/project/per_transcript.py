"""The per-transcript cut: each code's headline coefficients in every transcript at once.

Why not call :func:`~coder.reliability.compute` once per transcript and code? A project of
100 sessions and 40 codes would make 4,000 calls (several seconds). The coefficients are sums
over units (:mod:`coder.reliability.suffstats`, the same additive forms the cluster bootstrap
uses), so one pass over a code's pooled matrix gives per-transcript totals and every
transcript's value. The totals are taken over the matrix's few distinct rows (how often each
occurs in each transcript, times its addends), not unit by unit. A value that comes out
undefined is recomputed with ``compute`` on that transcript alone, so it carries the
engine's reason (never a bare NaN).

Intervals: the delete-one-unit jackknife within the transcript. Leaving out one unit
changes the totals by that unit's addends, and a unit is one of the few distinct rows, so
the leave-one-out values of every transcript are ``finish(totals - addends of row r)`` for
each distinct row r: one vectorised pass, no resampling. The standard error is
``sqrt((n - 1) / n * sum_i (theta_(i) - mean)^2)`` over the transcript's n units (undefined
leave-one-out values left out) and the interval is value ± t(n - 1) · SE, clipped to the
coefficient's range; ``ci_method`` says so. It treats the units of one session as
independent, which they are not quite (the pooled cut's cluster bootstrap does not assume
that). With fewer than two usable units there is no interval and ``ci_note`` says why.

Cautions as for the pooled cut (:mod:`.caution`): fewer than 10 units in the transcript; for
presence codes, no positive case or prevalence above 95 % in the transcript.

The raters are the pooled cut's raters, so a coefficient that needs exactly two raters
appears only when the pooled cut has two.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from ..compute import applicable, compute
from ..prepare import MISSING
from ..result import t_quantile
from ..suffstats import sufficient_statistic
from .caution import few_units, prevalence_reason
from ..schemes import DEFAULT_SCHEME, SCHEMES
from .entries import CiOptions, _interpretation, interpretation
from .matrices import DataMatrix
from .results import CodeEntry, Statistic, frozen_map

HEADLINE = ("percent_agreement", "positive_agreement", "negative_agreement", "cohen_kappa",
            "weighted_kappa_quadratic", "fleiss_kappa", "gwet_ac1", "gwet_ac2_quadratic",
            "krippendorff_alpha")
CI_METHOD = "jackknife over the transcript's units, t(n-1)"
NO_CI = "fewer than two units give a value: no interval"
UNDEFINED_NOTE = "no value, so no interval"
CI_NOTE = ("per-transcript interval: units within the session treated as independent "
           "(the pooled cut's cluster bootstrap does not assume that)")
UNIT_RANGE = {"percent_agreement": (0.0, 1.0), "positive_agreement": (0.0, 1.0),
              "negative_agreement": (0.0, 1.0)}


def _stat(name: str, value, reason, scheme, se=None, ci=None, caution=None) -> Statistic:
    """One per-transcript statistic, made once: ``caution`` (the transcript's reasons,
    joined) is what :func:`~.caution.cautioned` would add; a cautioned value carries no
    interpretation label (as there). (The reference form of :class:`_Maker`, which the
    report uses; a test checks the two agree.)"""
    ci = ci if value is not None else None
    caution = caution if value is not None else None
    return Statistic(value, se if ci else None, ci, CI_METHOD if ci else None, reason,
                     None if caution else interpretation(name, value, scheme),
                     CI_NOTE if ci else NO_CI if value is not None else UNDEFINED_NOTE,
                     caution)


_new = object.__new__


class _Maker:
    """:func:`_stat` for one statistic name, cheaper where a report makes ~20,000 of them:
    the scheme is looked up once per name, and the frozen :class:`Statistic` is filled
    through its ``__dict__`` (the same fields, values and type as its ``__init__`` gives:
    the dataclass is frozen only against later assignment)."""

    def __init__(self, name: str, scheme: str | None) -> None:
        key = DEFAULT_SCHEME.get(name)
        self.key = None if key is None else (scheme or key)
        self.sch = None if key is None else SCHEMES[self.key]

    def __call__(self, value, reason, se=None, ci=None, caution=None) -> Statistic:
        if value is None:
            ci = caution = None
        interp = None
        if not caution and self.sch is not None and value is not None:
            interp = _interpretation(self.sch.label(float(value)), self.key,
                                     self.sch.display_name)
        st = _new(Statistic)
        st.__dict__.update(
            value=value, se=se if ci else None, ci=ci, ci_method=CI_METHOD if ci else None,
            undefined_reason=reason, interpretation=interp,
            ci_note=CI_NOTE if ci else NO_CI if value is not None else UNDEFINED_NOTE,
            caution=caution, jackknife_se=None, convention=None)
        return st


def _intervals(name: str, values: np.ndarray, se: np.ndarray, n: np.ndarray,
               level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """value ± t(n-1)·SE clipped to the coefficient's range, per transcript: (low, high,
    defined); not defined where the value or SE is undefined or fewer than two units give a
    value."""
    ok = np.isfinite(values) & np.isfinite(se) & (n >= 2)
    t = np.zeros(n.shape)
    if ok.any():
        dfs, which = np.unique(n[ok].astype(np.int64), return_inverse=True)
        # (t_quantile is cached: the statistics of a code, and the codes, share their
        # degrees of freedom, so each is computed once per report)
        t[ok] = np.array([t_quantile(level, int(d) - 1) for d in dfs])[which.ravel()]
    low, high = UNIT_RANGE.get(name, (-1.0, 1.0))
    return np.clip(values - t * se, low, high), np.clip(values + t * se, low, high), ok


def unit_jackknife(finish, addends: np.ndarray, per_t: np.ndarray,
                   totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Delete-one-unit jackknife SE per transcript and the number of units it used.

    ``addends``: p distinct rows × s unit addends; ``per_t``: transcripts × p counts;
    ``totals`` = ``per_t @ addends``. Leave-one-out value of a unit with row r in transcript
    t: ``finish(totals[t] - addends[r])``, asked only for the rows a transcript has (a
    study's transcript holds about half of a code's distinct rows)."""
    n_t, p = per_t.shape
    t_idx, r_idx = np.nonzero(per_t > 0)
    loo = np.zeros((n_t, p))
    if t_idx.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            loo[t_idx, r_idx] = np.asarray(finish(totals[t_idx] - addends[r_idx]),
                                           dtype=float).reshape(-1)
    ok = np.isfinite(loo) & (per_t > 0)
    w = np.where(ok, per_t, 0.0)
    loo = np.where(ok, loo, 0.0)
    n = w.sum(axis=1)
    safe = np.where(n > 0, n, 1.0)
    mean = (w * loo).sum(axis=1) / safe
    ss = (w * (loo - mean[:, None]) ** 2).sum(axis=1)
    se = np.sqrt((n - 1) / safe * ss)
    return np.where(n >= 2, se, np.nan), n


def _prevalence(m: DataMatrix, n_t: int, per_t: np.ndarray | None = None,
                rows: np.ndarray | None = None) -> tuple[list, list]:
    """Each rater's share of values in each category, per transcript: (shares, have), one
    transcripts × categories array and one transcripts array per rater. With the matrix's
    distinct ``rows`` (codes) and their counts per transcript ``per_t``: a product over those
    rows; else one bincount per rater over transcript × category (the same whole numbers)."""
    shares_of, have_of = [], []
    q = len(m.categories)
    for j, rater in enumerate(m.raters):
        if per_t is not None:
            onehot = rows[:, j][:, None] == np.arange(q)[None, :]       # MISSING: no column
            per = per_t @ onehot
        else:
            codes = m.coded.codes
            ok = codes[:, j] != MISSING
            per = np.bincount(m.clusters[ok].astype(np.int64) * q + codes[ok, j],
                              minlength=n_t * q).reshape(n_t, q)
        have = per.sum(axis=1)
        shares_of.append(per / np.where(have > 0, have, 1)[:, None])
        have_of.append(have)
    return shares_of, have_of


def _distinct_per_transcript(m: DataMatrix, n_t: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``m.values`` (p × k, NaN kept) and how often each occurs in each
    transcript (n_t × p).

    Why: the per-transcript totals of a statistic's unit addends
    (:mod:`coder.reliability.suffstats`) are then ``per_t @ unit_stats(rows)``: the addends
    are computed for a few dozen distinct rows instead of every unit, once per statistic."""
    cats = np.asarray(m.categories, dtype=float)
    d = m.distinct
    rows = np.where(d.rows == MISSING, np.nan, cats[np.maximum(d.rows, 0)])
    per_t = m.cluster_counts
    return rows, per_t if per_t.shape[0] == n_t else m.counts_in(n_t)


def per_transcript_entries(m: DataMatrix, n_t: int, opts: CiOptions) -> list[CodeEntry]:
    """One entry per transcript index, from the pooled matrix ``m`` of one code."""
    cols = per_transcript_columns(m, n_t, opts)
    return [cols.entry(t) for t in range(n_t)]


def per_transcript_columns(m: DataMatrix, n_t: int, opts: CiOptions) -> "TranscriptColumns":
    """The figures of :func:`per_transcript_entries` as columns (arrays over transcripts),
    the entries made only when asked for (:meth:`TranscriptColumns.entry`)."""
    cats = list(m.categories)
    k = len(m.raters)
    names = [n for n in applicable(m.level, k, cats) if n in HEADLINE]
    by_rows = m.distinct is not None and m.cluster_counts.shape[0] == n_t
    if by_rows:
        n_units = (m.cluster_counts @ m.pairable_rows).astype(np.int64)
    else:
        n_units = np.bincount(m.clusters[m.pairable], minlength=n_t)
    n_single = np.bincount(m.single_clusters, minlength=n_t)
    values: dict[str, np.ndarray] = {}
    ses: dict[str, np.ndarray] = {}
    cis: dict[str, tuple] = {}
    ones = np.zeros(n_t)
    rated = np.zeros(n_t)
    if k >= 2 and m.n_rows:
        rows, per_t = _distinct_per_transcript(m, n_t)
        data = m.values if m.level in ("interval", "ratio") else None   # centring only
        for name in names:
            suff = sufficient_statistic(name, m.level, cats, data=data)
            addends = suff.unit_stats(rows)
            totals = per_t @ addends
            values[name] = np.asarray(suff.finish(totals), dtype=float)
            se, n_used = unit_jackknife(suff.finish, addends, per_t, totals)
            ses[name] = se
            cis[name] = _intervals(name, values[name], se, n_used, opts.confidence)
        if m.kind == "presence":
            ones = per_t @ (rows == 1).sum(axis=1)
            rated = per_t @ (~np.isnan(rows)).sum(axis=1)
    shares, have = (_prevalence(m, n_t, m.cluster_counts, m.distinct.rows) if by_rows
                    else _prevalence(m, n_t))
    nan = np.full(n_t, math.nan)
    undefined = {}                # {t: {name: (value or None, reason)}}, from the units
    rows_of = bounds = None
    for t in np.flatnonzero(~np.all([np.isfinite(values.get(n, nan)) for n in names], axis=0)
                            if names else np.zeros(0, dtype=bool)).tolist():
        which = [n for n in names if not math.isfinite(values.get(n, nan)[t])]
        if rows_of is None:
            rows_of = np.argsort(m.clusters, kind="stable")
            bounds = np.searchsorted(m.clusters[rows_of], np.arange(n_t + 1))
        sub = m.values_at(rows_of[bounds[t]:bounds[t + 1]])        # (units, k), k may be 0
        res = compute(sub, m.level, cats, names=which, confidence=opts.confidence)
        got = {}
        for n in which:
            r = res.get(n)
            v = None if r is None else r.value
            got[n] = (None if v is None else float(v),
                      "not computed" if r is None else r.undefined_reason)
        undefined[t] = got
    item = m.item
    return TranscriptColumns(
        (item.key, m.kind, item.label, item.group, m.level,
         None if m.category_labels is None else tuple(m.category_labels), k, tuple(m.raters)),
        tuple(names), opts.scheme, {n: values.get(n, nan) for n in names}, ses, cis,
        undefined, n_units, n_single, (ones, rated) if m.kind == "presence" else None,
        shares, have)


class TranscriptColumns:
    """One code's per-transcript figures as arrays over the transcripts; :meth:`entry` makes
    transcript ``t``'s :class:`CodeEntry` (the same entry the eager loop made: a test holds
    them equal). A report of 1,000 sessions and 20 codes would otherwise hold 20,000 entries
    and ~200,000 statistics as objects, which the app's report process pickles and the GUI
    unpickles (seconds, and a collector walk that stalls the GUI); as columns it is a few
    hundred arrays, and the GUI makes the entries of the one transcript it shows."""

    def __init__(self, head, names, scheme, values, ses, cis, undefined, n_units, n_single,
                 presence, shares, have) -> None:
        self.head, self.names, self.scheme = head, names, scheme
        self.values, self.ses, self.cis, self.undefined = values, ses, cis, undefined
        self.n_units, self.n_single, self.presence = n_units, n_single, presence
        self.shares, self.have = shares, have
        self._makers = None

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_makers"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._makers = None

    def __len__(self) -> int:
        return int(self.n_units.size)

    def entry(self, t: int) -> CodeEntry:
        key, kind, label, group, level, labels, k, raters = self.head
        if self._makers is None:
            self._makers = {n: _Maker(n, self.scheme) for n in self.names}
        n_units = int(self.n_units[t])
        why = few_units(n_units)
        if self.presence is not None:
            ones, rated = self.presence
            why = (why, prevalence_reason(int(ones[t]), int(rated[t])))
        else:
            why = (why, None)
        caution = "; ".join(r for r in why if r) or None
        bad = self.undefined.get(t, {})
        stats = {}
        for n in self.names:
            make = self._makers[n]
            se_col = self.ses.get(n)
            se = None if se_col is None else float(se_col[t])
            if n in bad:
                v, reason = bad[n]
                stats[n] = make(v, reason, se, None, caution)
            else:
                ci = self.cis.get(n)
                ci = None if ci is None or not ci[2][t] else (float(ci[0][t]), float(ci[1][t]))
                stats[n] = make(float(self.values[n][t]), None, se, ci, caution)
        prevalence = {}
        for j, rater in enumerate(raters):
            if self.have[j][t] == 0:
                prevalence[rater] = None
            elif kind == "presence":
                prevalence[rater] = float(self.shares[j][t, 1])
            else:
                prevalence[rater] = dict(zip(labels, self.shares[j][t].tolist()))
        return CodeEntry(
            id=key, kind=kind, label=label, group=group, level=level, categories=labels,
            n_units=n_units, n_raters=k, raters=raters,
            n_units_single_rated=int(self.n_single[t]), prevalence=frozen_map(prevalence),
            statistics=MappingProxyType(stats))
