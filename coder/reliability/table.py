"""Units × raters tables for the headless calculator (``main.py stats TABLE``).

Layout: a header row (the unit-id column(s), then one column per rater), one row per unit.
``id_columns`` (default 1) says how many leading columns identify a unit; a header starting
``transcript, unit_kind, unit`` (the data-matrix CSVs and Excel "Matrix" sheets this program
exports) is recognised as three. Files: ``.csv``, ``.tsv`` and other delimited text, or an
``.xlsx`` workbook (first sheet or ``sheet``), see :mod:`.tablefile`.

Missing ratings: an empty cell or ``NA`` (as R writes it), plus any ``missing`` tokens the
user names (e.g. ``n/a``, ``.``, ``-99``; a numeric token also matches the same number
written differently, ``-99.0``).

Categories: labels map to codes in the order of ``categories`` when given (a codebook's scale
order), else in sorted order of the distinct values. When every category is a number its
value is its code (so interval statistics see the real scale); otherwise the code is its
position 0..q-1. **At ordinal, interval and ratio level** without ``categories`` every rating
must be a number, ordered as a number: a cell that is not a number is an error naming file,
line and column — never sorted among the numbers as text. Ordinal text labels need their
order (``categories``); interval and ratio need numbers.
Errors are :class:`coder.errors.InputError` naming file, line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from coder.errors import InputError

from .category import per_category_kappa
from .compute import compute
from .prepare import LEVELS, code, distinct_rows
from .report import format_report
from .tablefile import read_rows

__all__ = ["read_table", "stats_report", "format_report", "Table"]

MISSING_TOKENS = ("", "NA")
MATRIX_HEADER = ["transcript", "unit_kind", "unit"]
NUMERIC_LEVELS = ("ordinal", "interval", "ratio")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass(frozen=True)
class Table:
    unit_ids: list[str]
    rater_names: list[str]
    data: np.ndarray                 # units × raters codes, NaN = missing
    category_labels: list[str]
    category_values: list[float]     # the code of each label, in category order


MAX_RATING = 1e12         # larger "numbers" overflow the distance arithmetic; read as labels


def _number(text: str, sep: str) -> float | None:
    t = text.strip()
    if sep == ";" and _DECIMAL_COMMA.match(t):
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) and abs(v) <= MAX_RATING else None   # else a label


def _missing_test(missing, sep):
    """A cell -> is-missing function for the default tokens plus the user's ``missing``."""
    extra = [t.strip() for t in (missing.split(",") if isinstance(missing, str)
                                 else (missing or ()))]
    tokens = set(MISSING_TOKENS) | {t for t in extra}
    numbers = {v for v in (_number(t, sep) for t in extra if t) if v is not None}

    def is_missing(cell: str) -> bool:
        return cell in tokens or (bool(numbers) and _number(cell, sep) in numbers)
    return is_missing


def _header(rows, name, id_columns):
    header_line, header = rows[0]
    header = list(header)
    while header and header[-1] == "":
        header.pop()
    if id_columns is None:
        id_columns = 3 if [h.casefold() for h in header[:3]] == MATRIX_HEADER else 1
    if id_columns < 1:
        raise InputError("--id-columns must be 1 or more", file=name)
    raters = header[id_columns:]
    if not raters:
        raise InputError(f"the header needs {id_columns} unit-id column(s) and at least one "
                         "rater column", file=name, line=header_line)
    seen: dict[str, int] = {}
    for j, r in enumerate(raters, start=id_columns + 1):
        if not r:
            raise InputError("a rater column has no name", file=name, line=header_line, column=j)
        if r in seen:
            raise InputError(f"rater {r!r} appears twice (columns {seen[r]} and {j})",
                             file=name, line=header_line, column=j)
        seen[r] = j
    return header, raters, id_columns


def _read(path, categories=None, *, level=None, missing=None, sheet=None,
          id_columns=None) -> Table:
    name, sep, rows = read_rows(path, sheet)
    if not rows:
        raise InputError("the table is empty", file=name)
    header, raters, n_id = _header(rows, name, id_columns)
    cells, unit_ids, first_line = [], [], {}
    for line, row in rows[1:]:
        if len(row) > len(header) and any(row[len(header):]):
            raise InputError(f"row has {len(row)} cells but the header has {len(header)}",
                             file=name, line=line, column=len(header) + 1)
        row = (row + [""] * len(header))[:len(header)]
        uid = " ".join(p for p in row[:n_id] if p)
        if not uid:
            raise InputError("the unit id is empty", file=name, line=line, column=1)
        if uid in first_line:
            raise InputError(f"unit {uid!r} appears twice (first on line {first_line[uid]})",
                             file=name, line=line, column=1)
        first_line[uid] = line
        unit_ids.append(uid)
        cells.append((line, row[n_id:]))
    is_missing = _missing_test(missing, sep)
    labels, values, lookup = _categories(cells, categories, sep, name, level, is_missing, n_id)
    data = np.full((len(cells), len(raters)), np.nan)
    for i, (line, row) in enumerate(cells):
        for j, cell in enumerate(row):
            if is_missing(cell):
                continue
            value = lookup(cell)
            if value is None:
                raise InputError(f"{cell!r} is not one of the categories "
                                 f"{', '.join(labels)}", file=name, line=line,
                                 column=j + n_id + 1)
            data[i, j] = value
    return Table(unit_ids, raters, data, labels, values)


