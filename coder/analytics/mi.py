"""Summary scores for MI-behaviour coding (codebook ``mi_behaviour``), beside the thresholds
published with MITI 4.2.1 (Moyers, Manuel & Ernst, 2014/2016; Moyers et al., 2016, J Subst
Abuse Treat 65:36-42). Our codes are inspired by that system; the formulas follow it:

- reflection-to-question ratio R:Q = (simple + complex reflections) / (open + closed questions)
- % complex reflections = complex / (simple + complex reflections)
- relational = mean of the partnership and empathy globals
- technical = mean of the cultivating-change-talk and softening-sustain-talk globals
- MI-adherent = affirm + seeking collaboration + emphasizing autonomy;
  MI-non-adherent = confront + persuade (persuade with permission is neither)
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import SessionData

SOURCE = "MITI 4.2.1 (Moyers et al. 2016)"
#: (fair, good) thresholds of the manual's published guidance.
THRESHOLDS = {"rq_ratio": (1.0, 2.0), "pct_complex": (0.40, 0.50),
              "relational": (3.5, 4.0), "technical": (3.5, 4.0)}
LABELS = {"rq_ratio": "Reflection-to-question ratio", "pct_complex": "% complex reflections",
          "relational": "Relational global (mean)", "technical": "Technical global (mean)"}
NEEDED = {"simple_reflection", "complex_reflection", "open_question", "closed_question"}


@dataclass(frozen=True)
class Score:
    key: str
    label: str
    value: float | None
    fair: float
    good: float
    why_missing: str = ""

    @property
    def band(self) -> str:
        """"good", "fair", "below fair" (against the thresholds), or "not computable"."""
        if self.value is None:
            return "not computable"
        return "good" if self.value >= self.good else "fair" if self.value >= self.fair \
            else "below fair"


@dataclass(frozen=True)
class MIScores:
    counts: tuple[tuple[str, int], ...]
    scores: tuple[Score, ...]
    adherent: int
    non_adherent: int
    source: str = SOURCE

    def score(self, key: str) -> Score:
        return next(s for s in self.scores if s.key == key)


def applies(session: SessionData) -> bool:
    return NEEDED <= set(session.codebook.code_ids())


def mi_scores(session: SessionData, rater: str) -> MIScores | None:
    """The scores, or None when the codebook is not the MI-behaviour one."""
    if not applies(session):
        return None
    units = {u.id for u in session.units}
    n: dict[str, int] = {}
    g: dict[str, float] = {}
    for c in session.of_rater(rater):
        if c.segment_id in units:
            n[c.code] = n.get(c.code, 0) + 1
        elif c.segment_id is None and c.value is not None:
            g[c.code] = c.value

    def count(k: str) -> int:
        return n.get(k, 0)
    refl = count("simple_reflection") + count("complex_reflection")
    ques = count("open_question") + count("closed_question")

    def mean(a: str, b: str) -> tuple[float | None, str]:
        if a in g and b in g:
            return (g[a] + g[b]) / 2, ""
        return None, f"needs both globals {a} and {b}"
    rel, rel_why = mean("partnership", "empathy")
    tech, tech_why = mean("cultivating_change_talk", "softening_sustain_talk")
    values = {
        "rq_ratio": (refl / ques if ques else None, "" if ques else "no questions coded"),
        "pct_complex": (count("complex_reflection") / refl if refl else None,
                        "" if refl else "no reflections coded"),
        "relational": (rel, rel_why), "technical": (tech, tech_why)}
    scores = tuple(Score(k, LABELS[k], v, *THRESHOLDS[k], why) for k, (v, why) in values.items())
    return MIScores(tuple(sorted(n.items())), scores,
                    count("affirm") + count("seeking_collaboration") + count("emphasizing_autonomy"),
                    count("confront") + count("persuade"))
