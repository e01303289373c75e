"""Everything the feedback shows about one session from one rater's view, in one value."""

from __future__ import annotations

from dataclasses import dataclass

from .data import EpisodeSettings, SessionData
from .episodes import EpisodeSummary, session_episodes
from .measures import Measure, MeasureValue
from .mi import MIScores, mi_scores
from .profile import Profile, adherence_profile


@dataclass(frozen=True)
class SessionFeedback:
    session: SessionData
    rater: str
    settings: EpisodeSettings
    episodes: EpisodeSummary
    profile: Profile
    mi: MIScores | None
    measures: tuple[tuple[Measure, float | None], ...]   # every defined measure, value or None

    @property
    def name(self) -> str:
        return self.session.name

    @property
    def adherence(self) -> float | None:
        """The series' adherence figure: model-consistent units per 10 minutes, or (no times)
        per 100 units; None when the codebook marks no consistent moves."""
        if not any(g.counts_as == "consistent" for g in self.profile.groups):
            return None
        if self.profile.minutes:
            return self.profile.consistent / self.profile.minutes * 10
        return self.profile.consistent / self.profile.units * 100 if self.profile.units else None

    def measure(self, name: str) -> float | None:
        for m, v in self.measures:
            if m.name == name:
                return v
        return None


def session_feedback(session: SessionData, rater: str, settings: EpisodeSettings,
                     measures: list[Measure] = (), values: list[MeasureValue] = ()
                     ) -> SessionFeedback:
    mine = {v.measure: v.value for v in values if v.transcript == session.name}
    return SessionFeedback(session, rater, settings, session_episodes(session, rater, settings),
                           adherence_profile(session, rater), mi_scores(session, rater),
                           tuple((m, mine.get(m.name)) for m in measures))
