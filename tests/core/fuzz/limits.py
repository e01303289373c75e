"""Shared bounds of the fuzz suite: every input ends in success or the project's own error
type (`coder.errors.SessionCoderError`), within a time bound (hypothesis' deadline) and a
memory bound (tracemalloc's peak of Python allocations) per example.

The deadline is generous on purpose: it catches hangs and blow-ups (a quadratic parser, an
exponential alias walk), not a slow machine. ``SESSION_CODER_FUZZ_SCALE=50`` runs 50x more
examples locally.
"""

from __future__ import annotations

import os
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta

from hypothesis import HealthCheck, settings

SCALE = int(os.environ.get("SESSION_CODER_FUZZ_SCALE", "1"))
DEADLINE = timedelta(seconds=10)
MEMORY_MB = 150


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=DEADLINE,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@contextmanager
def bounded_memory(limit_mb: float = MEMORY_MB):
    """Fail when the block's peak Python allocation exceeds `limit_mb`."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    ok = False
    try:
        yield
        ok = True
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        if started:
            tracemalloc.stop()
    if ok:
        assert peak < limit_mb, f"peak memory {peak:.0f} MB (bound {limit_mb} MB)"
