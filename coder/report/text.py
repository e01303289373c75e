"""One session's feedback as plain lines (the CLI) and as JSON (a contract: add, never drop)."""

from __future__ import annotations

from ..analytics.episodes import rule_text
from ..analytics.measures import format_value
from .gather import Report


def _fmt(x: float | None, pattern: str = "{:.2f}") -> str:
    return "-" if x is None else pattern.format(x)


def summary_lines(r: Report) -> list[str]:
    fb = r.feedback
    e, p = fb.episodes, fb.profile
    out = [f"{fb.name} - coded by {fb.rater}" + (f" - dyad {fb.session.dyad}"
                                                 if fb.session.dyad else ""),
           f"units: {p.units}" + (f", {p.minutes:.0f} min" if p.minutes else ""),
           f"episodes: {e.count} ({e.withdrawal} withdrawal, {e.confrontation} confrontation, "
           f"{e.both} both); resolved {e.resolved} of {e.count}; median latency "
           f"{_fmt(e.median_latency_units, '{:g}')} units / "
           f"{_fmt(e.median_latency_s, '{:.0f}')} s; repairs direct {e.direct}, "
           f"indirect {e.indirect}"]
    for ep in e.episodes:
        out.append(f"  episode {ep.number}: {ep.type}, markers at {list(ep.marker_units)}, "
                   f"first repair {ep.first_repair or '-'}, latency "
                   f"{_fmt(ep.latency_units, '{:d}')} units, strategies "
                   f"{', '.join(ep.strategies) or '-'}, "
                   f"{'resolved' if ep.resolved else 'unresolved'}")
    out.append(f"consistent moves: {p.consistent} unit(s); inconsistent: {p.inconsistent}")
    for g in p.groups:
        out.append(f"  {g.label}: {g.units} unit(s), share {_fmt(g.share, '{:.0%}')}, "
                   f"per 10 min {_fmt(g.per_10min, '{:.1f}')}")
    for g in p.globals:
        out.append(f"global {g.label}: {format_value(g.value)} ({g.min}-{g.max})")
    if fb.mi is not None:
        for s in fb.mi.scores:
            out.append(f"{s.label}: {_fmt(s.value)} ({s.band}; fair {s.fair:g}, good "
                       f"{s.good:g}; {fb.mi.source})")
    for m, v in fb.measures:
        out.append(f"client measure {m.name}: {format_value(v) or '-'} ({m.range_text})")
    for f in r.flags:
        out.append(f"discordance ({f.title}): {f.text}")
    out.append("rule: " + rule_text(fb.settings))
    return out


def summary_json(r: Report) -> dict:
    fb = r.feedback
    e, p = fb.episodes, fb.profile
    return {
        "transcript": fb.name, "rater": fb.rater, "dyad": fb.session.dyad,
        "rule": {"join_units": fb.settings.join_units,
                 "resolve_units": fb.settings.resolve_units},
        "episodes": [{"episode": ep.number, "type": ep.type,
                      "marker_units": list(ep.marker_units),
                      "repair_units": list(ep.repair_units),
                      "first_repair_unit": ep.first_repair, "latency_units": ep.latency_units,
                      "latency_s": ep.latency_s, "strategies": list(ep.strategies),
                      "resolved": ep.resolved} for ep in e.episodes],
        "summary": {"count": e.count, "resolved": e.resolved,
                    "resolved_share": e.resolved_share,
                    "median_latency_units": e.median_latency_units,
                    "median_latency_s": e.median_latency_s,
                    "direct": e.direct, "indirect": e.indirect,
                    "strategies": dict(e.strategies)},
        "profile": {"units": p.units, "minutes": p.minutes, "consistent": p.consistent,
                    "inconsistent": p.inconsistent,
                    "groups": [{"group": g.group_id, "label": g.label,
                                "counts_as": g.counts_as, "units": g.units,
                                "by_role": dict(g.by_role), "share": g.share,
                                "per_10min": g.per_10min, "bins": list(g.bins)}
                               for g in p.groups],
                    "codes": dict(p.codes),
                    "globals": {g.code: g.value for g in p.globals}},
        "mi": None if fb.mi is None else {
            "source": fb.mi.source, "adherent": fb.mi.adherent,
            "non_adherent": fb.mi.non_adherent,
            "scores": {s.key: {"value": s.value, "fair": s.fair, "good": s.good,
                               "band": s.band} for s in fb.mi.scores}},
        "measures": {m.name: v for m, v in fb.measures},
        "discordance": [{"rule": f.rule, "title": f.title, "text": f.text} for f in r.flags],
        "went_well": [{"rule": a.rule, "text": a.text} for a in r.went_well],
        "try_next": [{"rule": a.rule, "text": a.text} for a in r.try_next],
    }
