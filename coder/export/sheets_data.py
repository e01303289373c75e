"""The data sheets: README, Codebook, Segments and Codings.

Codings is the long table (one row per rater x unit x code). A coding row is "applied";
``unit_completed`` says whether the rater marked that unit done. A unit a rater completed
without applying any (selected) code appears once with ``state`` "none applied" and no code.
So for any rater, unit and code: a row with the code = applied; no such row but the rater
completed the unit = not applied; otherwise = missing (never seen). Session globals have
no unit and no completion state.
"""

from __future__ import annotations

from datetime import datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from ..version import __version__
from ..reliability.schemes import SCHEMES
from .context import Ctx
from .options import RELIABILITY_SHEETS, SHEET_GUIDE
from ..store.export_read import (code_labels, codings_of, done_of, kind_order,
                                 transcript_facts, units_of)
from . import table as _table
from .table import Col, Table, continued, parse_stamp, write_table

SEGMENT_COLUMNS = [Col("transcript", width=24), Col("unit_kind", width=11),
                   Col("unit", "number", 8), Col("turn", "number", 8),
                   Col("speaker", width=16), Col("role", width=11),
                   Col("start", "time", 11), Col("end", "time", 11),
                   Col("text", width=90, wrap=True)]
CODING_COLUMNS = [Col("transcript", width=24), Col("unit_kind", width=11),
                  Col("unit", "number", 8), Col("speaker", width=16), Col("role", width=11),
                  Col("rater", width=16), Col("code_id", width=22), Col("code_label", width=28),
                  Col("kind", width=10), Col("value", "number", 8),
                  Col("span_start", "number", 11), Col("span_end", "number", 10),
                  Col("span_text", width=40), Col("note", width=30),
                  Col("coded_at", "datetime", 20), Col("codebook_version", "number", 18),
                  Col("unit_completed", "bool", 16), Col("state", width=14)]
APPLIED, NONE_APPLIED = "applied", "none applied"
STREAM_ROWS = True        # Segments and Codings rows as XML text (coder.export.rowxml)


def segment_rows(ctx: Ctx, tid: int, name: str):
    """The Segments rows of one transcript, in order."""
    for u in units_of(ctx.conn, tid):
        text = u.text
        if u.kind == "window":
            text = f"(window: turns {u.first_turn}–{u.last_turn})" if u.first_turn else ""
        yield (name, u.kind, u.position, u.turn, u.speaker or None, u.role or None,
               u.start_ms, u.end_ms, text)


def write_segments(ctx: Ctx, ws) -> None:
    snap = ctx.snap
    table = Table(ws, SEGMENT_COLUMNS, stream=STREAM_ROWS)
    ctx.ticker.stage("Segments")
    for tid, name in zip(snap.transcript_ids, snap.transcript_names):
        for row in segment_rows(ctx, tid, name):
            table.append(row)
            ctx.ticker.advance()
    table.finish()
    ctx.rows["Segments"] = table.rows


def coding_rows(ctx: Ctx, tid: int, name: str):
    """The Codings rows of one transcript, in order (see the module docstring)."""
    if ctx.labels is None:
        ctx.labels = code_labels(ctx.conn)
    labels = ctx.labels
    order = ctx.code_order()
    raters = ctx.rater_name
    book_codes = {e.code.id: e.code for e in ctx.book.codes()}
    units = {u.id: u for u in units_of(ctx.conn, tid)}
    done = done_of(ctx.conn, tid, ctx.rater_ids)
    rows = []
    coded: set[tuple[int, int]] = set()
    for seg, rid, key, value, s0, s1, note, at, version in codings_of(ctx.conn, tid,
                                                                      ctx.rater_ids):
        if not ctx.wanted(key):
            continue
        c = book_codes.get(key)
        label, kind = (c.label, c.kind) if c is not None else labels.get(key, (key, ""))
        ctx.versions_used.add(version)
        u = units.get(seg) if seg is not None else None
        if seg is not None and u is None:
            continue
        span_text = None
        if u is not None and s0 is not None and s1 is not None and u.text is not None:
            span_text = u.text[s0:s1]
        completed = None if u is None else (seg, rid) in done
        if u is not None:
            coded.add((seg, rid))
        sort = ((1,) if u is None else (0, kind_order(u.kind), u.position)) + (
            raters[rid], order.get(key, len(order)), key)
        rows.append((sort, (name, None if u is None else u.kind,
                            None if u is None else u.position,
                            None if u is None else (u.speaker or None),
                            None if u is None else (u.role or None), raters[rid], key, label,
                            kind, value, s0, s1, span_text, note, parse_stamp(at), version,
                            completed, APPLIED)))
    for seg, rid in done - coded:
        u = units.get(seg)
        if u is None:
            continue
        rows.append(((0, kind_order(u.kind), u.position, raters[rid], -1, ""),
                     (name, u.kind, u.position, u.speaker or None, u.role or None, raters[rid],
                      None, None, None, None, None, None, None, None, None, None, True,
                      NONE_APPLIED)))
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


