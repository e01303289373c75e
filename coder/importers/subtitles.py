"""Subtitle transcripts: WebVTT (Zoom, Teams, Whisper) and SRT.

Both are blocks separated by blank lines; a cue is ``[id]``, a timing line ``start --> end``
and text lines (joined with a space). Speakers come from VTT voice tags (``<v Name>``, closing
tag optional) or a ``Name:`` prefix (label rules in `labels`); a cue with neither is a turn of
speaker "" (never merged into its neighbour).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..errors import TranscriptFormatError
from ..model import ParsedTurn
from .labels import choose_labels, split_label
from .timecodes import TimeError, clock_to_ms

Block = list[tuple[int, str]]        # (1-based line number, stripped text)

_STAMP = re.compile(r"(?:(\d{1,4}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
_TIMING = re.compile(r"(?P<start>\S+)\s+-->\s+(?P<end>\S+)(?:\s.*)?")
# The usual timing line (hh:mm:ss.mmm both sides), read without the general path's two
# matches and a call per stamp; anything else goes through `_TIMING` and `_STAMP`.
_PLAIN_TIMING = re.compile(r"(\d\d):([0-5]\d):([0-5]\d)\.(\d{3})\s+-->\s+"
                           r"(\d\d):([0-5]\d):([0-5]\d)\.(\d{3})(?:\s.*)?")
_TIMING_LIKE = re.compile(r"-->|->|^\d{1,2}:\d{2}[:.,]\d")
_VTT_SKIP = re.compile(r"(NOTE|STYLE|REGION)(\s|$)")
# Tag bodies are bounded so that a stray "<" in a huge cue cannot make matching quadratic.
_VOICE = re.compile(r"<v(?:\.[^\s<>]{0,100})?(?:\s+([^<>]{0,200}))?>")
_VTT_TAGS = re.compile(r"</?(?:c|i|b|u|v|ruby|rt|lang)(?:[.\s][^<>]{0,200})?>|<\d[\d:.]{0,20}>")
# The usual WebVTT (Teams, Zoom, our own samples) read in one pass: "WEBVTT" alone on the
# first line, one blank line, then cues of an optional id, a plain timing line and one line
# of text (a voice tag first, or none; no other markup, no entity), one blank line apart.
# `_fast_pieces` takes a file only when these matches cover all of it, and its pieces are
# then exactly the general path's (tests/core/test_vtt_one_pass.py compares the two); anything
# else (a NOTE, markup, an entity, two lines of text, odd spacing) is read the general way.
_FAST_CUE = re.compile(
    r"(?:(\S[^\n]*)\n)?"
    r"(\d\d):([0-5]\d):([0-5]\d)\.(\d{3}) +--> +(\d\d):([0-5]\d):([0-5]\d)\.(\d{3})"
    r"(?:[ \t][^\n]*)?\n(?:<v ([^<>\n]{1,200})>)?([^<>&\n\u200e\u200f]*)(?:</v>)?"
    r"(?:\n\n+|\n?\Z)")
_SRT_TAGS = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^<>]{0,200})?>|\{\\[^{}]{0,200}\}",
                       re.IGNORECASE)


@dataclass
class Piece:
    """Text of one cue (or one voice inside a cue) before speakers are settled."""

    line: int
    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None          # from a voice tag; None = look for a "Name:" prefix


@dataclass
class _Cue:
    line: int
    start_ms: int
    end_ms: int
    lines: list[str] = field(default_factory=list)


def split_blocks(text: str) -> list[Block]:
    """Groups of consecutive non-blank lines, with their line numbers."""
    blocks: list[Block] = []
    current: Block = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line:
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_vtt(text: str, name: str) -> tuple[list[ParsedTurn], list[str]]:
    """WebVTT -> turns and warnings. NOTE/STYLE/REGION blocks and cue ids are skipped."""
    pieces = _fast_pieces(text)
    if pieces is None:
        return parse_vtt_blocks(text, name)
    warnings: list[str] = []
    return _assign_speakers(pieces, warnings), warnings


def parse_vtt_blocks(text: str, name: str) -> tuple[list[ParsedTurn], list[str]]:
    """:func:`parse_vtt` the general way: blocks of lines, every cue on its own."""
    blocks = split_blocks(text)
    warnings: list[str] = []
    if blocks and blocks[0][0][1].startswith("WEBVTT"):
        header = blocks.pop(0)
        timed = next((k for k, (_, s) in enumerate(header) if "-->" in s), None)
        if timed is not None:                  # no blank line after the header: keep the cue
            blocks.insert(0, header[timed:])
            warnings.append("there is no blank line after WEBVTT")
    else:
        warnings.append("the file does not start with WEBVTT; it was read as WebVTT anyway")
    blocks = [b for b in blocks if not _VTT_SKIP.match(b[0][1])]
    cues = _read_cues(blocks, name, numbered_ids=False, warnings=warnings)
    pieces = [p for cue in cues for p in _vtt_pieces(cue)]
    return _assign_speakers(pieces, warnings), warnings


def _fast_pieces(text: str) -> list[Piece] | None:
    """The pieces of a usual WebVTT file (see `_FAST_CUE`), or None to read it the general
    way."""
    first = text.find("\n")
    if first < 0 or not text.startswith("WEBVTT") or "-->" in text[:first] or \
            text[first:first + 2] != "\n\n":
        return None
    pieces: list[Piece] = []
    pos, line, end, match = first + 2, 3, len(text), _FAST_CUE.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            return None
        ident, voice, said = m.group(1, 10, 11)
        if ident is not None and ("-->" in ident or _VTT_SKIP.match(ident)):
            return None                       # a NOTE block or a timing the general path reads
        said = " ".join(said.split())
        if voice is not None:
            voice = voice.strip()
        if said or voice:
            pieces.append(Piece(line, _clock_ms(*m.group(2, 3, 4, 5)),
                                _clock_ms(*m.group(6, 7, 8, 9)), said, voice))
        line += text.count("\n", pos, m.end())
        pos = m.end()
    return pieces or None


def parse_srt(text: str, name: str) -> tuple[list[ParsedTurn], list[str]]:
    """SRT -> turns and warnings. Formatting tags (<i>, <font>, {\\an8}) are removed."""
    warnings: list[str] = []
    cues = _read_cues(split_blocks(text), name, numbered_ids=True, warnings=warnings)
    pieces = [Piece(c.line, c.start_ms, c.end_ms, _clean(" ".join(c.lines), _SRT_TAGS))
              for c in cues]
    return _assign_speakers(pieces, warnings), warnings


def _read_cues(blocks: list[Block], name: str, *, numbered_ids: bool,
               warnings: list[str]) -> list[_Cue]:
    """Timing and text of every cue. A block with no timing line continues the previous cue's
    text (with a warning) unless it looks like a broken timing line, which is an error."""
    cues: list[_Cue] = []
    stray = 0
    for block in blocks:
        if "-->" in block[0][1]:
            at = 0
        elif len(block) > 1 and ("-->" in block[1][1] or (numbered_ids and block[0][1].isdigit())):
            at = 1
        else:
            bad = next((ln for ln, s in block[:2] if _TIMING_LIKE.search(s)), None)
            if bad is not None or not cues:
                raise TranscriptFormatError(
                    "expected a cue timing line like '00:00:01.000 --> 00:00:04.000'",
                    file=name, line=bad if bad is not None else block[0][0])
            cues[-1].lines.extend(s for _, s in block)
            stray += 1
            continue
        start, end = _timing(block[at], name)       # odd timings: see `timing`
        cues.append(_Cue(block[0][0], start, end, [s for _, s in block[at + 1:]]))
    if stray:
        warnings.append(f"{stray} text block(s) outside any cue timing were added to the cue "
                        "before them")
    return cues


def _timing(numbered: tuple[int, str], name: str) -> tuple[int, int]:
    plain = _PLAIN_TIMING.fullmatch(numbered[1])
    if plain is not None:          # at most 99:59:59.999, under MAX_MS: nothing to refuse
        stamps = plain.groups()
        return _clock_ms(*stamps[:4]), _clock_ms(*stamps[4:])
    return _general_timing(numbered, name)


def _clock_ms(h: str, m: str, s: str, f: str) -> int:
    """A plain stamp's digits (hh, mm, ss, mmm) -> ms."""
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)


