"""The reliability sheets: Matrix <code> (or Matrices), Reliability, Pairwise (Confusion is in
:mod:`.sheets_confusion`).

Every number here comes from :func:`coder.reliability.project.build_report` (a typed
:class:`~coder.reliability.project.Report`, read by attribute) and
:func:`coder.reliability.project.data_matrices` (the code path of ``main.py reliability``):
nothing is recomputed. Statistic columns use the report's names (``cohen_kappa``,
``krippendorff_alpha``, ...) with ``<name>_ci_low``/``<name>_ci_high`` beside each and, where
a scheme applies, ``<name>_label`` ("substantial (Landis & Koch 1977)"). A cautioned value
(:mod:`coder.reliability.project.caution`) is greyed, its label cell reads
"caution: <reason>", and the ``cautions`` column lists the reasons.
"""

from __future__ import annotations

import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..reliability.compute import ALL_NAMES
from ..reliability.project.results import CodeEntry, Statistic
from ..reliability.schemes import DEFAULT_SCHEME, SCHEMES
from . import sheets_data
from .context import Ctx
from .table import STAT_FORMAT, Col, Table, write_table

#: Band fills from best to worst (Excel's "good" green to its "bad" red).
PALETTE = ("C6EFCE", "E2EFDA", "FFF2CC", "FCE4D6", "F8CBAD", "FFC7CE")
CAUTION_FILL = PatternFill(start_color="EDEDED", end_color="EDEDED", fill_type="solid")
CAUTION_FONT = Font(color="808080", italic=True)
EXTRA = ("exact_agreement", "within_one_agreement")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def scheme_for(name: str, chosen: str | None) -> str | None:
    """The scheme whose label the report gives ``name`` (as ``entries.interpretation``)."""
    key = DEFAULT_SCHEME.get(name)
    return None if key is None else (chosen or key)


def _matrix_value(m, v: float):
    if v != v:                                   # NaN: missing
        return None
    if m.kind == "category":
        return m.category_labels[int(v)]
    return int(v) if float(v).is_integer() else float(v)


#: Rows of a data matrix made into Python values at a time (a million-unit matrix made at
#: once was ~450 MiB of tuples and floats while its sheet was written).
MATRIX_SLICE = 10_000


def _matrix_rows(m):
    n = m.n_rows
    for start in range(0, n, MATRIX_SLICE):           # (values made a slice at a time)
        stop = min(n, start + MATRIX_SLICE)
        for (t, kind, pos), row in zip(m.units_in(start, stop),
                                       m.values_in(start, stop).tolist()):
            yield ((t, None if kind == "session" else kind, pos),
                   [_matrix_value(m, v) for v in row])


def sheet_title(prefix: str, key: str, taken: set[str]) -> str:
    base = (prefix + " " + _BAD_TITLE.sub("_", key))[:31].strip()
    title, n = base, 2
    while title.casefold() in taken:
        tail = f"~{n}"
        title, n = base[:31 - len(tail)] + tail, n + 1
    taken.add(title.casefold())
    return title


def write_matrix(ctx: Ctx, ws, key: str) -> None:
    """The data matrix of item ``key``, built and made into rows by ``ctx.produce``."""
    rows = ctx.produce(lambda: _matrix_stream(ctx, key))
    kind, raters = next(rows)
    cols = [Col("transcript", width=24), Col("unit_kind", width=11), Col("unit", "number", 8)]
    cols += [Col(r, "text" if kind == "category" else "number",
                 max(10, len(r) + 4)) for r in raters]
    # rows as XML text, as Segments and Codings (20 sheets of a million rows in the study:
    # openpyxl's cells were most of the export's half hour)
    table = Table(ws, cols, stream=sheets_data.STREAM_ROWS)
    for row in rows:
        table.append(row)
        if table.rows % 500 == 0:
            ctx.ticker.advance(500)
    table.finish()
    ctx.rows[ws.title] = table.rows
    ctx.ticker.advance(table.rows % 500)


def _matrix_stream(ctx: Ctx, key: str):
    """``(kind, raters)``, then the rows of item ``key``'s matrix."""
    m = ctx.matrices[key]
    yield m.kind, list(m.raters)
    for head, vals in _matrix_rows(m):
        yield (*head, *vals)


def write_matrices(ctx: Ctx, ws) -> None:
    """Every code in one table (many codes): filter on ``code`` for one code's matrix."""
    raters = list(ctx.snap.rater_names)
    cols = [Col("code", width=22), Col("kind", width=10), Col("transcript", width=24),
            Col("unit_kind", width=11), Col("unit", "number", 8)]
    cols += [Col(r, "raw", max(10, len(r) + 4)) for r in raters]
    table = Table(ws, cols)
    for key in ctx.matrices.keys():
        rows = ctx.produce(lambda key=key: _matrix_stream(ctx, key))
        kind, m_raters = next(rows)
        at = [raters.index(r) for r in m_raters]
        cell_kind = "text" if kind == "category" else "number"
        n = 0
        for key_row in rows:
            head, vals = key_row[:3], key_row[3:]
            row = [None] * len(raters)
            for j, v in zip(at, vals):
                row[j] = table.cell(v, cell_kind)
            table.append((key, kind, *head, *row))
            n += 1
        ctx.ticker.advance(n)
    table.finish()
    ctx.rows[ws.title] = table.rows


