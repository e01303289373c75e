"""`coder.factorize.factorize` gives exactly `np.unique(a, return_inverse=True)`."""

from __future__ import annotations

import numpy as np
import pytest

from coder.factorize import MOST, SAMPLE_STRIDE, factorize

RNG = np.random.default_rng(17)


@pytest.mark.parametrize("a", [
    np.array(["therapist", "client"] * 50_000),               # alternates with the data
    np.array(["turn"] * (SAMPLE_STRIDE * 3) + ["window"]),    # a value the sample misses
    RNG.choice(np.array(["", "a", "bb", "ccc", "turn", "sentence"]), 200_000),
    np.array([], dtype="<U4"),
    np.arange(MOST * 4).astype(str),                          # too many values: sorted
    np.array([1.0, np.nan, 2.0, np.nan] * 1000),              # NaN equals nothing
    RNG.integers(-3, 4, 50_000),
])
def test_factorize_equals_unique(a):
    values, index = factorize(a)
    want_values, want_index = np.unique(a, return_inverse=True)
    assert np.array_equal(values, want_values, equal_nan=values.dtype.kind == "f")
    assert index.dtype == np.int64 and np.array_equal(index, want_index.reshape(-1))
