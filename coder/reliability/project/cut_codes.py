"""What a cut takes from the full matrix it was cut from (issue 17): its codes, distinct
rows and counts per transcript, so that the statistics of every cut of a code — pooled,
each rater pair, the reference pairs — read no unit again, and a rater pair's values as a
view; and :func:`cut` itself, which calls :func:`codes_from` and :func:`columns_of` (split
from :mod:`.matrices`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..prepare import MISSING, Coded, count_present, distinct_of_part

if TYPE_CHECKING:                       # (matrices imports this module)
    from .matrices import DataMatrix


class _GatheredCoded(Coded):
    """A cut's :class:`~..prepare.Coded`: rows ``sel`` (None: all) and columns ``cols`` of
    its parent's codes, gathered only when ``codes`` is first read. The statistics need
    only the categories and the rater count when the distinct rows are known (the report's
    cuts), so most cuts never gather a copy of the codes."""

    def __init__(self, parent: Coded, sel: np.ndarray | None, cols: list) -> None:
        object.__setattr__(self, "categories", parent.categories)
        object.__setattr__(self, "inferred", parent.inferred)
        object.__setattr__(self, "_source", (parent, sel, list(cols)))
        object.__setattr__(self, "_codes", None)

    @property
    def codes(self) -> np.ndarray:                       # type: ignore[override]
        if self._codes is None:
            parent, sel, cols = self._source
            codes = parent.codes if sel is None else parent.codes.take(sel, axis=0)
            object.__setattr__(self, "_codes", codes[:, cols])
        return self._codes

    @property
    def n_raters(self) -> int:
        return len(self._source[2])

    @property
    def n_units(self) -> int:
        parent, sel, _ = self._source
        return parent.n_units if sel is None else int(sel.size)


def codes_from(full: DataMatrix, part: DataMatrix, cols: list, sel: np.ndarray | None,
                every_unit: bool) -> None:
    """Give ``part`` (rows ``sel``, columns ``cols`` of ``full``) its :attr:`~DataMatrix.
    coded` and :attr:`~DataMatrix.distinct` from ``full``'s: a gather of the codes instead
    of reading every value again; the same arrays ``code`` and ``distinct_rows`` would give
    (each code is a function of its cell alone, each distinct row of its unit's row).
    ``every_unit``: the cut kept every unit with a code from ``cols`` (no row selection), so
    its distinct rows, and their counts per transcript where ``full`` holds them, follow
    from ``full``'s rows alone (:func:`~..prepare.distinct_of_part`)."""
    parent = full.coded
    if sel is None and cols == list(range(parent.codes.shape[1])):
        part.__dict__["coded"] = parent
    else:
        part.__dict__["coded"] = _GatheredCoded(parent, sel, cols)
    got = distinct_of_part(full.distinct, cols, sel, parent.q) if every_unit else None
    if got is None:
        return
    d, to_part = got
    part.__dict__["distinct"] = d
    counts = full.__dict__.get("cluster_counts")
    if counts is not None:                    # transcripts × parent rows -> × part rows
        onehot = np.zeros((to_part.size, d.rows.shape[0]))
        kept = to_part >= 0
        onehot[np.flatnonzero(kept), to_part[kept]] = 1.0
        part.__dict__["cluster_counts"] = counts @ onehot


def columns_of(values: np.ndarray, cols: list) -> np.ndarray:
    """``values[:, cols]``; for two columns (a rater pair) a view, no copy: a slice with
    the step between them."""
    if len(cols) == 2 and cols[0] != cols[1]:
        a, b = cols
        step = b - a
        stop = b + 1 if step > 0 else (b - 1 if b > 0 else None)
        return values[:, a:stop:step]
    return values[:, cols]


def cut(full: "DataMatrix", cols, rows: np.ndarray | None = None,
        drop_empty: bool = True, spans: bool = True) -> "DataMatrix":
    """The matrix for some raters (``cols``) and optionally some rows: units with a value
    from at least one of them (single-rated units kept and counted); empty raters dropped.
    ``spans=False`` leaves the text spans out (the report hands every cut its code's
    :func:`span_pairs` instead). Where ``full`` already holds its codes (:attr:`DataMatrix.
    coded`), the cut's codes and distinct rows are taken from them, not made again.

    (One axis at a time: a report makes ~150 cuts of 50,000-row matrices and ``np.ix_``
    fancy indexing of the spans was most of their cost; columns by ``[:, cols]``, which
    is 2-3 times faster than ``take(cols, axis=1)`` on these C-ordered arrays.)"""
    cols = list(cols)
    if rows is not None:
        rows = np.asarray(rows)
        rows = np.flatnonzero(rows) if rows.dtype == bool else rows
    # A matrix whose values are made from its codes (DataMatrix.data None) is cut through
    # them: the cut's codes are gathered by codes_from, its values made only when read.
    held = full.data is not None or "values" in full.__dict__
    source = full.values if held else full.coded.codes
    all_cols = cols == list(range(source.shape[1]))
    base = source if rows is None else source.take(rows, axis=0)
    values = base if all_cols else columns_of(base, cols)   # shared: never changed in place
    d = full.__dict__.get("distinct")
    count = None                     # codes in cols, per distinct row of full
    if d is not None and rows is None and d.rows.shape[0]:
        count = (d.rows[:, cols] != MISSING).sum(axis=1)
    if count is not None and (count >= 1).all():
        # Every unit stays: the counts come from full's distinct rows, nothing per unit.
        sel, whole = None, True
        single = int(d.mult[count == 1].sum())
        per_t = full.__dict__.get("cluster_counts")
        if per_t is not None:       # (sorted by transcript; only ever counted per transcript)
            n_single = (per_t @ (count == 1)).astype(np.int64)
            single_clusters = np.repeat(np.arange(n_single.size), n_single)
        else:
            single_clusters = full.clusters[(count == 1)[d.inverse]]
    else:
        n = count[d.inverse] if count is not None else count_present(values)
        keep = n >= 1
        single = int((n == 1).sum())
        whole = rows is None and bool(keep.all())      # every row: share the row labels
        if rows is None:                   # (no index of every row: 8 MiB a million units)
            single_clusters = full.clusters[n == 1]
            sel = None if whole else np.flatnonzero(keep)
        else:
            single_clusters = full.clusters[rows[n == 1]]
            sel = rows[keep]
        if not whole:
            values = values[keep]
    names = [full.raters[c] for c in cols]
    notes = dict(full.notes)
    if drop_empty and values.shape[0]:
        if count is not None:
            has = np.array([(d.rows[:, c] != MISSING).any() for c in cols])
        elif held:
            has = (~np.isnan(values)).any(axis=0)
        else:
            has = (values != MISSING).any(axis=0)
        if not has.all():
            notes["raters_without_data"] = [nm for nm, h in zip(names, has) if not h]
            cols = [c for c, h in zip(cols, has) if h]
            names = [nm for nm, h in zip(names, has) if h]
            values = values[:, has]
    span_rows = None
    if full.spans is not None and spans:
        sp = (full.spans if cols == list(range(full.spans.shape[1]))
              else full.spans[:, cols])
        span_rows = sp if sel is None else sp.take(sel, axis=0)
    out = replace(full, raters=tuple(names), data=values if held else None,
                  clusters=full.clusters if whole else full.clusters[sel],
                  unit_index=full.unit_index if whole else full.unit_index[sel], spans=span_rows,
                  n_units_single_rated=single, notes=notes, single_clusters=single_clusters)
    if "coded" in full.__dict__ and full.coded is not None:
        codes_from(full, out, cols, sel, rows is None)
    return out