# -- statistics tables ----------------------------------------------------------------------
def stat_names(entries: list[CodeEntry]) -> list[str]:
    """The statistics any entry reports: the engine's order first, then any others in the
    order they appear (a coefficient new to the engine gets its columns without a change
    here)."""
    have: dict[str, None] = {}
    for e in entries:
        have.update(dict.fromkeys(e.statistics))
    return [n for n in ALL_NAMES if n in have] + [n for n in have if n not in ALL_NAMES]


def stat_columns(names: list[str], chosen: str | None, extra: bool) -> list[Col]:
    cols = []
    for n in names:
        cols += [Col(n, "stat", max(9, len(n) + 3)), Col(f"{n}_ci_low", "stat", 9),
                 Col(f"{n}_ci_high", "stat", 9)]
        if scheme_for(n, chosen):
            cols.append(Col(f"{n}_label", width=24))
    if extra:
        for n in EXTRA:
            cols += [Col(n, "stat", len(n) + 3), Col(f"{n}_ci_low", "stat", 9),
                     Col(f"{n}_ci_high", "stat", 9)]
    return cols


def _ci(st: Statistic | None) -> tuple:
    if st is None or not st.ci:
        return (None, None)
    return tuple(st.ci)


def _value(ws, st: Statistic | None):
    """The value cell: a number, or a greyed number when the value is cautioned."""
    if st is None or st.value is None or not st.caution or ws is None:
        return None if st is None else st.value
    cell = WriteOnlyCell(ws, st.value)
    cell.number_format = STAT_FORMAT
    cell.font = CAUTION_FONT
    cell.fill = CAUTION_FILL
    return cell


def stat_cells(entry: CodeEntry, names: list[str], chosen: str | None, extra: bool,
               ws=None) -> list:
    """The statistic cells of one row (``ws``: the sheet, to grey cautioned values)."""
    out = []
    stats = entry.statistics
    for n in names:
        st = stats.get(n)
        out += [_value(ws, st), *_ci(st)]
        if scheme_for(n, chosen):
            it = None if st is None else st.interpretation
            out.append(f"caution: {st.caution}" if st is not None and st.caution
                       and st.value is not None else it.text if it else None)
    if extra:
        agree = entry.agreement or {}
        for key in ("exact", "within_one"):
            st = agree.get(key)
            out += [_value(ws, st), *_ci(st)]
    return out


def cautions(entry: CodeEntry) -> str | None:
    """The cautioned statistics of a row with their reasons (one reason shared by all is
    said once)."""
    hit = [(n, st.caution) for n, st in entry.statistics.items()
           if st.value is not None and st.caution]
    if not hit:
        return None
    if len({c for _, c in hit}) == 1:
        return f"{', '.join(n for n, _ in hit)}: {hit[0][1]}"
    return "; ".join(f"{n}: {c}" for n, c in hit)


def reasons(entry: CodeEntry) -> str | None:
    parts = [f"{n}: {st.undefined_reason}" for n, st in entry.statistics.items()
             if st.value is None and st.undefined_reason]
    return "; ".join(parts) or None


def notes(entry: CodeEntry) -> str | None:
    parts = [f"{k.replace('_', ' ')}: {v}" for k, v in entry.notes.items()
             if k != "raters_without_data"]
    if entry.notes.raters_without_data:
        parts.append("no data from " + ", ".join(entry.notes.raters_without_data))
    return "; ".join(parts) or None


def counts_entry(e: CodeEntry) -> CodeEntry:
    """A presence code's per-session counts as a row of their own (interval data)."""
    sc = e.session_counts
    return CodeEntry(id=e.id, kind="session_count", label=e.label, group=e.group,
                     level="interval", categories=None, n_units=sc.n_transcripts,
                     n_raters=e.n_raters, raters=e.raters,
                     n_units_single_rated=sc.n_transcripts_single_rated, prevalence={},
                     statistics=sc.statistics)


