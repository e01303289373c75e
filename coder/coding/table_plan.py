"""Reading and checking a codings table for import: a job, then a command writes it.

:func:`prepare_codings` is worker-shaped (``fn(view, ..., progress=, cancel=)``): it reads the
file and checks every row against the units, codebook and raters of one consistent read of
the project (a :class:`~coder.store.ReadView`), and returns a frozen :class:`PreparedCodings`
holding the checked rows as compact arrays. :class:`~.table_io.ImportCodings` then writes
that on the main thread (``project.perform``), so the app never parses a table on the GUI
thread. If any row is wrong nothing is imported and the error lists the rows.

Missing values: a row whose ``value`` is one of the import's missing tokens (``missing``,
e.g. ``("n/a", "-99")``; a numeric token also matches the same number written otherwise,
``-99.0``) or one of its code's scale's declared ``missing`` tokens is that rater's missing
value there: it is left out (counted in ``n_missing``), never read as a number or as text.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..errors import InputError
from ..jobs import Cancel, Progress, check, report
from ..store import bulk_codings as bulk
from ..store import codings as store
from ..store import transcripts as t_store
from .scope import applies_to, scope_text
from .table_rows import COLUMNS, Rows, read_rows
from .table_units import _find_transcript

if TYPE_CHECKING:
    from ..store import Connection


class RaterNamesError(InputError):
    """The table is fine except for new rater names that look like misspellings: importing
    again with `new_raters=True` would create them (the app asks the user)."""


HUGE = 1e12          # no segment number, scale point or note is a number this large


def _number(text: str) -> float | None:
    """A finite number of sane size, or None."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= HUGE else None


def _unusable_number(text: str) -> bool:
    """NaN, an infinity or a huge number: what a program writes for a missing or broken value."""
    if len(text) < 13:          # too short for a number above HUGE without an exponent:
        if text.isdigit():      # a plain count (a segment number) is always usable, and
            return False        # what float() cannot start to read is no number at all
        first = text.lstrip()[:1]
        if not first or not (first in "+-.nNiI" or first.isdecimal()):
            return False
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return False
    return not math.isfinite(value) or abs(value) > HUGE


class _Plan:
    """A checked table, compactly: parallel arrays with one entry per row to import."""

    def __init__(self) -> None:
        self.transcripts = array("q")
        self.segments = array("q")          # 0 for a session global
        self.raters = array("l")            # index into rater_names
        self.codes = array("l")             # index into code_keys
        self.values = array("d")            # nan for none
        self.groups = array("l")            # category set index; -1 for other codes
        self.numbers = array("q")           # the row number in the table
        self.notes: dict[int, str] = {}     # plan index -> note
        self.rater_names: list[str] = []    # as first written
        self.code_keys: list[str] = []
        self.group_labels: list[str] = []

    def __len__(self) -> int:
        return len(self.transcripts)



def missing_test(tokens=()):
    """A value text -> is-missing function for ``tokens`` (text, or comma-separated text):
    a cell equal to a token (spaces around ignored), or a number equal to a numeric token."""
    if isinstance(tokens, str):
        tokens = tokens.split(",")
    texts = {t.strip() for t in tokens if t is not None and t.strip()}
    numbers = {v for v in (_number(t) for t in texts) if v is not None}
    if not texts:
        return lambda _text: False

    def is_missing(text: str) -> bool:
        t = (text or "").strip()
        return bool(t) and (t in texts or (bool(numbers) and _number(t) in numbers))
    return is_missing


def missing_tokens(missing) -> tuple[str, ...]:
    """``"n/a, -99"`` or ``["n/a", "-99"]`` as a tuple of tokens (blank ones dropped)."""
    items = missing.split(",") if isinstance(missing, str) else (missing or ())
    return tuple(t.strip() for t in items if t and t.strip())


def _scale_test(code, cache: dict):
    """The is-missing test of a code's scale's declared ``missing`` tokens (cached by id)."""
    test = cache.get(code.id)
    if test is None:
        tokens = getattr(code.scale, "missing", ()) if code.scale is not None else ()
        test = cache[code.id] = missing_test(tokens)
    return test


@dataclass(frozen=True)
class PreparedCodings:
    """A checked codings table, ready for :class:`~.table_io.ImportCodings` to write."""

    path: Path
    complete: bool
    new_raters: bool
    missing: tuple[str, ...]
    plan: _Plan = field(repr=False, compare=False)
    n_missing: int = 0            # rows left out: their value was a missing token

    @property
    def n_rows(self) -> int:
        return len(self.plan)


