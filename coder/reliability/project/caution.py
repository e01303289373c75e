"""Cautions: a defined statistic that tells little is flagged, not labelled as good.

A code that no rater ever applied gets 100 % agreement and AC1 = 1; a code applied to nearly
every unit shows the same; ten units or fewer make any coefficient fragile; a cluster
bootstrap over a handful of transcripts has few distinct resamples. Such a value keeps its
number but carries ``caution`` (the reason, in words) and no interpretation label; the
renderers grey it and show the reason.

The rules (issue 11): no positive cases (presence); prevalence above 95 % (presence: the
share of "applied" among all the compared values); fewer than 10 units; fewer than 10
transcripts for a cluster bootstrap (the interval's ``ci_method`` says cluster bootstrap).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .results import Statistic

MIN_UNITS = 10
MIN_CLUSTERS = 10
MAX_PREVALENCE = 0.95
NO_POSITIVE = "no positive cases: no rater applied the code to a compared unit"


def few_units(n: int, what: str = "units") -> str | None:
    if n >= MIN_UNITS:
        return None
    return f"fewer than {MIN_UNITS} units ({n} {what})"


def prevalence_reason(ones: int, values: int) -> str | None:
    """For a presence code: ``ones`` "applied" among ``values`` compared values."""
    if values == 0:
        return None
    if ones == 0:
        return NO_POSITIVE
    share = ones / values
    if share > MAX_PREVALENCE:
        return f"prevalence above 95 % ({100 * share:.1f} % of the values are 'applied')"
    return None


def presence_reason(values: np.ndarray, cells=None) -> str | None:
    """:func:`prevalence_reason` for a units × raters matrix of 0/1 (NaN = missing);
    ``cells``: its :meth:`~.matrices.DataMatrix.cell_counts` when known (the same counts)."""
    if cells is not None:
        per, have = cells
        return prevalence_reason(int(per[:, 1].sum()), int(have.sum()))
    return prevalence_reason(int(np.count_nonzero(values == 1)),      # NaN == 1 is False
                             int(values.size - np.count_nonzero(np.isnan(values))))


def few_clusters(n_clusters: int) -> str:
    return (f"fewer than {MIN_CLUSTERS} transcripts for a cluster bootstrap "
            f"({n_clusters} transcript{'s' if n_clusters != 1 else ''})")


def cautioned(st: Statistic, *reasons: str | None) -> Statistic:
    """``st`` with the given reasons added to its caution (an undefined value needs none);
    a cautioned value loses its interpretation label."""
    reasons = tuple(r for r in reasons if r)
    if st.value is None or not reasons:
        return st
    text = "; ".join(((st.caution,) if st.caution else ()) + reasons)
    return replace(st, caution=text, interpretation=None)
