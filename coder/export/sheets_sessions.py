"""Sessions (per transcript x rater) and Disagreements (every unit where raters differ).

Both come from the reliability snapshot of the selection, so they agree with the other
sheets: Sessions counts each rater's codings per transcript (``n_<code>``, and
``<code>_per_10min`` for timed transcripts), the mean of each rating code (window ratings
and per-unit ratings: ``<code>_mean``) and the session globals. Disagreements lists the units
of the data matrices (the units the statistics use) on which the raters' values differ.
The codings come a stretch of transcripts at a time (``ctx.codings``, `STRETCH`): the
export's snapshot holds units and completions only.
"""

from __future__ import annotations

import numpy as np

from ..reliability.project.counts import differing
from .context import Ctx
from ..store.export_read import transcript_facts, units_of
from .table import Col, Table


#: Transcripts whose codings are read at once (ctx.codings): ~40,000 codings at the
#: 1,000-session study's 4,000 codings a transcript. The read's temporaries (the packed text,
#: its parsed columns) were ~25 MiB of the Disagreements sheet's peak at 50 transcripts.
STRETCH = 10

#: Differing units made into Python values at a time (the whole list of 632,440 was ~20 MiB).
UNIT_SLICE = 10_000


def stretches(n_t: int):
    """``range`` objects of at most `STRETCH` transcript indices, in order, covering ``n_t``."""
    return [range(i, min(i + STRETCH, n_t)) for i in range(0, n_t, STRETCH)]


def _tally(ctx: Ctx):
    """Per transcript × rater × code (every code of the snapshot): how many codings, the sum
    of their values and how many have one; and which codes are used at all. Read a stretch
    of transcripts at a time (the export's snapshot holds no codings)."""
    snap = ctx.snap
    n_t, n_r, n_c = len(snap.transcript_names), len(snap.rater_names), len(snap.code_keys)
    counts, sums, rated = (np.zeros((n_t, n_r, n_c)) for _ in range(3))
    for part in stretches(n_t):
        got = ctx.codings(transcripts=part)
        t, r, j, v = got.cod_transcript, got.cod_rater, got.cod_code, got.cod_value
        np.add.at(counts, (t, r, j), 1)
        has = ~np.isnan(v)
        np.add.at(sums, (t[has], r[has], j[has]), v[has])
        np.add.at(rated, (t[has], r[has], j[has]), 1)
        del got, t, r, j, v, has
    used = {snap.code_keys[i] for i in np.flatnonzero(counts.sum(axis=(0, 1)))}
    return counts, sums, rated, used


def _codes(ctx: Ctx, used: set):
    """Codes for the Sessions columns: codebook order, selected, live or used."""
    return [e.code for e in ctx.book.codes()
            if ctx.wanted(e.code.id) and (not e.code.archived or e.code.id in used)]


def write_sessions(ctx: Ctx, ws) -> None:
    rows = ctx.produce(lambda: _session_rows(ctx))
    _write_rows(ctx, ws, next(rows), rows, "Sessions")


def _write_rows(ctx: Ctx, ws, cols, rows, name: str) -> None:
    """``rows`` into a table of ``cols`` on ``ws``, a tick each."""
    table = Table(ws, cols)
    for row in rows:
        table.append(row)
        ctx.ticker.advance()
    table.finish()
    ctx.rows[name] = table.rows


def _session_rows(ctx: Ctx):
    """The Sessions columns, then a row per transcript × rater."""
    snap = ctx.snap
    all_counts, all_sums, all_rated, used = _tally(ctx)
    codes = _codes(ctx, used)
    at = [snap.code_keys.index(c.id) if c.id in snap.code_keys else -1 for c in codes]
    k = len(codes)
    counts, sums, rated = (np.zeros(a.shape[:2] + (k,)) for a in (all_counts,) * 3)
    for j, ci in enumerate(at):
        if ci >= 0:
            counts[:, :, j] = all_counts[:, :, ci]
            sums[:, :, j] = all_sums[:, :, ci]
            rated[:, :, j] = all_rated[:, :, ci]
    del all_counts, all_sums, all_rated
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
    yield cols
    for t, (tid, name) in enumerate(zip(snap.transcript_ids, snap.transcript_names)):
        f = facts.get(tid, {})
        unit = f.get("unit") or "turn"
        lo, hi = np.searchsorted(snap.seg_transcript, [t, t + 1])   # units by transcript
        in_t = np.zeros(snap.n_units, dtype=bool)
        if unit in snap.kinds:
            in_t[lo:hi] = snap.seg_kind_index[lo:hi] == snap.kinds.index(unit)
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
            yield row