def prepare_codings(view, path, codebook: Codebook, complete: bool = False,
                    new_raters: bool = False, missing=(), *,
                    progress: Progress | None = None,
                    cancel: Cancel | None = None) -> PreparedCodings:
    """Read and check a codings table (a job: reads ``view``, writes nothing)."""
    path, tokens = Path(path), missing_tokens(missing)
    report(progress, 0, 0, "reading the table")
    rows = read_rows(path)
    check(cancel)
    with view.snapshot() as conn:
        plan, n_missing = plan_table(conn, path, rows, codebook, new_raters=new_raters,
                                     missing=tokens, progress=progress, cancel=cancel)
    return PreparedCodings(path, complete, new_raters, tokens, plan, n_missing)


def plan_table(conn: Connection, path: Path, rows: Rows, codebook: Codebook, *,
               new_raters: bool = False, missing=(), progress: Progress | None = None,
               cancel: Cancel | None = None) -> tuple[_Plan, int]:
    """Check every row; returns the plan and the number of rows left out as missing, or
    raises InputError (RaterNamesError when only look-alike rater names are wrong)."""
    name = path.name
    general = missing_test(missing)
    scale_missing: dict[str, object] = {}
    n_missing = 0
    infos = {t.name: t for t in t_store.list_infos(conn)}
    units: dict[tuple[int, str], tuple] = {}
    entries: dict[str, object] = {}
    for e in codebook.codes():
        entries.setdefault(e.code.id, e)
    code_index: dict[str, int] = {}
    rater_index: dict[str, int] = {}
    scope_ok: dict[tuple, bool] = {}
    plan = _Plan()
    errors: list[tuple[int, str]] = []
    groups: dict[str, int] = {}
    nan = float("nan")
    for total, (number, t_text, seg_text, rater, code_text, value_text, note) in enumerate(
            rows.records(), 1):
        if total % 50_000 == 0:
            check(cancel)
            report(progress, total, 0, "checking rows")

        def fail(msg: str, col: str) -> None:
            errors.append((number, f"{name}:{number}: {msg} (column {col})"))
        cells = (t_text, seg_text, rater, code_text, value_text, note)
        bad = None
        for c, v in zip(COLUMNS, cells):
            if v and c != "value" and _unusable_number(v):
                bad = c
                break
        if bad is not None:
            text = cells[COLUMNS.index(bad)]
            fail(f"{text[:30]!r} is not a usable value (not a number, infinite or too "
                 "large; a missing value must be an empty cell)", bad)
            continue
        info, problem = _find_transcript(infos, t_text)
        if info is None:
            fail(problem, "transcript")
            continue
        entry = entries.get(code_text)
        if entry is None:
            fail(f"unknown code {code_text!r}", "code")
            continue
        code = entry.code
        if not rater:
            fail("no rater", "rater")
            continue
        if value_text and (general(value_text) or _scale_test(code, scale_missing)(value_text)):
            n_missing += 1              # the rater's missing value: no coding, not a value
            continue
        if _unusable_number(value_text or ""):
            fail(f"{value_text[:30]!r} is not a usable value (not a number, infinite or too "
                 "large; a missing value must be an empty cell or a missing token)", "value")
            continue
        value = nan
        if code.kind in ("rating", "global"):
            number_value = _number(value_text)
            if number_value is None or number_value != int(number_value) or not (
                    code.scale.min <= number_value <= code.scale.max):
                fail(f"{code.id} needs a whole number from {code.scale.min} to "
                     f"{code.scale.max}, not {value_text!r}", "value")
                continue
            value = number_value
        elif value_text:
            fail(f"{code.id} is a {code.kind} code and takes no value", "value")
            continue
        segment_id = 0
        if code.kind == "global":
            if seg_text:
                fail(f"{code.id} is a session global: leave segment empty", "segment")
                continue
        else:
            kind = "window" if code.unit == "window" else (
                "turn" if info.unit == "window" else info.unit)
            mapping = units.get((info.id, kind))
            if mapping is None:
                mapping = units[(info.id, kind)] = bulk.units_of(conn, info.id, kind)
            try:
                pos = int(seg_text)
            except ValueError:
                pos = _number(seg_text)
                pos = int(pos) if pos is not None and pos == int(pos) else None
            ids, roles = mapping
            if pos is None or not 0 < pos <= len(ids) or not ids[pos - 1]:
                fail(f"segment {seg_text!r} is not a {kind} of {info.name} "
                     f"(1-{len(ids)})", "segment")
                continue
            segment_id, role = ids[pos - 1], roles[pos - 1]
            ok = scope_ok.get((code.id, kind, role))
            if ok is None:
                ok = scope_ok[(code.id, kind, role)] = applies_to(code, kind, role)
            if not ok:
                fail(f"{code.id} applies to {scope_text(code)}, not to {kind} {pos} "
                     f"({role or 'no role'})", "code")
                continue
        folded = rater.casefold()
        r_index = rater_index.get(folded)
        if r_index is None:
            r_index = rater_index[folded] = len(plan.rater_names)
            plan.rater_names.append(rater)
        c_index = code_index.get(code.id)
        if c_index is None:
            c_index = code_index[code.id] = len(plan.code_keys)
            plan.code_keys.append(code.id)
        group = -1
        if code.kind == "category":
            group = groups.get(entry.group.id, -1)
            if group < 0:
                group = groups[entry.group.id] = len(plan.group_labels)
                plan.group_labels.append(entry.group.label)
        plan.groups.append(group)
        if note:
            plan.notes[len(plan.transcripts)] = note
        plan.transcripts.append(info.id)
        plan.segments.append(segment_id)
        plan.raters.append(r_index)
        plan.codes.append(c_index)
        plan.values.append(value)
        plan.numbers.append(number)
    errors += _repeats(plan, path)
    misspelt = [] if new_raters else _misspelt_raters(conn, plan, path)
    errors += misspelt
    if errors:
        errors = [text for _, text in sorted(errors)]
        shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
        kind = RaterNamesError if len(misspelt) == len(errors) else InputError
        raise kind(f"nothing was imported; {len(errors)} problem(s) to fix:\n"
                   + "\n".join(shown))
    return plan, n_missing

