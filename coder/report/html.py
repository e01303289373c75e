"""The report as one HTML page: what a browser shows and what Qt's QTextDocument prints.

Kept to the HTML subset QTextDocument understands (tables, headings, paragraphs, lists,
simple inline styles). Every piece of session text is escaped and quoted as written, so
de-identification tags such as [NAME] stay as they are.
"""

from __future__ import annotations

from html import escape

from ..analytics.advice import RULES as ADVICE_RULES
from ..analytics.advice import quote
from ..analytics.discordance import RULES as DISCORDANCE_RULES
from ..analytics.episodes import rule_text
from ..analytics.measures import format_value
from ..analytics.mi import SOURCE as MI_SOURCE
from ..analytics.timeline import timeline_svg
from .gather import Report, ReportText

STYLE = """
body { font-family: sans-serif; font-size: 10pt; color: #222; }
h1 { font-size: 16pt; margin-bottom: 2pt; } h2 { font-size: 12.5pt; margin-top: 14pt; }
table { border-collapse: collapse; margin: 4pt 0; }
td, th { border: 1px solid #BBB; padding: 3px 6px; vertical-align: top; }
th { background: #EEF1F5; text-align: left; }
.muted { color: #666; } .ok { color: #2F6B2F; } .warn { color: #9A3412; }
.quote { font-style: italic; color: #333; }
"""


COUNTS_AS_TEXT = {"withdrawal": "withdrawal marker", "confrontation": "confrontation marker",
                  "repair": "repair", "repair_direct": "direct repair",
                  "repair_indirect": "indirect repair", "consistent": "model-consistent",
                  "inconsistent": "model-inconsistent"}


def _e(text: object) -> str:
    return escape(str(text), quote=False)


def _f(x: float | None, pattern: str = "{:.2f}") -> str:
    return "&ndash;" if x is None else pattern.format(x)


