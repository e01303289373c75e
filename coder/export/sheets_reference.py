"""The Reference sheet: each rater against the reference rater, one row per code (and per
category of a category set, against the rest of the set).

Written only when the export names a reference rater (``export --reference NAME``). The
numbers are the report's reference cut (:mod:`coder.reliability.project.accuracy`): the
2 x 2 counts over the units both rated, the reference's "applied" taken as the truth, and
sensitivity, specificity, precision and F1, each with its interval (Wilson score for the
proportions, a delete-one-unit jackknife for F1). An undefined figure leaves its cells empty
and names the reason; a figure over fewer than 10 units is cautioned.
"""

from __future__ import annotations

from ..reliability.project.accuracy import ACCURACY_NAMES
from .context import Ctx
from .table import Col, Table


def reference_rows(report):
    """(rater, code entry, category label or None, ReferenceAccuracy) of the reference cut."""
    for block in report.reference.against:
        for e in block.entries:
            if e.against_reference is not None:
                yield block.rater, e, None, e.against_reference
            for c, acc in (e.per_category_against_reference or {}).items():
                yield block.rater, e, e.category_name(c), acc


def write_reference(ctx: Ctx, ws) -> None:
    report = ctx.report
    cols = [Col("reference", width=14), Col("rater", width=14), Col("code", width=22),
            Col("kind", width=10), Col("category", width=16), Col("n_units", "number", 9),
            Col("true_positive", "number", 9), Col("false_positive", "number", 9),
            Col("false_negative", "number", 9), Col("true_negative", "number", 9)]
    for n in ACCURACY_NAMES:
        cols += [Col(n, "stat", max(9, len(n) + 3)), Col(f"{n}_ci_low", "stat", 9),
                 Col(f"{n}_ci_high", "stat", 9)]
    cols += [Col("ci_methods", width=40), Col("undefined_reasons", width=60),
             Col("cautions", width=50)]
    table = Table(ws, cols)
    for rater, e, category, acc in reference_rows(report):
        cells, methods, why, cautions = [], {}, [], []
        for n in ACCURACY_NAMES:
            st = acc.statistics[n]
            cells += [st.value, *(st.ci if st.ci else (None, None))]
            if st.ci_method:
                methods[st.ci_method] = None
            if st.value is None:
                why.append(f"{n}: {st.undefined_reason}")
            if st.caution:
                cautions.append(st.caution)
        table.append([acc.reference, rater, e.id, e.kind, category, acc.n_units,
                      acc.true_positive, acc.false_positive, acc.false_negative,
                      acc.true_negative, *cells, "; ".join(methods), "; ".join(why),
                      "; ".join(dict.fromkeys(cautions))])
    table.finish()
    ctx.rows[ws.title] = table.rows