def write_codings(ctx: Ctx, ws) -> None:
    table = Table(ws, CODING_COLUMNS, stream=STREAM_ROWS)
    ctx.ticker.stage("Codings")
    for tid, name in zip(ctx.snap.transcript_ids, ctx.snap.transcript_names):
        rows = coding_rows(ctx, tid, name)
        for row in rows:
            table.append(row)
            ctx.ticker.advance()
    table.finish()
    ctx.rows["Codings"] = table.rows


def write_codebook(ctx: Ctx, ws) -> None:
    rows = []
    for entry in ctx.book.codes():
        c = entry.code
        if not ctx.wanted(c.id):
            continue
        scale = ""
        if c.scale is not None:
            scale = f"{c.scale.min}–{c.scale.max}"
            if c.scale.labels:
                scale += " (" + ", ".join(f"{p} {lab}" for p, lab in c.scale.labels) + ")"
        colour = None
        if c.color:
            colour = WriteOnlyCell(ws, c.color)
            colour.data_type = "s"
            colour.fill = PatternFill("solid", fgColor=c.color.lstrip("#").upper())
        rows.append((c.id, " / ".join(g.label for g in entry.groups),
                     entry.group.id if entry.group.category_set else None, c.label, c.kind,
                     scale or None, c.unit, ", ".join(c.roles), c.definition or None,
                     c.shortcut, colour, c.archived))
    cols = [Col("id"), Col("group"), Col("category_set"), Col("label"), Col("kind"),
            Col("scale"), Col("unit"), Col("roles"), Col("definition", wrap=True, width=70),
            Col("shortcut"), Col("colour", "raw", 10), Col("archived", "bool")]
    ctx.rows["Codebook"] = write_table(ws, cols, rows).rows
    ctx.ticker.advance(len(rows))


def _units_text(ctx: Ctx) -> str:
    facts = transcript_facts(ctx.conn, list(ctx.snap.transcript_ids))
    by_unit: dict[str, list[str]] = {}
    windows: set = set()
    for tid, name in zip(ctx.snap.transcript_ids, ctx.snap.transcript_names):
        f = facts.get(tid, {})
        by_unit.setdefault(f.get("unit") or "turn", []).append(name)
        if f.get("window_minutes"):
            windows.add(f["window_minutes"])
    words = {"turn": "talk turns", "sentence": "sentences within turns",
             "window": "time windows"}
    parts = [f"{words.get(u, u)} ({len(ns)} transcript(s))" for u, ns in by_unit.items()]
    text = "Units of coding: " + "; ".join(parts) if parts else "no transcripts"
    if windows:
        text += ("; window ratings use windows of "
                 + ", ".join(f"{w:g}" for w in sorted(windows)) + " minutes")
    return text


