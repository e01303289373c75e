"""Discordance rules, trends and the advice rules on hand-built series."""

import pytest

from coder.analytics.advice import try_next, went_well
from coder.analytics.data import EpisodeSettings
from coder.analytics.discordance import discordance
from coder.analytics.measures import Measure, MeasureValue
from coder.analytics.session import session_feedback
from coder.analytics.trends import Series, trends

from feedback_helpers import book, session

SRS = Measure("SRS", 0, 40, alliance=True)
WORSE_LOW = Measure("Strain", 1, 7, higher_is_better=False, alliance=True)
OUTCOME = Measure("Outcome", 0, 40)


def rr(name, codes, values, measures=(SRS, OUTCOME)):
    s = session(book("rupture_repair"), 40, codes, name=name, dyad="D")
    vals = [MeasureValue(name, m, v) for m, v in values.items()]
    return session_feedback(s, "Ann", EpisodeSettings(), list(measures), vals)


def alliance(name, consistent_units, srs):
    s = session(book("alliance_safeness"), 20, {p: ["validation"] for p in consistent_units},
                name=name, dyad="D")
    return session_feedback(s, "Ann", EpisodeSettings(), [SRS],
                            [MeasureValue(name, "SRS", srs)] if srs is not None else [])


def test_rule_a_unresolved_episode_with_a_top_alliance_rating():
    unresolved = {3: ["wd_denial"]}
    flags = discordance([rr("s1", unresolved, {"SRS": 36})])     # 36 >= 40 - 4: top tenth
    assert [(f.rule, f.session, f.measure) for f in flags] == [("A", "s1", "SRS")]
    assert "1 unresolved episode(s)" in flags[0].text
    assert discordance([rr("s1", unresolved, {"SRS": 35.9})]) == []   # below the top tenth
    resolved = {3: ["wd_denial"], 4: ["rp_rationale"]}
    assert discordance([rr("s1", resolved, {"SRS": 40})]) == []       # nothing unresolved
    # a non-alliance measure at the top is not read
    assert discordance([rr("s1", unresolved, {"Outcome": 40})]) == []


def test_rule_a_respects_which_end_is_better():
    s = rr("s1", {3: ["wd_denial"]}, {"Strain": 1.5}, measures=(WORSE_LOW,))
    assert [f.rule for f in discordance([s])] == ["A"]                 # 1.5 is near the best end
    s = rr("s1", {3: ["wd_denial"]}, {"Strain": 6.5}, measures=(WORSE_LOW,))
    assert discordance([s]) == []


def test_rule_b_alliance_falls_while_adherence_rises():
    # adherence: consistent units per 10 minutes (20 one-minute units)
    s1 = alliance("s1", [2, 4], 38)          # 1.0 per 10 min
    s2 = alliance("s2", [2, 4, 6], 35)       # 1.5 (+50 %), SRS -3 of 40 (7.5 % of range)
    flags = discordance([s2, s1])            # order comes from the names
    assert [(f.rule, f.session) for f in flags] == [("B", "s2")]
    assert "s1 -> s2" in flags[0].text
    # a fall smaller than 5 % of the range is not flagged
    assert discordance([s1, alliance("s2", [2, 4, 6], 37)]) == []
    # adherence rising by less than 10 % is not flagged
    assert discordance([alliance("s1", list(range(2, 21, 2)), 38),
                        alliance("s2", list(range(2, 21, 2)), 30)]) == []
    # a missing rating breaks the comparison
    assert discordance([s1, alliance("s2", [2, 4, 6], None)]) == []


def test_trends_order_slope_and_variability():
    fbs = [alliance("session10", [2, 4, 6, 8], 30), alliance("session2", [2, 4], 36),
           alliance("session1", [2], 38)]
    t = trends(fbs)
    assert t.sessions == ("session1", "session2", "session10") and t.dyad == "D"
    adherence = next(f for f in t.figures if f.label.startswith("Adherence"))
    assert adherence.values == pytest.approx((0.5, 1.0, 2.0))
    assert adherence.slope == pytest.approx(0.75)       # least squares over 0, 1, 2
    srs = t.measures[0]
    assert srs.values == (38, 36, 30) and srs.slope == pytest.approx(-4.0)
    group = next(g for g in t.groups if g.label.startswith("Model-consistent"))
    assert group.variability == pytest.approx(0.7637626, rel=1e-6)   # SD of 0.5, 1, 2
    assert Series("x", (1.0, None)).slope is None and Series("x", (1.0,)).variability is None


def test_advice_rules_fire_on_their_conditions():
    fb = rr("s1", {3: ["wd_denial"], 4: ["rp_invite_relationship"], 21: ["cf_object_tasks"],
                   24: ["rp_redirect"], 26: ["cf_reject_intervention"]}, {"SRS": 39})
    well = {a.rule for a in went_well(fb)}
    assert well == {"W1", "W2", "W5"}
    nxt = try_next(fb, discordance([fb]))
    assert [a.rule for a in nxt] == ["T1", "T5"]
    assert "unit 21" in nxt[0].text and "unit 21 text" in nxt[0].text
    only_indirect = rr("s1", {3: ["wd_denial"], 4: ["rp_redirect"]}, {})
    assert "T2" in {a.rule for a in try_next(only_indirect)}
    a = alliance("s1", [2], None)
    a_incons = session_feedback(
        session(book("alliance_safeness"), 20, {2: ["pressure"], 4: ["validation"]}),
        "Ann", EpisodeSettings())
    assert "T3" in {x.rule for x in try_next(a_incons)}
    assert "W3" in {x.rule for x in went_well(a)}
