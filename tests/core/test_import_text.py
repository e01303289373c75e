"""Plain-text transcripts: labels and false speakers, continuation lines, Otter, Rev, merging."""

from __future__ import annotations

import pytest

from coder.errors import TranscriptFormatError
from coder.importers import merge_consecutive, parse_bytes
from coder.importers.labels import is_known_role, split_label
from coder.model import ImportOptions, ParsedTurn

NO_MERGE = ImportOptions(merge_consecutive=False)


def parse(text: str, options: ImportOptions = ImportOptions(), name: str = "s.txt"):
    return parse_bytes(text.encode("utf-8"), name, options)


def pairs(parsed) -> list[tuple[str, str]]:
    return [(t.speaker, t.text) for t in parsed.turns]


# ---- what counts as a label -------------------------------------------------------------

@pytest.mark.parametrize("line, label", [
    ("T: hello", "T"),
    ("Therapist: hello", "Therapist"),
    ("THERAPIST: hello", "THERAPIST"),
    ("Speaker 1: hello", "Speaker 1"),
    ("Dr. Ana Ruiz: hello", "Dr. Ana Ruiz"),
    ("Ana Ruiz (Clinic): hello", "Ana Ruiz (Clinic)"),
    ("Dr. Ana María Ruiz (Clinic, Room 2): hi", "Dr. Ana María Ruiz (Clinic, Room 2)"),
    ("Ruiz, Ana: hello", "Ruiz, Ana"),
    ("Client J.: hello", "Client J."),
    ("[NAME]: hello", "[NAME]"),
    ("t: lower-case role", "t"),
    ("C:", "C"),
    ("Dr. Page: hello", "Dr. Page"),
    ("Speaker 10 : spaced colon", "Speaker 10"),
])
def test_labels(line: str, label: str) -> None:
    assert split_label(line)[0] == label


@pytest.mark.parametrize("line", [
    "Note: she was late.",
    "NB: check the recording.",
    "N.B.: check the recording.",
    "PS: also this",
    "Transcriber's note: inaudible",
    "http://example.org is the link",
    "https: //odd spacing",
    "10:30 we started",
    "At 10:30: she called",
    "at 10:30: she called",
    "We met at 10:30.",
    "So what I really wanted to say was: no",       # more than four words
    "and then: nothing",                           # starts lower case
    "Why? Because: reasons",                       # sentence punctuation
    "A" * 41 + ": too long",
    "Date: 12 March",
    "Session: 3",
    "Session 3: intake",
    "E.g.: this",
    "12: twelve",
    "Time:10:30",                                  # no space after the colon
])
def test_not_labels(line: str) -> None:
    assert split_label(line) is None


def test_known_roles() -> None:
    assert all(is_known_role(x) for x in ["T", "c", "Therapist", "CLIENT", "Speaker 2", "P1"])
    assert not is_known_role("Remember")


# ---- plain text transcripts ----------------------------------------------------------------

def test_unlabelled_lines_continue_the_previous_turn() -> None:
    parsed = parse("T: So tell me\n   more about it.\n\nC: Well,\nit started\tin May.\n")
    assert pairs(parsed) == [("T", "So tell me more about it."),
                             ("C", "Well, it started\tin May.")]
    assert [t.line for t in parsed.turns] == [1, 4]
    assert parsed.format == "text" and parsed.warnings == ()


def test_false_speakers_stay_in_the_text() -> None:
    parsed = parse("T: When did it happen?\n"
                   "C: At 10:30: I was at work.\n"
                   "10:30 is when it always starts.\n"
                   "Note: client looked away.\n"
                   "http://example.org was the page.\n"
                   "T: I see.\n")
    assert pairs(parsed) == [
        ("T", "When did it happen?"),
        ("C", "At 10:30: I was at work. 10:30 is when it always starts. Note: client looked "
              "away. http://example.org was the page."),
        ("T", "I see."),
    ]


def test_one_off_label_in_a_consistent_transcript_is_text() -> None:
    parsed = parse("Therapist: How was the week?\n"
                   "Client: Hard. My boss said one thing to me.\n"
                   "Remember: you are replaceable.\n"
                   "Therapist: That sounds painful.\n"
                   "Client: It was.\n")
    assert pairs(parsed) == [
        ("Therapist", "How was the week?"),
        ("Client", "Hard. My boss said one thing to me. Remember: you are replaceable."),
        ("Therapist", "That sounds painful."),
        ("Client", "It was."),
    ]
    assert parsed.warnings == ("line 3: 'Remember' looks like a speaker label but occurs only "
                               "once, so it was kept as text",)


def test_labels_seen_twice_win_even_when_unknown() -> None:
    parsed = parse("Ana: Hi.\nJordan: Hello.\nAna: Shall we start?\nJordan: Sure.\n")
    assert [t.speaker for t in parsed.turns] == ["Ana", "Jordan", "Ana", "Jordan"]


