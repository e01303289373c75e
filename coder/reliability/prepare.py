"""Turn a units × raters float array (``np.nan`` = missing) into category indices and counts.

Categories come from the codebook, in codebook order; an unused category still counts.
Every statistic module works from the objects built here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MISSING = -1
LEVELS = ("nominal", "ordinal", "interval", "ratio")


def as_matrix(data) -> np.ndarray:
    """Validate and return the ratings as a 2-D float array (units × raters)."""
    arr = np.asarray(data, dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"ratings must be a units × raters table, got {arr.ndim} dimension(s)")
    if np.isinf(arr).any():
        raise ValueError("ratings contain an infinite value")
    return arr


@dataclass(frozen=True)
class Coded:
    """Ratings as category indices.

    ``codes`` is an int array (units × raters) with ``MISSING`` for a missing rating;
    ``categories`` holds the category values in codebook order; ``inferred`` is True when
    the categories were taken from the data because none were given.
    """

    codes: np.ndarray
    categories: np.ndarray
    inferred: bool

    @property
    def q(self) -> int:
        return int(self.categories.size)

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_raters(self) -> int:
        return int(self.codes.shape[1])


def code(data: np.ndarray, categories=None) -> Coded:
    """Map rating values to indices into ``categories`` (codebook order).

    Raises ``ValueError`` naming the first value that is not a category.
    """
    arr = as_matrix(data)
    present = ~np.isnan(arr)
    inferred = categories is None
    if inferred:
        cats = np.unique(arr[present])
    else:
        cats = np.asarray(categories, dtype=float).ravel()
        if np.isnan(cats).any():
            raise ValueError("a category value is missing (NaN)")
        if np.unique(cats).size != cats.size:
            raise ValueError("categories contain a duplicate value")
    if cats.size == 0:
        if present.any():
            raise ValueError(f"value {arr[present][0]:g} is not one of the categories")
        return Coded(np.full(arr.shape, MISSING, dtype=np.int64), cats, inferred)
    codes = _lookup_codes(arr, present, cats)
    if codes is None:
        codes = _search_codes(arr, present, cats)
    return Coded(codes, cats, inferred)


def _lookup_codes(arr, present, cats):
    """Fast path for integer-valued categories over a small span: a lookup table."""
    lo, hi = cats.min(), cats.max()
    if not (np.all(cats == np.round(cats)) and hi - lo < 4096):
        return None
    lut = np.full(int(hi - lo) + 2, MISSING, dtype=np.int64)   # last slot: not a category
    lut[(cats - lo).astype(np.int64)] = np.arange(cats.size)
    # NaN (missing) fails every comparison, so it goes to the last slot with the values off
    # the span or not whole; a present value that lands there is not a category.
    shifted = arr - lo
    ok = (shifted >= 0) & (shifted <= hi - lo)
    ok &= np.floor(shifted) == shifted
    idx = np.where(ok, shifted, lut.size - 1).astype(np.int64)
    codes = lut[idx]
    bad = present & (codes == MISSING)
    if bad.any():
        _not_a_category(arr[bad][0], cats)
    return codes


def _search_codes(arr, present, cats):
    order = np.argsort(cats, kind="stable")
    sorted_cats = cats[order]
    codes = np.full(arr.shape, MISSING, dtype=np.int64)
    vals = arr[present]
    pos = np.clip(np.searchsorted(sorted_cats, vals), 0, sorted_cats.size - 1)
    bad = sorted_cats[pos] != vals
    if bad.any():
        _not_a_category(vals[bad][0], cats)
    codes[present] = order[pos]
    return codes


def _not_a_category(value, cats):
    raise ValueError(f"value {value:g} is not one of the categories "
                     f"{', '.join(f'{c:g}' for c in cats)}")


def unit_counts(codes: np.ndarray, q: int) -> np.ndarray:
    """r_ik: how many raters put unit i into category k (units × q, float)."""
    n = codes.shape[0]
    slot = np.where(codes == MISSING, q, codes)            # missing -> an extra bin
    flat = (np.arange(n, dtype=np.int64) * (q + 1))[:, None] + slot
    counts = np.bincount(flat.ravel(), minlength=n * (q + 1)).reshape(n, q + 1)
    return counts[:, :q].astype(float)


def row_counts(mask: np.ndarray) -> np.ndarray:
    """How many True per row of a units × raters boolean mask (int64).

    A loop over the few rater columns: numpy's ``sum(axis=1)`` over a short last axis is
    several times slower on the 50,000-row matrices of a project report."""
    mask = np.asarray(mask, dtype=bool)
    n = np.zeros(mask.shape[0], dtype=np.int64)
    for j in range(mask.shape[1]):
        n += mask[:, j]
    return n


def count_present(values: np.ndarray) -> np.ndarray:
    """How many values per row of a units × raters matrix are present: not NaN in a float
    matrix, not ``MISSING`` in a code matrix (integers). ``row_counts`` of that mask a column
    at a time, in the smallest integer type that holds the rater count (a million units × 5
    raters: 1 MiB, not a 5 MiB mask and 8 MiB of int64)."""
    k = values.shape[1] if values.ndim == 2 else 0
    n = np.zeros(values.shape[0], dtype=np.int8 if k < 127 else np.int64)
    codes = np.issubdtype(values.dtype, np.integer)
    for j in range(k):
        n += (values[:, j] != MISSING) if codes else ~np.isnan(values[:, j])
    return n


@dataclass(frozen=True)
class Distinct:
    """The distinct rows of a units × raters code matrix and how often each occurs.

    Why: every coefficient here is a sum over units of a function of the unit's row, and a
    project's matrices have tens of thousands of units but only a handful of distinct rows
    (at most (q + 1)^k). Summing once per distinct row, weighted by ``mult``, gives the same
    totals (up to floating-point summation order) for a fraction of the work.
    ``rows`` is p × k codes (``MISSING`` kept), ``mult`` the units per row (float, all > 0),
    ``inverse`` the distinct row of each unit.
    """

    rows: np.ndarray
    mult: np.ndarray
    inverse: np.ndarray

    def counts(self, q: int) -> np.ndarray:
        """r_ik of each distinct row (p × q)."""
        return unit_counts(self.rows, q)


def distinct_rows(codes: np.ndarray, q: int) -> Distinct:
    """:class:`Distinct` of ``codes`` (values ``MISSING`` or 0..q-1).

    Rows are packed into one integer (base q + 1) and counted with ``bincount`` when the key
    space is small, else with ``np.unique`` on the keys (or on the rows when they do not fit
    in 62 bits)."""
    codes = np.asarray(codes)
    if codes.dtype.kind not in "iu":
        codes = codes.astype(np.int64)
    n, k = codes.shape
    base = q + 1
    if n == 0 or k == 0 or not _packs(k, base):
        if n == 0:
            return Distinct(np.zeros((0, k), dtype=np.int64), np.zeros(0), np.zeros(0, np.int64))
        rows, inverse, mult = np.unique(codes.astype(np.int64), axis=0, return_inverse=True,
                                        return_counts=True)
        return Distinct(rows, mult.astype(float), inverse.ravel())
    return _from_keys(_pack(codes, base), k, base, n)


def distinct_of_part(parent: Distinct, cols, sel: np.ndarray | None,
                     q: int) -> tuple[Distinct, np.ndarray] | None:
    """``distinct_rows(codes[sel][:, cols], q)`` from ``parent`` = ``distinct_rows(codes,
    q)``, where ``sel`` is every unit whose row has a code in ``cols`` (as a cut of those
    raters keeps them), and the map from each parent row to its row in the part (-1: the
    row's units are not in the part). Nothing is read per unit but one gather for the
    inverse: the part's rows are the parent rows' packed keys over ``cols`` (ascending, as
    :func:`distinct_rows` orders them), their multiplicities the sums of the parent rows'
    (whole numbers: exact). ``sel=None``: every parent unit is in the part. ``None`` where
    this does not apply (no units, no columns, keys wider than 62 bits): call
    :func:`distinct_rows` then."""
    k, base = len(cols), q + 1
    n = parent.inverse.size if sel is None else sel.size
    if n == 0 or k == 0 or not _packs(k, base):
        return None
    keys = _pack(parent.rows[:, list(cols)], base)
    kept = keys != 0                                   # 0: every code in cols missing
    used = np.unique(keys[kept])
    to_part = np.where(kept, np.searchsorted(used, keys), -1)
    mult = np.bincount(to_part[kept], weights=parent.mult[kept], minlength=used.size)
    return _PartDistinct(_unpack(used, k, base), mult, to_part, parent.inverse, sel), to_part


class _PartDistinct(Distinct):
    """:func:`distinct_of_part`'s answer, whose ``inverse`` (one gather over every unit) is
    made when first read: a report's pair cuts never read it."""

    def __init__(self, rows, mult, to_part, parent_inverse, sel) -> None:
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "mult", mult)
        object.__setattr__(self, "_source", (to_part, parent_inverse, sel))
        object.__setattr__(self, "_inverse", None)

    @property
    def inverse(self) -> np.ndarray:                    # type: ignore[override]
        if self._inverse is None:
            to_part, parent_inverse, sel = self._source
            units = parent_inverse if sel is None else parent_inverse[sel]
            object.__setattr__(self, "_inverse", to_part[units])
        return self._inverse


