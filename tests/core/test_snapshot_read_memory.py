"""What keeps the snapshot read's memory down (issue 17, the study's Excel export): cache
columns held as stored until joined, each part let go as it is joined, the snapshot's arrays
not copied, freed heap returned. Each must give the same values as before."""

from __future__ import annotations

import numpy as np

from coder.heap import give_back, map_large_blocks
from coder.snapshots import frozen_array
from coder.store.snapshot_cache import _joined, decode, encode


def test_a_cache_column_as_stored_has_the_values_of_the_widened_one():
    cols = [np.array([1, 2, 300]), np.array([-1, 5, 7]), np.array([0.5, np.nan, 2.0]),
            np.array([2**40, 1, 0])]
    blob = encode(cols)
    wide, narrow = decode(blob, 4), decode(blob, 4, widen=False)
    assert [a.dtype for a in wide] == [np.int64, np.int64, np.float64, np.int64]
    assert narrow[0].dtype.itemsize < 8 and narrow[1].dtype.itemsize < 8
    for w, n, c in zip(wide, narrow, cols):
        np.testing.assert_array_equal(n, w)
        np.testing.assert_array_equal(w, c)


def test_joining_parts_of_different_widths_widens_and_lets_each_part_go():
    parts = [[np.array([1, 2], dtype=np.int8), np.array([0.5])],
             [np.array([70_000], dtype=np.int32), np.array([1.5])],
             [np.array([], dtype=np.int16), np.array([])]]
    ints = _joined(parts, 0, np.int64)
    assert ints.dtype == np.int64 and ints.tolist() == [1, 2, 70_000]
    assert all(p[0] is None for p in parts) and all(p[1] is not None for p in parts)
    floats = _joined(parts, 1, np.float64)
    assert floats.tolist() == [0.5, 1.5]
    assert _joined([], 0, np.int64).dtype == np.int64


def test_the_snapshot_gets_a_read_only_view_not_a_copy():
    a = np.arange(5, dtype=np.int64)
    frozen = frozen_array(a, np.int64)
    assert np.shares_memory(a, frozen) and not frozen.flags.writeable
    a[0] = 9                                  # the caller's array is left writable
    other = frozen_array([1, 2], np.int64)
    assert other.dtype == np.int64 and not other.flags.writeable
    strings = np.array(["turn", "window"])
    assert frozen_array(strings, str).tolist() == ["turn", "window"]


def test_give_back_is_harmless():
    give_back()
    give_back()


def test_large_blocks_mapped_once_and_arrays_still_work():
    import sys
    first = map_large_blocks()
    assert map_large_blocks() is first
    if sys.platform.startswith("linux"):
        import platform
        assert first is (platform.libc_ver()[0] == "glibc")
    a = np.arange(1 << 20, dtype=np.int64)        # 8 MiB: its own mapping now
    b = a * 2
    del a
    assert int(b[-1]) == 2 * ((1 << 20) - 1)
