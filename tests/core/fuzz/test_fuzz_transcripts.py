"""Fuzzing the transcript importers: whatever the bytes, parse_bytes returns a sane
transcript or raises TranscriptFormatError - never any other exception - within the time and
memory bounds of `limits`."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from coder.errors import TranscriptFormatError
from coder.importers import SUPPORTED_EXTENSIONS, parse_bytes, table_columns
from coder.model import ColumnMap, ImportOptions, ParsedTranscript
from tests.core.fuzz.limits import bounded_memory, fuzz_settings

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "format_samples"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix not in (".qdc", ".qdpx"))
TEXT_EXTENSIONS = [e for e in SUPPORTED_EXTENSIONS if e not in (".docx", ".xlsx")]
FAST = fuzz_settings(150)
SLOW = fuzz_settings(25)

# Pieces that steer random text into the parsers' interesting branches.
TOKENS = st.sampled_from([
    "WEBVTT", "NOTE", "STYLE", "-->", " --> ", "->", "00:00:01.000", "00:01.5", "1:00:00,000",
    "99:99:99.999", "0:09", "(00:06):", "T:", "C:", "Therapist:", "Note:", "http://x", "10:30",
    "<v Ana>", "</v>", "<v>", "<c.x>", "<00:00:01.000>", "&amp;", "&", "<", ">", "[NAME]",
    "Ana Ruiz", "  ", "\t", "\n", "\n\n", "\r\n", ",", ";", '"', "'", "1", "42", "-", ".",
    "text", "speaker", "start", "end", "turn", "start\tend\ttext", "{", "}", "[", "]",
    '"segments"', '"start"', '"text"', "null", "1e999", "-1", "NaN", "\ufeff", "\x00", "é",
    "Transcribed by https://otter.ai",
])
TOKEN_TEXT = st.lists(TOKENS | st.text(max_size=6), max_size=40).map("".join)
OPTIONS = st.builds(
    ImportOptions,
    merge_consecutive=st.booleans(),
    columns=st.none() | st.builds(ColumnMap, text=st.sampled_from(["text", "x", "TEXT"]),
                                  speaker=st.none() | st.just("speaker"),
                                  start=st.none() | st.just("start"),
                                  end=st.none() | st.just("End"),
                                  turn=st.none() | st.just("turn")),
    delimiter=st.none() | st.sampled_from([",", ";", "\t", "|", "", '"', ",,"]),
    sheet=st.none() | st.sampled_from(["Transcript", "nope"]))


def check(data: bytes, name: str, options: ImportOptions = ImportOptions()) -> None:
    """Parse; on success check the result's invariants, on failure the error's fields."""
    try:
        with bounded_memory():
            parsed = parse_bytes(data, name, options)
    except TranscriptFormatError as exc:
        assert exc.message and exc.file == name
        assert exc.line is None or exc.line >= 1
        str(exc)
        return
    assert isinstance(parsed, ParsedTranscript) and parsed.turns
    for turn in parsed.turns:
        assert turn.text and turn.text == turn.text.strip()
        assert isinstance(turn.speaker, str)
        for ms in (turn.start_ms, turn.end_ms):
            assert ms is None or (isinstance(ms, int) and ms >= 0)
    merges = (options.merge_table_rows if parsed.format in ("csv", "tsv", "xlsx")
              else options.merge_consecutive)
    if merges:
        for a, b in zip(parsed.turns, parsed.turns[1:]):
            assert not (a.speaker and a.speaker == b.speaker)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (kind, position, bytes) edits: 0 overwrite, 1 insert, 2 delete, 3 truncate."""
    out = bytearray(data)
    for kind, pos, chunk in edits:
        pos = pos % (len(out) + 1)
        if kind == 0:
            out[pos:pos + len(chunk)] = chunk
        elif kind == 1:
            out[pos:pos] = chunk
        elif kind == 2:
            del out[pos:pos + len(chunk) + 1]
        else:
            del out[pos:]
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**7), st.binary(max_size=8)),
                 min_size=1, max_size=6)


@FAST
@given(st.binary(max_size=2000), st.sampled_from(SUPPORTED_EXTENSIONS))
def test_random_bytes(data: bytes, ext: str) -> None:
    check(data, "f" + ext)


@FAST
@given(TOKEN_TEXT, st.sampled_from(TEXT_EXTENSIONS),
       st.sampled_from(["utf-8", "utf-16", "cp1252"]), OPTIONS)
def test_random_text(text: str, ext: str, encoding: str, options: ImportOptions) -> None:
    check(text.encode(encoding, errors="replace"), "f" + ext, options)


@FAST
@given(st.sampled_from([p for p in SAMPLE_FILES if p.suffix not in (".docx", ".xlsx")]),
       EDITS, OPTIONS)
def test_mutated_text_samples(path: Path, edits, options: ImportOptions) -> None:
    check(mutate(path.read_bytes(), edits), path.name, options)


@FAST
@given(st.sampled_from([p for p in SAMPLE_FILES if p.suffix not in (".docx", ".xlsx")]),
       st.lists(st.tuples(st.integers(0, 10**6), TOKENS), min_size=1, max_size=6))
def test_text_samples_with_tokens_inserted(path: Path, inserts) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    for pos, token in inserts:
        pos %= len(text) + 1
        text = text[:pos] + token + text[pos:]
    check(text.encode("utf-8"), path.name)


@SLOW
@given(st.sampled_from([p for p in SAMPLE_FILES if p.suffix in (".docx", ".xlsx")]), EDITS)
def test_mutated_zip_samples(path: Path, edits) -> None:
    check(mutate(path.read_bytes(), edits), path.name)


@SLOW
@given(st.lists(st.lists(TOKEN_TEXT, min_size=1, max_size=3), min_size=1, max_size=8))
def test_random_docx_paragraphs(paragraphs: list[list[str]]) -> None:
    document = docx.Document()
    for lines in paragraphs:
        run = document.add_paragraph().add_run()
        for i, line in enumerate(lines):
            clean = "".join(ch for ch in line if ch >= " " or ch in "\t\n")
            run.add_text(clean)
            if i < len(lines) - 1:
                run.add_break()
    out = io.BytesIO()
    document.save(out)
    check(out.getvalue(), "f.docx", ImportOptions(merge_consecutive=False))


CELL = (st.none() | st.integers(-10**6, 10**12) | st.floats(allow_nan=True) | TOKEN_TEXT.map(
    lambda s: "".join(ch for ch in s if ch >= " " or ch in "\t\n")[:50]))


@SLOW
@given(st.lists(st.lists(CELL, max_size=5), min_size=1, max_size=6), OPTIONS)
def test_random_xlsx(cells: list[list[object]], options: ImportOptions) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Transcript"
    for row in cells:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    check(out.getvalue(), "f.xlsx", options)
    try:
        assert isinstance(table_columns(out.getvalue(), "f.xlsx", options), list)
    except TranscriptFormatError:
        pass
