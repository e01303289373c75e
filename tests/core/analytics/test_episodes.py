"""The episode rule on hand-built sequences (coder/analytics/episodes.py states the rule)."""

from coder.analytics.data import EpisodeSettings
from coder.analytics.episodes import UnitMarks, find_episodes, rule_text, session_episodes

from feedback_helpers import book, session

W, C = ("wd_denial", "withdrawal"), ("cf_complaint_therapist", "confrontation")
D, I = ("rp_rationale", "repair_direct"), ("rp_redirect", "repair_indirect")
S = EpisodeSettings(join_units=10, resolve_units=5)


def marks(spec: dict[int, tuple], times=True):
    out = []
    for pos, items in sorted(spec.items()):
        out.append(UnitMarks(pos, pos * 30_000 if times else None,
                             tuple(x for x in items if x[1] in ("withdrawal", "confrontation")),
                             tuple(x for x in items if x[1].startswith("repair"))))
    return out


def test_resolved_episode_with_latency():
    [e] = find_episodes(marks({3: (W,), 6: (D,)}), S)
    assert (e.marker_units, e.repair_units, e.resolved) == ((3,), (6,), True)
    assert (e.type, e.latency_units, e.latency_s, e.strategies) == \
        ("withdrawal", 3, 90.0, ("rp_rationale",))
    assert (e.direct, e.indirect) == (1, 0)


def test_unresolved_without_repair():
    [e] = find_episodes(marks({3: (C,)}), S)
    assert not e.resolved and e.first_repair is None and e.latency_units is None
    assert e.type == "confrontation"


def test_marker_inside_the_window_joins_and_sets_type_both():
    [e] = find_episodes(marks({3: (W,), 13: (C,), 20: (I,)}), S)
    assert e.marker_units == (3, 13) and e.type == "both"
    # repairs belong up to N units after the LAST marker: 20 <= 13 + 10
    assert e.repair_units == (20,) and e.resolved and e.latency_units == 17


def test_marker_beyond_n_opens_a_new_episode():
    eps = find_episodes(marks({3: (W,), 14: (W,)}), S)
    assert [x.marker_units for x in eps] == [(3,), (14,)]


def test_repair_followed_by_a_new_marker_inside_m_is_unresolved():
    # 1 marker, 9 repair, 14 new marker (14 > 1 + 10: a new episode; 14 <= 9 + 5)
    first, second = find_episodes(marks({1: (W,), 9: (D,), 14: (W,)}), S)
    assert first.repair_units == (9,) and not first.resolved
    assert second.marker_units == (14,) and not second.resolved
    # the same marker one unit later (15 > 9 + 5) leaves the first episode resolved
    first, _ = find_episodes(marks({1: (W,), 9: (D,), 15: (W,)}), S)
    assert first.resolved


def test_overlapping_episodes_share_a_repair():
    # episode 1 opens at 2 and is joined at 10; episode 2 opens at 14 (> 2 + 10);
    # the repair at 16 is within 10 of both last markers: it belongs to both
    first, second = find_episodes(marks({2: (W,), 10: (W,), 14: (C,), 16: (I,)}), S)
    assert first.repair_units == (16,) == second.repair_units
    assert first.end >= second.first_marker          # the spans overlap
    assert first.resolved and second.resolved


def test_at_session_end():
    # a marker at the last unit: no repair can follow -> unresolved
    eps = find_episodes(marks({30: (W,)}), S)
    assert not eps[0].resolved
    # a repair near the end is judged on the units that remain (none carry a marker)
    eps = find_episodes(marks({27: (W,), 29: (D,)}), S)
    assert eps[0].resolved


def test_repairs_before_the_first_marker_do_not_count():
    [e] = find_episodes(marks({2: (D,), 5: (W,)}), S)
    assert e.repair_units == () and not e.resolved


def test_settings_change_the_windows():
    spec = {1: (W,), 9: (D,), 14: (W,)}
    first = find_episodes(marks(spec), EpisodeSettings(join_units=15, resolve_units=5))
    assert len(first) == 1 and first[0].marker_units == (1, 14)      # joined with N = 15
    assert not first[0].resolved                                     # 14 is within M of 9
    assert "N = 15, M = 5" in rule_text(EpisodeSettings(15, 5))


def test_no_times_gives_no_seconds():
    [e] = find_episodes(marks({3: (W,), 6: (D,)}, times=False), S)
    assert e.latency_units == 3 and e.latency_s is None


def test_from_codings_with_the_shipped_codebook_and_summary():
    cb = book("rupture_repair")
    s = session(cb, 40, {3: ["wd_denial", "wd_minimal_response"], 4: ["rp_invite_relationship"],
                         6: ["rp_redirect"], 21: ["cf_object_tasks"], 35: ["wd_topic_shift"],
                         36: ["rp_link_life"]})
    summary = session_episodes(s, "Ann", S)
    assert [e.marker_units for e in summary.episodes] == [(3,), (21,), (35,)]
    e1, e2, e3 = summary.episodes
    assert e1.strategies == ("rp_invite_relationship", "rp_redirect") and e1.resolved
    assert e1.marker_codes == ("wd_denial", "wd_minimal_response")
    assert not e2.resolved and e3.resolved
    assert (summary.count, summary.resolved, summary.withdrawal, summary.confrontation) == \
        (3, 2, 2, 1)
    assert summary.resolved_share == 2 / 3 and summary.median_latency_units == 1
    assert summary.median_latency_s == 60.0
    assert (summary.direct, summary.indirect) == (1, 2)
    # another rater's codings are not mixed in
    assert session_episodes(s, "Bob", S).count == 0
