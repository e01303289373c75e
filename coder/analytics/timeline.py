"""Where things happen in a session, laid out once for every painter (SVG in reports, the Qt
timeline widget): lanes of marks at unit positions and episode spans."""

from __future__ import annotations

from dataclasses import dataclass

from .session import SessionFeedback

LANES = ("withdrawal", "confrontation", "repair", "consistent", "inconsistent")
LANE_LABELS = {"withdrawal": "Withdrawal", "confrontation": "Confrontation", "repair": "Repair",
               "consistent": "Consistent", "inconsistent": "Inconsistent"}
LANE_COLORS = {"withdrawal": "#4363D8", "confrontation": "#E6194B", "repair": "#3CB44B",
               "consistent": "#808000", "inconsistent": "#F58231"}


@dataclass(frozen=True)
class Mark:
    lane: str
    position: int          # unit position, 1-based
    x: float               # 0..1 along the session (time when known, else unit order)
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Span:
    episode: int
    first: int
    last: int
    x0: float
    x1: float
    resolved: bool


@dataclass(frozen=True)
class Timeline:
    units: int
    by_time: bool
    length_ms: int | None
    marks: tuple[Mark, ...]
    spans: tuple[Span, ...]

    def lane(self, name: str) -> tuple[Mark, ...]:
        return tuple(m for m in self.marks if m.lane == name)

    def positions(self) -> tuple[int, ...]:
        """Unit positions that carry something, in order (for keyboard stepping)."""
        return tuple(sorted({m.position for m in self.marks}))


def _lane_of(counts_as: str | None) -> str | None:
    if counts_as in ("repair", "repair_direct", "repair_indirect"):
        return "repair"
    return counts_as if counts_as in LANES else None


def build_timeline(fb: SessionFeedback) -> Timeline:
    s = fb.session
    counts = {e.code.id: e.counts_as for e in s.codebook.codes()}
    units = {u.id: u for u in s.units}
    length = s.length_ms
    by_time = bool(length) and all(u.start_ms is not None for u in s.units)
    n = len(s.units)

    def x_of(position: int) -> float:
        u = s.units[position - 1] if 0 < position <= n else None
        if by_time and u is not None:
            return min(1.0, u.start_ms / length)
        return (position - 0.5) / n if n else 0.0
    found: dict[tuple[str, int], list[str]] = {}
    for c in s.of_rater(fb.rater):
        lane = _lane_of(counts.get(c.code))
        if lane and c.segment_id in units:
            found.setdefault((lane, units[c.segment_id].position), []).append(c.code)
    marks = tuple(Mark(lane, pos, x_of(pos), tuple(codes))
                  for (lane, pos), codes in sorted(found.items(), key=lambda kv: kv[0][1]))
    spans = tuple(Span(e.number, e.first_marker, e.end, x_of(e.first_marker),
                       x_of(e.end) + (1 / n if n and not by_time else 0.0), e.resolved)
                  for e in fb.episodes.episodes)
    return Timeline(n, by_time, length, marks, spans)


def timeline_svg(t: Timeline, width: int = 720, lane_h: int = 22) -> str:
    """The timeline as a standalone SVG (for the HTML report)."""
    left, top = 110, 6
    w = width - left - 10
    h = top + lane_h * len(LANES) + 22
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
           f'viewBox="0 0 {width} {h}" font-family="sans-serif" font-size="11" '
           'role="img" aria-label="Session timeline">']
    band = top + lane_h * len(LANES)
    for sp in t.spans:
        x0, x1 = left + sp.x0 * w, left + max(sp.x1 * w, sp.x0 * w + 3)
        fill = "#DDEEDD" if sp.resolved else "#F6D5D5"
        out.append(f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{band - top}" '
                   f'fill="{fill}"><title>Episode {sp.episode}: units {sp.first}-{sp.last}, '
                   f'{"resolved" if sp.resolved else "unresolved"}</title></rect>')
        if not sp.resolved:
            out.append(f'<text x="{x0 + 2:.1f}" y="{band + 12}" fill="#B00000">'
                       f'{sp.episode} unresolved</text>')
        else:
            out.append(f'<text x="{x0 + 2:.1f}" y="{band + 12}" fill="#2F6B2F">{sp.episode}</text>')
    for i, lane in enumerate(LANES):
        y = top + i * lane_h
        out.append(f'<text x="4" y="{y + lane_h * 0.65:.1f}">{LANE_LABELS[lane]}</text>')
        out.append(f'<line x1="{left}" y1="{y + lane_h / 2}" x2="{left + w}" '
                   f'y2="{y + lane_h / 2}" stroke="#CCCCCC"/>')
        for m in t.lane(lane):
            x = left + m.x * w
            out.append(f'<rect x="{x - 1.5:.1f}" y="{y + 4}" width="3" height="{lane_h - 8}" '
                       f'fill="{LANE_COLORS[lane]}"><title>unit {m.position}: '
                       f'{", ".join(m.codes)}</title></rect>')
    axis = "time" if t.by_time else "units"
    end = f"{round((t.length_ms or 0) / 60000)} min" if t.by_time else f"{t.units}"
    out.append(f'<text x="{left}" y="{h - 2}" fill="#555">0</text>')
    out.append(f'<text x="{left + w}" y="{h - 2}" text-anchor="end" fill="#555">'
               f'{end} ({axis})</text>')
    out.append("</svg>")
    return "\n".join(out)
