"""The rules a codings table's rows must follow, row by row: the reference the column-wise
check (:mod:`.table_columns`) must agree with, and the path that words each error.

A row is checked in this order: no cell but the value is an unusable number, the transcript
exists, the code exists, there is a rater, the value is not a missing token (then the row is
left out, counted), the value suits the code, the segment is a unit of the code's kind in that
transcript, and the code applies to that unit's speaker.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..jobs import Cancel, Progress, check, report
from ..store import bulk_codings as bulk
from ..store import transcripts as t_store
from .scope import applies_to, scope_text
from .table_rows import COLUMNS
from .table_units import _find_transcript

if TYPE_CHECKING:
    from ..store import Connection


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


class Context:
    """What checking rows needs from one consistent read of the project, looked up once:
    transcripts by name, codebook entries by code id, each transcript's units by kind, and
    the answers of the missing-value and scope tests."""

    def __init__(self, conn: Connection, path: Path, codebook: Codebook, missing=()) -> None:
        self.conn, self.name = conn, path.name
        self.general = missing_test(missing)
        self.scale_missing: dict[str, object] = {}
        self.infos = {t.name: t for t in t_store.list_infos(conn)}
        self.entries: dict[str, object] = {}
        for e in codebook.codes():
            self.entries.setdefault(e.code.id, e)
        self._units: dict[tuple[int, str], tuple] = {}
        self._scope: dict[tuple, bool] = {}

    def units(self, transcript_id: int, kind: str) -> tuple[array, list[str]]:
        """The transcript's units of `kind` (`bulk.units_of`), read once."""
        mapping = self._units.get((transcript_id, kind))
        if mapping is None:
            mapping = self._units[(transcript_id, kind)] = bulk.units_of(
                self.conn, transcript_id, kind)
        return mapping

    def applies(self, code, kind: str, role: str) -> bool:
        ok = self._scope.get((code.id, kind, role))
        if ok is None:
            ok = self._scope[(code.id, kind, role)] = applies_to(code, kind, role)
        return ok

    def is_missing(self, code, value_text: str) -> bool:
        """The value is the import's or the code's scale's missing token."""
        return bool(value_text) and (self.general(value_text)
                                     or _scale_test(code, self.scale_missing)(value_text))


OK, MISSING, UNUSABLE, OFF_SCALE, NO_VALUE = range(5)    # what a value cell is for its code


def value_of(ctx: Context, code, text: str) -> tuple[int, float]:
    """What a value cell is under `code` and the value it gives (NaN for none): OK, MISSING
    (the import's or the scale's missing token), UNUSABLE (NaN, an infinity, huge),
    OFF_SCALE (a rating or global that is not a whole number on its scale) or NO_VALUE (a
    presence or category code given a value)."""
    nan = float("nan")
    if ctx.is_missing(code, text):
        return MISSING, nan
    if _unusable_number(text or ""):
        return UNUSABLE, nan
    if code.kind in ("rating", "global"):
        number = _number(text)
        if number is None or number != int(number) or not (
                code.scale.min <= number <= code.scale.max):
            return OFF_SCALE, nan
        return OK, number
    return (NO_VALUE, nan) if text else (OK, nan)


def unit_kind(code, info) -> str:
    """The kind of unit a (non-global) code's segment numbers count in a transcript."""
    return "window" if code.unit == "window" else ("turn" if info.unit == "window" else info.unit)


def segment_position(seg_text: str) -> int | None:
    """The whole number a segment cell gives (``"12"``, ``"12.0"``), or None."""
    try:
        return int(seg_text)
    except ValueError:
        pos = _number(seg_text)
        return int(pos) if pos is not None and pos == int(pos) else None


def check_rows(ctx: Context, records: Iterable[tuple], *, progress: Progress | None = None,
               cancel: Cancel | None = None) -> tuple[_Plan, int, list[tuple[int, str]]]:
    """Check records (row number, transcript, segment, rater, code, value, note) one by one:
    the plan of the good rows, how many were left out as missing, and the errors as (row
    number, message)."""
    name, entries, infos = ctx.name, ctx.entries, ctx.infos
    n_missing = 0
    code_index: dict[str, int] = {}
    rater_index: dict[str, int] = {}
    plan = _Plan()
    errors: list[tuple[int, str]] = []
    groups: dict[str, int] = {}
    for total, (number, t_text, seg_text, rater, code_text, value_text, note) in enumerate(
            records, 1):
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
        verdict, value = value_of(ctx, code, value_text)
        if verdict == MISSING:
            n_missing += 1              # the rater's missing value: no coding, not a value
            continue
        if verdict == UNUSABLE:
            fail(f"{value_text[:30]!r} is not a usable value (not a number, infinite or too "
                 "large; a missing value must be an empty cell or a missing token)", "value")
            continue
        if verdict == OFF_SCALE:
            fail(f"{code.id} needs a whole number from {code.scale.min} to "
                 f"{code.scale.max}, not {value_text!r}", "value")
            continue
        if verdict == NO_VALUE:
            fail(f"{code.id} is a {code.kind} code and takes no value", "value")
            continue
        segment_id = 0
        if code.kind == "global":
            if seg_text:
                fail(f"{code.id} is a session global: leave segment empty", "segment")
                continue
        else:
            kind = unit_kind(code, info)
            ids, roles = ctx.units(info.id, kind)
            pos = segment_position(seg_text)
            if pos is None or not 0 < pos <= len(ids) or not ids[pos - 1]:
                fail(f"segment {seg_text!r} is not a {kind} of {info.name} "
                     f"(1-{len(ids)})", "segment")
                continue
            segment_id, role = ids[pos - 1], roles[pos - 1]
            if not ctx.applies(code, kind, role):
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
    return plan, n_missing, errors
