"""Reliability data matrices (units × raters) for each code of a project, from a snapshot.

One code path feeds both the statistics and the Excel "Matrix <code>" sheets: whatever
:func:`data_matrices` returns is exactly what the statistics were computed on.

Units and the three states per rater and unit (DOMAIN.md, "Reliability"):

* A code is counted only on the units it can apply to (:func:`coder.scope.applies_to` with the
  unit's kind and its speaker's role; windows for window ratings). A coding on a unit outside
  that scope (e.g. after a speaker's role was changed) is left out and counted
  (``n_codings_outside_scope``); it is never agreement.
* presence: a coding row = applied (1); a unit the rater completed without it = not applied
  (0); a unit the rater did not complete = missing (NaN). Missing never becomes absent.
* category set (one matrix per category-set group, values = the category's position in the
  codebook, 0-based): a coding of a member = that category; a completed unit with no category
  of the set = *missing* for the set (the rater chose none, which is not a category).
* rating: the value; no value = missing (raters leave some windows unrated on purpose).
* session global: one row per transcript, the value or missing.

A unit enters a matrix when at least one of the raters in the cut has a value on it. Units
with a value from exactly one rater stay in the matrix (the others' cells empty), so a
reference implementation run on the matrix (irrCAC) reproduces the statistics: they count in
the chance agreement of Fleiss/Conger/BP/AC1/AC2 (Gwet 2014), never in agreement, and are
counted in ``n_units_single_rated``; ``pairable`` marks the rows rated by two or more.
Raters with no value in a cut are dropped from it (pooled and per-transcript cuts; a pair
keeps both columns) and named in ``raters_without_data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ...codebook import Code
from ...errors import SessionCoderError
from ..prepare import MISSING, Coded, Distinct, code, count_present, distinct_rows, row_counts
from .cut_codes import cut  # noqa: F401 (a matrix's cuts; imported from here too)
from .unit_tables import Tables  # noqa: F401 (the report's lookups; imported from here too)
from ...snapshots import ReliabilitySnapshot

LEVEL_OF = {"presence": "nominal", "category": "nominal", "rating": "ordinal",
            "global": "interval", "session_count": "interval"}


@dataclass(frozen=True, eq=False)
class Item:
    """One thing whose reliability is reported: a presence code, a rating code, a
    category-set group (``members``) or a session global."""

    key: str
    kind: str
    label: str
    group: str | None
    codes: tuple[Code, ...]            # the code, or the members of a category set

    @property
    def scale(self):
        return self.codes[0].scale


@dataclass(frozen=True, eq=False)
class DataMatrix:
    """The reliability data of one item in one cut: ``values`` is units × raters (NaN =
    missing), ``units`` labels each row (transcript name, unit kind, 1-based position;
    ``("name", "session", None)`` for globals and session counts). Its arrays are never
    written in place: a cut of every rater and row shares them with the matrix it came from.

    ``data`` holds the values as given; ``None`` where the matrix has categories and holds
    them as :attr:`coded` (a code's full matrix and its cuts): ``values`` is then made from
    the codes when first read (float64, 38 MiB a million units × 5 raters, where the int8
    codes are 5 MiB) and kept. The statistics, the Matrix sheets and the Disagreements of
    categorical data read the codes (:meth:`values_in` a slice at a time), so an export
    never makes the whole float table of a presence code (issue 17)."""

    item: Item
    kind: str
    level: str
    categories: tuple[float, ...] | None        # the values that count, codebook order
    category_labels: tuple[str, ...] | None
    raters: tuple[str, ...]
    data: np.ndarray | None                     # values, or None: made from ``coded``
    clusters: np.ndarray                        # transcript index per row
    unit_index: np.ndarray                      # snapshot unit per row (-1: a session row)
    spans: np.ndarray | None                    # rows × raters × 2 code points, -1 = none
    n_units_single_rated: int
    snapshot: ReliabilitySnapshot = field(repr=False)
    notes: dict = field(default_factory=dict)
    single_clusters: np.ndarray | None = None   # transcript of each single-rated unit

    @property
    def key(self) -> str:
        return self.item.key

    @cached_property
    def values(self) -> np.ndarray:
        """Units × raters, NaN = missing: ``data``, or made from :attr:`coded` once."""
        if self.data is not None:
            return self.data
        return self.values_at(None)

    @property
    def n_rows(self) -> int:
        """How many units (rows) the matrix has, without making its values."""
        if self.data is not None:
            return int(self.data.shape[0])
        return int(self.clusters.shape[0])

    def values_in(self, start: int, stop: int) -> np.ndarray:
        """``values[start:stop]``, made for those rows only where the values are not held."""
        if self.data is not None or "values" in self.__dict__:
            return self.values[start:stop]
        return self.values_at(slice(start, stop))

    def values_at(self, rows) -> np.ndarray:
        """The values of ``rows`` (a slice, indices or None for all), from the codes where
        they are the only copy: each category's value where a code is, NaN where none."""
        if self.data is not None:
            return self.data if rows is None else self.data[rows]
        c = self.__dict__.get("coded")
        if c is None:
            raise ValueError("a data matrix needs its values or its codes")
        codes = c.codes if rows is None else c.codes[rows]
        out = np.asarray(c.categories, dtype=float).take(np.maximum(codes, 0))
        out[codes == MISSING] = np.nan
        return out

    @cached_property
    def pairable(self) -> np.ndarray:
        """Rows rated by two or more raters (the others are single-rated units); computed
        once per matrix (the values of a DataMatrix are never changed in place)."""
        d = self.__dict__.get("distinct")
        if d is not None:
            return self.pairable_rows[d.inverse]
        if self.data is None:
            return row_counts(self.coded.codes != MISSING) >= 2
        return row_counts(~np.isnan(self.values)) >= 2

    @property
    def pairable_rows(self) -> np.ndarray:
        """Of :attr:`distinct`'s rows: those with two or more codes."""
        return (self.distinct.rows != MISSING).sum(axis=1) >= 2

    @property
    def n_units_pairable(self) -> int:
        d = self.__dict__.get("distinct")
        if d is not None:
            return int(d.mult[self.pairable_rows].sum())
        return int(self.pairable.sum())

    @cached_property
    def coded(self) -> Coded | None:
        """The values as category indices (None for data without categories): made once
        per matrix for every statistic that needs them."""
        if self.categories is None:
            return None
        return code(self.values, list(self.categories))

    @cached_property
    def distinct(self) -> Distinct | None:
        """The distinct rows of :attr:`coded` (:func:`~..prepare.distinct_rows`), once."""
        c = self.coded
        return None if c is None else distinct_rows(c.codes, c.q)

    @cached_property
    def cluster_counts(self) -> np.ndarray | None:
        """How often each of :attr:`distinct`'s rows occurs in each transcript of the
        snapshot (transcripts × rows, float; whole numbers). Sums over a transcript's units
        are then sums over a few rows: per-transcript figures, session counts, prevalence."""
        if self.distinct is None:
            return None
        if self.snapshot is not None:
            return self.counts_in(len(self.snapshot.transcript_names))
        # (a matrix made without a snapshot)
        return self.counts_in(int(self.clusters.max()) + 1 if self.clusters.size else 0)

    def counts_in(self, n_t: int) -> np.ndarray:
        """:attr:`cluster_counts` over ``n_t`` transcripts."""
        d = self.distinct
        p = d.rows.shape[0]
        return np.bincount(self.clusters.astype(np.int64) * p + d.inverse,
                           minlength=n_t * p).reshape(n_t, p).astype(float)

    def cell_counts(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Per rater: how many units got each category (raters × categories) and how many
        have a value (raters), from :attr:`distinct` (None without categories)."""
        d = self.distinct
        if d is None:
            return None
        q = len(self.categories)
        k = d.rows.shape[1]
        per = np.zeros((k, q))
        for j in range(k):
            col = d.rows[:, j]
            ok = col != MISSING
            per[j] = np.bincount(col[ok], weights=d.mult[ok], minlength=q)
        return per, per.sum(axis=1)

    @property
    def units(self) -> list[tuple[str, str, int | None]]:
        return self.units_in(0, len(self.clusters))

    def units_in(self, start: int, stop: int) -> list[tuple[str, str, int | None]]:
        """``units[start:stop]``, made for those rows only (an export's slices)."""
        s, names = self.snapshot, self.snapshot.transcript_names
        return [(names[t], "session", None) if u < 0 else
                (names[t], s.kind_of(u), int(s.seg_position[u]))
                for t, u in zip(self.clusters[start:stop].tolist(),
                                self.unit_index[start:stop].tolist())]

    @property
    def unit_labels(self) -> list[str]:
        return [f"{t} {k} {p}" if p is not None else t for t, k, p in self.units]


def plan_items(snapshot: ReliabilitySnapshot, codes=None) -> list[Item]:
    """The items of the codebook in codebook order (a category set at its first member).

    ``codes``: code ids or category-set group ids to keep (``None``: every code that is not
    archived). A member id selects its whole set. Unknown ids raise SessionCoderError."""
    book = snapshot.codebook
    wanted = None
    if codes is not None:
        wanted = {c for c in ([x.strip() for x in codes.split(",")]
                              if isinstance(codes, str) else codes) if c}
        known = set(book.code_ids()) | {g.id for _, g in book.iter_groups()}
        unknown = sorted(wanted - known)
        if unknown:
            raise SessionCoderError(f"no code {unknown[0]!r} in codebook '{book.name}'")
    items: list[Item] = []
    seen_groups: set[str] = set()
    for entry in book.codes():
        c, g = entry.code, entry.group
        if c.kind == "category":
            if g.id in seen_groups:
                continue
            members = tuple(m for m in g.codes if m.kind == "category")
            picked = wanted is None or g.id in wanted or any(m.id in wanted for m in members)
            if not picked or (wanted is None and all(m.archived for m in members)):
                continue
            seen_groups.add(g.id)
            items.append(Item(g.id, "category", g.label, g.id, members))
            continue
        if (wanted is None and c.archived) or (wanted is not None and c.id not in wanted):
            continue
        items.append(Item(c.id, c.kind, c.label, g.id, (c,)))
    return items


#: A code's codings placed in its matrix at a time (full_matrix).
CODINGS_SLICE = 1 << 16


def full_matrix(tables: Tables, item: Item) -> DataMatrix:
    """Every unit with a value from at least one selected rater (no cut applied yet)."""
    snap = tables.snap
    n_r = len(snap.rater_names)
    notes: dict = {}
    if item.kind == "global":
        return _global_matrix(tables, item, notes)
    rows = tables.units(item.codes)
    # each row's transcript, int32 where it fits (made before the values: its int64
    # gather is a temporary only then)
    clusters = snap.seg_transcript[rows]
    if len(snap.transcript_names) < (1 << 31):
        clusters = clusters.astype(np.int32)
    # Column-major codes (category positions, MISSING): a cut takes a few raters' columns,
    # which are then contiguous (3 times faster on a million units), and the per-rater
    # passes read contiguous memory. As int8 where the categories allow (5 MiB a million
    # units × 5 raters); the float values are made from them only when read (DataMatrix).
    small = np.int8 if len(_categories(item)[0]) < 127 else np.int64
    if item.kind == "presence":
        codes = tables.completed(rows, small)
    else:
        codes = np.full((rows.size, n_r), MISSING, dtype=small, order="F")
    # (int32: a character offset in one transcript; half the memory of a million units).
    # A code none of whose codings has a span gets a read-only view of -1 (no memory): the
    # same values for every reader, 38 MiB less for a million units.
    spans, spanned = None, False
    if item.kind == "presence":
        spanned = any((snap.cod_span_start[tables.codings(c.id)] >= 0).any() for c in item.codes)
        spans = (np.full((rows.size, n_r, 2), -1, dtype=np.int32) if spanned
                 else _no_spans(rows.size, n_r))
    outside = off_scale = 0
    seen = np.zeros((rows.size, n_r), dtype=np.int64) if item.kind == "category" else None
    for k, c in enumerate(item.codes):
        every = tables.codings(c.id)
        # a slice of the code's codings at a time, in order (the same writes as at once):
        # the gathers of all of a rating's 500,000 codings were 38 MiB of temporaries
        for start in range(0, every.size, CODINGS_SLICE):
            idx = every[start:start + CODINGS_SLICE]
            idx = idx[snap.cod_unit[idx] >= 0]
            p = _row_of(rows, snap.cod_unit[idx])
            outside += int((p < 0).sum())
            idx, p = idx[p >= 0], p[p >= 0]
            r = snap.cod_rater[idx]
            if item.kind == "presence":
                codes[p, r] = 1
                if spanned:
                    spans[p, r, 0] = snap.cod_span_start[idx]
                    spans[p, r, 1] = snap.cod_span_end[idx]
            elif item.kind == "category":
                codes[p, r] = k
                np.add.at(seen, (p, r), 1)
            else:
                v = snap.cod_value[idx]
                ok = np.isin(v, np.asarray(c.scale.points, dtype=float))
                off_scale += int((~ok).sum())
                points = np.asarray(c.scale.points, dtype=float)
                codes[p[ok], r[ok]] = code(v[ok][:, None], points).codes[:, 0]
    if outside:
        notes["n_codings_outside_scope"] = outside
    if off_scale:
        notes["n_values_off_scale"] = off_scale
    if item.kind == "category" and (seen > 1).any():
        notes["n_units_with_two_categories"] = int((seen > 1).any(axis=1).sum())
    keep = count_present(codes) > 0         # (a column at a time: no units × raters mask)
    if not keep.all():                    # (all kept: no copy of the arrays)
        rows = rows[keep]
        clusters = clusters[keep]
        codes = np.asfortranarray(codes[keep])
        spans = (None if spans is None else spans[keep] if spanned
                 else _no_spans(int(keep.sum()), n_r))
    cats, labels = _categories(item)
    out = DataMatrix(item, item.kind, LEVEL_OF[item.kind], cats, labels, snap.rater_names,
                     None, clusters, rows, spans, 0, snap, notes)
    out.__dict__["coded"] = Coded(codes, np.asarray(cats, dtype=float), False)
    return out


def _row_of(rows: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Each unit's position in ``rows`` (ascending unit indices), -1 where it is not there:
    a search per coding, where a table over every unit was 8 MiB a million units."""
    if rows.size == 0:
        return np.full(units.shape, -1, dtype=np.int64)
    if rows.dtype == np.int32:             # (else the search casts rows to int64: 8 MiB)
        units = units.astype(np.int32)
    at = np.minimum(np.searchsorted(rows, units), rows.size - 1)
    return np.where(rows[at] == units, at, -1)


def _no_spans(n: int, n_r: int) -> np.ndarray:
    """``n`` × ``n_r`` × 2 of -1 (no span), as a read-only view of one value."""
    return np.broadcast_to(np.int32(-1), (n, n_r, 2))


def _global_matrix(tables: Tables, item: Item, notes: dict) -> DataMatrix:
    snap = tables.snap
    n_t, n_r = len(snap.transcript_names), len(snap.rater_names)
    values = np.full((n_t, n_r), np.nan)
    idx = tables.codings(item.key)
    idx = idx[snap.cod_unit[idx] < 0]
    v = snap.cod_value[idx]
    ok = np.isin(v, np.asarray(item.scale.points, dtype=float))
    if (~ok).any():
        notes["n_values_off_scale"] = int((~ok).sum())
    values[snap.cod_transcript[idx][ok], snap.cod_rater[idx][ok]] = v[ok]
    keep = (~np.isnan(values)).any(axis=1)
    cats, labels = _categories(item)
    t = np.flatnonzero(keep)
    return DataMatrix(item, "global", "interval", cats, labels, snap.rater_names, values[keep],
                      t, np.full(t.size, -1, dtype=np.int64), None, 0, snap, notes)


def _categories(item: Item):
    if item.kind == "presence":
        return (0.0, 1.0), ("not applied", "applied")
    if item.kind == "category":
        return (tuple(float(k) for k in range(len(item.codes))),
                tuple(c.id for c in item.codes))
    points = item.scale.points
    return tuple(float(p) for p in points), tuple(str(p) for p in points)
