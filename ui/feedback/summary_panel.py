"""SessionSummary: the session's figures in words and numbers, with small charts."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from coder.analytics.measures import format_value
from coder.analytics.timeline import LANE_COLORS

from .charts import BinChart, SparkChart


def _f(x, pattern="{:.2f}") -> str:
    return "–" if x is None else pattern.format(x)


class SessionSummary(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session summary")
        self.text = QLabel()
        self.text.setTextFormat(Qt.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.charts = QWidget()
        self.chart_grid = QGridLayout(self.charts)
        self.chart_grid.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 3)
        side = QVBoxLayout()
        side.addWidget(self.charts)
        side.addStretch(1)
        row.addLayout(side, 2)
        self.set_report(None)

    def set_report(self, report) -> None:
        while self.chart_grid.count():
            w = self.chart_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        if report is None:
            self.text.setText("<p>No coded session chosen.</p>")
            return
        self.text.setText(self._html(report))
        fb = report.feedback
        colours = dict(LANE_COLORS, repair_direct=LANE_COLORS["repair"],
                       repair_indirect="#A5D6A7")
        bins = [(g.label.split(" / ")[-1].replace(" markers", ""),
                 colours.get(g.counts_as or "", "#999999"), g.bins)
                for g in fb.profile.groups if g.units]
        self.chart_grid.addWidget(BinChart(bins[:5]), 0, 0, 1, 2)
        if report.trends is not None:
            t = report.trends
            series = [s for s in t.figures if s.label in ("Adherence (consistent moves)",
                                                         "Unresolved episodes")]
            series += list(t.measures)
            series = [s for s in series if any(v is not None for v in s.values)]
            here = t.sessions.index(fb.name) if fb.name in t.sessions else None
            caption = QLabel(f"<b>Across {len(t.sessions)} sessions of "
                             f"{escape(t.dyad or '')}</b> (in name order; this one ringed): "
                             + escape(" · ".join(t.sessions)))
            caption.setWordWrap(True)
            self.chart_grid.addWidget(caption, 1, 0, 1, 2)
            colours = ["#808000", "#E6194B", "#4363D8", "#911EB4", "#3CB44B", "#F58231"]
            for i, s in enumerate(series[:6]):
                fmt = "{:.0f}" if s.label.startswith("Unresolved") else "{:.1f}"
                self.chart_grid.addWidget(
                    SparkChart(s.label, s.values, colours[i % 6], fmt, here), 2 + i // 2, i % 2)

    @staticmethod
    def _html(report) -> str:
        fb = report.feedback
        e, p = fb.episodes, fb.profile
        rows = [f"<b>{escape(fb.name)}</b> — coded by {escape(fb.rater)}"
                + (f" — {escape(fb.session.dyad)}" if fb.session.dyad else ""),
                f"<b>Episodes</b>: {e.count} ({e.withdrawal} withdrawal, {e.confrontation} "
                f"confrontation, {e.both} both) — <span style='color:#2F6B2F'>{e.resolved} "
                f"resolved</span>, <span style='color:#B00000'>{e.unresolved} unresolved</span>",
                f"Median time to repair: {_f(e.median_latency_units, '{:g}')} units "
                f"({_f(e.median_latency_s, '{:.0f}')} s); repairs {e.direct} direct, "
                f"{e.indirect} indirect"]
        if p.consistent or p.inconsistent:
            rows.append(f"<b>Moves</b>: {p.consistent} consistent, {p.inconsistent} "
                        f"inconsistent ({_f(p.consistent_share, '{:.0%}')} consistent)")
        for g in p.groups:
            if g.units:
                rows.append(f"&nbsp;&nbsp;{escape(g.label)}: {g.units} "
                            f"({_f(g.per_10min, '{:.1f}')} per 10 min)")
        if p.globals:
            rows.append("<b>Globals</b>: " + "; ".join(
                f"{escape(g.label)} {format_value(g.value)}/{g.max}" for g in p.globals))
        if fb.mi is not None:
            rows.append("<b>MI scores</b> (" + escape(fb.mi.source) + "): " + "; ".join(
                f"{escape(s.label)} {_f(s.value)} ({s.band})" for s in fb.mi.scores))
        if fb.measures:
            rows.append("<b>Client</b>: " + "; ".join(
                f"{escape(m.name)} {format_value(v) or '–'}" for m, v in fb.measures))
        for f in report.flags:
            rows.append(f"<span style='color:#9A3412'><b>{escape(f.title)}</b>: "
                        f"{escape(f.text)}</span>")
        return "<p>" + "<br>".join(rows) + "</p>"