def _table(head: list[str], rows: list[list[str]], width: str = "100%") -> str:
    out = [f'<table border="1" cellspacing="0" cellpadding="3" width="{width}">',
           "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "\n".join(out + ["</table>"])


def _score(key: str, value: float | None) -> str:
    """MI scores as the manual writes them: % complex reflections in per cent, R:Q as a ratio."""
    if value is None:
        return "&ndash;"
    if key == "pct_complex":
        return f"{value:.0%}"
    if key == "rq_ratio":
        return f"{value:.2f}:1"
    return f"{value:.2f}"


def _arrow(slope: float | None) -> str:
    if slope is None:
        return "&ndash;"
    return "rising" if slope > 0.05 else "falling" if slope < -0.05 else "steady"


def _text_block(text: str) -> str:
    items = [line.strip()[1:].strip() if line.strip().startswith(("-", "*")) else line.strip()
             for line in text.splitlines() if line.strip()]
    if not items:
        return '<p class="muted">(none)</p>'
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def render_html(r: Report, text: ReportText, timeline_html: str | None = None) -> str:
    fb = r.feedback
    s, e, p = fb.session, fb.episodes, fb.profile
    units = {u.position: u for u in s.units}
    label = {c.id: c.label for c in (x.code for x in s.codebook.codes())}
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">',
           f"<title>Supervision feedback: {_e(fb.name)}</title>",
           f"<style>{STYLE}</style></head><body>",
           f"<h1>Supervision feedback: {_e(fb.name)}</h1>",
           '<p class="muted">Prepared for a supervision conversation. The figures come from '
           "the codes; the supervisor has read and edited the text.</p>"]
    facts = [["Project", _e(r.project)], ["Session", _e(fb.name)],
             ["Therapist / dyad", _e(s.dyad or "not set")], ["Coded by", _e(fb.rater)],
             ["Codebook", _e(f"{s.codebook.name} (version {s.codebook.version})")],
             ["Units", f"{p.units} {_e(s.unit_kind)}s"
                       + (f", {p.minutes:.0f} minutes" if p.minutes else "")]]
    out.append(_table(["", ""], facts, "70%").replace("<tr><th></th><th></th></tr>", "", 1))

    marked = {x.counts_as for x in s.codebook.codes()} - {None}
    if marked:
        out.append("<h2>Timeline</h2>")
        out.append(timeline_html if timeline_html is not None else timeline_svg(r.timeline))
        out.append('<p class="muted">Lanes: withdrawal, confrontation, repair, model-consistent '
                   "and inconsistent moves. Shaded spans are episodes (green resolved, red "
                   "unresolved).</p>")

    out.append("<h2>Ruptures and repair</h2>")
    if not marked & {"withdrawal", "confrontation"}:
        out.append(f"<p>The codebook ({_e(s.codebook.name)}) marks no groups as rupture "
                   "markers (counts_as), so no episodes are computed.</p>")
    elif e.count:
        out.append(f"<p>{e.count} episode(s): {e.withdrawal} withdrawal, {e.confrontation} "
                   f"confrontation, {e.both} both. Resolved: {e.resolved} of {e.count}. Median "
                   f"time to the first repair: {_f(e.median_latency_units, '{:g}')} units"
                   f" ({_f(e.median_latency_s, '{:.0f}')} s). Repairs: {e.direct} direct, "
                   f"{e.indirect} indirect.</p>")
        rows, quotes = [], []
        for ep in e.episodes:
            m = units.get(ep.first_marker)
            rp = units.get(ep.first_repair) if ep.first_repair else None
            said = (f"marker, unit {ep.first_marker}: <span class=\"quote\">&ldquo;"
                    f"{_e(quote(m.text))}&rdquo;</span>" if m else "")
            if rp is not None:
                said += (f" &mdash; repair, unit {ep.first_repair}: <span class=\"quote\">"
                         f"&ldquo;{_e(quote(rp.text))}&rdquo;</span>")
            quotes.append(f"<li><b>Episode {ep.number}</b> &mdash; {said}</li>")
            state = ('<span class="ok">resolved</span>' if ep.resolved
                     else '<span class="warn">unresolved</span>')
            rows.append([str(ep.number), _e(ep.type),
                         ", ".join(map(str, ep.marker_units)), _f(ep.first_repair, "{}"),
                         _f(ep.latency_units, "{}") + (f" ({ep.latency_s:.0f} s)"
                                                       if ep.latency_s is not None else ""),
                         _e(", ".join(label.get(c, c) for c in ep.strategies)) or "&ndash;",
                         state])
        out.append(_table(["#", "Type", "Marker units", "First repair", "Latency (units)",
                           "Strategies", "Outcome"], rows))
        out.append("<p>In their words:</p><ul>" + "".join(quotes) + "</ul>")
    else:
        out.append('<p>No rupture markers were coded in this session.</p>')
    out.append(f'<p class="muted">Episode rule: {_e(rule_text(fb.settings))}</p>')

    out.append("<h2>Adherence profile</h2>")
    rows = [[_e(g.label), _e(COUNTS_AS_TEXT.get(g.counts_as, "")), str(g.units),
             _e(", ".join(f"{k or 'unknown'} {v}" for k, v in g.by_role)) or "&ndash;",
             _f(g.share, "{:.0%}"), _f(g.per_10min, "{:.1f}")] for g in p.groups]
    out.append(_table(["Code group", "Counts as", "Units", "By speaker", "Share of units",
                       "Per 10 min"], rows))
    if p.consistent or p.inconsistent:
        out.append(f"<p>Model-consistent moves in {p.consistent} unit(s), inconsistent in "
                   f"{p.inconsistent} ({_f(p.consistent_share, '{:.0%}')} consistent).</p>")
    if fb.mi is not None:
        rows = [[_e(sc.label), _score(sc.key, sc.value), _score(sc.key, sc.fair),
                 _score(sc.key, sc.good),
                 _e(sc.band if sc.value is not None else f"not computable: {sc.why_missing}")]
                for sc in fb.mi.scores]
        out.append(_table(["MI summary score", "Value", "Fair", "Good", "Band"], rows))
        out.append(f'<p class="muted">Thresholds: {_e(MI_SOURCE)}, the manual\'s published '
                   "guidance. MI-adherent moves: "
                   f"{fb.mi.adherent}; MI-non-adherent: {fb.mi.non_adherent}.</p>")

    out.append("<h2>Session ratings</h2>")
    if p.globals:
        out.append(_table(["Global", "Rating", "Scale"],
                          [[_e(g.label), format_value(g.value), f"{g.min}&ndash;{g.max}"]
                           for g in p.globals]))
    else:
        out.append('<p class="muted">No session globals were rated.</p>')
    for cid, lab, values in p.window_ratings:
        out.append(f"<p>{_e(lab)} by window: "
                   + ", ".join(format_value(v) or "&ndash;" for v in values) + "</p>")

    out.append("<h2>The client's view beside the coders'</h2>")
    if fb.measures:
        out.append(_table(["Client measure", "This session", "Range"],
                          [[_e(m.name), format_value(v) or "&ndash;", _e(m.range_text)]
                           for m, v in fb.measures]))
    else:
        out.append('<p class="muted">No client measures are defined in this project.</p>')
    if r.trends is not None:
        t = r.trends
        cols = [c for c in t.figures + t.measures if any(v is not None for v in c.values)]
        head = ["Session"] + [_e(x.label) for x in cols]
        rows = [[_e(name.rsplit(".", 1)[0])] + [_f(c.values[i], "{:.3g}") for c in cols]
                for i, name in enumerate(t.sessions)]
        rows.append(["<b>Trend</b>"] + [_arrow(c.slope) for c in cols])
        out.append(f"<p>Sessions of {_e(t.dyad)} in order:</p>")
        out.append(_table(head, rows))
        flex = [(g.label, g.variability) for g in t.groups if g.variability is not None]
        if flex:
            out.append('<p class="muted">Flexibility (variation of each code group\'s rate '
                       "across sessions, SD): " + "; ".join(
                           f"{_e(lab)} {v:.2f}" for lab, v in flex) + "</p>")
    for f in r.flags:
        out.append(f'<p class="warn"><b>{_e(f.title)}.</b> {_e(f.text)}.</p>')

    out.append("<h2>What went well</h2>")
    out.append(_text_block(text.went_well))
    out.append("<h2>What to try next</h2>")
    out.append(_text_block(text.try_next))
    if text.notes.strip():
        out.append("<h2>Supervisor's notes</h2>")
        out.append("".join(f"<p>{_e(par)}</p>" for par in text.notes.split("\n\n") if par.strip()))

    out.append('<h2 style="page-break-before: always">How these figures were made</h2>')
    out.append(f"<p><b>Episodes.</b> {_e(rule_text(fb.settings))}</p>")
    out.append("<p><b>What went well / what to try next</b> come from fixed rules, not a "
               "language model:</p><ul>" + "".join(
                   f"<li>{k}: {_e(v)}</li>" for k, v in ADVICE_RULES.items()) + "</ul>")
    out.append("<p><b>Discordance rules</b> (the client's ratings and the coders' view):</p><ul>"
               + "".join(f"<li>{k}. {_e(t)}: {_e(d)}.</li>"
                         for k, (t, d) in DISCORDANCE_RULES.items()) + "</ul>")
    out.append('<p class="muted">Nothing in this report left this computer.</p>')
    out.append("</body></html>")
    return "\n".join(out)
