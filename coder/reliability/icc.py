"""Intraclass correlations: the six Shrout & Fleiss (1979) forms with F-based 95% CIs.

Mean squares from the two-way table of n complete units (targets) × k raters:
MSR (units), MSC (raters), MSE (residual), MSW (within units, one-way).

  ICC(1,1) = ICC(1)   = (MSR - MSW) / (MSR + (k-1) MSW)                 one-way random
  ICC(2,1) = ICC(A,1) = (MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE)/n) two-way random, absolute
  ICC(3,1) = ICC(C,1) = (MSR - MSE) / (MSR + (k-1) MSE)                 two-way, consistency
  ICC(1,k) = ICC(k)   = (MSR - MSW) / MSR
  ICC(2,k) = ICC(A,k) = (MSR - MSE) / (MSR + (MSC - MSE)/n)
  ICC(3,k) = ICC(C,k) = (MSR - MSE) / MSR

Shrout, P. E. & Fleiss, J. L. (1979). Psychol. Bull. 86:420-428. Confidence intervals from
McGraw, K. O. & Wong, S. P. (1996). Psychol. Methods 1:30-46, Table 7: exact F limits for
ICC(1) and ICC(C); for ICC(A,1) the Satterthwaite approximation with
a = k r / (n (1 - r)), b = 1 + k r (n - 1) / (n (1 - r)),
v = (a MSC + b MSE)^2 / ((a MSC)^2 / (k - 1) + (b MSE)^2 / ((n - 1)(k - 1))), r = ICC(A,1);
the ICC(A,k) limits are the ICC(A,1) limits stepped up by Spearman-Brown (algebraically
McGraw & Wong's ICC(A,k) row with the same v). Only complete units are used; incomplete ones
are dropped and counted in ``extra["n_units_dropped"]``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .result import FEWER_THAN_TWO_RATERS, NO_VARIANCE, StatResult, defined, f_quantile, undefined

NAMES = ("icc_1_1", "icc_2_1", "icc_3_1", "icc_1_k", "icc_2_k", "icc_3_k")
LABELS = {
    "icc_1_1": ("ICC(1,1)", "ICC(1)", "one-way random", "absolute agreement", "single rater"),
    "icc_2_1": ("ICC(2,1)", "ICC(A,1)", "two-way random", "absolute agreement", "single rater"),
    "icc_3_1": ("ICC(3,1)", "ICC(C,1)", "two-way mixed", "consistency", "single rater"),
    "icc_1_k": ("ICC(1,k)", "ICC(k)", "one-way random", "absolute agreement", "mean of k raters"),
    "icc_2_k": ("ICC(2,k)", "ICC(A,k)", "two-way random", "absolute agreement", "mean of k raters"),
    "icc_3_k": ("ICC(3,k)", "ICC(C,k)", "two-way mixed", "consistency", "mean of k raters"),
}
F_CI = "F-based (McGraw & Wong 1996)"
F_CI_SATT = "F-based, Satterthwaite df (McGraw & Wong 1996)"


def mean_squares(x: np.ndarray) -> dict:
    """Two-way ANOVA mean squares of a complete n × k table."""
    n, k = x.shape
    grand = x.mean()
    sst = float(((x - grand) ** 2).sum())
    ssr = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ssc = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    sse = max(sst - ssr - ssc, 0.0)
    return {"n": n, "k": k, "MSR": ssr / (n - 1), "MSC": ssc / (k - 1),
            "MSE": sse / ((n - 1) * (k - 1)), "MSW": max(sst - ssr, 0.0) / (n * (k - 1))}


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 or not np.isfinite(num / den) else num / den


def _f_limits(f_obs, df1, df2, level):
    if f_obs is None or not np.isfinite(f_obs) or f_obs <= 0:
        return None
    p = 0.5 + level / 2.0
    return f_obs / f_quantile(p, df1, df2), f_obs * f_quantile(p, df2, df1)


def icc(values: np.ndarray, level: float = 0.95) -> dict[str, StatResult]:
    """All six ICC forms for a units × raters array (NaN = missing)."""
    x_all = np.asarray(values, dtype=float)
    complete = ~np.isnan(x_all).any(axis=1)
    x = x_all[complete]
    dropped = int((~complete).sum())
    base = {"n_units_dropped": dropped}
    n, k = x.shape
    if k < 2:
        return {nm: undefined(nm, FEWER_THAN_TWO_RATERS, n, **base, **_labels(nm)) for nm in NAMES}
    if n < 2:
        why = ("no unit was rated by every rater" if n == 0
               else "fewer than two units were rated by every rater")
        return {nm: undefined(nm, why, n, **base, **_labels(nm)) for nm in NAMES}
    ms = mean_squares(x)
    msr, msc, mse, msw = ms["MSR"], ms["MSC"], ms["MSE"], ms["MSW"]
    vals = {
        "icc_1_1": _ratio(msr - msw, msr + (k - 1) * msw),
        "icc_2_1": _ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n),
        "icc_3_1": _ratio(msr - mse, msr + (k - 1) * mse),
        "icc_1_k": _ratio(msr - msw, msr),
        "icc_2_k": _ratio(msr - mse, msr + (msc - mse) / n),
        "icc_3_k": _ratio(msr - mse, msr),
    }
    df1, df_w, df_e = n - 1, n * (k - 1), (n - 1) * (k - 1)
    f1, f3 = _ratio(msr, msw), _ratio(msr, mse)
    cis: dict[str, tuple | None] = {}
    lim1 = _f_limits(f1, df1, df_w, level)
    lim3 = _f_limits(f3, df1, df_e, level)
    for nm, lim in (("icc_1", lim1), ("icc_3", lim3)):
        cis[nm + "_1"] = None if lim is None else tuple((f - 1) / (f + k - 1) for f in lim)
        cis[nm + "_k"] = None if lim is None else tuple(1 - 1 / f for f in lim)
    cis["icc_2_1"] = cis["icc_2_k"] = None
    r = vals["icc_2_1"]
    if r is not None and r < 1 and mse > 0:
        a = k * r / (n * (1 - r))
        b = 1 + k * r * (n - 1) / (n * (1 - r))
        v = _ratio((a * msc + b * mse) ** 2, (a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / df_e)
        p = 0.5 + level / 2.0
        low = high = None
        if v is not None:       # None: both terms 0 (equal rater means, b = 0), no interval
            fs, fs2 = f_quantile(p, df1, v), f_quantile(p, v, df1)
            c = k * msc + (k * n - k - n) * mse
            low = _ratio(n * (msr - fs * mse), fs * c + n * msr)
            high = _ratio(n * (fs2 * msr - mse), c + n * fs2 * msr)
        if low is not None and high is not None:
            cis["icc_2_1"] = (low, high)
            # Spearman-Brown of each limit; a limit at -1/(k-1) has no finite image (e.g. 2
            # units × 2 raters with a huge F quantile): no interval rather than a crash
            ks = [_ratio(k * t, 1 + (k - 1) * t) for t in (low, high)]
            cis["icc_2_k"] = None if None in ks else tuple(ks)
        base_a = {"satterthwaite_df": v}
    else:
        base_a = {}
    out = {}
    for nm in NAMES:
        value = vals[nm]
        f_obs, dfd = (f1, df_w) if nm.startswith("icc_1") else (f3, df_e)
        extra = dict(base, **_labels(nm), **ms, F=f_obs, df1=df1, df2=dfd,
                     p_value=_p_value(f_obs, df1, dfd))
        if nm.startswith("icc_2"):
            extra.update(base_a)
        if value is None:
            out[nm] = undefined(nm, NO_VARIANCE, n, **extra)
        else:
            out[nm] = defined(nm, value, ci=cis[nm], ci_method=F_CI_SATT if nm.startswith("icc_2")
                              else F_CI, n_units=n, **extra)
    return out


def _labels(nm: str) -> dict:
    sf, mw, model, kind, unit = LABELS[nm]
    return {"shrout_fleiss": sf, "mcgraw_wong": mw, "model": model, "type": kind, "unit": unit}


@lru_cache(maxsize=1024)          # the same (F, df) comes back for the 1 and k forms
def _p_value(f_obs, df1, df2):
    if f_obs is None or not np.isfinite(f_obs):
        return None
    from scipy.special import fdtrc      # = stats.f.sf, without importing scipy.stats
    return float(fdtrc(df1, df2, f_obs))
