"""Team-workflow sheets: the consensus layer's audit trail, training against a master and
drift over batches. Each is written only when the project has that data (a consensus
decision, a marked master, two or more batches or a named round), so an export of a project
that does not use the team workflow is unchanged."""

from __future__ import annotations

from ..store import consensus as cons_store
from ..store import drift as drift_store
from ..store import training as training_store
from .context import Ctx
from .table import Col, write_table

TEAM_SHEETS = ("Consensus audit", "Training", "Drift")


def _drift_by(conn) -> str:
    return "round" if drift_store.rounds(conn) else "month"


def has_data(conn, name: str) -> bool:
    if name == "Consensus audit":
        return bool(cons_store.decisions(conn))
    if name == "Training":
        return bool(training_store.masters(conn))
    if name == "Drift":
        from ..team.drift import batches
        return len(batches(conn, _drift_by(conn))) >= 2
    return False


def consensus_rater(conn) -> tuple[int, str] | None:
    rid = cons_store.consensus_rater(conn)
    if rid is None:
        return None
    name = dict(cons_store.all_raters(conn))[rid]
    return rid, name


def write_consensus_audit(ctx: Ctx, ws) -> None:
    names = dict(zip(ctx.snap.transcript_ids, ctx.snap.transcript_names))
    pos = cons_store.unit_positions(ctx.conn)
    rows = []
    for d in cons_store.decisions(ctx.conn, list(ctx.snap.transcript_ids)):
        if not ctx.wanted(d["code_key"]):
            continue
        kind, position = pos.get(d["segment_id"], (None, None))
        out = d["outcome"]
        seen = "; ".join(f"{r}: " + ("not applied" if v is False else "applied" if v is None
                                     else f"{v:g}") for r, v in d["from_raters"].items())
        rows.append((names.get(d["transcript_id"]), kind, position, d["code_key"],
                     "applied" if out["applied"] else "not applied", out.get("value"),
                     seen, d["decided_by_name"], d["decided_at"], d["reason"]))
    cols = [Col("transcript"), Col("unit_kind"), Col("unit"), Col("code"), Col("consensus"),
            Col("value", "number"), Col("raters_codes", width=50), Col("decided_by"),
            Col("decided_at", width=24), Col("reason", width=40)]
    ctx.rows["Consensus audit"] = write_table(ws, cols, rows).rows


def write_training(ctx: Ctx, ws) -> None:
    from ..team.training import training_reports
    masters = sorted(set(training_store.masters(ctx.conn).values()))
    names = dict(cons_store.all_raters(ctx.conn))
    rows = []
    codes = None if ctx.code_filter is None else list(ctx.code_filter)
    for mid in masters:
        for rep in training_reports(ctx.conn, names[mid], codes=codes,
                                    ci=ctx.job.options.ci):
            for a in rep.codes:
                if a.passed is None:
                    continue
                misses = sum(1 for d in rep.misses if d.code == a.code)
                extras = sum(1 for d in rep.extras if d.code == a.code)
                rows.append((rep.trainee, rep.master, a.code, a.statistic, a.value,
                             a.ci[0] if a.ci else None, a.ci[1] if a.ci else None,
                             a.percent_agreement, a.n_units, misses, extras, a.threshold,
                             "pass" if a.passed else "not yet",
                             "pass" if rep.passed else "not yet", a.undefined_reason))
    cols = [Col("trainee"), Col("master"), Col("code"), Col("statistic"),
            Col("value", "stat"), Col("ci_low", "stat"), Col("ci_high", "stat"),
            Col("percent_agreement", "stat"), Col("n_units", "number"),
            Col("misses", "number"), Col("extras", "number"), Col("threshold", "stat"),
            Col("code_result"), Col("trainee_result"), Col("undefined_reason", width=40)]
    ctx.rows["Training"] = write_table(ws, cols, rows).rows


def write_drift(ctx: Ctx, ws) -> None:
    from ..team.drift import drift_report
    o = ctx.job.options
    codes = None if ctx.code_filter is None else list(ctx.code_filter)
    rep = drift_report(ctx.conn, by=_drift_by(ctx.conn), raters=o.raters, codes=codes,
                       ci=o.ci)
    members = dict(rep.batches)
    rows = [(p.batch, len(members[p.batch]), p.code, p.kind, p.statistic, p.value,
             p.ci[0] if p.ci else None, p.ci[1] if p.ci else None, p.n_units,
             p.undefined_reason) for p in rep.points]
    cols = [Col("batch"), Col("transcripts", "number"), Col("code"), Col("kind"),
            Col("statistic"), Col("value", "stat"), Col("ci_low", "stat"),
            Col("ci_high", "stat"), Col("n_units", "number"),
            Col("undefined_reason", width=40)]
    ctx.rows["Drift"] = write_table(ws, cols, rows).rows


WRITERS = {"Consensus audit": write_consensus_audit, "Training": write_training,
           "Drift": write_drift}
