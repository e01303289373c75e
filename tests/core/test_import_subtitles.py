"""WebVTT and SRT: timings, cue ids, NOTE/STYLE, voice tags, Zoom labels, broken timestamps."""

from __future__ import annotations

import pytest

from coder.errors import TranscriptFormatError
from coder.importers import parse_bytes
from coder.importers.timecodes import seconds_to_ms
from coder.model import ImportOptions

NO_MERGE = ImportOptions(merge_consecutive=False)


def parse(text: str, name: str = "s.vtt", options: ImportOptions = ImportOptions()):
    return parse_bytes(text.encode("utf-8"), name, options)


def rows(parsed) -> list[tuple]:
    return [(t.speaker, t.text, t.start_ms, t.end_ms) for t in parsed.turns]


def test_vtt_times_ids_notes_and_styles() -> None:
    text = ("WEBVTT - some title\nKind: captions\n\n"
            "STYLE\n::cue { color: yellow }\n\n"
            "NOTE this is\na comment\n\n"
            "intro\n01:02.5 --> 01:04.250 align:start position:10%\nFirst.\n\n"
            "42\n1:00:00.000 --> 1:00:01.001\nSecond\n  over two lines.\n\n"
            "NOTE\n\n"
            "00:00:59.9995 --> 00:01:00.000\n")
    with pytest.raises(TranscriptFormatError) as info:      # 4 fraction digits: broken
        parse(text)
    assert info.value.line == 21
    parsed = parse(text.rsplit("\n00:00:59.9995", 1)[0])
    assert rows(parsed) == [("", "First.", 62500, 64250),
                            ("", "Second over two lines.", 3600000, 3601001)]
    assert [t.line for t in parsed.turns] == [10, 14]


def test_vtt_voice_tags_and_other_tags() -> None:
    parsed = parse("WEBVTT\n\n"
                   "00:01.000 --> 00:02.000\n<v Ana Ruiz (Clinic)>Hello <i>there</i></v>\n\n"
                   "00:02.000 --> 00:03.000\n<v.loud Jordan>No <c.yellow>closing</c> tag\n\n"
                   "00:03.000 --> 00:04.000\n<v Ana Ruiz (Clinic)><00:03.500>Timed "
                   "<b>words</b> &amp; [NAME] &lt;3\n\n"
                   "00:04.000 --> 00:05.000\n<v Ana>Hi <v Bo>Hey</v>\n")
    assert rows(parsed) == [
        ("Ana Ruiz (Clinic)", "Hello there", 1000, 2000),
        ("Jordan", "No closing tag", 2000, 3000),
        ("Ana Ruiz (Clinic)", "Timed words & [NAME] <3", 3000, 4000),
        ("Ana", "Hi", 4000, 5000),
        ("Bo", "Hey", 4000, 5000),
    ]


def test_zoom_labels_and_unnamed_cues_never_merge() -> None:
    text = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nRuiz, Ana (Dr.): One.\n\n"
            "2\n00:00:02.000 --> 00:00:03.000\nRuiz, Ana (Dr.): Two.\n\n"
            "3\n00:00:03.000 --> 00:00:04.000\nUnnamed a.\n\n"
            "4\n00:00:04.000 --> 00:00:05.000\nUnnamed b.\n\n"
            "5\n00:00:05.000 --> 00:00:06.000\nM. Lee: At 10:30: yes.\n\n"
            "6\n00:00:06.000 --> 00:00:07.000\nM. Lee: Note: it rained.\n")
    assert rows(parse(text)) == [
        ("Ruiz, Ana (Dr.)", "One. Two.", 1000, 3000),
        ("", "Unnamed a.", 3000, 4000),
        ("", "Unnamed b.", 4000, 5000),
        ("M. Lee", "At 10:30: yes. Note: it rained.", 5000, 7000),
    ]
    assert parse(text).warnings == ("2 cues had no speaker name",
                                    "2 cues joined to the same speaker's turn before (6 -> 4 "
                                    "turns); keep them apart with --keep-split")
    assert len(parse(text, options=NO_MERGE).turns) == 6


@pytest.mark.parametrize("timing, line, column", [
    ("00:00:01.000 --> 00:00:0x.000", 6, 18),
    ("00:00:01.000 --> 00:61:00.000", 6, 18),
    ("00:00:01,000 -> 00:00:02.000", 6, None),
    ("00:00:01.000 -->", 6, None),
    ("00:00:01.000-->00:00:02.000", 6, None),
    ("00:00:01.00000 --> 00:00:02.000", 6, 1),
])
def test_broken_vtt_timestamp_names_its_line(timing: str, line: int, column: int | None) -> None:
    text = f"WEBVTT\n\n00:00.000 --> 00:01.000\nFine.\n\n{timing}\nBroken.\n"
    with pytest.raises(TranscriptFormatError) as info:
        parse(text)
    assert (info.value.file, info.value.line) == ("s.vtt", line)
    if column is not None:
        assert info.value.column == column
    assert str(info.value).startswith(f"s.vtt:{line}")


def test_broken_timestamp_after_a_cue_id() -> None:
    with pytest.raises(TranscriptFormatError) as info:
        parse("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nok\n\n2\n00:00:02.000 -> 00:00:03\nx\n")
    assert info.value.line == 8