def _general_timing(numbered: tuple[int, str], name: str) -> tuple[int, int]:
    line, text = numbered
    m = _TIMING.fullmatch(text)
    if not m:
        raise TranscriptFormatError(
            f"broken cue timing '{text[:60]}': expected 'start --> end'", file=name, line=line)
    times = []
    for key in ("start", "end"):
        stamp = _STAMP.fullmatch(m[key])
        try:
            if not stamp:
                raise TimeError("expected hh:mm:ss.mmm")
            times.append(clock_to_ms(*stamp.groups()))
        except TimeError as exc:
            raise TranscriptFormatError(f"broken timestamp '{m[key][:40]}': {exc}", file=name,
                                        line=line, column=m.start(key) + 1) from None
    return times[0], times[1]


def _vtt_pieces(cue: _Cue) -> list[Piece]:
    """Split a VTT cue at its voice tags; text before the first tag has no voice."""
    joined = " ".join(cue.lines)
    if "&" not in joined and "\u200e" not in joined and "\u200f" not in joined:
        # The usual cue: no tag at all, or one voice tag first. With no other "<" there is
        # nothing for `_clean` to remove but whitespace, so this is what the loop below gives.
        tags_in = joined.count("<")
        if tags_in == 0:
            text = " ".join(joined.split())
            return [Piece(cue.line, cue.start_ms, cue.end_ms, text)] if text else []
        if tags_in == 1 and joined.startswith("<v"):
            tag = _VOICE.match(joined)
            if tag is not None:
                text, voice = " ".join(joined[tag.end():].split()), (tag.group(1) or "").strip()
                return [Piece(cue.line, cue.start_ms, cue.end_ms, text, voice)] \
                    if text or voice else []
    return _tagged_pieces(cue, joined)