def differing_units(matrices: dict, n_units: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Where the raters' values differ: ``(units, keys, flags)`` — the snapshot unit indices
    (of ``n_units``) in order, the item ids, and for each of those units which items differ
    there (a row of ``flags``). Each item's differing units are kept as indices while the
    matrices are built (one at a time: LazyMatrices)."""
    return differing_from({key: differing_at(m) for key, m in matrices.items()}, n_units)


def differing_at(m) -> np.ndarray | None:
    """The snapshot units (int32 indices) where two of ``m``'s raters differ; None for a
    session global or an empty matrix. The export asks it of each item's matrix while the
    statistics have it (``build_report_with``'s ``also``): the Disagreements sheet then
    makes no matrix again."""
    if m.kind == "global" or not m.n_rows:
        return None
    at = m.unit_index[differing(m)]
    return at[at >= 0].astype(np.int32 if m.unit_index.size < (1 << 31) else np.int64)


def differing_from(found: dict, n_units: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """:func:`differing_units` from ``{key: differing_at(matrix)}`` (in item order): ``flags``
    is made for the units found only (a units × items table over every unit was 20 MiB of
    the 1,000-session study's peak; a dict of per-unit lists before it, ~120 MiB)."""
    keys = [key for key, at in found.items() if at is not None]
    if not keys:
        return np.zeros(0, np.int64), [], np.zeros((0, 0), dtype=bool)
    units = np.unique(np.concatenate([found[key] for key in keys]))
    flags = np.zeros((units.size, len(keys)), dtype=bool)
    for j, key in enumerate(keys):
        flags[np.searchsorted(units, found[key]), j] = True
    return units.astype(np.int64), keys, flags


def write_disagreements(ctx: Ctx, ws) -> None:
    cols = [Col("transcript", width=24), Col("unit_kind", width=11), Col("unit", "number", 8),
            Col("speaker", width=16), Col("role", width=11), Col("text", width=70, wrap=True),
            Col("differ_on", width=26)]
    cols += [Col(r, width=max(24, len(r) + 4), wrap=True) for r in ctx.snap.rater_names]
    _write_rows(ctx, ws, cols, ctx.produce(lambda: _disagreement_rows(ctx)), "Disagreements")


def _disagreement_rows(ctx: Ctx):
    """A row per unit where the raters' values differ, in unit order."""
    snap = ctx.snap
    raters = list(snap.rater_names)
    units, keys, flags = differing_from(ctx.differing or {}, snap.n_units)
    packed = np.packbits(flags, axis=1)      # (an eighth: 12 MiB of the study's units × items)
    del flags
    order = ctx.code_order()
    texts: dict[int, dict] = {}
    part = stretch = None
    n_t = len(snap.transcript_names)
    for u, differ in _slices(units, packed, len(keys)):
        t = int(snap.seg_transcript[u])
        if stretch is None or t not in stretch:        # the next stretch's codings
            stretch = range(t - t % STRETCH, min(t - t % STRETCH + STRETCH, n_t))
            part = None
            part = ctx.codings(transcripts=stretch)
            # a unit's codings in coding order, found by binary search (no per-coding lists)
            by_unit = np.argsort(part.cod_unit, kind="stable")
            sorted_units = part.cod_unit[by_unit]
        if t not in texts:
            texts = {t: {x.id: x for x in units_of(ctx.conn, snap.transcript_ids[t])}}
        unit = texts[t].get(int(snap.seg_id[u]))
        per_rater = [[] for _ in raters]
        lo, hi = np.searchsorted(sorted_units, [u, u + 1])
        for i in by_unit[lo:hi].tolist():
            key = snap.code_keys[part.cod_code[i]]
            if not ctx.wanted(key):
                continue
            v = part.cod_value[i]
            label = key if np.isnan(v) else f"{key}={v:g}"
            per_rater[part.cod_rater[i]].append((order.get(key, len(order)), label))
        cells = []
        for r, got in enumerate(per_rater):
            if got:
                cells.append("; ".join(lab for _, lab in sorted(got)))
            else:
                cells.append("(none)" if snap.done[u, r] else "(not completed)")
        text = None if unit is None else unit.text
        if unit is not None and unit.kind == "window" and unit.first_turn:
            text = f"(window: turns {unit.first_turn}–{unit.last_turn})"
        yield ((snap.transcript_names[t], snap.kind_of(u),
               int(snap.seg_position[u]), None if unit is None else unit.speaker or None,
               None if unit is None else unit.role or None, text,
               ", ".join(keys[j] for j in np.flatnonzero(differ)), *cells))


def _slices(units: np.ndarray, packed: np.ndarray, n_keys: int):
    """``(unit, flags)`` for each differing unit, made `UNIT_SLICE` units at a time."""
    for start in range(0, units.size, UNIT_SLICE):
        stop = start + UNIT_SLICE
        flags = np.unpackbits(packed[start:stop], axis=1, count=n_keys).astype(bool)
        yield from zip(units[start:stop].tolist(), flags)