def write_readme(ctx: Ctx, ws, sheet_names: list[str]) -> None:
    job, snap, o = ctx.job, ctx.snap, ctx.job.options
    book = ctx.book
    used = ", ".join(str(v) for v in sorted(ctx.versions_used)) or "none"
    if o.scheme:
        scheme = f"{SCHEMES[o.scheme].display_name} for every coefficient"
    else:
        scheme = ("each statistic's usual scheme: Landis & Koch 1977 (kappa-type, AC1/AC2), "
                  "Krippendorff 2019 (alpha), Koo & Li 2016 (ICC); the label cells name it")
    ci = ("analytic (each statistic's method is named in 'main.py reliability --json')"
          if o.ci == "analytic" else
          f"cluster bootstrap resampling transcripts, {o.replicates} replicates, seed {o.seed}")
    rows = [
        ("Project", job.project), ("Project file", str(job.project_path)),
        ("Exported at", datetime.now().replace(microsecond=0)),
        ("Made by", f"Session Coder {__version__}"),
        ("Codebook", f"{book.name} (id {book.id})"),
        ("Codebook version", f"{snap.codebook_version} (current); versions in the codings: "
                             f"{used}"),
        ("Raters", ", ".join(snap.rater_names)),
        ("Transcripts", f"{len(snap.transcript_names)}: "
                        + ", ".join(snap.transcript_names)),
        ("Unit", _units_text(ctx)),
        ("Codes", "all codes" if o.codes is None else ", ".join(o.codes)),
        ("Three states", "applied / not applied (unit completed without the code) / missing "
                         "(unit never completed); missing is never counted as not applied"),
    ]
    if job.blind_rater is not None:
        rows.append(("Blind mode", f"export by {job.blind_rater} in a blind project: only "
                                   "their own codings; no reliability sheets"))
    else:
        rows += [
            ("Statistics", "per code: percent, positive and negative agreement, Cohen's "
                           "kappa (2 raters), Scott's pi, Fleiss' kappa, Conger's and Light's "
                           "kappa (3+ raters), Brennan-Prediger, Gwet's AC1/AC2, weighted "
                           "kappa, PABAK with prevalence and bias indices (presence codes; "
                           "with 3+ raters the mean over rater pairs), Krippendorff's alpha "
                           "(interval: Krippendorff's bootstrap, Hayes & Krippendorff 2007); "
                           "ICC for session globals and per-session counts"),
            ("Confidence intervals", f"95%, {ci}"),
            ("Interpretation", scheme),
            ("Single-rated units", "units with a value from only one rater stay in the "
                                   "matrices and count in the chance agreement of Fleiss, "
                                   "Conger, Brennan-Prediger and Gwet's AC1/AC2 (Gwet 2014, "
                                   "as irrCAC), not in agreement; Krippendorff's alpha uses "
                                   "pairable values only (n_units_single_rated)"),
        ]
    more = {t: (first, k) for first, titles in continued(ctx.wb).items()
            for k, t in enumerate(titles, 1)}
    per_sheet = _table.MAX_ROWS - 1
    for name in sheet_names:
        if name in more:
            first, k = more[name]
            rows.append((f"Sheet: {name}", f"continues {first} from its row "
                         f"{k * per_sheet + 1:,} (header repeated): Excel holds "
                         f"{per_sheet:,} rows below the header on a sheet. The codings CSV "
                         "export (python main.py codings export PROJECT OUT.csv) has every "
                         "coding in one file."))
            continue
        base = "Matrix" if name.startswith("Matri") else name
        if base in SHEET_GUIDE and base != "README":
            rows.append((f"Sheet: {name}", SHEET_GUIDE[base]))
    skipped = [s for s in RELIABILITY_SHEETS if s in o.sheets and s not in job.sheets]
    if skipped:
        rows.append(("Left out", ", ".join(skipped) + " (blind mode)"))
    cols = [Col("item", width=22), Col("value", "raw", width=110)]
    table = Table(ws, cols, split=False)       # a few dozen rows: never continued
    for k, v in rows:
        table.append((k, table.cell(v, "text", wrap=True) if isinstance(v, str)
                      else table.cell(v, "datetime")))
    table.finish()
    ctx.rows["README"] = table.rows
