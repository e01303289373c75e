"""What a cut takes from the full matrix it was cut from (issue 17): its codes, distinct
rows and counts per transcript, so that the statistics of every cut of a code — pooled,
each rater pair, the reference pairs — read no unit again, and a rater pair's values as a
view. Split from :mod:`.matrices`, whose ``cut`` calls :func:`codes_from` and
:func:`columns_of`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..prepare import Coded, distinct_of_part

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
