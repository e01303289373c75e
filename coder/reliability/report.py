"""Readable text for a stats report: one aligned row per statistic.

Each row shows the value, its confidence interval, the method that produced the interval,
and an interpretation label together with the named scheme that gave it
(see :mod:`coder.reliability.schemes`).
"""

from __future__ import annotations

from .schemes import DEFAULT_SCHEME, SCHEMES, interpret

DISPLAY_NAMES = {
    "percent_agreement": "Percent agreement",
    "positive_agreement": "Positive agreement",
    "negative_agreement": "Negative agreement",
    "cohen_kappa": "Cohen's kappa",
    "weighted_kappa_linear": "Weighted kappa (linear)",
    "weighted_kappa_quadratic": "Weighted kappa (quadratic)",
    "scott_pi": "Scott's pi",
    "fleiss_kappa": "Fleiss' kappa",
    "conger_kappa": "Conger's kappa",
    "light_kappa": "Light's kappa",
    "pabak": "PABAK",
    "prevalence_index": "Prevalence index",
    "bias_index": "Bias index",
    "brennan_prediger": "Brennan-Prediger",
    "gwet_ac1": "Gwet's AC1",
    "gwet_ac2_linear": "Gwet's AC2 (linear)",
    "gwet_ac2_quadratic": "Gwet's AC2 (quadratic)",
    "krippendorff_alpha": "Krippendorff's alpha",
    "icc_1_1": "ICC(1,1) = ICC(1)",
    "icc_2_1": "ICC(2,1) = ICC(A,1)",
    "icc_3_1": "ICC(3,1) = ICC(C,1)",
    "icc_1_k": "ICC(1,k) = ICC(k)",
    "icc_2_k": "ICC(2,k) = ICC(A,k)",
    "icc_3_k": "ICC(3,k) = ICC(C,k)",
}


def _fmt(x) -> str:
    return "" if x is None else f"{x:.3f}"


def format_report(report: dict) -> str:
    """Aligned plain-text table for a :func:`~coder.reliability.table.stats_report` dict."""
    cats = ", ".join(report.get("categories") or []) or "-"
    head = (f"{report['n_units']} units x {report['n_raters']} raters, "
            f"{report['level']} level; categories: {cats}")
    rows = [("Statistic", "Value", "95% CI", "CI method", "Interpretation")]
    for name, st in report["statistics"].items():
        label = DISPLAY_NAMES.get(name, name)
        if st["value"] is None:
            rows.append((label, "undefined", "", "", st["undefined_reason"] or ""))
            continue
        ci = st.get("ci")
        ci_txt = f"[{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else ""
        key = DEFAULT_SCHEME.get(name)
        interp = (f"{interpret(st['value'], key)} ({SCHEMES[key].display_name})"
                  if key else "")
        rows.append((label, _fmt(st["value"]), ci_txt, st.get("ci_method") or "", interp))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [head, ""]
    for i, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]),
                 r[3].ljust(widths[3]), r[4]]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    per = report.get("per_category_kappa")
    if per:
        lines += ["", "Per-category kappa (Fleiss 1971, each category against the rest):"]
        width = max(len(lab) for lab in per)
        for lab, st in per.items():
            if st["value"] is None:
                lines.append(f"  {lab.ljust(width)}  undefined  {st['undefined_reason']}")
            else:
                ci = st.get("ci")
                ci_txt = f"  [{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else ""
                lines.append(f"  {lab.ljust(width)}  {_fmt(st['value'])}{ci_txt}")
    conventions: dict[str, list[str]] = {}
    for name, st in report["statistics"].items():
        if st.get("convention"):
            conventions.setdefault(st["convention"], []).append(DISPLAY_NAMES.get(name, name))
    if conventions:
        lines += ["", "Units used:"]
        lines += [f"  {', '.join(names)}: {conv}" for conv, names in conventions.items()]
    used = sorted({DEFAULT_SCHEME[n] for n, st in report["statistics"].items()
                   if st["value"] is not None and DEFAULT_SCHEME.get(n)})
    if used:
        lines += ["", "Interpretation schemes:"]
        lines += [f"  {SCHEMES[k].display_name}: {SCHEMES[k].citation}" for k in used]
    return "\n".join(lines) + "\n"
