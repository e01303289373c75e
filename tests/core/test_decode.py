"""coder.textdecode.decode: BOMs, strict UTF-8, cp1252 fallback, newlines, binary and empty."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.errors import TranscriptFormatError
from coder.textdecode import decode

TEXT = "T: Caf\u00e9 \u201cquoted\u201d \u2013 fine\nC: Ok."


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("cp1252"), "cp1252"),
])
def test_encodings(data: bytes, encoding: str) -> None:
    assert decode(data, "x.txt") == (TEXT, encoding)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_newlines_are_normalised(newline: str) -> None:
    text, _ = decode(f"a{newline}b{newline}".encode(), "x.txt")
    assert text == "a\nb\n"


def test_crlf_in_utf16() -> None:
    data = codecs.BOM_UTF16_LE + "a\r\nb".encode("utf-16-le")
    assert decode(data, "x.txt") == ("a\nb", "utf-16")


def test_cp1252_undefined_bytes_do_not_fail() -> None:
    # 0x81 is undefined in cp1252; like Windows, it becomes the C1 control U+0081
    text, encoding = decode(b"T: caf\xe9 \x81 ok " + b"x" * 40, "x.txt")
    assert encoding == "cp1252"
    assert text.startswith("T: caf\u00e9 \x81 ok")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                  codecs.BOM_UTF16_LE + " \r\n".encode("utf-16-le")])
def test_empty(data: bytes) -> None:
    with pytest.raises(TranscriptFormatError, match="file is empty") as info:
        decode(data, "empty.txt")
    assert info.value.file == "empty.txt"


@pytest.mark.parametrize("data", [
    b"T: hello\x00world",
    "T: hello".encode("utf-16-le"),                   # UTF-16 without a BOM has NULs
    b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 3,
    b"ab\x01\x02\x03\x04\x05cd",
])
def test_binary(data: bytes) -> None:
    with pytest.raises(TranscriptFormatError, match="looks like a binary file") as info:
        decode(data, "pic.txt")
    assert info.value.file == "pic.txt"


def test_a_stray_control_character_is_not_binary() -> None:
    text, _ = decode(b"T: " + b"word " * 100 + b"\x07", "x.txt")
    assert text.endswith("\x07")


def test_broken_utf16_is_reported() -> None:
    with pytest.raises(TranscriptFormatError, match="UTF-16"):
        decode(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "x.txt")   # lone surrogate, cut short


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_format_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, "x.txt")
    except TranscriptFormatError:
        return
    assert encoding in {"utf-8", "utf-8-sig", "utf-16", "cp1252"}
    assert "\r" not in text and text.strip()


@given(st.text(min_size=1, max_size=200).filter(
    lambda s: s.strip() and "\x00" not in s and not s.startswith("\ufeff")))
def test_utf8_round_trip(text: str) -> None:
    try:
        decoded, encoding = decode(text.encode("utf-8"), "x.txt")
    except TranscriptFormatError as exc:
        assert "binary" in exc.message
        return
    assert encoding == "utf-8"
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")
