"""Everything one report needs, read from an open project through its public methods."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analytics.advice import Advice, try_next, went_well
from ..analytics.data import pick_rater
from ..analytics.discordance import Flag, discordance
from ..analytics.session import SessionFeedback, session_feedback
from ..analytics.timeline import Timeline, build_timeline
from ..analytics.trends import Trends, session_order, trends
from ..errors import SessionCoderError


@dataclass(frozen=True)
class Report:
    project: str
    feedback: SessionFeedback
    series: tuple[SessionFeedback, ...]      # the dyad's sessions (this one included), in order
    trends: Trends | None                    # None with fewer than two sessions
    flags: tuple[Flag, ...]                  # discordance flags of this session
    went_well: tuple[Advice, ...]
    try_next: tuple[Advice, ...]
    timeline: Timeline
    skipped: tuple[str, ...] = field(default=())   # dyad sessions left out, with the reason


@dataclass(frozen=True)
class ReportText:
    """The parts of the report the supervisor edits before saving (plain text, one point a
    line)."""

    went_well: str
    try_next: str
    notes: str = ""


def default_text(report: Report) -> ReportText:
    def lines(items) -> str:
        return "\n".join(f"- {a.text}" for a in items)
    return ReportText(lines(report.went_well) or "- (nothing the rules picked out; add your own)",
                      lines(report.try_next) or "- (nothing the rules picked out; add your own)")


def gather(project, transcript, *, rater: str | None = None, consensus: bool = False
           ) -> Report:
    """`project` is an open `coder.project.Project`; `transcript` a name or id."""
    info = project.transcripts.get(transcript)
    fb_part = project.feedback
    data = fb_part.session(info.id)
    if consensus:
        if data.consensus is None or data.consensus not in data.raters:
            raise SessionCoderError(f"{data.name}: no consensus coding yet: adjudicate the "
                                    "raters' disagreements into the consensus layer first "
                                    "(docs/TEAM.md)")
        rater = data.consensus
    who = pick_rater(data, rater)
    settings = fb_part.settings()
    measures, values = fb_part.measures(), fb_part.measure_values()
    fb = session_feedback(data, who, settings, measures, values)
    series = [fb]
    skipped = []
    if data.dyad:
        for tid, dyad in sorted(fb_part.dyads().items()):
            if tid == info.id or dyad != data.dyad:
                continue
            other = fb_part.session(tid)
            if who not in other.raters:
                skipped.append(f"{other.name}: not coded by {who}")
                continue
            series.append(session_feedback(other, who, settings, measures, values))
    series.sort(key=lambda f: session_order(f.name))
    flags = [f for f in discordance(series) if f.session == fb.name]
    return Report(project.name, fb, tuple(series), trends(series) if len(series) > 1 else None,
                  tuple(flags), tuple(went_well(fb)), tuple(try_next(fb, flags)),
                  build_timeline(fb), tuple(skipped))
