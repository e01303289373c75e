"""Rows of a table (CSV, TSV, XLSX) -> turns: one utterance per row, columns by name."""

from __future__ import annotations

import math

from ..errors import TranscriptFormatError
from ..model import ImportOptions, ParsedTurn
from .columns import is_ms_column, normalise, resolve_columns
from .timecodes import TimeError, parse_time_cell

Row = tuple[int, list[object]]        # (1-based row number, cell values)


def cell_text(value: object) -> str:
    """A cell as text: None -> "", 3.0 -> "3", lines joined with a space, outer space stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "\n" in text:
        text = " ".join(part.strip() for part in text.split("\n") if part.strip())
    return text.strip()


def header_row(rows: list[Row]) -> tuple[int, list[str]]:
    """Index into `rows` and names of the header: the first row with any non-empty cell."""
    for k, (_, cells) in enumerate(rows):
        names = [cell_text(c) for c in cells]
        if any(names):
            return k, names
    raise TranscriptFormatError("the table has no header row (it is empty)")


def rows_to_turns(rows: list[Row], name: str, options: ImportOptions, *,
                  whisper_tsv: bool = False) -> tuple[list[ParsedTurn], list[str]]:
    """Turns from table rows (header first). `whisper_tsv`: the file may be Whisper's TSV,
    whose start/end are integer milliseconds (recognised by its exact start/end/text header)."""
    try:
        k, headers = header_row(rows)
    except TranscriptFormatError as exc:
        raise TranscriptFormatError(exc.message, file=name) from None
    col = resolve_columns(headers, options.columns, name)
    body = rows[k + 1:]
    ms = {role: role in col and is_ms_column(headers[col[role]]) for role in ("start", "end")}
    if whisper_tsv and "start" in col and "end" in col \
            and [normalise(h) for h in headers if h] == ["start", "end", "text"] \
            and _all_integers(body, [col["start"], col["end"]]):
        ms = {"start": True, "end": True}
    turns: list[ParsedTurn] = []
    order: list[float] = []
    skipped = 0
    for number, cells in body:
        value = {role: cells[i] if i < len(cells) else None for role, i in col.items()}
        text = cell_text(value.get("text"))
        if not text:
            skipped += 1 if any(cell_text(c) for c in cells) else 0
            continue
        start = _time(value.get("start"), ms["start"], name, number, col.get("start"))
        end = _time(value.get("end"), ms["end"], name, number, col.get("end"))
        turns.append(ParsedTurn(cell_text(value.get("speaker")), text, start, end, number))
        order.append(_number(value.get("turn")))
    warnings = []
    if skipped:
        warnings.append(f"{skipped} row(s) with no text were skipped")
    if "turn" in col:
        if any(math.isnan(o) for o in order):    # NaN marks a turn cell that is not a number
            warnings.append(f"the turn column '{headers[col['turn']]}' does not hold numbers "
                            "everywhere, so the rows were kept in file order")
        else:
            turns = [t for _, t in sorted(zip(order, turns), key=lambda pair: pair[0])]
    return turns, warnings


def _time(value: object, unit_ms: bool, name: str, row: int, index: int | None) -> int | None:
    try:
        return parse_time_cell(value, unit_ms=unit_ms)
    except TimeError as exc:
        raise TranscriptFormatError(f"cannot read the time: {exc}", file=name, line=row,
                                    column=None if index is None else index + 1) from None


def _number(value: object) -> float:
    """A turn-number cell as a sort key; NaN when it is not a number."""
    text = cell_text(value).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return float("nan")
    return number if math.isfinite(number) else float("nan")


def _all_integers(rows: list[Row], indexes: list[int]) -> bool:
    values = [cell_text(cells[i]) for _, cells in rows for i in indexes if i < len(cells)]
    return bool(values) and all(v.isdigit() for v in values if v)
