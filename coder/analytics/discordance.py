"""Where the client's ratings and the coders' view disagree: explicit rules, shown as written.

Rule A, "unresolved ruptures, top alliance rating": the coders found at least one unresolved
rupture episode in a session, while the client rated the relationship (a measure marked as
rating the alliance) within the best tenth of its range. Clients often under-report strain,
so a top rating does not rule a rupture out.

Rule B, "alliance falls while adherence rises": from one session to the next of the same
dyad, the client's alliance rating moves toward the worse end by at least 5 % of its range
while adherence (model-consistent moves per 10 minutes) rises by at least 10 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from .measures import Measure, format_value
from .session import SessionFeedback
from .trends import session_order

TOP_SHARE = 0.10          # rule A: "top of the scale" = the best 10 % of the range
ALLIANCE_DROP = 0.05      # rule B: a fall of at least 5 % of the range ...
ADHERENCE_RISE = 0.10     # ... while adherence rises by at least 10 %

RULES = {
    "A": ("Unresolved ruptures, top alliance rating",
          "coders found at least one unresolved rupture episode while the client rated the "
          f"alliance in the best {TOP_SHARE:.0%} of its range"),
    "B": ("Alliance falls while adherence rises",
          f"the client's alliance rating fell by at least {ALLIANCE_DROP:.0%} of its range "
          f"from the previous session while model-consistent moves per 10 minutes rose by at "
          f"least {ADHERENCE_RISE:.0%}"),
}


@dataclass(frozen=True)
class Flag:
    rule: str            # "A" or "B"
    session: str
    measure: str
    text: str

    @property
    def title(self) -> str:
        return RULES[self.rule][0]


def alliance_measures(measures: list[Measure]) -> list[Measure]:
    """Top-level measures marked as rating the alliance (sub-scales are not judged alone)."""
    return [m for m in measures if m.alliance and m.parent is None]


def discordance(feedbacks: list[SessionFeedback]) -> list[Flag]:
    """Flags over the sessions of one dyad (or a single session: rule A only)."""
    fbs = sorted(feedbacks, key=lambda f: session_order(f.name))
    flags: list[Flag] = []
    for i, f in enumerate(fbs):
        for m, value in f.measures:
            if not (m.alliance and m.parent is None) or value is None:
                continue
            if f.episodes.unresolved and m.goodness(value) >= 1 - TOP_SHARE:
                flags.append(Flag("A", f.name, m.name,
                                  f"{f.name}: {f.episodes.unresolved} unresolved episode(s) "
                                  f"coded, while {m.name} was {format_value(value)} "
                                  f"({m.range_text})"))
            if i == 0:
                continue
            prev = fbs[i - 1]
            before = prev.measure(m.name)
            a0, a1 = prev.adherence, f.adherence
            if before is None or a0 is None or a1 is None:
                continue
            fall = m.goodness(before) - m.goodness(value)
            rise = (a1 - a0) / a0 if a0 > 0 else (1.0 if a1 > 0 else 0.0)
            if fall >= ALLIANCE_DROP and rise >= ADHERENCE_RISE:
                flags.append(Flag("B", f.name, m.name,
                                  f"{prev.name} -> {f.name}: {m.name} {format_value(before)} -> "
                                  f"{format_value(value)}, consistent moves per 10 min "
                                  f"{a0:.1f} -> {a1:.1f}"))
    return flags
