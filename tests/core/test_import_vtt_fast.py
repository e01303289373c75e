"""The quick paths of the WebVTT reader (plain timing lines, cues with one leading voice tag
or none) give exactly what the general paths give, on generated cues with and without the
things that send a cue to the general path (entities, several tags, marks, odd stamps)."""

import random

import pytest

from coder.errors import TranscriptFormatError
from coder.importers import subtitles as st


def _cue_texts(rnd: random.Random) -> list[str]:
    words = ["so", "I", "felt", "&amp;", "<i>really</i>", "<v Ann>", "<v.loud Bo Li>",
             "<v>", "a<b", "\u200e", "  ", "x:", "Ann:", "<c.red>hi</c>", "&lt;v&gt;", "<vid>",
             "3 < 4", "<00:00:01.000>", "fine."]
    out = []
    for _ in range(400):
        lines = [" ".join(rnd.choices(words, k=rnd.randint(0, 6)))
                 for _ in range(rnd.randint(1, 3))]
        if rnd.random() < 0.5:
            lines[0] = rnd.choice(["<v Therapist>", "<v Client> ", "<v>", "<v.x>"]) + lines[0]
        out.append(lines)
    return out


def test_quick_cue_split_matches_the_general_split():
    rnd = random.Random(7)
    for lines in _cue_texts(rnd) + [["plain words only"], ["<v T>plain"], ["<v T>"], [""]]:
        cue = st._Cue(3, 10, 20, lines)
        assert st._vtt_pieces(cue) == st._tagged_pieces(cue, " ".join(lines)), lines


@pytest.mark.parametrize("line", [
    "00:00:01.000 --> 00:00:04.500", "01:59:59.999 --> 02:00:00.000 align:start",
    "99:00:00.000 --> 99:59:59.999", "00:00:01.000  -->  00:00:04.000",
    "0:01.5 --> 0:02", "00:61:00.000 --> 01:00:00.000", "00:00:01,000 --> 00:00:02,000",
    "100:00:00.001 --> 100:00:00.002", "00:00:01.000 --> x"])
def test_quick_timing_matches_the_general_timing(line):
    try:
        expected = st._general_timing((5, line), "f.vtt")
    except TranscriptFormatError as exc:
        with pytest.raises(TranscriptFormatError) as got:
            st._timing((5, line), "f.vtt")
        assert str(got.value) == str(exc)
    else:
        assert st._timing((5, line), "f.vtt") == expected
