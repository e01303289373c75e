"""What a report counts over a code's matrix besides its statistics: the per-session counts
of a presence code (whose ICC the report gives), the text spans' overlap between raters and
the rows where raters differ. Split from :mod:`.matrices`, which makes the matrices these
read."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..prepare import MISSING, row_counts
from .matrices import DataMatrix


def session_counts(m: DataMatrix) -> DataMatrix:
    """Per-session counts of a presence code: for each transcript and rater, the number of
    the matrix's units of that transcript where the rater applied the code. A rater's count
    is defined only when the rater has a value on every one of those units (else missing).
    Only units rated by two or more raters count (a single-rated unit would make every other
    rater's count missing).

    The sums are taken over the matrix's distinct rows and their counts per transcript
    (:attr:`DataMatrix.cluster_counts`, which a report's cuts inherit from their code's
    full matrix), not unit by unit: whole numbers, so the same floats either way."""
    n_r = len(m.raters)
    if n_r == 0 or not m.n_units_pairable:         # no rater or no unit (e.g. nothing visible)
        empty = np.zeros(0, dtype=np.int64)
        return replace(m, kind="session_count", level="interval", categories=None,
                       category_labels=None, data=np.zeros((0, n_r)), clusters=empty,
                       unit_index=empty, spans=None, n_units_single_rated=0, notes={},
                       single_clusters=empty)
    d, per_t = m.distinct, m.cluster_counts
    pair = m.pairable_rows
    present = (d.rows != MISSING) & pair[:, None]
    applied = (d.rows == m.categories.index(1.0)) & pair[:, None]
    n_rows = per_t @ pair
    t_ids = np.flatnonzero(n_rows > 0)
    per_t = per_t[t_ids]
    return _session_matrix(m, t_ids, n_rows[t_ids], per_t @ present, per_t @ applied)


def _session_matrix(m: DataMatrix, t_ids, n_rows, have, total) -> DataMatrix:
    counts = np.where(have == n_rows[:, None], total, np.nan)
    n = (~np.isnan(counts)).sum(axis=1)
    keep = n >= 2
    return replace(m, kind="session_count", level="interval", categories=None,
                   category_labels=None, data=counts[keep], clusters=t_ids[keep],
                   unit_index=np.full(int(keep.sum()), -1, dtype=np.int64), spans=None,
                   n_units_single_rated=int((n == 1).sum()), notes={},
                   single_clusters=t_ids[n == 1])


def span_pairs(m: DataMatrix) -> dict:
    """For each pair of ``m``'s raters (names, in column order): the Dice values of the units
    where both applied the code with a span, in row order, and how many units both applied
    it with a span from only one of them. A cut of ``m``'s raters (a pair, or the pooled
    cut) has exactly these units for each of its pairs, so the report computes this once
    per code and hands it to every cut (:func:`span_dice`)."""
    out: dict = {}
    if m.spans is None:
        return out
    k = m.spans.shape[1]
    applied = m.coded.codes == m.categories.index(1.0)      # (presence: not made as floats)
    rows = np.flatnonzero(row_counts(applied) >= 2)     # only these can add a comparison
    applied, spans = applied[rows], m.spans[rows]
    for i in range(k):
        for j in range(i + 1, k):
            a, b = spans[:, i], spans[:, j]
            both_applied = applied[:, i] & applied[:, j]
            has_a, has_b = a[:, 0] >= 0, b[:, 0] >= 0
            both = both_applied & has_a & has_b
            one_span = int((both_applied & (has_a != has_b)).sum())
            inter = np.clip(np.minimum(a[both, 1], b[both, 1])
                            - np.maximum(a[both, 0], b[both, 0]), 0, None)
            size = (a[both, 1] - a[both, 0]) + (b[both, 1] - b[both, 0])
            out[(m.raters[i], m.raters[j])] = (2.0 * inter / np.where(size > 0, size, 1),
                                               one_span)
    return out


def span_dice(m: DataMatrix, pairs: dict | None = None) -> dict:
    """Mean Dice overlap 2|A∩B| / (|A| + |B|) of the character spans, over every unit and
    rater pair where both raters applied the code with a span (descriptive only).
    ``pairs``: :func:`span_pairs` of a matrix whose raters include ``m``'s (else computed
    here)."""
    if pairs is None:
        if m.spans is None:
            return {}
        pairs = span_pairs(m)
    dice: list[np.ndarray] = []
    one_span = 0
    k = len(m.raters)
    for i in range(k):
        for j in range(i + 1, k):
            a, b = m.raters[i], m.raters[j]
            d_ij, one = pairs[(a, b)] if (a, b) in pairs else pairs[(b, a)]
            dice.append(d_ij)
            one_span += one
    d = np.concatenate(dice) if dice else np.zeros(0)
    out = {"n_comparisons": int(d.size), "n_comparisons_one_span_only": one_span,
           "mean_dice": float(d.mean()) if d.size else None, "undefined_reason": None}
    if not d.size:
        out["undefined_reason"] = ("no unit where two raters both applied the code with a "
                                   "text span")
    return out


def differing(m: DataMatrix) -> np.ndarray:
    """Per row of ``m``: did two of its raters give different values (two or more values,
    not all the same)? From the distinct rows of its codes where it has categories (a few
    dozen rows, then one gather: the per-unit way copied a million rows' values four times),
    else from the values. The export's Disagreements sheet and the app's disagreement browser
    both ask it."""
    d = m.distinct if m.categories is not None else None
    if d is not None:
        present = d.rows != MISSING
        hi = np.where(present, d.rows, np.iinfo(np.int64).min).max(axis=1)
        lo = np.where(present, d.rows, np.iinfo(np.int64).max).min(axis=1)
        return ((present.sum(axis=1) >= 2) & (hi != lo))[d.inverse]
    return differing_values(m.values)


def differing_values(values: np.ndarray) -> np.ndarray:
    """:func:`differing` of a units × raters array of values (NaN = none), row by row."""
    rated = ~np.isnan(values)
    hi = np.where(rated, values, -np.inf).max(axis=1, initial=-np.inf)
    lo = np.where(rated, values, np.inf).min(axis=1, initial=np.inf)
    return (rated.sum(axis=1) >= 2) & (hi > lo)
