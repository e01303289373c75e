"""Where the sample sessions show each rupture & repair code: the reference coding of the
sample project, read off the author's notes in `sample_transcripts/README.md`.

The notes say where each marker and repair was *written* to be seen; the sample's raters start
from this reference and depart from it the way trained raters do (see `sample_raters.py`).
Turn numbers are turn positions (the unit of coding in the sample). A range may span both
speakers: a code is kept only on the units in its scope (client markers on client turns,
repairs on therapist turns). Session 04's notes count SRT cues; from cue 31 on, turn = cue - 1,
already applied here.
"""

from __future__ import annotations


def _r(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


#: code id -> turn positions, per transcript file name.
PRESENCE: dict[str, dict[str, tuple[int, ...]]] = {
    "session01_full_length.vtt": {
        "wd_minimal_response": (*_r(12, 14), 20, 166, 172, 180, 192, 194),
        "wd_denial": (16, 18, 20, 46),
        "wd_topic_shift": (*_r(22, 30), 312, 314),
        "wd_appeasing": (34, 36, 186, 190, 208),
        "wd_self_criticism": (40, 224),
        "cf_complaint_therapist": (198, 200),
        "cf_object_tasks": (188, 200, 202, 222),
        "cf_reject_intervention": (176, 184, 206),
        "cf_object_progress": (206, 222),
        "cf_defending_self": (204, 216),
        "rp_clarify_misunderstanding": (49, 261, 263),
        "rp_acknowledge_contribution": (51, 53, 211, 213, 253),
        "rp_invite_relationship": (55, 57, 61, 209, 215, 235, 237),
        "rp_validate_defensive": (63, 65),
        "rp_rationale": (227, 229),
        "rp_change_task_goal": (231, 279),
        "rp_link_session": (241, 243, 265, 267),
        "rp_link_life": (247, 249, 269, 317, 319),
        "rp_disclose_experience": (251,),
        "rp_redirect": (315,),
    },
    "session02_teams.docx": {
        "cf_defending_self": (10, 12, 58),
        "cf_reject_intervention": (46, 60),
        "wd_minimal_response": (56, 62),
        "rp_acknowledge_contribution": (59, 109),
        "rp_validate_defensive": (61,),
        "rp_invite_relationship": (107,),
    },
    "session03_tc_labels.txt": {
        "wd_content_affect_split": (6, 8, 10, 12, 16),
        "wd_abstract_talk": (18, *_r(20, 30)),
        "wd_appeasing": (34, 52),
        "wd_denial": (40,),
        "wd_self_criticism": (42, 44, 46, 48, 50, 56),
        "rp_acknowledge_contribution": (35, 37, 61),
        "rp_invite_relationship": (31, 33, 39, 53, 57, 103, 107),
        "rp_validate_defensive": (47, 49),
        "rp_disclose_experience": (59,),
        "rp_link_session": (75, 77),
        "rp_link_life": (81, 83, 85, 87),
    },
    "session04_roles.srt": {
        "cf_object_parameters": (4, 6, 8, 10, 44, 48),
        "cf_object_tasks": (10,),
        "cf_control_pressure": (10, 12, 70),
        "cf_reject_intervention": (14, 22),
        "cf_defending_self": (16, 18),
        "wd_denial": (8, 12),
        "rp_validate_defensive": (19, 21),
        "rp_acknowledge_contribution": (23, 25, 27),
        "rp_rationale": (39, 41, 45, 53, 55),
        "rp_link_life": (49,),
        "rp_change_task_goal": (61, 63),
        "rp_invite_relationship": (91, 93),
    },
}

#: Window ratings (5-minute windows, in order): rupture significance for every window,
#: resolution impact only where a rupture was seen (None: left unrated).
WINDOWS: dict[str, dict[str, tuple[int | None, ...]]] = {
    "session01_full_length.vtt": {
        "rupture_significance": (4, 2, 1, 2, 5, 3, 1, 2, 1, 1),
        "resolution_impact": (3, 5, None, 2, 3, 5, None, 4, None, None),
    },
    "session02_teams.docx": {
        "rupture_significance": (1, 3, 2, 1),
        "resolution_impact": (None, 2, 4, None),
    },
    "session04_roles.srt": {
        "rupture_significance": (5, 3, 2, 1),
        "resolution_impact": (3, 4, 5, None),
    },
}

#: Session globals: therapist contribution to ruptures, extent of resolution.
GLOBALS: dict[str, dict[str, int]] = {
    "session01_full_length.vtt": {"therapist_contribution": 4, "extent_of_resolution": 4},
    "session02_teams.docx": {"therapist_contribution": 3, "extent_of_resolution": 4},
    "session03_tc_labels.txt": {"therapist_contribution": 2, "extent_of_resolution": 4},
    "session04_roles.srt": {"therapist_contribution": 2, "extent_of_resolution": 5},
}

#: The supervisor's notes on the codings that teach most (our own words).
NOTES: dict[tuple[str, int, str], str] = {
    ("session01_full_length.vtt", 16, "wd_denial"):
        "Denial right after the therapist brings up last session: the withdrawal starts here.",
    ("session01_full_length.vtt", 49, "rp_clarify_misunderstanding"):
        "Says what the glance at the clock meant, without defending it.",
    ("session01_full_length.vtt", 198, "cf_complaint_therapist"):
        "The confrontation opens; the rigid push on the letter (from turn 165) set it up.",
    ("session01_full_length.vtt", 213, "rp_acknowledge_contribution"):
        "Owns the part her attachment to the plan played. A clean repair move.",
    ("session03_tc_labels.txt", 20, "wd_abstract_talk"):
        "Statistics in place of the loss. The therapist joins in at 23 and 25.",
    ("session03_tc_labels.txt", 35, "rp_acknowledge_contribution"):
        "Names her own part in the distance before asking the client about hers.",
    ("session04_roles.srt", 12, "cf_control_pressure"):
        "'Yes or no': pressure on the therapist, inside an objection to the fee.",
    ("session04_roles.srt", 27, "rp_acknowledge_contribution"):
        "Takes the automatic invoice as her own doing, then applies the exception.",
}

#: Code pairs raters confuse (their definitions border on each other): the sample's
#: codes with poor agreement.
CONFUSED = {
    "wd_abstract_talk": "wd_content_affect_split",
    "wd_content_affect_split": "wd_abstract_talk",
    "rp_link_session": "rp_link_life",
    "rp_link_life": "rp_link_session",
}
