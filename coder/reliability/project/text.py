"""Readable text for a project reliability report (``python main.py reliability``).

One block per code: a header (id, kind, label, units, raters, single-rated units) and one row
per statistic with value, interval, the method that made the interval, and the
interpretation label next to the scheme that gave it. A cautioned value
(:mod:`.caution`) has no label: "caution: <reason>" stands in its place, and a jackknife
standard error stands beside a cluster bootstrap over fewer than 10 transcripts. Category
sets list their categories by label. Pairs and the reference cut follow as one line per code
and pair with the headline coefficients; in the reference cut each presence code (and each
category of a set, against the rest) adds the 2 x 2 counts with sensitivity, specificity,
precision and F1 against the reference; per-transcript figures are in the JSON output
(``--json``).
"""

from __future__ import annotations

from ..report import DISPLAY_NAMES
from ..schemes import SCHEMES
from .results import CodeEntry, ReferenceAccuracy, Report, Statistic

EXTRA_NAMES = {"exact": "Exact agreement", "within_one": "Agreement within one point",
               "interval_check": "Krippendorff's alpha (interval, check)"}
HEADLINE = ("percent_agreement", "cohen_kappa", "weighted_kappa_quadratic", "gwet_ac1",
            "gwet_ac2_quadratic", "krippendorff_alpha", "icc_2_1")


def _f(x) -> str:
    return "" if x is None else f"{x:.3f}"


def _row(label: str, st: Statistic) -> tuple[str, ...]:
    if st.value is None:
        return (label, "undefined", "", "", st.undefined_reason or "")
    ci = st.ci
    ci_txt = f"[{_f(ci[0])}, {_f(ci[1])}]" if ci else ""
    label_txt = st.interpretation.text if st.interpretation else ""
    if st.caution:
        label_txt = f"caution: {st.caution}"
    method = st.ci_method or st.ci_note or ""
    if st.jackknife_se is not None:
        method += f"; jackknife SE {_f(st.jackknife_se)}"
    return (label, _f(st.value), ci_txt, method, label_txt)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    head = ("Statistic", "Value", "95% CI", "CI method", "Interpretation")
    rows = [head] + rows
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for i, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]),
                 r[3].ljust(widths[3]), r[4]]
        lines.append("  " + "  ".join(cells).rstrip())
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def _entry_block(e: CodeEntry) -> list[str]:
    head = (f"{e.id} ({e.kind}) {e.label}: {e.n_units} units, "
            f"{e.n_raters} raters ({', '.join(e.raters)})")
    if e.n_units_single_rated:
        head += (f", {e.n_units_single_rated} single-rated units (in chance agreement "
                 "only)")
    lines = [head]
    rows = [_row(DISPLAY_NAMES.get(n, n), st) for n, st in e.statistics.items()]
    for k, st in (e.agreement or {}).items():
        rows.append(_row(EXTRA_NAMES[k], st))
    if e.interval_check:
        rows.append(_row(EXTRA_NAMES["interval_check"], e.interval_check))
    lines += _table(rows)
    if e.kind == "category" and e.categories:
        per = e.per_category_agreement or {}
        lines.append("  Categories (agreement per category): " + ", ".join(
            f"{e.category_name(c)} "
            f"{'-' if c not in per or per[c].value is None else _f(per[c].value)}"
            for c in e.categories))
    prev = e.prevalence or {}
    if e.kind == "presence" and prev:
        lines.append("  Prevalence: " + ", ".join(
            f"{r} {'-' if v is None else f'{v:.1%}'}" for r, v in prev.items()))
    dice = e.span_dice
    if dice is not None and dice.n_comparisons:
        lines.append(f"  Span overlap (mean Dice): {dice.mean_dice:.3f} over "
                     f"{dice.n_comparisons} comparisons")
    sc = e.session_counts
    if sc and sc.n_transcripts:
        n = sc.n_transcripts
        lines.append(f"  Per-session count, {n} session{'s' if n != 1 else ''} (how often each "
                     "rater applied the code in each session):")
        lines += ["  " + ln for ln in _table([_row(DISPLAY_NAMES.get(n, n), st)
                                              for n, st in sc.statistics.items()])]
    notes = dict(e.notes.items())
    for note in ("n_codings_outside_scope", "n_values_off_scale", "n_units_with_two_categories"):
        if notes.get(note):
            lines.append(f"  Note: {note.replace('_', ' ')}: {notes[note]}")
    if e.notes.raters_without_data:
        lines.append(f"  No data from: {', '.join(e.notes.raters_without_data)}")
    return lines


