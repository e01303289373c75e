"""The value every reliability statistic returns, and the confidence-interval helpers.

A statistic that cannot be computed for the data at hand is *undefined*: ``value`` is
``None`` and ``undefined_reason`` says why in words a user understands. It is never a
silent 0, 1 or NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist
from typing import Any

import numpy as np

# Reasons shared by several statistics (kept in one place so tests and UI can match them).
FEWER_THAN_TWO_RATERS = "fewer than two raters"
NO_PAIRABLE_UNIT = "no unit was rated by two or more raters"
NO_COMMON_UNIT = "no unit was rated by both raters"
ONE_CATEGORY = "only one category was used"
NO_VARIANCE = "no variance"
FEWER_THAN_TWO_CATEGORIES = "there are fewer than two categories"


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class StatResult:
    """One reliability coefficient with its uncertainty.

    ``ci`` is ``(low, high)`` or ``None``; ``ci_method`` names the method that produced it
    (e.g. ``"Fleiss-Cohen-Everitt asymptotic"``). ``n_units`` counts the units the value is
    based on; ``extra`` holds statistic-specific details (excluded units, p_o, p_e, ...).
    """

    name: str
    value: float | None
    se: float | None = None
    ci: tuple[float, float] | None = None
    ci_method: str | None = None
    undefined_reason: str | None = None
    n_units: int = 0
    extra: dict = field(default_factory=dict)
    convention: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None

    def to_json(self) -> dict:
        """Plain JSON-ready dict: value, se, ci ([low, high] or None), ci_method,
        undefined_reason, n_units and convention (floats are Python floats, never NaN)."""
        return {
            "value": _num(self.value),
            "se": _num(self.se),
            "ci": None if self.ci is None else [_num(self.ci[0]), _num(self.ci[1])],
            "ci_method": self.ci_method,
            "undefined_reason": self.undefined_reason,
            "n_units": int(self.n_units),
            "convention": self.convention,
        }


def undefined(name: str, reason: str, n_units: int = 0, **extra: Any) -> StatResult:
    """A statistic that cannot be computed, with the reason."""
    return StatResult(name=name, value=None, undefined_reason=reason,
                      n_units=int(n_units), extra=dict(extra))


def defined(name: str, value: float, *, se: float | None = None,
            ci: tuple[float, float] | None = None, ci_method: str | None = None,
            n_units: int = 0, **extra: Any) -> StatResult:
    """A computed statistic; non-finite se/ci are dropped rather than reported as NaN."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}: non-finite value {value!r} must be reported as undefined")
    se = _num(se)
    if ci is not None and (_num(ci[0]) is None or _num(ci[1]) is None):
        ci, ci_method = None, None
    if ci is not None:
        ci = (float(ci[0]), float(ci[1]))
    return StatResult(name=name, value=value, se=se, ci=ci,
                      ci_method=ci_method if ci is not None else None,
                      n_units=int(n_units), extra=dict(extra))


def chance_is_one(pe, atol: float = 1e-12):
    """Whether expected agreement ``pe`` (a number or an array) is 1 within ``atol``, where a
    chance-corrected coefficient is undefined: ``np.isclose(pe, 1.0, rtol=0, atol=atol)``
    (NaN is not close) without its cost, ~30 µs a call and thousands of calls a report."""
    return np.abs(np.subtract(pe, 1.0)) <= atol


def z_quantile(level: float = 0.95) -> float:
    """Two-sided standard-normal quantile (stdlib, no scipy)."""
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def load_quantiles() -> None:
    """Import now what the quantiles import when first used (scipy.special: 0.16-0.27 s, and
    its own BLAS library): before a fork, so that a forked part does not import it again and
    throw it away, and so that a BLAS limit set here holds for its library too."""
    t_quantile(0.95, 10.0)


@lru_cache(maxsize=4096)
def t_quantile(level: float, df: float) -> float:
    """Two-sided Student t quantile (scipy.special, imported lazily).

    Cached: a project report asks for the same (level, df) hundreds of times (every code and
    cut with the same number of units). scipy.special, not scipy.stats: the same numbers
    (stats calls these functions), and stats imports hundreds of modules, which in the GUI,
    behind PySide6's import hook, took over a minute in a worker thread."""
    from scipy.special import stdtrit  # lazy: only needed here
    return float(stdtrit(df, 0.5 + level / 2.0))


@lru_cache(maxsize=4096)
def f_quantile(p: float, df1: float, df2: float) -> float:
    """F quantile F_p(df1, df2) (scipy.special, lazily; cached like t_quantile)."""
    from scipy.special import fdtri
    return float(fdtri(df1, df2, p))


def clip_ci(low: float, high: float, lo: float = -1.0, hi: float = 1.0) -> tuple[tuple[float, float], bool]:
    """Clip an interval to the coefficient's range; says whether it clipped."""
    c_low, c_high = max(low, lo), min(high, hi)
    return (c_low, c_high), (c_low != low or c_high != high)


def normal_ci(value: float, se: float | None, level: float = 0.95):
    """value ± z·se clipped to [-1, 1]; ``(None, False)`` when se is unknown."""
    if se is None or not np.isfinite(se):
        return None, False
    z = z_quantile(level)
    return clip_ci(value - z * se, value + z * se)


def t_ci(value: float, se: float | None, df: int, level: float = 0.95):
    """value ± t(df)·se clipped to [-1, 1], as Gwet (2014) and AgreeStat report it."""
    if se is None or not np.isfinite(se) or df < 1:
        return None, False
    t = t_quantile(level, df)
    return clip_ci(value - t * se, value + t * se)
