"""The rows of a big sheet written as ``<row>`` XML directly, spliced into the sheet part.

openpyxl's write-only mode builds a cell object and an lxml element for every value; for
the row-heavy sheets (Codings, Segments: millions of cells) that is most of the export's
time. A :class:`RowStream` instead turns each row into its XML text with one small encoder
per column and writes it to a temporary file. openpyxl still writes everything else: the
workbook, the styles (our few style ids are registered through its cells), and the sheet's
own head and tail (column widths, frozen header, autofilter), closed with an empty
``<sheetData>``. When the workbook is saved, :class:`SplicingExcelWriter` streams
head + our rows + tail into the zip as the sheet part.

What a cell becomes, the same as our openpyxl path writes it (tests compare the two):

* text: inline strings (``t="inlineStr"``), never formulas, so text starting with ``=`` stays
  text; cleaned by :func:`coder.export.table.clean_text` (XML-illegal characters dropped,
  cut to what a cell holds); ``&``, ``<``, ``>`` escaped and ``\\r`` kept as ``&#13;``;
  ``xml:space="preserve"`` when the text starts or ends with white space;
* numbers: ``<v>`` with 16 significant digits (as openpyxl and XlsxWriter write them),
  booleans ``t="b"``;
* stat, percent, time and date-time columns: numbers with the column's style id.

Relies on openpyxl internals (``ExcelWriter.write_worksheet``, a write-only sheet's
``_writer``), hence ``openpyxl<3.2`` in pyproject.toml.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from zipfile import ZipInfo

from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .table import (DATETIME_FORMAT, PERCENT_FORMAT, STAT_FORMAT, TIME_FORMAT, Col, _number,
                    clean_text, excel_serial, excel_time)

_FORMATS = {"stat": STAT_FORMAT, "percent": PERCENT_FORMAT, "time": TIME_FORMAT,
            "datetime": DATETIME_FORMAT}
_SPACE = " \t\n\r"
_EMPTY = (b"<sheetData></sheetData>", b"<sheetData/>")
_BATCH = 512                       # rows joined before one write
_EXACT = 2 ** 53                   # integers a double holds exactly (as table._number)
_CACHED = 4096                     # distinct short texts per column kept as ready XML


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def text_xml(value: str, ref: str, style: str = "") -> str:
    """An inline-string cell (``value`` already cleaned and not empty)."""
    return f'<c r="{ref}"{_text_tail(value, style)}'


def _text_tail(value: str, style: str) -> str:
    space = ' xml:space="preserve"' if value[0] in _SPACE or value[-1] in _SPACE else ""
    return f'{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'


def style_id(ws, *, number_format: str | None = None, wrap: bool = False,
             bold: bool = False) -> str:
    """The ``s`` attribute of a style, registered in the workbook as openpyxl would."""
    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return f' s="{cell.style_id}"'


def _encoder(ws, col: Col):
    """fn(value, ref) -> the cell's XML, or "" for no cell."""
    kind = col.kind
    if kind == "text":
        style = style_id(ws, wrap=True) if col.wrap else ""

        cache: dict[str, str] = {}         # text -> the cell's XML after its reference

        def text(value, ref):
            tail = cache.get(value) if type(value) is str else None
            if tail is None:
                key = value
                value = clean_text(value if type(value) is str else str(value))
                tail = _text_tail(value, style) if value else ""
                if type(key) is str and len(cache) < _CACHED and len(key) < 256:
                    cache[key] = tail
            return f'<c r="{ref}"{tail}' if tail else ""
        return text
    if kind == "number":
        return _plain_number
    if kind == "bool":
        return lambda value, ref: f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'
    if kind not in _FORMATS:
        raise ValueError(f"column {col.name!r}: {kind!r} cells cannot be streamed")
    style = style_id(ws, number_format=_FORMATS[kind])
    scale = {"time": excel_time, "datetime": excel_serial}.get(kind)
    if scale is not None:
        return lambda value, ref: f'<c r="{ref}"{style} t="n"><v>{scale(value):.16g}</v></c>'
    return lambda value, ref: _number_xml(_number(value), ref, style)


def _plain_number(value, ref: str) -> str:
    if type(value) is int and -_EXACT < value < _EXACT:       # the common case, as is
        return f'<c r="{ref}" t="n"><v>{value}</v></c>'
    return _number_xml(_number(value), ref, "")


def _number_xml(value, ref: str, style: str) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return f'<c r="{ref}"{style} t="b"><v>{1 if value else 0}</v></c>'
    return f'<c r="{ref}"{style} t="n"><v>{value:.16g}</v></c>'


class RowStream:
    """The rows of one write-only sheet, as XML in a temporary file until the save."""

    def __init__(self, ws, columns: list[Col]) -> None:
        self.ws = ws
        self._letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self._encode = [_encoder(ws, c) for c in columns]
        self._bold = style_id(ws, bold=True)
        fd, self.path = tempfile.mkstemp(prefix="coder-rows-", suffix=".xml")
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self._batch: list[str] = []
        self.rows = 0
        ws._row_stream = self

    def header(self, names) -> None:
        self.rows += 1
        cells = "".join(text_xml(clean_text(n), f"{letter}1", self._bold)
                        for letter, n in zip(self._letters, names) if n)
        self._batch.append(f'<row r="1">{cells}</row>')

    def append(self, values) -> None:
        self.rows += 1
        r = str(self.rows)
        cells = "".join([encode(value, letter + r) for encode, letter, value
                         in zip(self._encode, self._letters, values) if value is not None])
        batch = self._batch
        batch.append(f'<row r="{r}">{cells}</row>')
        if len(batch) >= _BATCH:
            self._fh.write("".join(batch))
            batch.clear()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.write("".join(self._batch))
            self._batch.clear()
            self._fh.close()

    def size(self) -> int:
        self.close()
        return os.path.getsize(self.path)

    def copy_to(self, dst) -> None:
        self.close()
        with open(self.path, "rb") as src:
            shutil.copyfileobj(src, dst, 1 << 20)

    def discard(self) -> None:
        """Close and remove the temporary file (after the save, a failure or a cancel)."""
        try:
            self.close()
        finally:
            if os.path.exists(self.path):
                os.remove(self.path)
            if getattr(self.ws, "_row_stream", None) is self:
                del self.ws._row_stream


def discard_all(wb) -> None:
    for ws in getattr(wb, "_sheets", []):
        stream = getattr(ws, "_row_stream", None)
        if stream is not None:
            stream.discard()


class SplicingExcelWriter(ExcelWriter):
    """openpyxl's writer, with streamed rows spliced into their sheets' parts."""

    def write_worksheet(self, ws):
        stream = getattr(ws, "_row_stream", None)
        if stream is None:
            return super().write_worksheet(ws)
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()                 # head, an empty <sheetData>, tail (autofilter ...)
        writer = ws._writer
        ws._rels = writer._rels
        with open(writer.out, "rb") as fh:
            shell = fh.read()
        for empty in _EMPTY:
            head, found, tail = shell.partition(empty)
            if found:
                break
        else:
            raise RuntimeError("openpyxl wrote a sheet without <sheetData>")
        info = ZipInfo(ws.path[1:], time.localtime()[:6])
        info.compress_type = self._archive.compression
        info.external_attr = 0o600 << 16
        info.file_size = len(head) + len(tail) + stream.size() + 23
        with self._archive.open(info, "w") as dst:
            dst.write(head + b"<sheetData>")
            stream.copy_to(dst)
            dst.write(b"</sheetData>" + tail)
        self.manifest.append(ws)
        writer.cleanup()
        stream.discard()