def test_one_off_names_accepted_when_they_start_most_lines() -> None:
    parsed = parse("Ana: Hi.\nJordan: Hello, how are you?\n")
    assert pairs(parsed) == [("Ana", "Hi."), ("Jordan", "Hello, how are you?")]


def test_one_colon_phrase_in_bare_lines_is_not_a_speaker() -> None:
    parsed = parse("I slept badly.\nHere's the thing: I worry.\nThen it passed.\nMostly.\n")
    assert pairs(parsed) == [("", "I slept badly."), ("", "Here's the thing: I worry."),
                             ("", "Then it passed."), ("", "Mostly.")]


def test_text_before_the_first_label() -> None:
    parsed = parse("Session 4, recorded 3 March\nT: Hello.\nC: Hi.\n")
    assert pairs(parsed) == [("", "Session 4, recorded 3 March"), ("T", "Hello."), ("C", "Hi.")]
    assert "imported with no speaker" in parsed.warnings[0]


def test_label_alone_on_its_line() -> None:
    assert pairs(parse("T:\nHow are you?\nC:\nFine.\n")) == [("T", "How are you?"),
                                                             ("C", "Fine.")]


def test_deidentification_tags_pass_through() -> None:
    parsed = parse("T: Did [NAME] call you from [PLACE]?\nC: [NAME] did. [inaudible]\n")
    assert pairs(parsed) == [("T", "Did [NAME] call you from [PLACE]?"),
                             ("C", "[NAME] did. [inaudible]")]


def test_merge_on_and_off() -> None:
    text = "T: One.\nT: Two.\nC: Three.\nT: Four.\n"
    assert pairs(parse(text)) == [("T", "One. Two."), ("C", "Three."), ("T", "Four.")]
    merged = parse(text).turns[0]
    assert merged.line == 1
    assert pairs(parse(text, NO_MERGE)) == [("T", "One."), ("T", "Two."), ("C", "Three."),
                                            ("T", "Four.")]


def test_bare_lines_never_merge() -> None:
    assert len(parse("one\ntwo\nthree\n").turns) == 3


# ---- Otter and Rev -------------------------------------------------------------------------

def test_otter_footer_and_hours() -> None:
    parsed = parse("Speaker 1  0:00\nHello there.\nSecond line.\n\nSpeaker 2  1:02:03  \nHi.\n"
                   "\nTranscribed by https://otter.ai\n")
    assert parsed.format == "otter"
    assert [(t.speaker, t.text, t.start_ms) for t in parsed.turns] == [
        ("Speaker 1", "Hello there. Second line.", 0),
        ("Speaker 2", "Hi.", 3723000),
    ]


def test_otter_broken_time_names_the_line() -> None:
    with pytest.raises(TranscriptFormatError, match="broken time") as info:
        parse("Ana Ruiz  0:02\nHi.\n\nJordan Lee  0:75\nHello.\n")
    assert info.value.line == 4


def test_rev_speech_on_the_header_line() -> None:
    parsed = parse("Speaker 1 (00:05): Hello.\nSpeaker 2 (01:10): Hi.\nStill me.\n")
    assert parsed.format == "rev"
    assert [(t.speaker, t.text, t.start_ms) for t in parsed.turns] == [
        ("Speaker 1", "Hello.", 5000), ("Speaker 2", "Hi. Still me.", 70000)]


def test_rev_without_merging_keeps_consecutive_headers() -> None:
    parsed = parse("Ana (00:01):\nOne.\nAna (00:04):\nTwo.\n", NO_MERGE)
    assert [(t.text, t.start_ms) for t in parsed.turns] == [("One.", 1000), ("Two.", 4000)]
    merged = parse("Ana (00:01):\nOne.\nAna (00:04):\nTwo.\n")
    assert [(t.text, t.start_ms, t.end_ms) for t in merged.turns] == [("One. Two.", 1000, None)]


# ---- the shared merge ----------------------------------------------------------------------

def test_merge_consecutive_rules() -> None:
    turns = [ParsedTurn("A", "one", 0, 100, 1), ParsedTurn("A", "two", 150, 300, 2),
             ParsedTurn("", "x", 300, 400, 3), ParsedTurn("", "y", 400, 500, 4),
             ParsedTurn("A", "three", 500, None, 5), ParsedTurn("A", "four", None, None, 6),
             ParsedTurn("B", "five", None, None, 7)]
    assert merge_consecutive(turns) == [
        ParsedTurn("A", "one two", 0, 300, 1),
        ParsedTurn("", "x", 300, 400, 3), ParsedTurn("", "y", 400, 500, 4),
        ParsedTurn("A", "three four", 500, None, 5),
        ParsedTurn("B", "five", None, None, 7),
    ]
