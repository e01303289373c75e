"""One report entry: the statistics of one data matrix, as a JSON-ready dict.

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
  beside it (F-based CIs) and interval alpha.

Each statistic is ``{"value", "se", "ci", "ci_method", "undefined_reason"}`` (the shape of
``python main.py stats --json``) plus ``"interpretation"``: ``None`` or
``{"label", "scheme", "scheme_name"}``. With ``ci="bootstrap"`` the intervals come from a
cluster bootstrap over transcripts and ``ci_method`` says so; statistics the bootstrap does not
cover keep their analytic interval and say that instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .. import agreement, alpha, gwet, kappa
from ..bootstrap import BootstrapCancelled, cluster_bootstrap
from ..category import per_category_kappa
from ..compute import applicable, compute
from ..prepare import agreement_weights, code, distinct_rows, scores
from ..result import StatResult
from ..schemes import DEFAULT_SCHEME, SCHEMES
from ..suffstats import sufficient_statistic
from ...jobs import Cancelled
from .matrices import DataMatrix, session_counts, span_dice

ICC_SET = ("icc_2_1", "icc_3_1", "krippendorff_alpha")
STAT_KEYS = ("value", "se", "ci", "ci_method", "undefined_reason", "convention")


@dataclass(frozen=True)
class CiOptions:
    """How intervals are made: ``method`` "analytic" or "bootstrap" (resampling transcripts)."""

    method: str = "analytic"
    replicates: int = 1000
    seed: int = 0
    confidence: float = 0.95
    scheme: str | None = None          # None: each statistic's default scheme
    cancel: object = None


def interpretation(name: str, value: float | None, scheme: str | None) -> dict | None:
    """The label for a value under the chosen scheme (or the statistic's default one)."""
    key = DEFAULT_SCHEME.get(name)
    if key is None or value is None:
        return None
    key = scheme or key
    sch = SCHEMES[key]
    return {"label": sch.label(float(value)), "scheme": key, "scheme_name": sch.display_name}


def stat_json(res: StatResult, scheme: str | None, name: str | None = None) -> dict:
    d = {k: v for k, v in res.to_json().items() if k in STAT_KEYS}
    d["interpretation"] = interpretation(name or res.name, res.value, scheme)
    note = res.extra.get("bootstrap_note")
    if note:
        d["ci_note"] = note
    return d


def _bootstrap(m: DataMatrix, name: str, res: StatResult, opts: CiOptions) -> StatResult:
    if res.value is None:
        return res
    cats = None if m.categories is None else list(m.categories)
    suff = sufficient_statistic(name, m.level, cats, data=m.values)
    suff = replace(suff, point=lambda _values, r=res: r)      # the value is already known
    try:
        return cluster_bootstrap(m.values, m.clusters, suff, replicates=opts.replicates,
                                 seed=opts.seed, ci=opts.confidence, cancel=opts.cancel)
    except BootstrapCancelled as exc:
        raise Cancelled(str(exc)) from None


def _statistics(m: DataMatrix, opts: CiOptions, bootstrap: bool,
                skip: tuple[str, ...] = ()) -> dict[str, StatResult]:
    cats = None if m.categories is None else list(m.categories)
    names = ICC_SET if m.level == "interval" else None
    if skip and names is None:
        names = [n for n in applicable(m.level, m.values.shape[1], cats) if n not in skip]
    values = m.values
    results = compute(values, m.level, cats, names=names, confidence=opts.confidence)
    if bootstrap and values.shape[1] >= 2:
        results = {nm: _bootstrap(m, nm, r, opts) for nm, r in results.items()}
    return results


def _prevalence(m: DataMatrix):
    """Share of each rater's values in each category (presence: the share applied)."""
    out: dict = {}
    for j, name in enumerate(m.raters):
        col = m.values[:, j]
        col = col[~np.isnan(col)]
        if m.categories is None:
            out[name] = None if col.size == 0 else {"mean": float(col.mean())}
            continue
        if col.size == 0:
            out[name] = None
            continue
        shares = [float((col == c).sum()) / col.size for c in m.categories]
        out[name] = (shares[1] if m.kind == "presence"
                     else dict(zip(m.category_labels, shares)))
    return out


def _category_extras(m: DataMatrix, opts: CiOptions) -> dict:
    """Per-category agreement, coincidence and confusion matrices (category sets); exact,
    ±1 and interval-alpha figures (ratings). Sums over units are taken over the distinct
    rows of the matrix weighted by their multiplicity (:func:`~..prepare.distinct_rows`)."""
    q = len(m.categories)
    coded = code(m.values, list(m.categories))
    d = distinct_rows(coded.codes, q)
    counts = d.counts(q)
    labels = list(m.category_labels)
    out: dict = {}
    if m.kind == "category":
        per = agreement.per_category_weighted(counts, d.mult, labels)
        out["per_category_agreement"] = {lab: stat_json(r, None) for lab, r in per.items()}
        kappas = per_category_kappa(counts, d.mult, labels, level=opts.confidence)
        out["per_category_kappa"] = {lab: stat_json(r, opts.scheme, "fleiss_kappa")
                                     for lab, r in kappas.items()}
        out["coincidence_matrix"] = {"categories": labels,
                                     "values": alpha.coincidences(d.rows, d.mult, q).tolist()}
        if m.values.shape[1] == 2:
            out["confusion_matrix"] = {
                "rows": m.raters[0], "columns": m.raters[1], "categories": labels,
                "counts": kappa.confusion_matrix(coded.codes, q).astype(int).tolist()}
    if m.kind == "rating":
        sc = scores(np.asarray(m.categories), "ordinal")
        kw = {"level": opts.confidence}
        within = agreement_weights("within_one", sc)
        out["agreement"] = {
            "exact": stat_json(gwet.weighted(counts, d.mult, np.eye(q), "pa",
                                             "exact_agreement", **kw), None),
            "within_one": stat_json(gwet.weighted(counts, d.mult, within, "pa",
                                                  "within_one_agreement", **kw), None)}
        check = compute(m.values, "interval",
                        names=["krippendorff_alpha"], confidence=opts.confidence)
        out["interval_check"] = stat_json(check["krippendorff_alpha"], opts.scheme)
    return out


def entry(m: DataMatrix, opts: CiOptions, *, bootstrap: bool = False,
          counts: bool = True, spans: bool = True, skip: tuple[str, ...] = ()) -> dict:
    """The report entry for one data matrix (see the module docstring); ``skip`` names
    statistics to leave out (the pair cut leaves out Fleiss' kappa, which with two raters
    is Scott's pi, reported under that name)."""
    item = m.item
    results = _statistics(m, opts, bootstrap, skip)
    out = {
        "id": item.key, "kind": m.kind, "label": item.label, "group": item.group,
        "level": m.level,
        "categories": None if m.category_labels is None else list(m.category_labels),
        "n_units": m.n_units_pairable, "n_raters": len(m.raters),
        "raters": list(m.raters), "n_units_single_rated": int(m.n_units_single_rated),
        "prevalence": _prevalence(m),
        "statistics": {nm: stat_json(r, opts.scheme) for nm, r in results.items()},
    }
    out.update({k: v for k, v in m.notes.items()})
    if m.kind in ("category", "rating"):
        out.update(_category_extras(m, opts))
    if m.kind == "presence":
        if spans:
            out["span_dice"] = span_dice(m)
        if counts:
            sc = session_counts(m)
            res = _statistics(sc, opts, bootstrap)
            out["session_counts"] = {
                "n_transcripts": int(sc.values.shape[0]),
                "n_transcripts_single_rated": int(sc.n_units_single_rated),
                "means": _prevalence(sc),
                "statistics": {nm: stat_json(r, opts.scheme) for nm, r in res.items()}}
    return out
