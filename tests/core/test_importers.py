"""The public importer API: dispatch, size limit, refusals, DOCX layouts and Whisper JSON."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

import coder.importers as importers
from coder.errors import TranscriptFormatError
from coder.importers import parse_bytes, parse_file
from coder.model import ImportOptions

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "format_samples"


def rows(parsed) -> list[tuple]:
    return [(t.speaker, t.text, t.start_ms, t.end_ms) for t in parsed.turns]


def make_docx(*paragraphs: str | list[str]) -> bytes:
    """A .docx whose paragraphs are strings, or lists of lines joined by w:br breaks."""
    document = docx.Document()
    for paragraph in paragraphs:
        lines = [paragraph] if isinstance(paragraph, str) else paragraph
        p = document.add_paragraph()
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["s.vtt", "s.srt", "s.txt", "s.csv", "s.tsv", "s.json"])
def test_empty_file(name: str) -> None:
    with pytest.raises(TranscriptFormatError, match="file is empty") as info:
        parse_bytes(b"  \r\n", name)
    assert info.value.file == name


@pytest.mark.parametrize("name", ["s.vtt", "s.txt", "s.csv"])
def test_binary_file(name: str) -> None:
    with pytest.raises(TranscriptFormatError, match="looks like a binary file"):
        parse_bytes((SAMPLES / "teams_transcript.docx").read_bytes(), name)


@pytest.mark.parametrize("name, shown", [("notes.pdf", "'.pdf' files"),
                                         ("README", "files without an extension")])
def test_unknown_extension(name: str, shown: str) -> None:
    with pytest.raises(TranscriptFormatError) as info:
        parse_bytes(b"T: hi", name)
    assert shown in info.value.message
    for ext in importers.SUPPORTED_EXTENSIONS:
        assert ext in info.value.message


def test_extension_is_case_insensitive_and_folders_are_dropped() -> None:
    parsed = parse_bytes(b"T: hi\nC: ho\n", "some/folder/SESSION.TXT")
    assert (parsed.name, parsed.format) == ("SESSION.TXT", "text")


def test_file_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "huge.vtt"
    with open(big, "wb") as f:                      # sparse: costs no disk and no time
        f.truncate(importers.MAX_BYTES + 1)
    monkeypatch.setattr(importers, "open", lambda *a, **k: pytest.fail("opened the file"),
                        raising=False)
    with pytest.raises(TranscriptFormatError, match=r"file is 50\.0 MB.*over 50 MB") as info:
        parse_file(big)
    assert info.value.file == "huge.vtt"


def test_limit_applies_to_bytes_too(monkeypatch) -> None:
    monkeypatch.setattr(importers, "MAX_BYTES", 10)
    with pytest.raises(TranscriptFormatError, match="MB"):
        parse_bytes(b"T: hello there\n", "s.txt")
    assert parse_bytes(b"T: hi\n", "s.txt").turns


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(TranscriptFormatError, match="cannot read"):
        parse_file(tmp_path / "gone.txt")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(TranscriptFormatError):
        parse_file(folder)


# ---- DOCX ----------------------------------------------------------------------------------

def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"T: this is a text file renamed to .docx", "not a zip package"),
    (b"PK\x03\x04 broken", "damaged"),
    (zip_bytes({"hello.txt": b"hi"}), "word/document.xml is missing"),
    (zip_bytes({"word/document.xml": b"<w:document"}), "could not be read"),
])
def test_corrupt_docx(data: bytes, message: str) -> None:
    with pytest.raises(TranscriptFormatError, match=message) as info:
        parse_bytes(data, "bad.docx")
    assert "Word document" in info.value.message and info.value.file == "bad.docx"


def test_docx_teams_layout_with_speech_in_following_paragraphs() -> None:
    data = make_docx("Meeting title", "Ana Ruiz started transcription",
                     ["Ana Ruiz   0:04", "First line.", "Second line."],
                     "Sam Okafor\t1:02:03", "Speech in its own paragraph.", "And another.",
                     "Ana Ruiz stopped transcription")
    parsed = parse_bytes(data, "t.docx")
    assert rows(parsed) == [("Ana Ruiz", "First line. Second line.", 4000, None),
                            ("Sam Okafor", "Speech in its own paragraph. And another.",
                             3723000, None)]
    assert [t.line for t in parsed.turns] == [3, 4]


def test_docx_with_label_paragraphs() -> None:
    data = make_docx("Session 3 transcript", "T: How are you?", "C: Tired.",
                     ["It was a long week.", "Note: yawning."], "T: I see. [NAME] said so.",
                     "C: Yes.")
    parsed = parse_bytes(data, "t.docx", ImportOptions(merge_consecutive=False))
    assert parsed.format == "docx" and parsed.encoding is None
    assert rows(parsed) == [("", "Session 3 transcript", None, None),
                            ("T", "How are you?", None, None),
                            ("C", "Tired. It was a long week. Note: yawning.", None, None),
                            ("T", "I see. [NAME] said so.", None, None),
                            ("C", "Yes.", None, None)]
    assert [t.line for t in parsed.turns] == [1, 2, 3, 5, 6]


def test_docx_without_text() -> None:
    with pytest.raises(TranscriptFormatError, match="no talk turns"):
        parse_bytes(make_docx("", "   "), "t.docx")


# ---- Whisper JSON --------------------------------------------------------------------------

def test_whisper_json_speakers_and_list_form() -> None:
    data = json.dumps({"segments": [
        {"start": 0.0005, "end": 1.2345, "text": " Hi.", "speaker": "SPEAKER_00"},
        {"start": 1.5, "end": 2, "text": "Hello.", "speaker": "SPEAKER_00"},
        {"start": 2, "end": 3, "text": " Bye."}]}).encode()
    assert rows(parse_bytes(data, "w.json")) == [("SPEAKER_00", "Hi. Hello.", 1, 2000),
                                                ("", "Bye.", 2000, 3000)]
    bare = json.dumps([{"start": 1, "end": 2, "text": "x"}]).encode()
    assert rows(parse_bytes(bare, "w.json")) == [("", "x", 1000, 2000)]


@pytest.mark.parametrize("data, message, line", [
    (b'{"segments": [\n{"start": 1,, }]}', "not valid JSON", 2),
    (b'{"text": "no segments"}', "segments", None),
    (b'{"segments": [{"start": 1, "end": 2}]}', "segment 1 has no text", None),
    (b'{"segments": [{"start": "soon", "end": 2, "text": "x"}]}', "not a number", None),
    (b'{"segments": [{"start": NaN, "end": 2, "text": "x"}]}', "not a time", None),
    (b'{"segments": [{"start": -1, "end": 2, "text": "x"}]}', "not a time", None),
    (b'{"segments": [{"start": 1e300, "end": 2, "text": "x"}]}', "out of range", None),
    (b"[" * 100_000, "JSON", None),
    (b'{"segments": []}', "no talk turns", None),
])
def test_whisper_json_errors(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(TranscriptFormatError, match=message) as info:
        parse_bytes(data, "w.json")
    assert info.value.line == line
