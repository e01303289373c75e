"""The one-pass reading of a usual WebVTT file (`subtitles._fast_pieces`) gives exactly what
the general block-by-block reading gives — the same turns, warnings and errors — on generated
files made of usual cues and of everything that must send a file to the general path."""

import random
from pathlib import Path

import pytest

from coder.errors import TranscriptFormatError
from coder.importers import subtitles as st
from coder.textdecode import decode

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "format_samples"

# (usual, odd): a file is made of usual parts, each part odd with a probability drawn per file
HEADERS = (["WEBVTT\n\n"], ["WEBVTT - Zoom\n\n", "WEBVTT\n\n\n", "WEBVTT\nKind: captions\n\n",
                           "WEBVTT\n", "WEBVTT\n \n", "", "WEBVTT", "Webvtt\n\n"])
IDS = ([None, "1", "17", "guid/14-0"],
       ["NOTE", "NOTE this", "STYLE", "NOTEbook", "a --> b", "00:00:09.000 --> 00:00:10.000",
        " 3", "x "])
VOICES = (["", "<v Therapist>", "<v Client>", "<v  Dr. Ruiz (Clinic)>", "<v >"],
          ["<v>", "<v.loud Bo>", " <v Ann>", "<v A&B>"])
CLOSES = (["", "</v>"], ["</v> ", "</c>"])
WORDS = (["so", "I", "felt", "it", "fine.", "Ann:", "Therapist:", "\t", "\x0c"],
         ["&amp;", "<i>x</i>", "a>b", "a<b", "\u200e", "-->"])
SEPARATORS = (["\n\n", "\n\n\n"], ["\n \n", "\n", "\n\t\n\n"])
ENDS = (["", "\n", "\n\n"], ["\n\n\n", " ", "\n "])


def _pick(rnd: random.Random, odd: float, choices: tuple[list, list]):
    return rnd.choice(choices[1] if rnd.random() < odd else choices[0])


def _timing(rnd: random.Random, odd: float, at: int) -> str:
    def stamp(ms):
        return (f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}"
                f".{ms % 1000:03d}")
    line = f"{stamp(at)} --> {stamp(at + rnd.randint(0, 4000))}"
    return _pick(rnd, odd, ([line, line + " align:start", line + " ",
                             line.replace(" --> ", "  -->  ")],
                            [line + "\t", line.replace(".", ","), line[3:],
                             "00:00:01.000 -> 00:00:02.000", line.replace(" --> ", "-->"),
                             line + "5"]))


def _text(rnd: random.Random, odd: float) -> list[str]:
    said = " ".join(_pick(rnd, odd, WORDS) for _ in range(rnd.randint(0, 8)))
    lines = [_pick(rnd, odd, VOICES) + said + _pick(rnd, odd, CLOSES)]
    if rnd.random() < odd:
        lines = rnd.choice([[], lines + ["more words"], lines + ["   "], lines + [""],
                            lines + ["<v Client>yes"]])
    return lines


def _file(rnd: random.Random) -> str:
    odd = rnd.choice([0.0, 0.0, 0.01, 0.05, 0.3])
    parts, at = [_pick(rnd, odd, HEADERS)], 0
    for k in range(rnd.randint(0, 12)):
        at += rnd.randint(0, 9000)
        ident = _pick(rnd, odd, IDS)
        lines = ([ident] if ident is not None else []) + [_timing(rnd, odd, at)] + \
            _text(rnd, odd)
        if k:
            parts.append(_pick(rnd, odd, SEPARATORS))
        parts.append("\n".join(lines))
    parts.append(_pick(rnd, odd, ENDS))
    return "".join(parts)


def _read(read, text):
    try:
        return read(text, "f.vtt")
    except TranscriptFormatError as exc:
        return ("error", str(exc))


def test_one_pass_reads_every_generated_file_as_the_general_path_does():
    rnd = random.Random(17)
    one_pass = 0
    for _ in range(6000):
        text = _file(rnd)
        taken = st._fast_pieces(text) is not None
        one_pass += taken
        assert _read(st.parse_vtt, text) == _read(st.parse_vtt_blocks, text), text
    assert 600 < one_pass < 5400, one_pass        # both paths were exercised, often


@pytest.mark.parametrize("name", ["teams_transcript.vtt", "zoom_cloud_transcript.vtt"])
def test_the_usual_exports_are_read_in_one_pass(name):
    text, _ = decode((SAMPLES / name).read_bytes(), name)
    assert st._fast_pieces(text) is not None
    assert st.parse_vtt(text, name) == st.parse_vtt_blocks(text, name)


@pytest.mark.parametrize("text", [
    "WEBVTT\n\nNOTE\n00:00:01.000 --> 00:00:02.000\n<v A>hidden\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>a &amp; b\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>one\ntwo\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>x\n \n00:00:03.000 --> 00:00:04.000\n<v B>y\n",
])
def test_what_the_one_pass_does_not_take(text):
    assert st._fast_pieces(text) is None
