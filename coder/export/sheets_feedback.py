"""The supervisor's-feedback sheets: Episodes, Profile (with the client's measures as
columns) and Measures. Computed by `coder.analytics` from the same read transaction as the
other sheets, for each transcript x rater of the selection that has codings (and the
consensus layer, when the export shows it)."""

from __future__ import annotations

from ..analytics.episodes import session_episodes
from ..analytics.mi import mi_scores
from ..analytics.profile import adherence_profile
from ..store import feedback as fb_store
from ..store.analytics_read import read_session, read_settings
from .context import Ctx
from .table import Col, Table


def _sessions(ctx: Ctx):
    """(transcript name, rater, SessionData) for every selected pair with codings, read a
    transcript at a time (each sheet reads them again rather than holding every transcript's
    session: memory stays flat in the number of transcripts)."""
    wanted = list(ctx.snap.rater_names)
    if ctx.consensus is not None:            # the consensus layer has its own rows
        wanted.append(ctx.consensus[1])
    for tid in ctx.snap.transcript_ids:
        data = read_session(ctx.conn, tid, None, ctx.book)
        for rater in wanted:
            if rater in data.raters:
                yield data.name, rater, data
        ctx.ticker.advance()


def episode_rows(ctx: Ctx):
    """The Episodes rows, in order (the sheet and the analyst's API share them)."""
    settings = read_settings(ctx.conn)
    for name, rater, data in _sessions(ctx):
        for e in session_episodes(data, rater, settings).episodes:
            yield (name, rater, e.number, e.type, e.first_marker, e.first_repair,
                   e.latency_units, e.latency_s, ", ".join(e.strategies), e.resolved,
                   " ".join(map(str, e.marker_units)),
                   " ".join(map(str, e.repair_units)), e.direct, e.indirect)


EPISODE_COLUMNS = ("transcript", "rater", "episode", "type", "marker_unit",
                   "first_repair_unit", "latency_units", "latency_s", "strategies", "resolved",
                   "marker_units", "repair_units", "direct", "indirect")


def write_episodes(ctx: Ctx, ws) -> None:
    cols = [Col("transcript", width=24), Col("rater", width=16), Col("episode", "number", 8),
            Col("type", width=13), Col("marker_unit", "number", 11),
            Col("first_repair_unit", "number", 16), Col("latency_units", "number", 13),
            Col("latency_s", "stat", 10), Col("strategies", width=40),
            Col("resolved", "bool", 9), Col("marker_units", width=16),
            Col("repair_units", width=16), Col("direct", "number", 7),
            Col("indirect", "number", 8)]
    table = Table(ws, cols)
    for row in episode_rows(ctx):
        table.append(row)
    table.finish()
    ctx.rows["Episodes"] = table.rows


def write_profile(ctx: Ctx, ws) -> None:
    settings = read_settings(ctx.conn)
    sessions = _sessions(ctx)
    measures = fb_store.measures(ctx.conn)
    values = {(v.transcript, v.measure): v.value for v in fb_store.values(ctx.conn)}
    groups = [(g.id, g) for _, g in ctx.book.iter_groups()
              if any(c.kind in ("presence", "category") for c in g.codes)]
    globals_ = [e.code for e in ctx.book.codes() if e.code.kind == "global"]
    first = next(_sessions(ctx), None)
    has_mi = first is not None and mi_scores(first[2], first[1]) is not None
    cols = [Col("transcript", width=24), Col("rater", width=16), Col("dyad", width=14),
            Col("units", "number", 7), Col("minutes", "stat", 9),
            Col("episodes", "number", 9), Col("resolved", "number", 9),
            Col("unresolved", "number", 10), Col("median_latency_units", "stat", 12),
            Col("median_latency_s", "stat", 12), Col("direct_repairs", "number", 9),
            Col("indirect_repairs", "number", 9), Col("consistent_moves", "number", 10),
            Col("inconsistent_moves", "number", 10)]
    for gid, _ in groups:
        cols += [Col(f"{gid}_units", "number", max(8, len(gid) + 7)),
                 Col(f"{gid}_per_10min", "stat", max(10, len(gid) + 11))]
    cols += [Col(c.id, "number", max(8, len(c.id) + 2)) for c in globals_]
    if has_mi:
        cols += [Col(k, "stat", 11) for k in ("rq_ratio", "pct_complex", "relational",
                                             "technical")]
    taken = {c.name.casefold() for c in cols}
    for m in measures:       # a measure is a column under its own name, unless that is taken
        name = m.name if m.name.casefold() not in taken else f"{m.name} (measure)"
        cols.append(Col(name, "number", max(10, len(name) + 2)))
    table = Table(ws, cols)
    for name, rater, data in sessions:
        e = session_episodes(data, rater, settings)
        p = adherence_profile(data, rater)
        by_group = {g.group_id: g for g in p.groups}
        given = {g.code: g.value for g in p.globals}
        row = [name, rater, data.dyad, p.units, p.minutes, e.count, e.resolved, e.unresolved,
               e.median_latency_units, e.median_latency_s, e.direct, e.indirect,
               p.consistent, p.inconsistent]
        for gid, _ in groups:
            g = by_group.get(gid)
            row += [g.units if g else 0, g.per_10min if g else None]
        row += [given.get(c.id) for c in globals_]
        if has_mi:
            mi = mi_scores(data, rater)
            row += [mi.score(k).value if mi else None
                    for k in ("rq_ratio", "pct_complex", "relational", "technical")]
        row += [values.get((name, m.name)) for m in measures]
        table.append(row)
    table.finish()
    ctx.rows["Profile"] = table.rows


def write_measures(ctx: Ctx, ws) -> None:
    selected = set(ctx.snap.transcript_names)
    table = Table(ws, [Col("transcript", width=24), Col("measure", width=24),
                       Col("value", "number", 8)])
    for v in fb_store.values(ctx.conn):
        if v.transcript in selected:
            table.append((v.transcript, v.measure, v.value))
    table.finish()
    ctx.rows["Measures"] = table.rows
