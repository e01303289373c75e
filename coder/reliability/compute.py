"""``compute``: every reliability statistic that applies to the data and level of measurement.

Which statistics are present (DOMAIN.md, "Reliability: which statistic for which data"):

* all levels: percent agreement, Scott's pi and Cohen's kappa (2 raters), Fleiss' kappa,
  Brennan-Prediger, Gwet's AC1, Krippendorff's alpha at the given level;
  positive/negative agreement when the categories are exactly {0, 1};
* ordinal or finer: linear/quadratic weighted kappa (2 raters), AC2 linear/quadratic;
* interval/ratio: the six ICC forms (complete units only);
* three or more raters: Conger's kappa and Light's kappa (with two raters both are Cohen's);
* presence codes (categories exactly {0, 1}): PABAK with the prevalence and bias indices.

Units rated by one rater: Fleiss, Brennan-Prediger, AC1/AC2 and Conger follow Gwet (2014) as
irrCAC does (``single_rated="in_chance"``, the default): agreement over units rated by two or
more raters, chance agreement and variance over every unit rated at least once. Every result
says which units it used in ``convention``. Krippendorff's alpha uses pairable values only and
carries Krippendorff's bootstrap interval (Hayes & Krippendorff 2007; :mod:`.alpha_boot`).

A statistic that applies but cannot be computed is present with ``undefined_reason``;
one that does not apply (e.g. Cohen's kappa with three raters) is absent.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import agreement, alpha, alpha_boot, conger, gwet, icc, kappa, pairwise
from .prepare import (LEVELS, MISSING, agreement_weights, as_matrix, code, distinct_rows,
                      scores)
from .result import FEWER_THAN_TWO_RATERS, StatResult, undefined

ALL_NAMES = (
    "percent_agreement", "positive_agreement", "negative_agreement",
    "cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic",
    "scott_pi", "fleiss_kappa", "conger_kappa", "light_kappa", "brennan_prediger",
    "gwet_ac1", "gwet_ac2_linear", "gwet_ac2_quadratic",
    "pabak", "prevalence_index", "bias_index",
    "krippendorff_alpha",
    "icc_1_1", "icc_2_1", "icc_3_1", "icc_1_k", "icc_2_k", "icc_3_k",
)
TWO_RATER = {"cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic", "scott_pi"}
MULTI_RATER = {"conger_kappa", "light_kappa"}
ORDERED = {"weighted_kappa_linear", "weighted_kappa_quadratic", "gwet_ac2_linear",
           "gwet_ac2_quadratic"}
BINARY = {"positive_agreement", "negative_agreement", "pabak", "prevalence_index", "bias_index"}
GWET_FAMILY = {"fleiss_kappa", "conger_kappa", "brennan_prediger", "gwet_ac1", "gwet_ac2_linear",
               "gwet_ac2_quadratic"}
ALPHA_CONVENTION = ("pairable values only: units with one value left out (Krippendorff "
                    "2011)")
PAIR_CONVENTION = "units rated by both raters"
ICC_CONVENTION = "units rated by every rater"
CATEGORY_BASED = set(ALL_NAMES) - set(icc.NAMES) - {"krippendorff_alpha"}
MAX_CATEGORIES = 200   # category statistics on more distinct values than this are refused


def applicable(level: str, n_raters: int, categories) -> list[str]:
    """Names of the statistics that apply to this level, rater count and category set."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    binary = categories is not None and sorted(float(c) for c in categories) == [0.0, 1.0]
    out = []
    for nm in ALL_NAMES:
        if nm in TWO_RATER and n_raters > 2:
            continue
        if nm in MULTI_RATER and n_raters < 3:
            continue
        if nm in ORDERED and level == "nominal":
            continue
        if nm in BINARY and not binary:
            continue
        if nm in icc.NAMES and level not in ("interval", "ratio"):
            continue
        out.append(nm)
    return out


