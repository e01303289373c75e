"""One worksheet as a proper table, streamed with openpyxl's write-only mode.

A table longer than a sheet (Excel: 1,048,576 rows, the header included) goes on on
"<sheet> (2)", "<sheet> (3)", ... created right after it, with the same header, widths,
frozen pane and an autofilter of its own; :func:`continued` lists them for the README and
the result. Every row is written once, in order. ``CONTINUE = False`` refuses such a table
instead (one line pointing to the CSV export).

A :class:`Table` writes one bold header row, freezes it, puts an autofilter over the
written range and sets column widths before the first row (write-only sheets need them
first). Values are converted per column once, so the hot loop stays small:

* text: characters XML cannot hold are dropped, text longer than a cell holds (32,767
  characters) is cut with a marker, and text starting with ``=`` is written as a text cell
  (``data_type = "s"``), never as a formula. ``+``, ``-`` and ``@`` need nothing in .xlsx
  (strings are always written as inline text), and the CSV writer quotes all four;
* numbers stay numbers; statistics get the ``0.000`` format; times (milliseconds) become
  Excel times (fractions of a day) with ``[h]:mm:ss``; timestamps become Excel date-times.

A table made with ``stream=True`` (the row-heavy Segments and Codings sheets) writes its
rows as XML text instead of openpyxl cells (:mod:`coder.export.rowxml`), with the same
conversions; it takes no caller-made cells ("raw" columns).

A styled cell reuses one shared StyleArray per column instead of setting ``number_format``
cell by cell (that lookup is most of openpyxl's per-cell cost).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..errors import SessionCoderError

MAX_CELL = 32_767
MAX_ROWS = 1_048_576               # the rows of an Excel sheet, its header row included
CUT_MARK = " […cut: longer than an Excel cell holds]"
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@")
STAT_FORMAT = "0.000"
PERCENT_FORMAT = "0.0%"
TIME_FORMAT = "[h]:mm:ss"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MS_PER_DAY = 86_400_000


def clean_text(value: str) -> str:
    """Text a cell can hold: no XML-illegal characters (C0 controls other than tab, line feed
    and carriage return; lone UTF-16 surrogates; U+FFFE/U+FFFF), at most 32,767 characters
    as Excel counts them (UTF-16 code units: an emoji counts two)."""
    if ILLEGAL.search(value):
        value = ILLEGAL.sub("", value)
    if len(value) > MAX_CELL // 2 and _utf16_len(value) > MAX_CELL:
        keep = (MAX_CELL - len(CUT_MARK)) * 2        # bytes of UTF-16; a pair is never split
        value = value.encode("utf-16-le")[:keep].decode("utf-16-le", "ignore") + CUT_MARK
    return value


def _utf16_len(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def excel_time(ms: int | None) -> float | None:
    """Milliseconds as an Excel time (a fraction of a day)."""
    return None if ms is None else ms / MS_PER_DAY


_EPOCH = datetime(1899, 12, 30)


def excel_serial(stamp: datetime) -> float:
    """A naive datetime as an Excel serial number (1900 date system; what openpyxl would
    write for it, without its per-cell conversion)."""
    delta = stamp - _EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400


def parse_stamp(text: str | None) -> datetime | None:
    """An ISO 8601 timestamp as a naive UTC datetime (Excel has no time zones)."""
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


@dataclass(frozen=True)
class Col:
    """A column: its header, kind ("text", "number", "stat", "percent", "time",
    "datetime", "bool", "raw": cells made by the caller), width in characters (None: from the content) and text wrap."""

    name: str
    kind: str = "text"
    width: float | None = None
    wrap: bool = False


_FORMATS = {"stat": STAT_FORMAT, "percent": PERCENT_FORMAT, "time": TIME_FORMAT,
            "datetime": DATETIME_FORMAT}


#: A table longer than a sheet goes on on continuation sheets (False: refused, as before).
CONTINUE = True


def continuation_title(title: str, n: int) -> str:
    """"Codings" -> "Codings (2)" (within Excel's 31 characters)."""
    tail = f" ({n})"
    return title[:31 - len(tail)] + tail


def continued(wb) -> dict:
    """``{first sheet: (continuation sheets, ...)}`` of the workbook's tables so far."""
    return wb.__dict__.setdefault("_continued_sheets", {})


def too_many_rows(sheet: str, rows: str) -> SessionCoderError:
    """The one line that refuses a sheet longer than Excel allows (nothing is written)."""
    return SessionCoderError(
        f"{sheet}: {rows} rows do not fit an Excel sheet (at most {MAX_ROWS - 1:,} below the "
        f"header); export the codings as CSV instead (python main.py codings export PROJECT "
        f"OUT.csv), or export fewer transcripts")


class Table:
    """Write rows into a write-only worksheet as a table (see the module docstring)."""

    def __init__(self, ws, columns: list[Col], *, sample: list | None = None,
                 autofilter: bool = True, freeze: bool = True, stream: bool = False,
                 split: bool = True) -> None:
        self.ws, self.columns, self.autofilter = ws, list(columns), autofilter
        self._freeze, self._streamed, self._split = freeze, stream, split
        self.rows = 0                   # data rows of the whole table (every part)
        self._part_rows = 0             # data rows on the current sheet
        self.parts: list = [ws]         # the sheets the table is on (continuations after)
        self._widths = [_width(col, i, sample) for i, col in enumerate(self.columns)]
        self._start(ws)

    def _start(self, ws) -> None:
        """Widths, frozen header and the header row on ``ws``."""
        self.ws, self._part_rows = ws, 0
        for i, w in enumerate(self._widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        if self._freeze:
            ws.freeze_panes = "A2"
        self._stream = None
        if self._streamed:              # rows as XML text, see coder.export.rowxml
            from .rowxml import RowStream
            self._stream = RowStream(ws, self.columns)
            self._stream.header([c.name for c in self.columns])
            self.append = self._stream_append
            return
        self._convert = [converter(ws, c) for c in self.columns]
        bold = Font(bold=True)
        head = []
        for col in self.columns:
            cell = WriteOnlyCell(ws, clean_text(col.name))
            cell.data_type = "s"
            cell.font = bold
            head.append(cell)
        ws.append(head)

    def _continue(self) -> None:
        """The current sheet is full: finish it and go on on "<title> (n)", created right
        after it, with the header repeated (the README names the continuation)."""
        first = self.parts[0]
        if not CONTINUE:
            raise too_many_rows(first.title, f"more than {MAX_ROWS - 1:,}")
        self._finish_part()
        wb = first.parent
        taken = {t.casefold() for t in wb.sheetnames}
        n = len(self.parts) + 1
        title = continuation_title(first.title, n)
        while title.casefold() in taken:
            n += 1
            title = continuation_title(first.title, n)
        ws = wb.create_sheet(title, wb.worksheets.index(self.ws) + 1)
        self.parts.append(ws)
        continued(wb)[first.title] = tuple(p.title for p in self.parts[1:])
        self._start(ws)

    def cell(self, value, kind: str = "text", wrap: bool = False):
        """One value converted as a column of ``kind`` would (for "raw" columns; not in a
        streamed table)."""
        return converter(self.ws, Col("", kind, wrap=wrap))(value)

    def append(self, values) -> None:
        if self._split and self._part_rows + 2 > MAX_ROWS:
            self._continue()
            return self.append(values)
        self.ws.append([f(v) for f, v in zip(self._convert, values)])
        self.rows += 1
        self._part_rows += 1

    def _stream_append(self, values) -> None:
        if self._part_rows + 2 > MAX_ROWS:
            self._continue()
        self._stream.append(values)
        self.rows += 1
        self._part_rows += 1

    def _finish_part(self) -> None:
        if self._stream is not None:
            self._stream.close()
        if self.autofilter and self.columns:
            last = get_column_letter(len(self.columns))
            self.ws.auto_filter.ref = f"A1:{last}{self._part_rows + 1}"

    def finish(self) -> None:
        """Put the autofilter over what was written (written when the sheet is saved)."""
        self._finish_part()

    @property
    def ref(self) -> str:
        """The range of the table on its (last) sheet."""
        return f"A1:{get_column_letter(len(self.columns))}{self._part_rows + 1}"


def _style_of(ws, *, number_format: str | None = None, wrap: bool = False):
    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell._style

def converter(ws, col: Col):
    """A function turning a value into what the column writes (see the module doc)."""
    if col.kind == "text":
        style = _style_of(ws, wrap=True) if col.wrap else None

        def text(value):
            if value is None or value == "":
                return None
            value = clean_text(str(value))
            if not value:
                return None
            if style is None and value[0] != "=":
                return value
            cell = WriteOnlyCell(ws, value)
            cell.data_type = "s"              # never a formula
            if style is not None:
                cell._style = style
            return cell
        return text
    if col.kind == "raw":                     # cells made by the caller
        return lambda v: v
    if col.kind == "number":
        return _number
    if col.kind == "bool":
        return lambda v: None if v is None else bool(v)
    style = _style_of(ws, number_format=_FORMATS[col.kind])
    scale = {"time": excel_time, "datetime": excel_serial}.get(col.kind)

    def styled(value):
        if value is None:
            return None
        if isinstance(value, Cell):               # styled by the caller (e.g. greyed)
            return value
        if scale is not None:
            value = scale(value)
        else:
            value = _number(value)
            if value is None:
                return None
        cell = WriteOnlyCell(ws, value)
        cell._style = style
        return cell
    return styled


def _number(value):
    if value is None or isinstance(value, bool):
        return value
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value


def _width(col: Col, index: int, sample: list | None) -> float:
    """Header length, or the longest sample value (capped), plus room for the filter button."""
    if col.width is not None:
        return col.width
    longest = len(col.name) + 3
    if sample:
        for row in sample[:300]:
            v = row[index] if index < len(row) else None
            if v is None:
                continue
            if col.kind in ("stat", "percent"):
                n = 7
            elif col.kind in ("time", "datetime"):
                n = 10 if col.kind == "time" else 19
            else:
                n = max((len(line) for line in str(v).split("\n")), default=0)
            longest = max(longest, n + 2)
    return float(min(max(longest, 6), 60 if not col.wrap else 80))


def write_table(ws, columns: list[Col], rows: list, **kw) -> Table:
    """A small table in one call (widths from its content)."""
    table = Table(ws, columns, sample=rows, **kw)
    for row in rows:
        table.append(row)
    table.finish()
    return table
