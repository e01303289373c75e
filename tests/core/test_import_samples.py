"""Every sample in tests/data/format_samples gives exactly the turns a reader sees in it.

The expected values below were written by reading the sample files, not copied from output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.importers import parse_bytes, parse_file
from coder.model import ImportOptions

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "format_samples"

WHISPER = [
    ("", "How have you been sleeping since we last met?", 0, 4200),
    ("", "Not great. I keep waking up around three and I can't get back to sleep.", 4900, 9360),
    ("", "What usually goes through your mind when that happens?", 10100, 13000),
]
TC_TEXTS = [
    "Last week you mentioned feeling \u201cstuck\u201d at work. Where are you with that now?",
    "Still stuck, I think. My manager, Ren\u00e9, keeps changing the deadlines.",
    "Mm-hm.",
    "And I don't say anything \u2013 I just stay late.",
    "So part of you wants to push back, and part of you goes quiet.",
]
TC = [(s, t, None, None) for s, t in zip("TCTCT", TC_TEXTS)]
ROLES = [(s, t, None, None) for s, t in zip(
    ["Therapist", "Client", "Therapist", "Client", "Therapist"], TC_TEXTS)]
TABLE = [
    ("Therapist", "How has the week been since we last met?", 1200, 4800),
    ("Client", "Honestly kind of rough, I didn't sleep much.", 5400, 9000),
    ("Therapist", "It sounds like the nights have been hard.", 11600, 15900),
    ("Client", "Yeah, mostly because of the argument, I guess.", 16500, 18200),
]

EXPECTED = {
    "generic_speaker_prefix.srt": ("srt", "utf-8", [
        ("THERAPIST", "What would you like to focus on today?", 1000, 4500),
        ("CLIENT", "Probably the panic attacks. They came back this week.", 5100, 9800),
        ("THERAPIST", "Okay. Tell me about the first one.", 10250, 12000),
    ]),
    "otter_export.txt": ("otter", "utf-8", [
        ("Ana Ruiz", "Okay, let's get started. How did the breathing exercise go this week?",
         2000, None),
        ("Jordan Lee", "I tried it twice. The second time it actually helped a bit, I think.",
         9000, None),
        ("Ana Ruiz", "That's worth noticing. What was different the second time?", 16000, None),
        ("Jordan Lee", "I wasn't already panicking when I started.", 21000, None),
        ("Ana Ruiz", "We're almost at time, so let's plan for next week.", 3604000, None),
    ]),
    "plain_TC_labels_cp1252.txt": ("text", "cp1252", TC),
    "plain_TC_labels_utf8.txt": ("text", "utf-8", TC),
    "plain_role_labels_utf16le_bom_crlf.txt": ("text", "utf-16", ROLES),
    "plain_role_labels_utf8_bom_crlf.txt": ("text", "utf-8-sig", ROLES),
    "rev_style_transcript.txt": ("rev", "utf-8", [
        ("Speaker 1", "Alright, we're recording. Can you tell me what brought you in today?",
         0, None),
        ("Speaker 2", "Yeah. So, um, my doctor suggested it after my last checkup. "
                      "[inaudible 00:00:10] mostly stress.", 6000, None),
        ("Speaker 1", "Okay. And when you say stress, what does that look like day to day?",
         14000, None),
        ("Speaker 2", "I just feel like I'm always behind. [crosstalk 01:00:33]",
         3631000, None),
    ]),
    "teams_transcript.docx": ("docx", None, [
        ("Ana Ruiz", "Okay, so I think it's recording now. Let's start with the case from "
                     "last week.", 4000, None),
        ("Sam Okafor", "Sure. The client came back after two missed sessions.", 19000, None),
        ("Ana Ruiz", "How did you respond to the missed sessions?", 62000, None),
    ]),
    "teams_transcript.vtt": ("vtt", "utf-8", [
        ("Ana Ruiz (Clinic)", "Thanks for joining. Is the audio okay on your end?", 2150, 5870),
        ("Jordan Lee", "Yes, I can hear you fine.", 6300, 8040),
        ("Ana Ruiz (Clinic)", "Good. Last time we talked about the situation at work. "
                              "Where would you like to start today?", 8900, 15010),
    ]),
    "utterances.csv": ("csv", "utf-8", TABLE),
    "utterances.xlsx": ("xlsx", None, TABLE),
    "whisper_output.json": ("whisper-json", "utf-8", WHISPER),
    "whisper_output.srt": ("srt", "utf-8", WHISPER),
    "whisper_output.tsv": ("tsv", "utf-8", WHISPER),
    "whisper_output.txt": ("text", "utf-8", [(s, t, None, None) for s, t, _, _ in WHISPER]),
    "whisper_output.vtt": ("vtt", "utf-8", WHISPER),
    "zoom_cloud_transcript.vtt": ("vtt", "utf-8", [
        ("Dr. Ana Ruiz", "Okay, we're recording now. How has the week been since we last met?",
         1240, 4810),
        ("Client J.", "Um, honestly kind of rough. I didn't sleep much on Tuesday. "
                      "Or Wednesday.", 5390, 10150),
        ("Dr. Ana Ruiz", "It sounds like the nights have been hard. What was going through "
                         "your mind?", 11600, 15930),
        ("", "Mostly the argument with my sister, I guess.", 16480, 18200),
    ]),
}


def turns_of(parsed) -> list[tuple]:
    return [(t.speaker, t.text, t.start_ms, t.end_ms) for t in parsed.turns]


def test_every_sample_is_covered() -> None:
    samples = {p.name for p in SAMPLES.iterdir()} - {"codebook.qdc", "project.qdpx"}
    assert samples == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample(name: str) -> None:
    fmt, encoding, turns = EXPECTED[name]
    parsed = parse_file(SAMPLES / name)
    assert parsed.name == name
    assert parsed.format == fmt
    assert parsed.encoding == encoding
    assert turns_of(parsed) == turns


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parse_bytes_equals_parse_file(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    assert parse_bytes(data, name) == parse_file(SAMPLES / name)


def test_other_encodings_give_the_utf8_text() -> None:
    utf8 = turns_of(parse_file(SAMPLES / "plain_TC_labels_utf8.txt"))
    assert turns_of(parse_file(SAMPLES / "plain_TC_labels_cp1252.txt")) == utf8
    bom8 = turns_of(parse_file(SAMPLES / "plain_role_labels_utf8_bom_crlf.txt"))
    assert turns_of(parse_file(SAMPLES / "plain_role_labels_utf16le_bom_crlf.txt")) == bom8
    assert [t[1] for t in bom8] == [t[1] for t in utf8]


def test_zoom_line_numbers_and_warning() -> None:
    parsed = parse_file(SAMPLES / "zoom_cloud_transcript.vtt")
    assert [t.line for t in parsed.turns] == [3, 7, 15, 19]     # the cue's first line (its id)
    assert parsed.warnings == ("1 cue had no speaker name",
                               "1 cue joined to the same speaker's turn before (5 -> 4 turns); "
                               "keep them apart with --keep-split")


def test_zoom_without_merging_keeps_every_cue() -> None:
    parsed = parse_file(SAMPLES / "zoom_cloud_transcript.vtt",
                        ImportOptions(merge_consecutive=False))
    assert [(t.speaker, t.text, t.start_ms, t.end_ms) for t in parsed.turns[1:3]] == [
        ("Client J.", "Um, honestly kind of rough. I didn't sleep much on Tuesday.", 5390, 9020),
        ("Client J.", "Or Wednesday.", 9020, 10150),
    ]
    assert len(parsed.turns) == 5


def test_teams_vtt_without_merging() -> None:
    parsed = parse_file(SAMPLES / "teams_transcript.vtt", ImportOptions(merge_consecutive=False))
    assert turns_of(parsed)[2:] == [
        ("Ana Ruiz (Clinic)", "Good. Last time we talked about the situation at work.",
         8900, 13420),
        ("Ana Ruiz (Clinic)", "Where would you like to start today?", 13420, 15010),
    ]


def test_line_numbers_of_other_formats() -> None:
    assert [t.line for t in parse_file(SAMPLES / "otter_export.txt").turns] == [1, 4, 7, 10, 13]
    assert [t.line for t in parse_file(SAMPLES / "rev_style_transcript.txt").turns] == \
        [1, 4, 7, 10]
    assert [t.line for t in parse_file(SAMPLES / "utterances.csv").turns] == [2, 3, 4, 5]
    assert [t.line for t in parse_file(SAMPLES / "utterances.xlsx").turns] == [2, 3, 4, 5]
    # docx lines are paragraph numbers: the title, date and "started transcription" come first
    assert [t.line for t in parse_file(SAMPLES / "teams_transcript.docx").turns] == [4, 5, 6]
    assert [t.line for t in parse_file(SAMPLES / "generic_speaker_prefix.srt").turns] == \
        [1, 5, 10]


def test_clean_samples_have_no_warnings_but_merges_are_reported() -> None:
    for name in EXPECTED:
        if name != "zoom_cloud_transcript.vtt":
            warnings = parse_file(SAMPLES / name).warnings
            kept = parse_file(SAMPLES / name, ImportOptions(merge_consecutive=False)).turns
            turns = parse_file(SAMPLES / name).turns
            if len(kept) == len(turns):
                assert warnings == (), name
            else:                               # a merge is never silent
                assert warnings == (f"{len(kept) - len(turns)} cue"
                                    f"{'' if len(kept) - len(turns) == 1 else 's'} joined to "
                                    f"the same speaker's turn before ({len(kept)} -> "
                                    f"{len(turns)} turns); keep them apart with --keep-split",
                                    ), name