def write_reliability(ctx: Ctx, ws) -> None:
    report = ctx.report
    chosen = report.chosen_scheme
    raters = report.raters
    entries = [("units", e) for e in report.entries]
    # data "per-session counts": n_units is the number of sessions
    counts = [("per-session counts", counts_entry(e)) for e in report.codes if e.session_counts]
    names = stat_names([e for _, e in entries + counts])
    extra = any(e.agreement for _, e in entries)
    head = [Col("code", width=22), Col("label", width=28), Col("data", width=18),
            Col("kind", width=13), Col("level", width=9), Col("n_units", "number", 9),
            Col("n_raters", "number", 9), Col("n_units_single_rated", "number", 10)]
    head += [Col(f"prevalence_{r}", "stat", max(12, len(r) + 13)) for r in raters]
    cols = head + stat_columns(names, chosen, extra) + [
        Col("undefined_reasons", width=60), Col("notes", width=40),
        Col("cautions", width=60)]
    table = Table(ws, cols)
    for data, e in entries + counts:
        prev = e.prevalence or {}
        row = [e.id, e.label, data, e.kind, e.level, e.n_units, e.n_raters,
               e.n_units_single_rated]
        row += [prev.get(r) if isinstance(prev.get(r), (int, float)) else None for r in raters]
        row += stat_cells(e, names, chosen, extra, ws) + [reasons(e), notes(e), cautions(e)]
        table.append(row)
    table.finish()
    ctx.rows["Reliability"] = table.rows
    n = table.rows
    if n:
        first = len(head) + 1
        colour_statistics(ws, names, chosen, first, extra, n)
        if "krippendorff_alpha" in names:
            col = first + _offset(names, chosen, "krippendorff_alpha")
            alpha_chart(ws, col, len(entries), n)


def _offset(names: list[str], chosen: str | None, target: str) -> int:
    off = 0
    for n in names:
        if n == target:
            return off
        off += 4 if scheme_for(n, chosen) else 3
    raise KeyError(target)


def colour_statistics(ws, names, chosen, first: int, extra: bool, n_rows: int) -> None:
    """Conditional formats: each value cell takes its scheme band's colour, so the colours
    follow if a user edits a value. Blank (undefined) cells stay white; a cautioned value
    (its label cell reads "caution: ...") stays grey."""
    col = first
    for n in names:
        key = scheme_for(n, chosen)
        if key:
            letter = get_column_letter(col)
            rng, cell = f"{letter}2:{letter}{n_rows + 1}", f"{letter}2"
            label = f"{get_column_letter(col + 3)}2"
            ws.conditional_formatting.add(rng, FormulaRule(
                formula=[f'LEFT({label},8)="caution:"'], fill=CAUTION_FILL,
                font=CAUTION_FONT, stopIfTrue=True))
            sch = SCHEMES[key]
            bands = list(sch.bands)
            k = len(bands) + 1
            for i, (bound, inclusive, _lab) in enumerate(bands):
                op = ">=" if inclusive else ">"
                ws.conditional_formatting.add(rng, FormulaRule(
                    formula=[f"AND(ISNUMBER({cell}),{cell}{op}{bound!r})"],
                    fill=_fill(i, k), stopIfTrue=True))
            ws.conditional_formatting.add(rng, FormulaRule(
                formula=[f"ISNUMBER({cell})"], fill=_fill(k - 1, k), stopIfTrue=True))
        col += 4 if key else 3


def _fill(i: int, k: int) -> PatternFill:
    idx = 0 if k < 2 else round(i * (len(PALETTE) - 1) / (k - 1))
    colour = PALETTE[idx]
    return PatternFill(start_color=colour, end_color=colour, fill_type="solid")


def alpha_chart(ws, col: int, n_codes: int, n_rows: int) -> None:
    if n_codes == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Krippendorff's alpha per code"
    chart.y_axis.title = "alpha"
    chart.y_axis.scaling.min = min(-0.2, 0.0)
    chart.y_axis.scaling.max = 1.0
    chart.y_axis.majorGridlines = None
    chart.legend = None
    chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=n_codes + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n_codes + 1))
    chart.height = max(7.5, 0.6 * n_codes + 3)
    chart.width = 18
    ws.add_chart(chart, f"B{n_rows + 4}")


def write_pairwise(ctx: Ctx, ws) -> None:
    report = ctx.report
    chosen = report.chosen_scheme
    blocks = [("pair", b.raters[0], b.raters[1], b) for b in report.pairs or ()]
    ref = report.reference
    if ref:
        blocks += [("reference", ref.rater, b.rater, b) for b in ref.against]
    entries = [e for *_, b in blocks for e in b.entries]
    names = stat_names(entries)
    extra = any(e.agreement for e in entries)
    cols = [Col("comparison", width=12), Col("rater_1", width=14), Col("rater_2", width=14),
            Col("code", width=22), Col("kind", width=10), Col("n_units", "number", 9),
            Col("n_units_single_rated", "number", 10)]
    cols += stat_columns(names, chosen, extra) + [Col("undefined_reasons", width=60),
                                                  Col("cautions", width=60)]
    rows = []
    for comp, a, b, block in blocks:
        for e in block.entries:
            rows.append([comp, a, b, e.id, e.kind, e.n_units, e.n_units_single_rated,
                         *stat_cells(e, names, chosen, extra, ws), reasons(e), cautions(e)])
    table = Table(ws, cols)
    for row in rows:
        table.append(row)
    table.finish()
    ctx.rows["Pairwise"] = table.rows
    if table.rows:
        colour_statistics(ws, names, chosen, 8, extra, table.rows)


__all__ = [
    "sheet_title",
    "write_matrices",
    "write_matrix",
    "write_pairwise",
    "write_reliability",
    "write_table",
]
