"""``np.unique(a, return_inverse=True)`` for arrays of few distinct values, without sorting.

A study's million units carry a kind ("turn", "sentence", "window") and a speaker role
("therapist", "client", ...): sorting a million strings to find three values took 0.05–0.13 s
per array, on the report's critical path. Here the values seen in a sample are matched
whole-array, one comparison each, and any value the sample missed is added and matched
again, so the answer is exactly ``np.unique``'s (sorted values; each element's index)."""

from __future__ import annotations

import numpy as np

#: Past this many distinct values, sorting is cheaper than comparing with each.
MOST = 32
SAMPLE_STRIDE = 997       # a prime: a stride that alternates with the data would miss values


def factorize(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, index of each element's value), as ``np.unique`` gives."""
    a = np.asarray(a)
    if a.size == 0:
        return np.unique(a, return_inverse=True)
    seen = np.unique(a[::SAMPLE_STRIDE])
    while seen.size <= MOST:
        inverse = np.full(a.size, -1, dtype=np.int64)
        for i, value in enumerate(seen):
            inverse[a == value] = i
        missing = inverse < 0
        if not missing.any():
            return seen, inverse
        grown = np.union1d(seen, np.unique(a[missing]))
        if grown.size == seen.size:      # a value equal to nothing (NaN): sort instead
            break
        seen = grown
    values, inverse = np.unique(a, return_inverse=True)
    return values, inverse.reshape(-1)