def _packs(k: int, base: int) -> bool:
    return k * math.log2(max(base, 2)) < 62


def _pack(codes: np.ndarray, base: int) -> np.ndarray:
    """Each row of codes as one integer, base q + 1 (MISSING = 0). Codes of any integer
    width (a data matrix holds them as int8): each column is widened as it is added."""
    key = codes[:, 0].astype(np.int64) + 1
    for j in range(1, codes.shape[1]):
        key *= base
        key += codes[:, j]
        key += 1
    return key


def _from_keys(key: np.ndarray, k: int, base: int, n: int) -> Distinct:
    size = base ** k
    if size <= max(4 * n, 1 << 12):
        mult = np.bincount(key, minlength=size)
        used = np.flatnonzero(mult)
        # int32 row numbers where they fit: a million units' inverse is 4 MiB, not 8
        lut = np.zeros(size, dtype=np.int32 if used.size < (1 << 31) else np.int64)
        lut[used] = np.arange(used.size)
        inverse, mult = lut[key], mult[used]
    else:
        used, inverse, mult = np.unique(key, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
    return Distinct(_unpack(used, k, base), mult.astype(float), inverse)


def _unpack(keys: np.ndarray, k: int, base: int) -> np.ndarray:
    """The rows of codes that :func:`_pack` made ``keys`` of (keys × k)."""
    rows = np.empty((keys.size, k), dtype=np.int64)
    rest = keys.astype(np.int64)
    for j in range(k - 1, -1, -1):
        rows[:, j] = rest % base - 1
        rest = rest // base
    return rows


def scores(categories: np.ndarray, level: str) -> np.ndarray:
    """Category scores used by weights and ±1 agreement.

    Nominal/ordinal: codebook positions 0..q-1 (only the order means anything).
    Interval/ratio: the category values themselves.
    """
    if level in ("interval", "ratio"):
        return np.asarray(categories, dtype=float)
    return np.arange(len(categories), dtype=float)


def agreement_weights(kind: str, sc: np.ndarray) -> np.ndarray:
    """Agreement weight matrix w_kl in [0, 1] (1 on the diagonal).

    identity: w = I.  linear (Cicchetti & Allison 1971): 1 - |s_k - s_l| / (max - min).
    quadratic (Fleiss & Cohen 1973): 1 - (s_k - s_l)^2 / (max - min)^2.
    Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., ch. 3 (weights).
    """
    q = sc.size
    if kind == "identity" or q < 2:
        return np.eye(q)
    span = float(sc.max() - sc.min())
    diff = np.abs(sc[:, None] - sc[None, :])
    if kind == "linear":
        return 1.0 - diff / span
    if kind == "quadratic":
        return 1.0 - (diff / span) ** 2
    if kind == "within_one":
        return (diff <= 1.0 + 1e-12).astype(float)
    raise ValueError(f"unknown weights {kind!r}")
