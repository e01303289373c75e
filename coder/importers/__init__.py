"""Transcript importers: bytes of one file -> ParsedTranscript. Pure Python, no Qt.

The format comes from the file extension and, for .txt, from the content (Otter, Rev,
``Label:`` lines, or bare lines as Whisper writes them). Every problem with the input is a
TranscriptFormatError naming the file and, where known, the line (row for tables).

Public API: `parse_file`, `parse_bytes`, `table_columns`, `guess_columns`, `MAX_BYTES`.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from ..errors import TranscriptFormatError
from ..model import ImportOptions, ParsedTranscript
from ..textdecode import decode
from .columns import guess_columns
from .docx_file import parse_docx
from .plaintext import parse_text
from .spreadsheets import csv_rows, sniff_delimiter, xlsx_rows
from .subtitles import parse_srt, parse_vtt
from .tables import header_row, rows_to_turns
from .turns import finish, merge_consecutive
from .whisper_json import parse_whisper_json

__all__ = ["MAX_BYTES", "SUPPORTED_EXTENSIONS", "guess_columns", "merge_consecutive",
           "parse_bytes", "parse_file", "table_columns"]

MAX_BYTES = 50_000_000
SUPPORTED_EXTENSIONS = (".vtt", ".srt", ".docx", ".txt", ".csv", ".tsv", ".xlsx", ".json")
TABLE_EXTENSIONS = (".csv", ".tsv", ".xlsx")


def parse_file(path: str | os.PathLike[str],
               options: ImportOptions = ImportOptions()) -> ParsedTranscript:
    """Read and parse one transcript file; files over MAX_BYTES are refused unread."""
    name = PurePath(path).name
    _check_extension(name)
    try:
        size = os.stat(path).st_size
        _check_size(size, name)
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise TranscriptFormatError("is a folder, not a transcript file", file=name) from None
    except OSError as exc:
        raise TranscriptFormatError(f"cannot read the file ({exc.strerror or exc})",
                                    file=name) from None
    return parse_bytes(data, name, options)


def parse_bytes(data: bytes, name: str,
                options: ImportOptions = ImportOptions()) -> ParsedTranscript:
    """Parse a transcript's bytes; `name` (its file name) picks the format by extension."""
    name = PurePath(name).name or name
    ext = _check_extension(name)
    _check_size(len(data), name)
    if ext == ".docx":
        turns, warnings = parse_docx(data, name)
        return finish(name, "docx", None, turns, options, warnings)
    if ext == ".xlsx":
        turns, warnings = rows_to_turns(xlsx_rows(data, name, options.sheet), name, options)
        return finish(name, "xlsx", None, turns, options, warnings)
    text, encoding = decode(data, name)
    if ext in (".csv", ".tsv"):
        delimiter = _delimiter(text, ext, options)
        rows = csv_rows(text, name, delimiter)
        turns, warnings = rows_to_turns(rows, name, options, whisper_tsv=delimiter == "\t")
        return finish(name, ext[1:], encoding, turns, options, warnings)
    if ext == ".vtt":
        fmt, (turns, warnings) = "vtt", parse_vtt(text, name)
    elif ext == ".srt":
        fmt, (turns, warnings) = "srt", parse_srt(text, name)
    elif ext == ".json":
        fmt, (turns, warnings) = "whisper-json", parse_whisper_json(text, name)
    else:
        fmt, turns, warnings = parse_text(text, name)
    return finish(name, fmt, encoding, turns, options, warnings)


def table_columns(data: bytes, name: str,
                  options: ImportOptions = ImportOptions()) -> list[str]:
    """Header names of a CSV/TSV/XLSX file (for the column-mapping dialog)."""
    name = PurePath(name).name or name
    ext = _check_extension(name)
    if ext not in TABLE_EXTENSIONS:
        raise TranscriptFormatError("only CSV, TSV and Excel files have columns to choose",
                                    file=name)
    _check_size(len(data), name)
    if ext == ".xlsx":
        rows = xlsx_rows(data, name, options.sheet)
    else:
        text, _ = decode(data, name)
        rows = csv_rows(text, name, _delimiter(text, ext, options))
    try:
        return header_row(rows)[1]
    except TranscriptFormatError as exc:
        raise TranscriptFormatError(exc.message, file=name) from None


def _delimiter(text: str, ext: str, options: ImportOptions) -> str:
    if options.delimiter:
        return options.delimiter
    return sniff_delimiter(text, default="\t" if ext == ".tsv" else ",")


def _check_extension(name: str) -> str:
    ext = PurePath(name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        what = f"'{ext}' files" if ext else "files without an extension"
        raise TranscriptFormatError(f"cannot import {what}; supported types are "
                                    f"{', '.join(SUPPORTED_EXTENSIONS)}", file=name)
    return ext


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise TranscriptFormatError(
            f"file is {size / 1e6:.1f} MB; transcripts over {MAX_BYTES // 1_000_000} MB are not "
            "supported (is this really a transcript?)", file=name)

