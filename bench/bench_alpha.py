"""Krippendorff's alpha: our engine beside the `krippendorff` package (test-only dependency).

5 raters × 100,000 units × 10 categories, 10% missing, nominal and ordinal. Prints the best
of several wall-clock runs and the peak traced memory (tracemalloc, measured in a separate
run) for each, with ratios ours / theirs (target: time <= 0.5, memory <= 1.0). Ours includes
Krippendorff's bootstrap interval (1,000 replicates); the time without it is printed too.
Also times every applicable statistic at once and a 1,000-replicate cluster bootstrap of
alpha over 50,000 units. Prints; asserts nothing.

    python bench/bench_alpha.py
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coder.reliability import compute  # noqa: E402
from coder.reliability.bootstrap import cluster_bootstrap  # noqa: E402
from coder.reliability.suffstats import sufficient_statistic  # noqa: E402

UNITS, RATERS, Q, MISSING, REPEATS = 100_000, 5, 10, 0.10, 7


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, Q, UNITS)
    x = np.where(rng.random((UNITS, RATERS)) < 0.7, truth[:, None],
                 rng.integers(0, Q, (UNITS, RATERS))).astype(float)
    x[rng.random(x.shape) < MISSING] = np.nan
    return x


def measure(fn):
    best = min(_timed(fn) for _ in range(REPEATS))
    tracemalloc.start()
    value = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value, best, peak


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    try:
        import krippendorff
    except ImportError:
        print("the `krippendorff` package is not installed (pip install krippendorff)")
        return
    x = make_data()
    cats = np.arange(Q, dtype=float)
    xt = np.ascontiguousarray(x.T)
    print(f"Krippendorff's alpha, {RATERS} raters x {UNITS:,} units x {Q} categories, "
          f"{MISSING:.0%} missing (best of {REPEATS}; peak memory by tracemalloc)")
    print(f"{'level':<9}{'impl':<14}{'alpha':>10}{'time s':>10}{'peak MiB':>10}")
    for level in ("nominal", "ordinal"):
        ours = measure(lambda: compute(x, level, cats, names=["krippendorff_alpha"])
                       ["krippendorff_alpha"].value)
        theirs = measure(lambda: krippendorff.alpha(reliability_data=xt, value_domain=cats,
                                                    level_of_measurement=level))
        for name, (val, t, peak) in (("ours", ours), ("krippendorff", theirs)):
            print(f"{level:<9}{name:<14}{val:>10.6f}{t:>10.4f}{peak / 2**20:>10.1f}")
        print(f"{'':<9}{'ratio':<14}{abs(ours[0] - theirs[0]):>10.1e}"
              f"{ours[1] / theirs[1]:>10.3f}{ours[2] / theirs[2]:>10.3f}"
              "   (|diff|, time ours/theirs, memory ours/theirs)")
    plain = measure(lambda: compute(x, "ordinal", cats, names=["krippendorff_alpha"],
                                    alpha_replicates=0)["krippendorff_alpha"].value)
    print(f"ordinal alpha without Krippendorff's bootstrap interval: {plain[1]:.4f} s "
          "(the rows above include the 1,000-replicate Hayes & Krippendorff interval)")
    t0 = time.perf_counter()
    every = compute(x, "ordinal", cats)
    print(f"every applicable statistic ({len(every)}, incl. Conger and Light), 5 raters x "
          f"{UNITS:,} units: {time.perf_counter() - t0:.2f} s")
    small = x[:50_000]
    clusters = np.repeat(np.arange(250), 200)
    st = sufficient_statistic("krippendorff_alpha", "ordinal", cats, small)
    t0 = time.perf_counter()
    res = cluster_bootstrap(small, clusters, st, replicates=1000, seed=1)
    print(f"cluster bootstrap, ordinal alpha, 50,000 units in 250 clusters, 1,000 replicates: "
          f"{time.perf_counter() - t0:.2f} s, CI [{res.ci[0]:.4f}, {res.ci[1]:.4f}]")


if __name__ == "__main__":
    main()
