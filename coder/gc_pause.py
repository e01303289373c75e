"""Pausing Python's cyclic garbage collector while a bulk step builds millions of small,
acyclic objects (rows of a table, tuples for executemany).

Each collection walks every tracked object of its generations; a step that allocates a
million lists triggers hundreds of collections that find nothing (the rows hold no cycles),
and the full ones walk every row still held. Reading a million-row codings table took 4.7 s
CPU with the collector on and 0.9 s with it paused (bench/README.md, 2026-12-06). Reference
counting still frees everything as usual; only cycles wait for the next collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Turn the cyclic collector off for the block, and back on after it if it was on
    (nested or concurrent uses leave it as the outermost found it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
