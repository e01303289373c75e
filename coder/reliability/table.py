"""Units × raters CSV tables for the headless calculator (``main.py stats TABLE.csv``).

Layout: a header row (first column the unit id, then one column per rater), one row per
unit. An empty cell (or ``NA``, as R writes it) is a missing rating. Values are numbers or
category labels. Labels map to codes in the order of ``categories`` when given, else in
sorted order of the distinct values. When every category is a number its value is its code
(so interval statistics see the real scale); otherwise the code is its position 0..q-1.
Separators ``,``, ``;`` or tab (read from the header row); with ``;`` a decimal comma is
accepted. Bytes are decoded BOM first, then strict UTF-8, then cp1252 (DOMAIN.md).
Errors are :class:`coder.errors.InputError` naming file, line and column.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass

import numpy as np

from coder.errors import InputError

from .compute import compute
from .prepare import LEVELS
from .report import format_report

__all__ = ["read_table", "stats_report", "format_report", "Table"]

MISSING_TOKENS = {"", "NA"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass(frozen=True)
class Table:
    unit_ids: list[str]
    rater_names: list[str]
    data: np.ndarray                 # units × raters codes, NaN = missing
    category_labels: list[str]
    category_values: list[float]     # the code of each label, in category order


def _decode(raw: bytes, path: str) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"the file is not valid {enc.upper()}: {exc.reason}",
                                 file=path) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


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


def _rows(text: str, path: str):
    first = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as exc:
        raise InputError(f"cannot read the table: {exc}", file=path, line=reader.line_num) from None
    return sep, out


def _read(path: str, categories=None) -> Table:
    name = os.path.basename(str(path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputError(f"cannot open the table: {exc.strerror}", file=name) from None
    sep, rows = _rows(_decode(raw, name), name)
    if not rows:
        raise InputError("the table is empty", file=name)
    header_line, header = rows[0]
    while header and header[-1] == "":
        header.pop()
    raters = header[1:]
    if not raters:
        raise InputError("the header needs a unit-id column and at least one rater column",
                         file=name, line=header_line)
    seen: dict[str, int] = {}
    for j, r in enumerate(raters, start=2):
        if not r:
            raise InputError("a rater column has no name", file=name, line=header_line, column=j)
        if r in seen:
            raise InputError(f"rater {r!r} appears twice (columns {seen[r]} and {j})",
                             file=name, line=header_line, column=j)
        seen[r] = j
    cells, unit_ids, first_line = [], [], {}
    for line, row in rows[1:]:
        if len(row) > len(header) and any(row[len(header):]):
            raise InputError(f"row has {len(row)} cells but the header has {len(header)}",
                             file=name, line=line, column=len(header) + 1)
        row = (row + [""] * len(header))[:len(header)]
        uid = row[0]
        if not uid:
            raise InputError("the unit id is empty", file=name, line=line, column=1)
        if uid in first_line:
            raise InputError(f"unit {uid!r} appears twice (first on line {first_line[uid]})",
                             file=name, line=line, column=1)
        first_line[uid] = line
        unit_ids.append(uid)
        cells.append((line, row[1:]))
    labels, values, lookup = _categories(cells, categories, sep, name)
    data = np.full((len(cells), len(raters)), np.nan)
    for i, (line, row) in enumerate(cells):
        for j, cell in enumerate(row):
            if cell in MISSING_TOKENS:
                continue
            code = lookup(cell)
            if code is None:
                raise InputError(f"{cell!r} is not one of the categories "
                                 f"{', '.join(labels)}", file=name, line=line, column=j + 2)
            data[i, j] = code
    return Table(unit_ids, raters, data, labels, values)


def _categories(cells, categories, sep, name):
    """Category labels, their codes, and a cell -> code function."""
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",")]
    if categories is not None:
        labels = [str(c).strip() for c in categories]
        if not labels or any(not c for c in labels):
            raise InputError("the category list has an empty entry", file=name)
        if len(set(labels)) != len(labels):
            raise InputError("the category list names a category twice", file=name)
    else:
        labels = sorted({c for _, row in cells for c in row if c not in MISSING_TOKENS})
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


def read_table(path, categories=None):
    """Read a units × raters CSV: ``(unit_ids, rater_names, data, category_labels)``.

    ``data`` is a float array of codes (NaN = missing); see the module docstring for how
    labels become codes. ``categories``: the codebook's labels in order (list or "a,b,c").
    """
    t = _read(path, categories)
    return t.unit_ids, t.rater_names, t.data, t.category_labels


def stats_report(path, level: str, categories=None) -> dict:
    """Every applicable statistic for the table, as a JSON-ready dict:
    ``{"n_units", "n_raters", "level", "categories", "statistics": {NAME: {"value", "se",
    "ci", "ci_method", "undefined_reason"}}}``."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    t = _read(path, categories)
    numeric = all(_number(c, ",") is not None or _number(c, ";") is not None
                  for c in t.category_labels)
    if level in ("interval", "ratio") and not numeric:
        raise InputError(f"{level} level needs numeric ratings; the table has labels "
                         f"({', '.join(t.category_labels[:5])})",
                         file=os.path.basename(str(path)))
    results = compute(t.data, level, t.category_values)
    keys = ("value", "se", "ci", "ci_method", "undefined_reason")
    return {
        "n_units": len(t.unit_ids),
        "n_raters": len(t.rater_names),
        "level": level,
        "categories": list(t.category_labels),
        "statistics": {nm: {k: v for k, v in r.to_json().items() if k in keys}
                       for nm, r in results.items()},
    }
