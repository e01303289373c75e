"""Sensitivity, specificity, precision and F1 of a rater against the reference rater.

In the report's reference cut each entry compares one rater with the reference (the
reference is the first column of the entry's matrix). For a presence code the reference's
"applied" is the truth; for a category set each category is taken in turn as "positive"
against the rest of the set. Only units both raters rated count (a unit one of them did not
rate is missing, not a negative). The figures come from
:func:`coder.reliability.category.against_reference` (Wilson score intervals for the three
proportions, a delete-one-unit jackknife interval for F1); a value over fewer than 10 units
is cautioned like every other statistic. Ratings and session globals have no "positive"
and get none of these.
"""

from __future__ import annotations

from ..category import against_reference
from .caution import cautioned, few_units
from .entries import statistic
from .matrices import DataMatrix
from .results import ReferenceAccuracy, frozen_map

ACCURACY_NAMES = ("sensitivity", "specificity", "precision", "f1")


def accuracy(values, positive: float, reference: str, rater: str,
             confidence: float = 0.95) -> ReferenceAccuracy:
    """The second column of ``values`` (units × 2, NaN = missing) against the first; the
    counts are read back from the Wilson proportions (TP of TP + FN, TN of TN + FP)."""
    res = against_reference(values, 0, (reference, rater), positive, confidence)[rater]
    sens, spec = res["sensitivity"], res["specificity"]
    tp = int(sens.extra.get("successes", 0))
    fn = int(sens.n_units) - tp
    tn = int(spec.extra.get("successes", 0))
    fp = int(spec.n_units) - tn
    why = few_units(tp + fp + fn + tn)
    stats = frozen_map((nm, cautioned(statistic(res[nm], None), why)) for nm in ACCURACY_NAMES)
    return ReferenceAccuracy(reference, rater, tp, fp, fn, tn, stats)


def accuracy_extras(m: DataMatrix, confidence: float = 0.95) -> dict:
    """The :class:`~.results.CodeEntry` fields of the reference cut for ``m`` (the reference
    first): ``against_reference`` (presence) or ``per_category_against_reference``."""
    if len(m.raters) != 2 or m.categories is None:
        return {}
    reference, rater = m.raters[0], m.raters[1]
    if m.kind == "presence":
        return {"against_reference": accuracy(m.values, 1.0, reference, rater, confidence)}
    if m.kind == "category":
        return {"per_category_against_reference": frozen_map(
            (lab, accuracy(m.values, float(c), reference, rater, confidence))
            for c, lab in zip(m.categories, m.category_labels))}
    return {}
