"""Sessions (per transcript x rater) and Disagreements (every unit where raters differ).

Both come from the reliability snapshot of the selection, so they agree with the other
sheets: Sessions counts each rater's codings per transcript (``n_<code>``, and
``<code>_per_10min`` for timed transcripts), the mean of each rating code (window ratings
and per-unit ratings: ``<code>_mean``) and the session globals. Disagreements lists the units
of the data matrices (the units the statistics use) on which the raters' values differ.
"""

from __future__ import annotations

import numpy as np

from .context import Ctx
from ..store.export_read import transcript_facts, units_of
from .table import Col, Table


def _codes(ctx: Ctx):
    """Codes for the Sessions columns: codebook order, selected, live or used."""
    snap = ctx.snap
    used = {snap.code_keys[i] for i in np.unique(snap.cod_code).tolist()} if \
        snap.cod_code.size else set()
    return [e.code for e in ctx.book.codes()
            if ctx.wanted(e.code.id) and (not e.code.archived or e.code.id in used)]


def write_sessions(ctx: Ctx, ws) -> None:
    snap = ctx.snap
    n_t, n_r = len(snap.transcript_names), len(snap.rater_names)
    codes = _codes(ctx)
    col_of = {snap.code_keys.index(c.id): j for j, c in enumerate(codes)
              if c.id in snap.code_keys}
    k = len(codes)
    counts = np.zeros((n_t, n_r, k))
    sums = np.zeros((n_t, n_r, k))
    rated = np.zeros((n_t, n_r, k))
    if snap.cod_code.size and col_of:
        lut = np.full(len(snap.code_keys), -1, dtype=np.int64)
        for ci, j in col_of.items():
            lut[ci] = j
        j = lut[snap.cod_code]
        ok = j >= 0
        t, r, j, v = snap.cod_transcript[ok], snap.cod_rater[ok], j[ok], snap.cod_value[ok]
        np.add.at(counts, (t, r, j), 1)
        has = ~np.isnan(v)
        np.add.at(sums, (t[has], r[has], j[has]), v[has])
        np.add.at(rated, (t[has], r[has], j[has]), 1)
    facts = transcript_facts(ctx.conn, list(snap.transcript_ids))
    timed = any(facts.get(tid, {}).get("duration_ms") for tid in snap.transcript_ids)
    cols = [Col("transcript", width=24), Col("rater", width=16), Col("duration", "time", 11),
            Col("unit_kind", width=11), Col("units", "number", 8), Col("units_completed", "number", 10)]
    for c in codes:
        if c.kind in ("presence", "category"):
            cols.append(Col(f"n_{c.id}", "number", max(8, len(c.id) + 5)))
            if timed:
                cols.append(Col(f"{c.id}_per_10min", "stat", max(10, len(c.id) + 13)))
        elif c.kind == "rating":
            cols.append(Col(f"{c.id}_mean", "stat", max(9, len(c.id) + 8)))
            cols.append(Col(f"{c.id}_n", "number", max(7, len(c.id) + 5)))
        else:
            cols.append(Col(c.id, "number", max(8, len(c.id) + 3)))
    table = Table(ws, cols)
    for t, (tid, name) in enumerate(zip(snap.transcript_ids, snap.transcript_names)):
        f = facts.get(tid, {})
        unit = f.get("unit") or "turn"
        in_t = (snap.seg_transcript == t) & (snap.seg_kind == unit)
        duration = f.get("duration_ms")
        for r, rater in enumerate(snap.rater_names):
            row = [name, rater, duration, unit, int(in_t.sum()),
                   int(snap.done[in_t, r].sum()) if snap.done.size else 0]
            for j, c in enumerate(codes):
                if c.kind in ("presence", "category"):
                    row.append(int(counts[t, r, j]))
                    if timed:
                        row.append(counts[t, r, j] / (duration / 600_000) if duration else None)
                elif c.kind == "rating":
                    n = rated[t, r, j]
                    row += [sums[t, r, j] / n if n else None, int(n)]
                else:
                    row.append(sums[t, r, j] if rated[t, r, j] else None)
            table.append(row)
        ctx.ticker.advance(n_r)
    table.finish()
    ctx.rows["Sessions"] = table.rows


def differing_units(matrices: dict, n_units: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Where the raters' values differ: ``(units, keys, flags)`` — the snapshot unit indices
    in order, the item ids, and for each of those units which items differ there (a row of
    ``flags``). One boolean column per item: ~1 MB an item on a million units, where a dict
    of per-unit lists was ~120 MiB for the 1,000-session study."""
    keys, cols = [], []
    for key, m in matrices.items():
        if m.kind == "global" or not m.values.shape[0]:
            continue
        vals = m.values
        with np.errstate(all="ignore"):
            hi, lo = np.nanmax(vals, axis=1), np.nanmin(vals, axis=1)
        col = np.zeros(n_units, dtype=bool)
        at = m.unit_index[hi != lo]
        col[at[at >= 0]] = True
        keys.append(key)
        cols.append(col)
    if not cols:
        return np.zeros(0, np.int64), [], np.zeros((0, 0), dtype=bool)
    flags = np.stack(cols, axis=1)
    del cols
    units = np.flatnonzero(flags.any(axis=1))
    return units, keys, flags[units]


def write_disagreements(ctx: Ctx, ws) -> None:
    snap = ctx.snap
    raters = list(snap.rater_names)
    units, keys, flags = differing_units(ctx.matrices or {}, snap.n_units)
    cols = [Col("transcript", width=24), Col("unit_kind", width=11), Col("unit", "number", 8),
            Col("speaker", width=16), Col("role", width=11), Col("text", width=70, wrap=True),
            Col("differ_on", width=26)]
    cols += [Col(r, width=max(24, len(r) + 4), wrap=True) for r in raters]
    table = Table(ws, cols)
    order = ctx.code_order()
    # a unit's codings in coding order, found by binary search (no per-coding Python lists)
    by_unit = np.argsort(snap.cod_unit, kind="stable")
    sorted_units = snap.cod_unit[by_unit]
    texts: dict[int, dict] = {}
    for u, differ in zip(units.tolist(), flags):
        t = int(snap.seg_transcript[u])
        if t not in texts:
            texts = {t: {x.id: x for x in units_of(ctx.conn, snap.transcript_ids[t])}}
        unit = texts[t].get(int(snap.seg_id[u]))
        per_rater = [[] for _ in raters]
        lo, hi = np.searchsorted(sorted_units, [u, u + 1])
        for i in by_unit[lo:hi].tolist():
            key = snap.code_keys[snap.cod_code[i]]
            if not ctx.wanted(key):
                continue
            v = snap.cod_value[i]
            label = key if np.isnan(v) else f"{key}={v:g}"
            per_rater[snap.cod_rater[i]].append((order.get(key, len(order)), label))
        cells = []
        for r, got in enumerate(per_rater):
            if got:
                cells.append("; ".join(lab for _, lab in sorted(got)))
            else:
                cells.append("(none)" if snap.done[u, r] else "(not completed)")
        text = None if unit is None else unit.text
        if unit is not None and unit.kind == "window" and unit.first_turn:
            text = f"(window: turns {unit.first_turn}–{unit.last_turn})"
        table.append((snap.transcript_names[t], str(snap.seg_kind[u]),
                      int(snap.seg_position[u]), None if unit is None else unit.speaker or None,
                      None if unit is None else unit.role or None, text,
                      ", ".join(keys[j] for j in np.flatnonzero(differ)), *cells))
        ctx.ticker.advance()
    table.finish()
    ctx.rows["Disagreements"] = table.rows
