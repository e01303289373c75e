"""Reading a codings table (CSV or XLSX) for import: the header checked once, the rows read
lazily (a CSV is kept as its text and parsed on each pass)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from ..errors import InputError

COLUMNS = ("transcript", "segment", "rater", "code", "value", "note")
REQUIRED = ("transcript", "segment", "rater", "code")


class Rows:
    """The data rows of a codings table, read lazily: iterating yields (row number,
    {column: text}); `records()` yields (row number, transcript, segment, rater, code, value,
    note) tuples. A CSV file is kept as its text and parsed on each pass, so a million-row
    table costs its text in memory, not a million dictionaries."""

    def __init__(self, name: str, keys: list[str], text: str | None, header_row: int,
                 delimiter: str = ",", cached: list | None = None) -> None:
        self.name, self.keys, self._text, self._delimiter = name, keys, text, delimiter
        self._header_row, self._cached = header_row, cached

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        keys = self.keys
        for numbers, rows in self._raw_chunks(10_000):
            for number, cells in zip(numbers, rows):
                cells = [_clean(c) for c in cells]
                yield number, {k: (cells[i] if i < len(cells) else "")
                               for i, k in enumerate(keys)}

    def records(self) -> Iterator[tuple]:
        """The rows one at a time as (row number, *the columns of `column_chunks`)."""
        for numbers, columns in self.column_chunks(10_000):
            yield from zip(numbers, *columns)

    def _raw_chunks(self, size: int) -> Iterator[tuple[list[int], list[list]]]:
        """The data rows (non-blank, after the header) `size` at a time: (row numbers, rows
        of cells), without a Python step per row when no row of the chunk is blank."""
        if self._cached is not None:
            raw = iter(self._cached)
            while chunk := list(islice(raw, size)):
                yield [n for n, _ in chunk], [c for _, c in chunk]
            return
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self._delimiter)
        last = 0                                    # the row number of the last row read
        while True:
            try:
                chunk = list(islice(reader, size))
            except csv.Error as exc:
                raise InputError(f"cannot read the table: {exc}", file=self.name,
                                 line=reader.line_num) from None
            if not chunk:
                return
            first, last = last + 1, last + len(chunk)
            numbers = range(first, last + 1)
            if first <= self._header_row or not all(map(str.strip, map("".join, chunk))):
                kept = [(n, c) for n, c in zip(numbers, chunk)
                        if n > self._header_row and "".join(c).strip()]
                numbers, chunk = [n for n, _ in kept], [c for _, c in kept]
                if not chunk:
                    continue
            yield list(numbers), chunk

    def column_chunks(self, size: int = 50_000) -> Iterator[tuple[list, list[list[str]]]]:
        """The records `size` rows at a time as columns: (row numbers, [transcript,
        segment, rater, code, value, note] text lists), each cell stripped and the export's
        formula guard undone; a column the table lacks is empty text."""
        width = len(self.keys)
        where = [self.keys.index(c) if c in self.keys else width for c in COLUMNS]
        strip = str.strip if self._cached is None else _strip
        for numbers, cells in self._raw_chunks(size):
            if not all(len(c) == width for c in cells):
                pad = [""] * (width + 1)
                cells = [c if len(c) == width else (list(c)[:width] + pad)[:width] for c in cells]
            by_column = list(zip(*cells)) if width else []
            empty = [""] * len(cells)
            columns = []
            for i in where:
                column = list(map(strip, by_column[i])) if i < width else empty
                if "'" in "\0".join(column):
                    column = list(map(_unquote, column))
                columns.append(column)
            yield numbers, columns

    def __len__(self) -> int:
        return sum(len(numbers) for numbers, _ in self._raw_chunks(10_000))


def _strip(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _clean(cell) -> str:
    text = ("" if cell is None else str(cell)).strip()
    return _unquote(text) if text[:1] == "'" else text


def read_rows(path: Path) -> Rows:
    """The data rows of a CSV or XLSX codings table (see `Rows`); the header is checked."""
    from ..importers.spreadsheets import sniff_delimiter, xlsx_rows
    from ..textdecode import decode
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror})", file=str(path)) from None
    text, delimiter, cached = None, ",", None
    if path.suffix.lower() == ".xlsx":
        rows = [(n, cells) for n, cells in xlsx_rows(data, name, None)
                if any(str(c).strip() for c in cells if c is not None)]
        header = rows[0] if rows else None
        cached = rows[1:]
    else:
        text, _ = decode(data, name)
        del data
        delimiter = sniff_delimiter(text)
        if len(delimiter) != 1 or delimiter in '"\n\r':
            raise InputError(f"cannot use {delimiter!r} as the column separator", file=name)
        header = None
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, 1):
                if cells and any(c.strip() for c in cells):
                    header = (number, cells)
                    break
        except csv.Error as exc:
            raise InputError(f"cannot read the table: {exc}", file=name,
                             line=reader.line_num) from None
    if header is None:
        raise InputError("the table is empty", file=name)
    header_row, cells = header
    keys = [str(h).strip().lower() for h in cells]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; the columns must be "
                         f"{', '.join(COLUMNS)} (found: {', '.join(map(str, cells))})",
                         file=name, line=header_row)
    return Rows(name, keys, text, header_row, delimiter, cached)


def _unquote(cell: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before = + - @ was added on
    export."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell
