"""One report entry: the statistics of one data matrix, as a :class:`~.results.CodeEntry`.

Which statistics (DOMAIN.md, "which statistic for which data"):

* presence: binary nominal statistics on categories [0, 1] (percent, positive and negative
  agreement, Cohen's kappa with two raters, Scott's pi, Fleiss, Brennan-Prediger, AC1,
  alpha nominal), prevalence per rater, span Dice, and ICC of the per-session counts;
* category set: nominal statistics on the codebook's categories (unused ones count), plus
  per-category agreement and kappa (:func:`~..category.per_category_kappa`), the confusion
  matrix (two raters) and the coincidence matrix;
* rating: ordinal statistics on the scale points (unused points count), exact and ±1
  agreement, and interval alpha as a check;
* session global and per-session counts: ICC(2,1) = ICC(A,1) with ICC(3,1) = ICC(C,1)
  beside it (F-based CIs) and interval alpha; the ICC of per-session counts is not computed
  from fewer than 5 sessions (undefined, with the reason).

Each statistic is a :class:`~.results.Statistic` (value, se, ci, ci_method,
undefined_reason, and the interpretation label under the chosen scheme). With
``ci="bootstrap"`` the intervals come from a cluster bootstrap over transcripts and
``ci_method`` says so; statistics the bootstrap does not cover keep their analytic interval
and say that instead. Krippendorff's alpha has no analytic interval: with ``ci="analytic"``
it carries Krippendorff's own bootstrap interval (Hayes & Krippendorff 2007,
:mod:`..alpha_boot`), or the cluster bootstrap's where that one cannot be made, named so. A cluster bootstrap over fewer than 10
transcripts is cautioned and the delete-one-transcript jackknife SE stands beside it
(:mod:`coder.reliability.jackknife`); the other cautions are in :mod:`.caution`.
"""

from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass, replace

import numpy as np

from .. import agreement, alpha, gwet, kappa
from ..bootstrap import BootstrapCancelled, cluster_bootstrap
from ..jackknife import cluster_jackknife_se
from ..category import per_category_kappa
from ..compute import applicable, compute
from ..prepare import MISSING, agreement_weights, scores
from ..result import StatResult, undefined
from ..schemes import DEFAULT_SCHEME, SCHEMES
from ..suffstats import sufficient_statistic
from ...jobs import Cancelled
from .caution import MIN_CLUSTERS, cautioned, few_clusters, few_units, presence_reason
from .counts import session_counts, span_dice
from .matrices import DataMatrix
from .results import (
    CodeEntry,
    CoincidenceMatrix,
    ConfusionMatrix,
    EntryNotes,
    Interpretation,
    SessionCounts,
    SpanOverlap,
    Statistic,
    frozen_map,
)

ICC_SET = ("icc_2_1", "icc_3_1", "krippendorff_alpha")
ICC_NAMES = ("icc_2_1", "icc_3_1")
MIN_SESSIONS = 5           # an ICC of per-session counts needs at least this many sessions


@dataclass(frozen=True)
class CiOptions:
    """How intervals are made: ``method`` "analytic" or "bootstrap" (resampling transcripts)."""

    method: str = "analytic"
    replicates: int = 1000
    seed: int = 0
    confidence: float = 0.95
    scheme: str | None = None          # None: each statistic's default scheme
    cancel: object = None


def interpretation(name: str, value: float | None, scheme: str | None) -> Interpretation | None:
    """The label for a value under the chosen scheme (or the statistic's default one)."""
    key = DEFAULT_SCHEME.get(name)
    if key is None or value is None:
        return None
    key = scheme or key
    sch = SCHEMES[key]
    return _interpretation(sch.label(float(value)), key, sch.display_name)


@lru_cache(maxsize=512)
def _interpretation(label: str, key: str, display: str) -> Interpretation:
    """One shared frozen value per label (a full report makes ~20,000 of them)."""
    return Interpretation(label, key, display)


def statistic(res: StatResult, scheme: str | None, name: str | None = None) -> Statistic:
    """The report's value for an engine result (floats are Python floats, never NaN)."""
    d = res.to_json()
    ci = d["ci"]
    st = Statistic(d["value"], d["se"], None if ci is None else (ci[0], ci[1]),
                   d["ci_method"], d["undefined_reason"],
                   interpretation(name or res.name, d["value"], scheme),
                   res.extra.get("bootstrap_note") or None,
                   jackknife_se=res.extra.get("jackknife_se"),
                   convention=d.get("convention"))
    n_clusters = res.extra.get("n_clusters")
    if "replicates" in res.extra and n_clusters is not None and n_clusters < MIN_CLUSTERS:
        st = cautioned(st, few_clusters(int(n_clusters)))
    return st


def statistics(results: dict[str, StatResult], scheme: str | None, reasons=()):
    """name -> Statistic, each cautioned with ``reasons`` (None entries are ignored)."""
    return frozen_map((nm, cautioned(statistic(r, scheme), *reasons))
                      for nm, r in results.items())


class ClusterRows:
    """A matrix's distinct rows and how often each occurs in each transcript, so that every
    statistic's per-transcript totals are ``per_cluster @ unit_stats(rows)``: the addends are
    computed for a few dozen rows, not for every unit (as :mod:`.per_transcript` does)."""

    def __init__(self, m: DataMatrix) -> None:
        self.rows = self.per_cluster = None
        if m.categories is None or not m.n_rows:
            return                                   # continuous data: unit by unit
        cats = np.asarray(m.categories, dtype=float)
        d = m.distinct
        p = d.rows.shape[0]
        _, cl = np.unique(m.clusters, return_inverse=True)
        g = int(cl.max()) + 1
        self.rows = np.where(d.rows == MISSING, np.nan, cats[np.maximum(d.rows, 0)])
        self.per_cluster = np.bincount(cl.ravel() * p + d.inverse,
                                       minlength=g * p).reshape(g, p).astype(float)

    def totals(self, suff):
        if self.rows is None:
            return None
        return self.per_cluster @ suff.unit_stats(self.rows)


def _bootstrap(m: DataMatrix, name: str, res: StatResult, opts: CiOptions,
               level: str | None = None, rows: ClusterRows | None = None) -> StatResult:
    if res.value is None:
        return res
    cats = None if m.categories is None else list(m.categories)
    # The data only where the statistic reads more than its shape from it (interval alpha
    # and the ICC centre the values) or a matrix without categories: a categorical
    # matrix's values are not made for the bootstrap (its addends come from ``rows``).
    by_rows = rows is not None and rows.rows is not None
    needs = (level or m.level) in ("interval", "ratio") or not by_rows
    data = m.values if needs else None
    try:
        suff = sufficient_statistic(name, level or m.level, cats, data=data,
                                    n_raters=len(m.raters))
    except ValueError:                    # no additive form: the analytic interval stays
        return replace(res, extra={**res.extra, "bootstrap_note": "no cluster bootstrap for "
                                   "this statistic: the analytic interval is shown"})
    suff = replace(suff, point=lambda _values, r=res: r)      # the value is already known
    totals = None if rows is None else rows.totals(suff)
    try:
        out = cluster_bootstrap(data, m.clusters, suff, replicates=opts.replicates,
                                seed=opts.seed, ci=opts.confidence, cancel=opts.cancel,
                                totals=totals)
    except BootstrapCancelled as exc:
        raise Cancelled(str(exc)) from None
    if out.extra.get("n_clusters", MIN_CLUSTERS) < MIN_CLUSTERS:
        jack = cluster_jackknife_se(data, m.clusters, suff, totals)
        if jack is not None:
            out = replace(out, extra={**out.extra, "jackknife_se": jack})
    return out


def _statistics(m: DataMatrix, opts: CiOptions, bootstrap: bool,
                skip: tuple[str, ...] = ()) -> dict[str, StatResult]:
    cats = None if m.categories is None else list(m.categories)
    names = ICC_SET if m.level == "interval" else None
    if skip and names is None:
        names = [n for n in applicable(m.level, len(m.raters), cats) if n not in skip]
    prepared = None if m.coded is None else (m.coded, m.distinct)
    # (prepared codes: compute reads the values only for interval statistics)
    values = m.values if prepared is None or m.level in ("interval", "ratio") else None
    results = compute(values, m.level, cats, names=names, confidence=opts.confidence,
                      prepared=prepared)
    if len(m.raters) < 2:
        return results
    if not bootstrap:                    # alpha alone, when it has no interval yet
        alpha_ = results.get("krippendorff_alpha")
        if alpha_ is None or alpha_.value is None or alpha_.ci is not None:
            return results
        results = dict(results)
        results["krippendorff_alpha"] = _bootstrap(m, "krippendorff_alpha", alpha_, opts,
                                                   rows=ClusterRows(m))
        return results
    rows = ClusterRows(m)
    return {nm: _bootstrap(m, nm, r, opts, rows=rows) for nm, r in results.items()}


def _prevalence(m: DataMatrix):
    """Share of each rater's values in each category (presence: the share applied), from
    the counts per category (:meth:`~.matrices.DataMatrix.cell_counts`); each rater's mean
    for data without categories (per-session counts)."""
    out: dict = {}
    if m.categories is None:
        for j, name in enumerate(m.raters):
            col = m.values[:, j]
            col = col[~np.isnan(col)]
            out[name] = None if col.size == 0 else {"mean": float(col.mean())}
        return out
    per, have = m.cell_counts()
    for j, name in enumerate(m.raters):
        if have[j] == 0:
            out[name] = None
            continue
        size = float(have[j])
        shares = [float(c) / size for c in per[j]]
        out[name] = (shares[1] if m.kind == "presence"
                     else dict(zip(m.category_labels, shares)))
    return out


def _category_extras(m: DataMatrix, opts: CiOptions) -> dict:
    """Per-category agreement, coincidence and confusion matrices (category sets); exact,
    ±1 and interval-alpha figures (ratings). Sums over units are taken over the distinct
    rows of the matrix weighted by their multiplicity (:func:`~..prepare.distinct_rows`)."""
    q = len(m.categories)
    coded, d = m.coded, m.distinct
    counts = d.counts(q)
    labels = list(m.category_labels)
    out: dict = {}
    if m.kind == "category":
        per = agreement.per_category_weighted(counts, d.mult, labels)
        out["per_category_agreement"] = frozen_map(
            (lab, statistic(r, None)) for lab, r in per.items())
        kappas = per_category_kappa(counts, d.mult, labels, level=opts.confidence)
        out["per_category_kappa"] = frozen_map(
            (lab, statistic(r, opts.scheme, "fleiss_kappa")) for lab, r in kappas.items())
        out["coincidence_matrix"] = CoincidenceMatrix(
            tuple(labels), _rows(alpha.coincidences(d.rows, d.mult, q).tolist()))
        if len(m.raters) == 2:
            out["confusion_matrix"] = ConfusionMatrix(
                m.raters[0], m.raters[1], tuple(labels),
                _rows(kappa.confusion_matrix(coded.codes, q).astype(int).tolist()))
    if m.kind == "rating":
        sc = scores(np.asarray(m.categories), "ordinal")
        kw = {"level": opts.confidence}
        within = agreement_weights("within_one", sc)
        out["agreement"] = frozen_map((
            ("exact", statistic(gwet.weighted(counts, d.mult, np.eye(q), "pa",
                                              "exact_agreement", **kw), None)),
            ("within_one", statistic(gwet.weighted(counts, d.mult, within, "pa",
                                                   "within_one_agreement", **kw), None))))
        check = compute(m.values, "interval",
                        names=["krippendorff_alpha"], confidence=opts.confidence)
        res = check["krippendorff_alpha"]
        if res.ci is None and len(m.raters) >= 2:
            res = _bootstrap(m, "krippendorff_alpha", res, opts, level="interval")
        out["interval_check"] = statistic(res, opts.scheme)
    return out