def _first_non_number(cells, sep, is_missing, n_id):
    for line, row in cells:
        for j, cell in enumerate(row):
            if not is_missing(cell) and _number(cell, sep) is None:
                return cell, line, j + n_id + 1
    return None


def _categories(cells, categories, sep, name, level, is_missing, n_id):
    """Category labels, their codes, and a cell -> code function."""
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",")]
    if categories is not None:
        labels = [str(c).strip() for c in categories]
        if not labels or any(not c for c in labels):
            raise InputError("the category list has an empty entry", file=name)
        if len(set(labels)) != len(labels):
            raise InputError("the category list names a category twice", file=name)
        if level in ("interval", "ratio"):
            bad = next((c for c in labels if _number(c, sep) is None), None)
            if bad is not None:
                raise InputError(f"{level} level needs numeric categories; {bad!r} is not a "
                                 "number", file=name)
    else:
        if level in NUMERIC_LEVELS and (bad := _first_non_number(cells, sep, is_missing, n_id)):
            cell, line, column = bad
            hint = ("give --categories with the labels in order" if level == "ordinal"
                    else "ratings must be numbers")
            raise InputError(f"{cell!r} is not a number: {level} level orders ratings as "
                             f"numbers (if it marks a missing rating, give --missing "
                             f"{cell!r}; otherwise {hint})", file=name, line=line,
                             column=column)
        labels = sorted({c for _, row in cells for c in row if not is_missing(c)})
    nums = [_number(c, sep) for c in labels]
    numeric = bool(labels) and all(v is not None for v in nums)
    if numeric:
        if categories is None:
            pairs = sorted({v: c for v, c in zip(nums, labels)}.items())
            nums, labels = [v for v, _ in pairs], [f"{v:g}" for v, _ in pairs]
        if len(set(nums)) != len(nums):
            raise InputError("two categories have the same numeric value", file=name)
        known = set(nums)

        def lookup(cell):
            v = _number(cell, sep)
            return v if v in known else None
        return labels, nums, lookup
    index = {c: float(k) for k, c in enumerate(labels)}
    return labels, [float(k) for k in range(len(labels))], index.get


def read_table(path, categories=None, **options):
    """Read a units × raters table: ``(unit_ids, rater_names, data, category_labels)``.

    ``data`` is a float array of codes (NaN = missing); see the module docstring for how
    labels become codes. ``categories``: the labels in order (list or "a,b,c"). ``options``:
    ``level``, ``missing``, ``sheet``, ``id_columns`` (see the module docstring)."""
    t = _read(path, categories, **options)
    return t.unit_ids, t.rater_names, t.data, t.category_labels


def stats_report(path, level: str, categories=None, *, missing=None, sheet=None,
                 id_columns=None, single_rated: str = "in_chance") -> dict:
    """Every applicable statistic for the table, as a JSON-ready dict:
    ``{"n_units", "n_raters", "level", "categories", "statistics": {NAME: {"value", "se",
    "ci", "ci_method", "undefined_reason", "convention"}}}``, plus ``"per_category_kappa"``
    for nominal data with three or more categories."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    t = _read(path, categories, level=level, missing=missing, sheet=sheet,
              id_columns=id_columns)
    results = compute(t.data, level, t.category_values, single_rated=single_rated)
    keys = ("value", "se", "ci", "ci_method", "undefined_reason", "convention")
    out = {
        "n_units": len(t.unit_ids),
        "n_raters": len(t.rater_names),
        "level": level,
        "categories": list(t.category_labels),
        "statistics": {nm: {k: v for k, v in r.to_json().items() if k in keys}
                       for nm, r in results.items()},
    }
    if level == "nominal" and len(t.category_values) >= 3 and len(t.rater_names) >= 2:
        coded = code(t.data, t.category_values)
        d = distinct_rows(coded.codes, coded.q)
        per = per_category_kappa(d.counts(coded.q), d.mult, t.category_labels,
                                 single_rated=single_rated)
        out["per_category_kappa"] = {lab: {k: v for k, v in r.to_json().items() if k in keys}
                                     for lab, r in per.items()}
    return out
