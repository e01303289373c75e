"""Units raters code: turns, spaCy sentences (offsets into the turn), time windows."""

import pytest

from coder.errors import TranscriptFormatError
from coder.model import ParsedTurn, SegmentationOptions
from coder.jobs import Cancelled
from coder.segmentation import segment, sentence_pipeline, windows


def test_turn_units_cover_each_turn_and_add_windows_when_timed():
    turns = [ParsedTurn("T", "Hi.", 0, 1000), ParsedTurn("C", "Hello there.", 1500, 3000)]
    units = segment(turns, SegmentationOptions("turn", 1))
    assert [(u.kind, u.turn_index, u.char_start, u.char_end) for u in units] == [
        ("turn", 0, 0, 3), ("turn", 1, 0, 12), ("window", None, None, None)]


def test_untimed_transcript_has_no_windows_and_refuses_window_unit():
    turns = [ParsedTurn("T", "Hi."), ParsedTurn("C", "Hello.")]
    assert [u.kind for u in segment(turns, SegmentationOptions("turn"))] == ["turn", "turn"]
    with pytest.raises(TranscriptFormatError, match="window units need a timed transcript"):
        segment(turns, SegmentationOptions("window"), name="x.txt")


def test_sentences_keep_code_point_offsets_into_their_turn():
    # An ellipsis is a trailing-off, not a sentence end, for spaCy's sentencizer.
    text = "Zoë said “fine” 🙂. Did it help? Not really… [NAME] left at 10:30."
    turns = [ParsedTurn("C", text, 1000, 9000), ParsedTurn("T", "Mm-hm.", 9500, 9900)]
    units = [u for u in segment(turns, SegmentationOptions("sentence")) if u.kind == "sentence"]
    pieces = [turns[u.turn_index].text[u.char_start:u.char_end] for u in units]
    assert pieces == ["Zoë said “fine” 🙂.", "Did it help?",
                      "Not really… [NAME] left at 10:30.", "Mm-hm."]
    assert all((u.start_ms, u.end_ms) == (turns[u.turn_index].start_ms,
                                          turns[u.turn_index].end_ms) for u in units)


def test_sentence_pipeline_is_blank_english_without_a_model():
    nlp, description = sentence_pipeline()
    assert "sentencizer" in nlp.pipe_names or "installed pipeline" in description
    assert description.startswith("spaCy")


def test_windows_hold_turns_by_start_time_and_cover_the_session():
    turns = [ParsedTurn("T", "a", 0, 1000), ParsedTurn("C", "b", 299_999, 301_000),
             ParsedTurn("T", "c", 300_000, 302_000), ParsedTurn("C", "d", 900_500, 905_000)]
    ws = windows(turns, 5)
    assert [(w.start_ms, w.end_ms, w.first_turn, w.last_turn) for w in ws] == [
        (0, 300_000, 0, 1), (300_000, 600_000, 2, 2), (600_000, 900_000, None, None),
        (900_000, 905_000, 3, 3)]


def test_window_length_is_configurable():
    turns = [ParsedTurn("T", str(i), i * 60_000, i * 60_000 + 5000) for i in range(50)]
    assert len(windows(turns, 20)) == 3
    assert len(windows(turns, 2.5)) == 20


def test_cancel_stops_sentence_segmentation():
    turns = [ParsedTurn("T", "One. Two.")] * 500
    with pytest.raises(Cancelled):
        segment(turns, SegmentationOptions("sentence"), cancel=lambda: True)


def test_progress_reaches_the_end():
    seen = []
    turns = [ParsedTurn("T", "One. Two.")] * 250
    segment(turns, SegmentationOptions("sentence"), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (250, 250)
