"""Turn a transcript file's bytes into text, the way people's files are actually encoded.

Order: a byte-order mark (UTF-8 or UTF-16 LE/BE), then strict UTF-8, then Windows cp1252
("ANSI"). Newlines come back as "\\n" whatever the file used (CRLF, CR, LF).
"""

from __future__ import annotations

import codecs
import re

from .errors import TranscriptFormatError

_C1_PASSTHROUGH = "session-coder-c1-passthrough"


def _c1_passthrough(err: UnicodeDecodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined; Windows maps them to the C1 controls, so do we."""
    return chr(err.object[err.start]), err.start + 1


codecs.register_error(_C1_PASSTHROUGH, _c1_passthrough)

# Control characters (C0 and C1) except the ones ordinary text files do contain:
# tab, newline, vertical tab, form feed, carriage return and the DOS end-of-file mark.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode `data` and return ``(text, encoding)`` with newlines normalised to "\\n".

    Raises TranscriptFormatError for binary-looking data and for empty or blank files.
    """
    text, encoding = _decode_raw(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise TranscriptFormatError("this looks like a binary file, not a transcript", file=name)
    if not text.strip():
        raise TranscriptFormatError("file is empty", file=name)
    return text, encoding


def _decode_raw(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise TranscriptFormatError(
                f"starts with a UTF-8 byte-order mark but byte {exc.start + 1} is not UTF-8",
                file=name) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise TranscriptFormatError(
                "starts with a UTF-16 byte-order mark but is not valid UTF-16 text "
                "(the file may be cut short)", file=name) from None
    if b"\x00" in data:
        raise TranscriptFormatError("this looks like a binary file, not a transcript", file=name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors=_C1_PASSTHROUGH), "cp1252"


def _looks_binary(text: str) -> bool:
    """True when the text holds NULs or more than a trace of control characters."""
    if "\x00" in text:
        return True
    controls = sum(1 for _ in _CONTROL.finditer(text))
    if not controls:
        return False
    return controls >= 0.05 * len(text) or (controls >= 10 and controls >= 0.01 * len(text))
