"""The Confusion sheet: per category set, the confusion matrix (two raters: pooled, else each
pair), per-category agreement and the coincidence matrix, all from the report
(:func:`coder.reliability.project.build_report`). Categories are shown by their labels with
the id in the cell's comment (hover)."""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..reliability.project.results import CodeEntry
from .context import Ctx, title_cell
from .sheets_stats import _ci
from .table import Col, converter


def category_cell(ws, e: CodeEntry, category: str, bold: bool = True):
    """A category shown by its label, with its id in a comment (hover) when they differ."""
    name = e.category_name(category)
    cell = title_cell(ws, name)
    if not bold:
        cell.font = Font()
    if name != category:
        cell.comment = Comment(f"id: {category}", "Session Coder")
    return cell


def write_confusion(ctx: Ctx, ws) -> None:
    """Blocks, one per category set: the confusion matrix (two raters: pooled, else each
    pair), per-category agreement and the coincidence matrix. Categories are shown by
    their labels; the id is in the cell's comment."""
    report = ctx.report
    sets = [e for e in report.codes if e.kind == "category"]
    pairs = report.pairs or ()
    width = max([len(e.categories) for e in sets] or [1]) + 2
    for i in range(1, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 22 if i == 1 else 14
    ws.freeze_panes = "A2"
    ws.append([title_cell(ws, "Confusion and coincidence matrices per category set", size=12)])
    n = 1
    stat = converter(ws, Col("", "stat"))
    for e in sets:
        cats = e.categories
        ws.append([])
        ws.append([title_cell(ws, f"{e.id}: {e.label}", size=12)])
        n += 2
        conf = []
        if e.confusion_matrix:
            conf.append(e.confusion_matrix)
        for p in pairs:
            pe = next((x for x in p.codes if x.id == e.id), None)
            if pe and pe.confusion_matrix and len(e.raters) > 2:
                conf.append(pe.confusion_matrix)
        for cm in conf:
            ws.append([title_cell(ws, f"Confusion matrix: rows {cm.rows}, "
                                      f"columns {cm.columns} (units)")])
            ws.append([title_cell(ws, f"{cm.rows} \\ {cm.columns}"),
                       *[category_cell(ws, e, c) for c in cats], title_cell(ws, "total")])
            for c, row in zip(cats, cm.counts):
                ws.append([category_cell(ws, e, c, False), *row, sum(row)])
            cols = [sum(col) for col in zip(*cm.counts)]
            ws.append([title_cell(ws, "total"), *cols, sum(cols)])
            ws.append([])
            n += len(cats) + 4
        per = e.per_category_agreement or {}
        if per:
            ws.append([title_cell(ws, "Per-category agreement"), title_cell(ws, "value"),
                       title_cell(ws, "ci_low"), title_cell(ws, "ci_high")])
            for c, st in per.items():
                lo, hi = _ci(st)
                ws.append([category_cell(ws, e, c, False), stat(st.value), stat(lo),
                           stat(hi)])
            ws.append([])
            n += len(per) + 2
        co = e.coincidence_matrix
        if co:
            ws.append([title_cell(ws, "Coincidence matrix (all raters; pairable values)")])
            ws.append([title_cell(ws, ""), *[category_cell(ws, e, c) for c in co.categories]])
            for c, row in zip(co.categories, co.values):
                ws.append([category_cell(ws, e, c, False), *[stat(v) for v in row]])
            n += len(co.categories) + 2
        ctx.ticker.check()
    if not sets:
        ws.append(["No category sets among the exported codes."])
        n += 1
    ctx.rows["Confusion"] = n - 1
