"""Adherence profile counts and MI summary scores on hand-computed cases."""

import pytest

from coder.analytics.mi import mi_scores
from coder.analytics.profile import adherence_profile

from feedback_helpers import book, session


def test_profile_counts_by_group_role_and_time():
    cb = book("alliance_safeness")
    # 20 one-minute units (odd: client, even: therapist); 20 minutes -> two 10-minute bins
    s = session(cb, 20, {2: ["bond_warmth", "validation"], 4: ["validation"],
                         12: ["goal_alignment"], 14: ["rigid_persistence"], 16: ["pressure"],
                         18: ["pressure", "invalidating"]},
                globals_={"alliance_quality": 4, "adherence_extent": 3})
    p = adherence_profile(s, "Ann")
    assert p.units == 20 and dict(p.units_by_role) == {"therapist": 10, "client": 10}
    assert p.minutes == 20
    consistent, inconsistent = p.group("consistent"), p.group("inconsistent")
    assert consistent.units == 3                    # unit 2 counts once for the group
    assert consistent.counts_as == "consistent" and inconsistent.counts_as == "inconsistent"
    assert dict(consistent.by_role) == {"therapist": 3}
    assert consistent.share == pytest.approx(3 / 10)  # of the therapist units
    assert consistent.per_10min == pytest.approx(1.5)
    assert consistent.bins == (2, 1)                  # units 2, 4 | 12
    assert inconsistent.units == 3 and inconsistent.bins == (0, 3)
    assert dict(p.codes) == {"bond_warmth": 1, "validation": 2, "goal_alignment": 1,
                             "rigid_persistence": 1, "invalidating": 1, "pressure": 2}
    assert (p.consistent, p.inconsistent, p.consistent_share) == (3, 3, 0.5)
    assert [(g.code, g.value, g.min, g.max) for g in p.globals] == [
        ("alliance_quality", 4, 1, 5), ("adherence_extent", 3, 0, 4)]


def test_profile_without_times_has_no_rates_per_10_minutes():
    s = session(book("alliance_safeness"), 6, {2: ["validation"]}, unit_ms=None)
    p = adherence_profile(s, "Ann")
    assert p.minutes is None and p.group("consistent").per_10min is None
    assert p.group("consistent").share == pytest.approx(1 / 3)


def test_mi_scores_hand_computed():
    cb = book("mi_behaviour")
    t = {2: "open_question", 4: "open_question", 6: "closed_question", 8: "closed_question",
         10: "simple_reflection", 12: "simple_reflection", 14: "simple_reflection",
         16: "complex_reflection", 18: "complex_reflection", 20: "complex_reflection",
         22: "affirm", 24: "seeking_collaboration", 26: "confront", 28: "persuade",
         30: "persuade_with_permission"}
    s = session(cb, 30, {p: [c] for p, c in t.items()},
                globals_={"partnership": 4, "empathy": 3, "cultivating_change_talk": 3,
                          "softening_sustain_talk": 3})
    mi = mi_scores(s, "Ann")
    # R:Q = (3 + 3) / (2 + 2) = 1.5; %CR = 3 / 6; relational (4 + 3) / 2; technical 3
    assert mi.score("rq_ratio").value == pytest.approx(1.5)
    assert mi.score("rq_ratio").band == "fair"
    assert mi.score("pct_complex").value == pytest.approx(0.5)
    assert mi.score("pct_complex").band == "good"
    assert mi.score("relational").value == pytest.approx(3.5)
    assert mi.score("relational").band == "fair"
    assert mi.score("technical").value == pytest.approx(3.0)
    assert mi.score("technical").band == "below fair"
    assert (mi.adherent, mi.non_adherent) == (2, 2)
    assert "Moyers et al. 2016" in mi.source and "MITI 4.2.1" in mi.source


def test_mi_scores_say_why_they_cannot_be_computed():
    mi = mi_scores(session(book("mi_behaviour"), 4, {}), "Ann")
    assert mi.score("rq_ratio").value is None and mi.score("rq_ratio").band == "not computable"
    assert "no questions" in mi.score("rq_ratio").why_missing
    assert "partnership" in mi.score("relational").why_missing
    assert mi_scores(session(book("alliance_safeness"), 4, {}), "Ann") is None
