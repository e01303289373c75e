"""Per rater, side by side: one session's figures as each rater (the access policy allows)
coded it — for a supervisor comparing views before a consensus meeting."""

from __future__ import annotations

from ..analytics.session import SessionFeedback, session_feedback


def per_rater(project, transcript) -> list[SessionFeedback]:
    info = project.transcripts.get(transcript)
    part = project.feedback
    data = part.session(info.id)
    settings, measures, values = part.settings(), part.measures(), part.measure_values()
    return [session_feedback(data, r, settings, measures, values) for r in data.raters]


COLUMNS = ("rater", "episodes", "resolved", "unresolved", "median latency (units)",
           "direct", "indirect", "consistent", "inconsistent")


def rows(feedbacks: list[SessionFeedback]) -> list[tuple]:
    out = []
    for f in feedbacks:
        e, p = f.episodes, f.profile
        out.append((f.rater, e.count, e.resolved, e.unresolved, e.median_latency_units,
                    e.direct, e.indirect, p.consistent, p.inconsistent))
    return out


def table_lines(feedbacks: list[SessionFeedback]) -> list[str]:
    body = [[("-" if v is None else f"{v:g}" if isinstance(v, float) else str(v)) for v in r]
            for r in rows(feedbacks)]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(COLUMNS)]
    line = "  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths)).rstrip()
    return [line] + ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