def _headline(e: CodeEntry) -> str:
    parts = []
    for n in HEADLINE:
        st = e.statistics.get(n)
        if st is not None:
            parts.append(f"{DISPLAY_NAMES.get(n, n)} "
                         f"{'undefined' if st.value is None else _f(st.value)}")
    return f"  {e.id:<28} n={e.n_units:<6} " + "; ".join(parts)


ACCURACY_LABELS = (("sensitivity", "sensitivity"), ("specificity", "specificity"),
                   ("precision", "precision"), ("f1", "F1"))


def _accuracy_line(a: ReferenceAccuracy, what: str = "") -> str:
    """One rater against the reference: the 2 x 2 counts and the four figures with their
    intervals (an undefined one says why; a cautioned one is marked "!")."""
    parts = []
    for name, label in ACCURACY_LABELS:
        st = a.statistics[name]
        if st.value is None:
            parts.append(f"{label} undefined ({st.undefined_reason})")
            continue
        ci = f" [{_f(st.ci[0])}, {_f(st.ci[1])}]" if st.ci else ""
        parts.append(f"{label} {_f(st.value)}{ci}")
    caution = next((st.caution for st in a.statistics.values() if st.caution), None)
    line = (f"    {what}TP {a.true_positive}, FP {a.false_positive}, FN {a.false_negative}, "
            f"TN {a.true_negative}: " + "; ".join(parts))
    return line + (f" (caution: {caution})" if caution else "")


def _accuracy_lines(e: CodeEntry) -> list[str]:
    if e.against_reference is not None:
        return [_accuracy_line(e.against_reference)]
    per = e.per_category_against_reference or {}
    return [_accuracy_line(a, f"{e.category_name(c)} vs rest: ") for c, a in per.items()]


def format_report(report: Report) -> str:
    """Plain-text rendering of a :func:`~coder.reliability.project.build_report` report."""
    ci = report.ci_method
    if ci == "bootstrap" and report.bootstrap is not None:
        b = report.bootstrap
        ci = f"cluster bootstrap over transcripts, {b.replicates} replicates, seed {b.seed}"
    scheme = (SCHEMES[report.scheme].display_name if report.scheme in SCHEMES
              else "the usual scheme per statistic (named beside each label)")
    lines = [f"Reliability: {report.project} - codebook '{report.codebook.name}' "
             f"(version {report.codebook.version})",
             f"Raters: {', '.join(report.raters)}; {len(report.transcripts)} "
             f"transcript(s); intervals: {ci}; interpretation: {scheme}",
             ""]
    for e in report.entries:
        lines += _entry_block(e) + [""]
    if report.pairs:
        lines.append("Rater pairs")
        for b in report.pairs:
            lines.append(f" {b.raters[0]} / {b.raters[1]}")
            lines += [_headline(e) for e in b.entries]
        lines.append("")
    ref = report.reference
    if ref:
        lines.append(f"Against the reference rater {ref.rater}")
        for b in ref.against:
            lines.append(f" {b.rater}")
            for e in b.entries:
                lines += [_headline(e)] + _accuracy_lines(e)
        lines.append("")
    if report.per_transcript:
        lines.append("Per-transcript figures: use --json.")
    return "\n".join(lines).rstrip() + "\n"