def test_vtt_without_header_is_read_with_a_warning() -> None:
    parsed = parse("00:01.000 --> 00:02.000\nHello.\n")
    assert rows(parsed) == [("", "Hello.", 1000, 2000)]
    assert "WEBVTT" in parsed.warnings[0]


def test_vtt_cue_right_under_the_header() -> None:
    parsed = parse("WEBVTT\n00:01.000 --> 00:02.000\nHello.\n\n00:02.000 --> 00:03.000\nBye.\n")
    assert rows(parsed) == [("", "Hello.", 1000, 2000), ("", "Bye.", 2000, 3000)]
    assert parsed.warnings == ("there is no blank line after WEBVTT",)


def test_vtt_with_no_cues() -> None:
    with pytest.raises(TranscriptFormatError, match="no talk turns"):
        parse("WEBVTT\n\nNOTE nothing here\n")
    with pytest.raises(TranscriptFormatError, match="timing line") as info:
        parse("WEBVTT\n\nJust some text.\n")
    assert info.value.line == 3


def test_srt_multiline_prefix_and_tags() -> None:
    parsed = parse("1\n00:00:01,000 --> 00:00:02,500\n<i>THERAPIST:</i> {\\an8}Hi,\nthere.\n\n"
                   "2\n00:00:03,000 --> 00:00:04,000\nCLIENT: <font color=\"red\">Hello</font>.\n"
                   "\n\n3\n00:00:04,000 --> 00:00:05,000\nCLIENT: Again [NAME].\n", "s.srt")
    assert parsed.format == "srt"
    assert rows(parsed) == [("THERAPIST", "Hi, there.", 1000, 2500),
                            ("CLIENT", "Hello. Again [NAME].", 3000, 5000)]


def test_srt_broken_timestamp() -> None:
    with pytest.raises(TranscriptFormatError, match="broken") as info:
        parse("1\n00:00:01,000 --> 00:00:02,000\nA.\n\n2\n00:00:03;000 --> 00:00:04,000\nB.\n",
              "s.srt")
    assert (info.value.line, info.value.column) == (6, 1)
    with pytest.raises(TranscriptFormatError) as info:
        parse("1\n00:00:01,000 --> 00:00:02,000\nA.\n\n2\nB.\n", "s.srt")
    assert info.value.line == 6


def test_srt_stray_text_block_joins_the_cue_before() -> None:
    parsed = parse("1\n00:00:01,000 --> 00:00:02,000\nA.\n\nmore of A.\n", "s.srt")
    assert rows(parsed) == [("", "A. more of A.", 1000, 2000)]
    assert "outside any cue" in parsed.warnings[0]


def test_cue_ending_before_it_starts_is_a_warning() -> None:
    parsed = parse("WEBVTT\n\n00:05.000 --> 00:04.000\nOdd.\n")
    assert rows(parsed) == [("", "Odd.", 5000, 4000)]
    assert parsed.warnings == ("1 turn ends before it starts (line 3)",)


def test_every_timing_anomaly_is_counted_with_its_first_lines() -> None:
    """Before: only cues ending before they start were reported, and each on its own line;
    cues running backwards or overlapping were not mentioned at all."""
    cues = ["00:10.000 --> 00:09.000", "00:20.000 --> 00:19.000",   # end before start
            "00:30.000 --> 00:32.000", "00:05.000 --> 00:06.000",   # backwards
            "00:40.000 --> 00:45.000", "00:44.000 --> 00:46.000"]   # overlap
    cues += [f"01:{s:02d}.000 --> 01:{s + 3:02d}.000" for s in range(0, 40, 2)]  # 20 overlaps
    text = "WEBVTT\n\n" + "".join(f"{c}\nT: cue {i}.\n\n" for i, c in enumerate(cues))
    parsed = parse(text)
    lines = [3 + 3 * i for i in range(len(cues))]
    assert parsed.warnings == (
        f"2 turns end before they start (lines {lines[0]}, {lines[1]})",
        f"times run backwards: 1 turn starts before the turn above (line {lines[3]})",
        f"20 turns start before the turn above has ended (overlap; lines {lines[5]}, "
        f"{lines[7]}, {lines[8]}, {lines[9]}, {lines[10]} and 15 more)",
        # one speaker throughout: the split cues are joined, and that is said too
        f"{len(cues) - 1} cues joined to the same speaker's turn before ({len(cues)} -> 1 "
        "turns); keep them apart with --keep-split")


def test_voices_of_one_cue_are_not_an_overlap() -> None:
    parsed = parse("WEBVTT\n\n00:01.000 --> 00:04.000\n<v A>Hi.</v><v B>Hello.</v>\n")
    assert [t.speaker for t in parsed.turns] == ["A", "B"]
    assert parsed.warnings == ()


@pytest.mark.parametrize("seconds, ms", [
    ("0.0005", 1), ("0.0025", 3), ("0.0015", 2), ("1.2344", 1234), (4.2, 4200), (9.36, 9360),
    (0.1 + 0.2, 300), (13, 13000), ("2,5", 2500),
])
def test_round_half_up(seconds, ms: int) -> None:
    assert seconds_to_ms(seconds) == ms