def _rows(table: list[list]) -> tuple[tuple, ...]:
    return tuple(tuple(r) for r in table)


def notes_of(m: DataMatrix) -> EntryNotes:
    n = m.notes
    without = n.get("raters_without_data")
    return EntryNotes(n.get("n_codings_outside_scope"), n.get("n_values_off_scale"),
                      n.get("n_units_with_two_categories"),
                      None if without is None else tuple(without))


def span_overlap(m: DataMatrix, pairs: dict | None = None) -> SpanOverlap | None:
    d = span_dice(m, pairs)
    return SpanOverlap(**d) if d else None


def entry(m: DataMatrix, opts: CiOptions, *, bootstrap: bool = False,
          counts: bool = True, spans: bool = True, skip: tuple[str, ...] = (),
          span_pairs: dict | None = None) -> CodeEntry:
    """The report entry for one data matrix (see the module docstring); ``skip`` names
    statistics to leave out (the pair cut leaves out Fleiss' kappa, which with two raters
    is Scott's pi, reported under that name); ``span_pairs``: the code's
    :func:`~.matrices.span_pairs`, shared by its cuts."""
    item = m.item
    n_units = int(m.n_units_pairable)
    reasons = (few_units(n_units, "transcripts" if m.kind == "global" else "units"),
               presence_reason(None, m.cell_counts()) if m.kind == "presence" else None)
    results = _statistics(m, opts, bootstrap, skip)
    extras: dict = {}
    if m.kind in ("category", "rating"):
        extras.update(_category_extras(m, opts))
        for key in ("per_category_agreement", "per_category_kappa", "agreement"):
            if key in extras:
                extras[key] = frozen_map((k, cautioned(st, *reasons))
                                         for k, st in extras[key].items())
        if "interval_check" in extras:
            extras["interval_check"] = cautioned(extras["interval_check"], *reasons)
    if m.kind == "presence":
        if spans:
            extras["span_dice"] = span_overlap(m, span_pairs)
        if counts:
            extras["session_counts"] = _session_counts(m, opts, bootstrap)
    names = None
    if m.kind == "category":
        names = tuple(c.label for c in item.codes)
    return CodeEntry(
        id=item.key, kind=m.kind, label=item.label, group=item.group, level=m.level,
        categories=None if m.category_labels is None else tuple(m.category_labels),
        n_units=n_units, n_raters=len(m.raters), raters=tuple(m.raters),
        n_units_single_rated=int(m.n_units_single_rated),
        prevalence=frozen_map(_prevalence(m)),
        statistics=statistics(results, opts.scheme, reasons), notes=notes_of(m),
        category_names=names, **extras)


def _session_counts(m: DataMatrix, opts: CiOptions, bootstrap: bool) -> SessionCounts:
    """ICC and alpha of how often each rater applied a presence code per session. The ICC is
    not computed from fewer than :data:`MIN_SESSIONS` sessions (its F-based interval and
    variance components mean little there); fewer than 10 sessions is a caution."""
    sc = session_counts(m)
    n = int(sc.values.shape[0])
    res = _statistics(sc, opts, bootstrap)
    if n < MIN_SESSIONS:
        why = (f"fewer than {MIN_SESSIONS} sessions ({n}): an ICC of per-session counts is "
               "not computed")
        res = {nm: replace(undefined(nm, why, n), convention=r.convention)
               if nm in ICC_NAMES else r for nm, r in res.items()}
    return SessionCounts(n, int(sc.n_units_single_rated), frozen_map(_prevalence(sc)),
                         statistics(res, opts.scheme, (few_units(n, "sessions"),)))