def compute(data, level: str, categories=None, *, names=None,
            single_rated: str = "in_chance", confidence: float = 0.95,
            alpha_replicates: int = 1000, seed=0, prepared=None) -> dict[str, StatResult]:
    """All applicable statistics for a units × raters array (``np.nan`` = missing).

    ``categories``: the codebook's category values in codebook order (unused ones count).
    When omitted they are inferred from the data and ``extra["categories_inferred"]`` says so.
    ``names`` restricts the result to those statistics (unknown names raise ValueError).
    ``single_rated``: "in_chance" (default: Gwet 2014 and irrCAC keep single-rated units in
    the chance-agreement margins and variance of Fleiss/Conger/BP/AC1/AC2) or "exclude"
    (units rated by two or more raters only).
    ``alpha_replicates`` and ``seed``: Krippendorff's bootstrap interval for alpha
    (:mod:`.alpha_boot`); ``alpha_replicates=0`` leaves alpha without an interval.
    ``prepared``: ``(Coded, Distinct)`` of ``data`` with these categories when the caller
    already holds them (a report's data matrix keeps them: :mod:`.project.matrices`).
    Raises ValueError when a value is not one of the given categories.
    """
    # (Prepared codes were made from these values: they are finite, the check is done.)
    # With prepared codes ``data`` may be None (a matrix held as codes) where no statistic
    # asked for reads values: the category-based ones and alpha below interval level.
    if prepared is None:
        values = as_matrix(data)
    elif data is None:
        if level in ("interval", "ratio") or categories is None:
            raise ValueError("interval statistics need the values, not only their codes")
        values = None
    else:
        values = np.asarray(data, dtype=float)
    n_raters = values.shape[1] if values is not None else prepared[0].n_raters
    if names is not None:
        unknown = set(names) - set(ALL_NAMES)
        if unknown:
            raise ValueError(f"unknown statistic(s): {', '.join(sorted(unknown))}")
    cats_known = categories is not None
    distinct = None if cats_known else np.unique(values[~np.isnan(values)])
    wanted = [nm for nm in applicable(level, n_raters, categories if cats_known else distinct)
              if names is None or nm in names]
    if n_raters < 2:
        return {nm: undefined(nm, FEWER_THAN_TWO_RATERS) for nm in wanted}

    out: dict[str, StatResult] = {}
    too_many = (not cats_known) and distinct.size > MAX_CATEGORIES
    if prepared is not None and cats_known:
        coded, d_known = prepared
    else:
        d_known = None
        coded = None if too_many and level == "interval" else code(values, categories)
    cat_info = {"categories_inferred": not cats_known}
    if too_many:
        reason = (f"{distinct.size} distinct values are too many to treat as categories; "
                  "give the categories explicitly")
        for nm in wanted:
            if nm in CATEGORY_BASED:
                out[nm] = undefined(nm, reason, **cat_info)
    # The distinct rows of the codes, shared by every category-based coefficient and alpha.
    by_rows = level != "interval" and "krippendorff_alpha" in wanted
    d = None
    if coded is not None and (by_rows or (CATEGORY_BASED & set(wanted) and not too_many)):
        d = d_known if d_known is not None else distinct_rows(coded.codes, coded.q)
    if not too_many and CATEGORY_BASED & set(wanted):
        out.update(_category_stats(coded, d, level, wanted, single_rated, confidence))
    if "krippendorff_alpha" in wanted:
        if d is not None and by_rows:
            out["krippendorff_alpha"] = alpha.alpha_distinct(d.rows, d.mult, coded.categories,
                                                             level)
        else:
            codes = None if coded is None else coded.codes
            cats = distinct if coded is None else coded.categories
            out["krippendorff_alpha"] = alpha.krippendorff_alpha(values, codes, cats, level)
        if alpha_replicates:
            out["krippendorff_alpha"] = _alpha_interval(out["krippendorff_alpha"], coded, d,
                                                        level, alpha_replicates, seed)
    if any(nm in icc.NAMES for nm in wanted):
        res = icc.icc(values, level=confidence)
        out.update({nm: res[nm] for nm in icc.NAMES if nm in wanted})
    for nm, res in out.items():
        if nm in CATEGORY_BASED or nm == "krippendorff_alpha":
            res.extra.update(cat_info)
    return {nm: replace(out[nm], convention=_convention(nm, single_rated)) for nm in wanted}


def _convention(name: str, single_rated: str) -> str:
    """Which units a statistic is computed over, in words (StatResult.convention)."""
    if name in GWET_FAMILY:
        return gwet.convention(single_rated)
    if name in pairwise.NAMES:
        return pairwise.CONVENTION
    if name in TWO_RATER:
        return PAIR_CONVENTION
    if name == "krippendorff_alpha":
        return ALPHA_CONVENTION
    if name in icc.NAMES:
        return ICC_CONVENTION
    return gwet.PA_CONVENTION