def _tagged_pieces(cue: _Cue, joined: str) -> list[Piece]:
    """The general split of a cue's joined text at its voice tags."""
    pieces = []
    tags = list(_VOICE.finditer(joined))
    bounds = [(None, 0)] + [((t.group(1) or "").strip(), t.end()) for t in tags]
    ends = [t.start() for t in tags] + [len(joined)]
    for (voice, begin), end in zip(bounds, ends):
        text = _clean(joined[begin:end], _VTT_TAGS, entities=True)
        if text or voice:
            pieces.append(Piece(cue.line, cue.start_ms, cue.end_ms, text, voice))
    return pieces


def _clean(text: str, tags: re.Pattern[str], entities: bool = False) -> str:
    """Remove formatting tags (and VTT character references), collapse whitespace."""
    text = tags.sub("", text)
    if entities:
        text = html.unescape(text).replace("\u200e", "").replace("\u200f", "")
    return " ".join(text.split())


def _assign_speakers(pieces: list[Piece], warnings: list[str]) -> list[ParsedTurn]:
    """Settle speakers: voice tags win; otherwise a `Name:` prefix that passes the label rules."""
    open_pieces = [p for p in pieces if p.speaker is None]
    candidates = [(c[0], p.line) for p in open_pieces if (c := split_label(p.text))]
    accepted, label_warnings = choose_labels(candidates, len(open_pieces), "cue at line")
    warnings.extend(label_warnings)
    turns = []
    for p in pieces:
        speaker, text = p.speaker, p.text
        if speaker is None:
            c = split_label(text)
            speaker, text = (c[0], c[1]) if c and c[0] in accepted else ("", text)
        turns.append(ParsedTurn(speaker, text.strip(), p.start_ms, p.end_ms, p.line))
    unnamed = sum(1 for t in turns if not t.speaker)
    if unnamed and unnamed < len(turns):
        warnings.append(f"{unnamed} cue{'s' if unnamed > 1 else ''} had no speaker name")
    return turns
