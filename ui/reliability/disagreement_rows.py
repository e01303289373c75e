"""Which units the raters disagree on (no Qt here): the rows of the disagreement browser,
made on demand from a report's data matrices. Split from `ui/reliability/data.py`, which
re-exports these names.

The browser is handed :class:`BrowseMatrix` values (:func:`browsable`), not the report's
data matrices: only the units where two or more raters gave a value and not all the same
one. Every disagreement of a narrower scope (some of the raters, one transcript) is among
those units, so nothing is lost, and a study's result stays small: the whole study's data
matrices are over 2 GB, which a report in a child process would otherwise copy to the GUI.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coder.reliability.project.counts import differing, differing_values


# -- what the browser keeps ---------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BrowseSnapshot:
    """What the browser reads of a snapshot: the codebook (labels), the transcripts, and the
    kind and position of the browsed units only (``seg_*`` indexed by a matrix's
    ``unit_index``)."""

    codebook: object
    transcript_names: tuple[str, ...]
    transcript_ids: tuple[int, ...]
    seg_kind: np.ndarray
    seg_position: np.ndarray


@dataclass(frozen=True, eq=False)
class BrowseMatrix:
    """A data matrix's rows where the raters disagree, with what the browser shows of them;
    ``n_units_pairable`` is the whole matrix's (the units compared)."""

    key: str
    kind: str
    raters: tuple[str, ...]
    category_labels: tuple[str, ...] | None
    values: np.ndarray
    clusters: np.ndarray
    unit_index: np.ndarray            # into snapshot.seg_*; -1: a session row
    snapshot: BrowseSnapshot
    n_units_pairable: int


def browsable(m) -> BrowseMatrix:
    """The rows of data matrix ``m`` where two or more raters gave a value and not all the
    same one (:func:`~coder.reliability.project.counts.differing`: what
    :func:`disagreeing_rows` gives over every rater and transcript), their values made for
    those rows only."""
    rows = np.flatnonzero(differing(m))
    units = m.unit_index[rows]
    unit = units >= 0
    local = np.full(units.size, -1, dtype=np.int64)
    local[unit] = np.arange(int(unit.sum()))
    s = m.snapshot
    small = BrowseSnapshot(s.codebook, tuple(s.transcript_names), tuple(s.transcript_ids),
                           np.asarray(s.seg_kind)[units[unit]],
                           np.asarray(s.seg_position)[units[unit]])
    return BrowseMatrix(m.key, m.kind, tuple(m.raters), m.category_labels,
                        np.ascontiguousarray(m.values_at(rows)), m.clusters[rows], local, small,
                        int(m.n_units_pairable))


# -- disagreements ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Disagreement:
    transcript_id: int
    transcript: str
    kind: str                      # "turn", "sentence", "window" or "session"
    position: int | None           # 1-based; None for a session global
    values: tuple[str, ...]        # one per rater column ("" = missing)


def value_text(matrix, v: float) -> str:
    if isinstance(v, float) and math.isnan(v):
        return ""
    if matrix.kind == "presence":
        return "applied" if v == 1 else "not applied"
    if matrix.kind == "category":
        cid = matrix.category_labels[int(v)]
        try:
            return matrix.snapshot.codebook.code(cid).label
        except KeyError:
            return cid
    return f"{v:g}"


def disagreements(matrix, raters: list[str] | None = None,
                  transcript: str | None = None) -> tuple[list[str], DisagreementRows]:
    """(rater columns, rows): every unit where two or more of ``raters`` gave a value and
    not all the same one (``transcript``: only that transcript's units). The rows are found
    with numpy; each :class:`Disagreement` is made when it is first asked for (a common code
    of a large study disagrees on ~10^5 units: too many objects to make on the GUI thread)."""
    cols = [j for j, r in enumerate(matrix.raters) if raters is None or r in raters]
    names = [matrix.raters[j] for j in cols]
    return names, DisagreementRows(matrix, cols, disagreeing_rows(matrix, cols, transcript))


def disagreeing_rows(matrix, cols: list[int], transcript: str | None = None) -> np.ndarray:
    """Indices of the matrix rows where two or more of the ``cols`` raters gave a value and
    not all the same one (``transcript``: only that transcript's units)."""
    if not cols:
        return np.zeros(0, dtype=np.int64)
    keep = differing_values(matrix.values[:, cols])
    if transcript is not None:
        snap = matrix.snapshot
        wanted = [i for i, n in enumerate(snap.transcript_names) if n == transcript]
        keep &= np.isin(matrix.clusters, wanted)
    return np.flatnonzero(keep)


class DisagreementRows(Sequence):
    """The disagreement rows of one matrix, made on demand (and kept once made)."""

    def __init__(self, matrix, cols: list[int], picked: np.ndarray) -> None:
        self.matrix, self.cols, self.picked = matrix, cols, picked
        self._made: dict[int, Disagreement] = {}

    def __len__(self) -> int:
        return int(self.picked.size)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        row = self._made.get(i)
        if row is None:
            row = self._made[i] = self._make(int(self.picked[i]))
        return row

    def _make(self, i: int) -> Disagreement:
        m, snap = self.matrix, self.matrix.snapshot
        t_index, u = int(m.clusters[i]), int(m.unit_index[i])
        kind = "session" if u < 0 else str(snap.seg_kind[u])
        return Disagreement(int(snap.transcript_ids[t_index]), snap.transcript_names[t_index],
                            kind, None if u < 0 else int(snap.seg_position[u]),
                            tuple(value_text(m, float(m.values[i, j])) for j in self.cols))

    def positions(self, transcript_id: int, kind: str) -> list[int]:
        """The unit positions of the rows on one transcript's units of one kind, in order
        (whose texts are read together when the first of them is shown)."""
        m, snap = self.matrix, self.matrix.snapshot
        t_of = np.asarray(snap.transcript_ids)[m.clusters[self.picked]]
        units = m.unit_index[self.picked]
        mine = (t_of == transcript_id) & (units >= 0)
        units = units[mine]
        kinds = np.asarray(snap.seg_kind)[units]
        return np.asarray(snap.seg_position)[units[kinds == kind]].astype(int).tolist()
