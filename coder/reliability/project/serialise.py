"""The one serialiser of a reliability :class:`~.results.Report`: the JSON of
``python main.py reliability --json``.

That JSON is a contract (scripts and bars read it): names, nesting and key order stay as
they are; new fields are added, never renamed or dropped. Everything that writes the report
as JSON goes through :func:`to_json`. Fields that only some statistics have (``ci_note``,
``jackknife_se``, ``caution``) appear only where they apply, and so do the reference cut's
``against_reference`` (presence) and ``per_category_against_reference`` (category sets):
the 2 x 2 counts and ``sensitivity``, ``specificity``, ``precision``, ``f1`` in the usual
statistic shape.
"""

from __future__ import annotations

from collections.abc import Mapping

from .results import (
    CodeEntry,
    Interpretation,
    ReferenceAccuracy,
    Report,
    SessionCounts,
    SpanOverlap,
    Statistic,
)


def interpretation_json(it: Interpretation | None) -> dict | None:
    if it is None:
        return None
    return {"label": it.label, "scheme": it.scheme, "scheme_name": it.scheme_name}


def statistic_json(st: Statistic) -> dict:
    out = {"value": st.value, "se": st.se,
           "ci": None if st.ci is None else [st.ci[0], st.ci[1]],
           "ci_method": st.ci_method, "undefined_reason": st.undefined_reason,
           "convention": st.convention,
           "interpretation": interpretation_json(st.interpretation)}
    if st.ci_note:
        out["ci_note"] = st.ci_note
    if st.jackknife_se is not None:
        out["jackknife_se"] = st.jackknife_se
    if st.caution:
        out["caution"] = st.caution
    return out


def statistics_json(stats) -> dict:
    return {name: statistic_json(st) for name, st in stats.items()}


def _prevalence(prev) -> dict:
    return {r: (dict(v) if isinstance(v, Mapping) else v) for r, v in prev.items()}


def _span(sd: SpanOverlap | None) -> dict:
    if sd is None:
        return {}
    return {"n_comparisons": sd.n_comparisons,
            "n_comparisons_one_span_only": sd.n_comparisons_one_span_only,
            "mean_dice": sd.mean_dice, "undefined_reason": sd.undefined_reason}


def _counts(sc: SessionCounts) -> dict:
    return {"n_transcripts": sc.n_transcripts,
            "n_transcripts_single_rated": sc.n_transcripts_single_rated,
            "means": _prevalence(sc.means), "statistics": statistics_json(sc.statistics)}


def accuracy_json(a: ReferenceAccuracy) -> dict:
    return {"reference": a.reference, "rater": a.rater, "n_units": a.n_units,
            "true_positive": a.true_positive, "false_positive": a.false_positive,
            "false_negative": a.false_negative, "true_negative": a.true_negative,
            "statistics": statistics_json(a.statistics)}


def entry_json(e: CodeEntry, *, per_transcript: bool = False) -> dict:
    """One entry; a per-transcript entry has no categories nor kind-specific extras."""
    out = {"id": e.id, "kind": e.kind, "label": e.label, "group": e.group, "level": e.level}
    if not per_transcript:
        out["categories"] = None if e.categories is None else list(e.categories)
    out.update({"n_units": e.n_units, "n_raters": e.n_raters, "raters": list(e.raters),
                "n_units_single_rated": e.n_units_single_rated,
                "prevalence": _prevalence(e.prevalence),
                "statistics": statistics_json(e.statistics)})
    if per_transcript:
        return out
    for name, value in e.notes.items():
        out[name] = list(value) if isinstance(value, tuple) else value
    if e.per_category_agreement is not None:
        out["per_category_agreement"] = statistics_json(e.per_category_agreement)
    if e.per_category_kappa is not None:
        out["per_category_kappa"] = statistics_json(e.per_category_kappa)
    if e.coincidence_matrix is not None:
        co = e.coincidence_matrix
        out["coincidence_matrix"] = {"categories": list(co.categories),
                                     "values": [list(r) for r in co.values]}
    if e.confusion_matrix is not None:
        cm = e.confusion_matrix
        out["confusion_matrix"] = {"rows": cm.rows, "columns": cm.columns,
                                   "categories": list(cm.categories),
                                   "counts": [list(r) for r in cm.counts]}
    if e.agreement is not None:
        out["agreement"] = statistics_json(e.agreement)
    if e.interval_check is not None:
        out["interval_check"] = statistic_json(e.interval_check)
    if e.kind == "presence":
        out["span_dice"] = _span(e.span_dice)
        if e.session_counts is not None:
            out["session_counts"] = _counts(e.session_counts)
    if e.against_reference is not None:
        out["against_reference"] = accuracy_json(e.against_reference)
    if e.per_category_against_reference is not None:
        out["per_category_against_reference"] = {
            lab: accuracy_json(a) for lab, a in e.per_category_against_reference.items()}
    return out


def _entries(entries, **kw) -> list[dict]:
    return [entry_json(e, **kw) for e in entries]


def to_json(report: Report) -> dict:
    """The report as plain JSON-ready data (``json.dumps`` writes it as is)."""
    out = {
        "project": report.project,
        "codebook": {"id": report.codebook.id, "name": report.codebook.name,
                     "version": report.codebook.version},
        "raters": list(report.raters),
        "transcripts": list(report.transcripts),
        "ci_method": report.ci_method,
        "confidence": report.confidence,
        "scheme": report.scheme,
        "codes": _entries(report.codes),
        "globals": _entries(report.globals),
        "per_transcript": None,
        "pairs": None,
        "reference": None,
    }
    if report.bootstrap is not None:
        b = report.bootstrap
        out["bootstrap"] = {"replicates": b.replicates, "seed": b.seed,
                            "resampled": b.resampled}
    if report.per_transcript is not None:
        out["per_transcript"] = [
            {"transcript": t.transcript, "codes": _entries(t.codes, per_transcript=True)}
            for t in report.per_transcript]
    if report.pairs is not None:
        out["pairs"] = [{"raters": list(p.raters), "codes": _entries(p.codes),
                         "globals": _entries(p.globals)} for p in report.pairs]
    if report.reference is not None:
        ref = report.reference
        out["reference"] = {"rater": ref.rater, "against": [
            {"rater": a.rater, "codes": _entries(a.codes), "globals": _entries(a.globals)}
            for a in ref.against]}
    return out
