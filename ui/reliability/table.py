"""The results table of the reliability view: one row per code, one column per statistic.

`ReliabilityTableModel` holds the entries of one cut of a report; each statistic cell shows
the value, its interval and the interpretation label of the chosen scheme (the scheme's name
is in the column header), coloured by the scheme's band. `ReliabilitySortProxy` sorts by value
with undefined and not-applicable cells always last. `StatCellDelegate`
(`cell_delegate.py`) paints a cell in two lines (value; interval and label).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from coder.reliability.project import CodeEntry
from ui.reliability.cell_delegate import LINES_ROLE, StatCellDelegate
from ui.shell import theme as themes
from ui.reliability.data import (COLUMNS, KIND_NAMES, SHORT_NAMES, band, cell, fmt_ci,
                                 fmt_share, fmt_value, label_for, scheme_for, short_caution,
                                 stat_title)

VALUE_ROLE = Qt.UserRole + 1       # the statistic's value (float or None)
LABEL_ROLE = Qt.UserRole + 2       # the interpretation label (str or None)
STAT_ROLE = Qt.UserRole + 3        # the report's statistic name
KEY_ROLE = Qt.UserRole + 4         # the code's id (category set: the group id)
SORT_ROLE = Qt.UserRole + 5        # what sorting compares (None sorts last)

# Made once: PySide6's enum arithmetic costs microseconds a call, and a paint asks per cell.
_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable
_PAINTED_ROLES = (LINES_ROLE, Qt.BackgroundRole)


def band_color(rank: int, n: int, strong: bool = False) -> QColor:
    """Green for the best band through amber to red for the worst (`strong`: the saturated
    swatch of a legend; otherwise a cell background of the current theme)."""
    if strong:
        hue = 0.36 * (1 - rank / max(1, n - 1))
        return QColor.fromHsvF(hue, 0.55, 0.80)
    return themes.current().band(rank, n)


NOTES = (("n_codings_outside_scope", "codings outside the code's scope were not counted"),
         ("n_values_off_scale", "values off the scale were not counted"),
         ("n_units_with_two_categories", "units carry two categories of the set"))


class ReliabilityTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[CodeEntry] = []
        self.scheme_key: str | None = None
        self.live: dict[str, str] = {}             # code key -> live agreement ("α .71")
        self._show_live = True                     # the pooled cut: live figures apply
        # what a paint asks of every visible cell (its lines and background), kept until the
        # entries, scheme, live figures or theme change: a result's arrival paints the table
        # more than once, and the delegate's share of a paint is most of it
        self._painted: dict[tuple[int, int, int], object] = {}
        self._painted_theme = None

    # -- content ------------------------------------------------------------------------------
    @property
    def show_live(self) -> bool:
        return self._show_live

    @show_live.setter
    def show_live(self, on: bool) -> None:
        if on != self._show_live:
            self._show_live = on
            self._painted.clear()

    def set_entries(self, entries: list[CodeEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._painted.clear()
        self.endResetModel()

    def set_scheme(self, key: str | None) -> None:
        self.scheme_key = key or None
        self._painted.clear()
        if self.entries:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.entries) - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Horizontal, 0, len(COLUMNS) - 1)

    def set_live(self, texts: dict[str, str]) -> None:
        """Live agreement per code key, shown under each code's name while raters code."""
        self.live = dict(texts)
        self._painted.clear()
        if self.entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.entries) - 1, 0))

    def entry(self, row: int) -> CodeEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def row_of(self, key: str) -> int:
        return next((i for i, e in enumerate(self.entries) if e.id == key), -1)

    # -- Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation != Qt.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        col = COLUMNS[section]
        if role == Qt.DisplayRole:
            sch = self._column_scheme(col.key)
            return col.header if sch is None else f"{col.header}\n{sch.display_name}"
        if role == Qt.ToolTipRole:
            sch = self._column_scheme(col.key)
            return col.tip + ("" if sch is None else f".\nLabels: {sch.citation}")
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return None

    def _column_scheme(self, key: str):
        names = {"kappa": "cohen_kappa", "ac": "gwet_ac1", "alpha": "krippendorff_alpha",
                 "icc_a": "icc_2_1", "icc_c": "icc_3_1"}
        return scheme_for(names[key], self.scheme_key) if key in names else None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        if role in _PAINTED_ROLES:
            theme = themes.current()
            if theme is not self._painted_theme:
                self._painted.clear()
                self._painted_theme = theme
            key = (index.row(), index.column(), role)
            try:
                return self._painted[key]
            except KeyError:
                value = self._painted[key] = self._data(index, role)
                return value
        return self._data(index, role)

    def _data(self, index, role):
        e, key = self.entries[index.row()], COLUMNS[index.column()].key
        if role == KEY_ROLE:
            return e.id
        if key == "code":
            return self._code_data(e, role)
        if key == "units":
            return self._units_data(e, role)
        if key == "prev":
            return self._prevalence_data(e, role)
        return self._stat_data(e, key, role)

    def _code_data(self, e: CodeEntry, role):
        kind = KIND_NAMES.get(e.kind, e.kind)
        if role in (Qt.DisplayRole, SORT_ROLE):
            return e.label
        if role == LINES_ROLE:
            second = f"{kind} · {e.group}" if e.group else kind
            if self.show_live and e.id in self.live:
                second += f" · live {self.live[e.id]}"
            return e.label, second, ""
        if role == Qt.ToolTipRole:
            group = f" · {html.escape(e.group)}" if e.group else ""
            lines = [f"<b>{html.escape(e.label)}</b> ({e.id}): {kind}{group}, {e.level} data",
                     f"Raters: {', '.join(e.raters)}"]
            if self.show_live and e.id in self.live:
                lines.append(f"live {self.live[e.id]} (since the last computation)")
            if e.categories and e.kind != "presence":
                lines.append("Categories: " + ", ".join(
                    e.category_name(c) if e.category_name(c) == c
                    else f"{e.category_name(c)} <i>(id {c})</i>" for c in e.categories))
            if e.notes.raters_without_data:
                lines.append("Left out (no values here): "
                             + ", ".join(e.notes.raters_without_data))
            for k, what in NOTES:
                if getattr(e.notes, k):
                    lines.append(f"{getattr(e.notes, k)} {what}")
            return "<br>".join(lines)
        return None

    def _units_data(self, e: CodeEntry, role):
        if role in (Qt.DisplayRole, SORT_ROLE):
            return e.n_units
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            what = "transcripts" if e.kind == "global" else "units"
            text = f"{e.n_units} {what} rated by two or more of {', '.join(e.raters)}"
            if e.n_units_single_rated:
                text += (f"; {e.n_units_single_rated} rated by only one rater count "
                         "in chance agreement only (Gwet 2014), not in agreement")
            return text
        return None

    def _prevalence_data(self, e: CodeEntry, role):
        prev = e.prevalence or {}
        if e.kind == "presence":
            if role == Qt.DisplayRole:
                return " · ".join(f"{r} {fmt_share(v)}" for r, v in prev.items())
            if role == SORT_ROLE:
                vals = [v for v in prev.values() if v is not None]
                return sum(vals) / len(vals) if vals else None
        if role == Qt.ToolTipRole and prev:
            lines = ["<b>Prevalence per rater</b> (share of the compared units)"]
            for r, v in prev.items():
                if isinstance(v, Mapping) and "mean" not in v:
                    v = ", ".join(f"{e.category_name(k)} {fmt_share(s)}" for k, s in v.items())
                elif isinstance(v, Mapping):
                    v = f"mean {v['mean']:.2f}"
                else:
                    v = f"applied to {fmt_share(v)}"
                lines.append(f"{r}: {v}")
            return "<br>".join(lines)
        return None

    def _stat_data(self, e: CodeEntry, key: str, role):
        c = cell(e, key)
        if c is None:
            if role == Qt.ToolTipRole:
                kind = KIND_NAMES.get(e.kind, e.kind)
                return f"Not reported for {kind} data in this view"
            return None
        st, value = c.stat, c.stat.value
        lab = None if st.caution else label_for(c.name, value, self.scheme_key)
        if role in (VALUE_ROLE, SORT_ROLE):
            return value
        if role == STAT_ROLE:
            return c.name
        if role == LABEL_ROLE:
            return None if lab is None else lab.label
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        second = " · ".join(x for x in (fmt_ci(c.name, st.ci), lab.label if lab else "") if x)
        if value is None:
            second = st.undefined_reason or ""
        elif st.caution:
            second = " · ".join(x for x in (fmt_ci(c.name, st.ci), short_caution(st.caution))
                                if x)
        tag = SHORT_NAMES.get(c.name, "") if key in ("kappa", "ac") else ""
        if key in ("icc_a", "icc_c") and c.note:
            tag = "counts"
        if role == LINES_ROLE:
            return fmt_value(c.name, value), second, tag, bool(st.caution)
        if role == Qt.DisplayRole:
            return " ".join(x for x in (tag, fmt_value(c.name, value), second) if x)
        if role == Qt.BackgroundRole:
            if value is None:
                return QColor(themes.current().undefined_bg)
            if st.caution:
                return QColor(themes.current().caution_bg)
            sch = scheme_for(c.name, self.scheme_key)
            return None if sch is None else band_color(*band(sch, value))
        if role == Qt.ToolTipRole:                 # the whole cell first: it may be elided
            shown = " ".join(x for x in (tag, fmt_value(c.name, value), second) if x)
            return f"{html.escape(shown)}<br>{self._stat_tip(e, c, lab)}"
        return None

    @staticmethod
    def _stat_tip(e: CodeEntry, c, lab) -> str:
        st = c.stat
        head = f"<b>{stat_title(c.name, e)}</b> — {e.label}"
        if c.note:
            head += f"<br><i>{c.note}</i>"
        if st.value is None:
            return f"{head}<br>undefined: {st.undefined_reason or 'no reason given'}"
        lines = [head, f"Value: {st.value:.4f}"]
        if st.caution:
            lines.append(f"<b>Caution:</b> {st.caution} (no interpretation label)")
        if st.se is not None:
            lines.append(f"SE: {st.se:.4f}")
        if st.jackknife_se is not None:
            lines.append(f"Jackknife SE (leaving out one transcript at a time): "
                         f"{st.jackknife_se:.4f}")
        if st.ci:
            lines.append(f"95% CI: {st.ci[0]:.3f} to {st.ci[1]:.3f} "
                         f"({st.ci_method or 'method not stated'})")
        elif st.ci_note:
            lines.append(st.ci_note)
        else:
            lines.append("No analytic interval for this statistic; the cluster bootstrap "
                         "gives one")
        if lab:
            lines.append(f"Interpretation: {lab.text}")
        if c.name == "positive_agreement" and "negative_agreement" in e.statistics:
            neg = e.statistics["negative_agreement"].value
            lines.append(f"Negative agreement: {fmt_value('negative_agreement', neg)}")
        if c.name == "percent_agreement" and e.agreement:
            for k, title in (("exact", "Exact"), ("within_one", "Within ±1")):
                v = e.agreement[k].value
                lines.append(f"{title} agreement: {fmt_value('percent_agreement', v)}")
        return "<br>".join(lines)

    def flags(self, index):
        return _FLAGS if index.isValid() else Qt.NoItemFlags


class ReliabilitySortProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE; undefined and not-applicable cells stay at the bottom."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left, right) -> bool:
        lv, rv = left.data(SORT_ROLE), right.data(SORT_ROLE)
        ascending = self.sortOrder() == Qt.AscendingOrder
        if lv is None or rv is None:
            if lv is None and rv is None:
                return left.row() < right.row()
            return (lv is None) != ascending
        if isinstance(lv, str) and isinstance(rv, str):
            return lv.casefold() < rv.casefold()
        return lv < rv


def results_table(proxy) -> QTableView:
    """The table view: two-line cells, sortable, codebook order until a header is clicked."""
    table = QTableView()
    table.setModel(proxy)
    table.setItemDelegate(StatCellDelegate(table))
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(40)
    table.setWordWrap(False)
    head = table.horizontalHeader()
    head.setSectionResizeMode(QHeaderView.Interactive)
    head.setMinimumHeight(40)
    head.setStretchLastSection(True)
    for col, width in enumerate((160, 48, 88, 88, 150, 150, 138, 122, 122, 150)):
        table.setColumnWidth(col, width)
    return table