def _repeats(plan: _Plan, path: Path) -> list[tuple[int, str]]:
    """Rows that repeat the rater, unit and code of an earlier row, or put a second
    category of one set on a unit: found by sorting the plan's arrays (16 bytes a row)
    rather than keeping a set of keys."""
    import numpy as np
    if not len(plan):
        return []
    name, numbers = path.name, plan.numbers
    units = np.asarray(plan.segments, dtype=np.int64)
    units = np.where(units != 0, units, -np.asarray(plan.transcripts, dtype=np.int64))
    raters, codes = np.asarray(plan.raters), np.asarray(plan.codes)
    groups = np.asarray(plan.groups)

    def later_of_equal(rows: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
        """Of `rows` (plan indices), those whose keys equal an earlier row's."""
        if len(rows) < 2:
            return rows[:0]
        picked = [k[rows] for k in keys]
        order = np.lexsort([rows] + picked[::-1])      # by keys, then by row
        same = np.ones(len(order) - 1, dtype=bool)
        for k in picked:
            ks = k[order]
            same &= ks[1:] == ks[:-1]
        return rows[order[1:][same]]
    every = np.arange(len(plan))
    repeated = later_of_equal(every, [units, raters, codes])
    out = [(numbers[i], f"{name}:{numbers[i]}: the same rater, unit and code appear "
            "twice (column code)") for i in repeated.tolist()]
    keep = groups >= 0
    keep[repeated] = False
    for i in later_of_equal(every[keep], [units, raters, groups]).tolist():
        out.append((numbers[i], f"{name}:{numbers[i]}: two categories of the set "
                    f"'{plan.group_labels[groups[i]]}' on one unit (column code)"))
    return out

def _misspelt_raters(conn: Connection, plan: _Plan, path: Path) -> list[tuple[int, str]]:
    from .rater_names import rows_text, suspects
    known = [r.name for r in store.raters(conn)]
    folded = {k.casefold() for k in known}
    new: dict[str, list[int]] = {}
    for index, number in zip(plan.raters, plan.numbers):
        spelled = plan.rater_names[index]
        if spelled.casefold() not in folded:
            new.setdefault(spelled, []).append(number)
    return [(min(s.rows), f"{path.name}: new rater '{s.name}' ({rows_text(s.rows)}) "
             f"is probably a misspelling (did you mean '{s.like}'?); correct it, or allow "
             "new raters with similar names (--new-raters) (column rater)")
            for s in suspects(new, known)]