def _alpha_interval(res: StatResult, coded, d, level, replicates, seed) -> StatResult:
    """Alpha with Krippendorff's bootstrap interval (:mod:`.alpha_boot`), or a note why not."""
    if res.value is None:
        return res
    if coded is None:
        return replace(res, extra={**res.extra, "bootstrap_note": "too many distinct values "
                                   "for Krippendorff's bootstrap: no interval"})
    if d is None:
        d = distinct_rows(coded.codes, coded.q)
    o = alpha.coincidences(d.rows, d.mult, coded.q)
    m = (d.rows != MISSING).sum(axis=1)
    n_pairs = float(d.mult @ (m * (m - 1) / 2.0 * (m >= 2)))
    return alpha_boot.with_kalpha_interval(res, o, level, coded.categories, coded.n_raters,
                                           n_pairs, replicates, seed)


def _pairwise(coded, d, names, confidence) -> dict[str, StatResult]:
    """The pairwise coefficients in ``names``: Light's kappa on the codes as they are, the
    presence indices on codes in the order (0 = not applied, 1 = applied); one pass over
    the rater pairs when the two orders are the same."""
    if not names:
        return {}
    rows = d.rows
    indexed = [nm for nm in names if nm != "light_kappa"]
    if indexed:
        order = np.array([int(np.flatnonzero(coded.categories == v)[0]) for v in (0.0, 1.0)])
        if (order != np.arange(2)).any():
            rows = np.where(rows == MISSING, MISSING, np.argsort(order)[rows])
    if rows is d.rows:
        return pairwise.pairwise_many(rows, d.mult, coded.q, names, level=confidence)
    got = pairwise.pairwise_many(rows, d.mult, coded.q, indexed, level=confidence)
    if "light_kappa" in names:
        got.update(pairwise.pairwise_many(d.rows, d.mult, coded.q, ["light_kappa"],
                                          level=confidence))
    return {nm: got[nm] for nm in names}


def _category_stats(coded, d, level, wanted, single_rated, confidence) -> dict[str, StatResult]:
    """The category-based statistics, all from ``d``: the distinct rows of the codes and
    their multiplicities (:func:`~.prepare.distinct_rows`), shared by every coefficient
    (each is a sum over units of a function of the unit's row)."""
    q = coded.q
    counts, mult = d.counts(q), d.mult
    sc = scores(coded.categories, level)
    w_lin, w_quad = agreement_weights("linear", sc), agreement_weights("quadratic", sc)
    eye = np.eye(q)
    kw = {"single_rated": single_rated, "level": confidence}
    out: dict[str, StatResult] = {}
    if "percent_agreement" in wanted:
        res = gwet.weighted(counts, mult, eye, "pa", "percent_agreement", level=confidence)
        prev = agreement.prevalence_weighted(d.rows, mult, q)   # None: a rater rated nothing
        res.extra["prevalence_per_rater"] = [None if np.isnan(row).any() else row.tolist()
                                             for row in prev]
        res.extra["categories"] = coded.categories.tolist()
        if level != "nominal" and res.value is not None:
            res.extra["within_one_agreement"] = gwet.weighted(
                counts, mult, agreement_weights("within_one", sc), "pa",
                "within_one_agreement", level=confidence).value
        out["percent_agreement"] = res
    if BINARY & set(wanted):
        order = [int(np.flatnonzero(coded.categories == v)[0]) for v in (0.0, 1.0)]
        out.update(agreement.positive_negative_weighted(counts[:, order], mult))
    if coded.n_raters == 2:
        for nm, w in (("cohen_kappa", None), ("weighted_kappa_linear", w_lin),
                      ("weighted_kappa_quadratic", w_quad)):
            if nm in wanted:
                out[nm] = kappa.cohen_weighted(d.rows, mult, q, w, name=nm, level=confidence)
        if "scott_pi" in wanted:
            out["scott_pi"] = gwet.weighted(counts, mult, eye, "fleiss", "scott_pi",
                                            single_rated="exclude", level=confidence)
    if "fleiss_kappa" in wanted:
        out["fleiss_kappa"] = gwet.weighted(counts, mult, eye, "fleiss", "fleiss_kappa", **kw)
    if "conger_kappa" in wanted:
        out["conger_kappa"] = conger.conger_weighted(d.rows, mult, q, **kw)
    out.update(_pairwise(coded, d, [nm for nm in pairwise.NAMES if nm in wanted], confidence))
    if "brennan_prediger" in wanted:
        out["brennan_prediger"] = gwet.weighted(counts, mult, eye, "bp", "brennan_prediger",
                                                **kw)
    for nm, w in (("gwet_ac1", None), ("gwet_ac2_linear", w_lin),
                  ("gwet_ac2_quadratic", w_quad)):
        if nm in wanted:
            out[nm] = gwet.weighted(counts, mult, eye if w is None else w, "ac", nm, **kw)
    return out
