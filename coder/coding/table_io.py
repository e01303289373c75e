"""Codings as a long table, in and out: one row per rater x unit x code.

Columns: ``transcript`` (its name), ``segment`` (1-based position among that transcript's
units of the code's unit kind; empty for a session global), ``rater``, ``code`` (code id),
``value`` (empty for presence and category codes; a number for ratings and globals), and
an optional ``note``. Import checks every row first and imports nothing if any is wrong;
`ImportCodings` is a command, so an import is one undoable step.
"""

from __future__ import annotations

import csv
import io
import math
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..commands import ChangeSet
from ..errors import InputError
from ..jobs import Cancel, Progress, check, report
from .scope import applies_to, scope_text
from ..store import codebooks as cb_store
from ..store import codings as store
from ..store import bulk_codings as bulk
from ..store import transcripts as t_store
from .table_units import _codeable_units, _find_transcript
from .table_rows import COLUMNS, REQUIRED, Rows, read_rows  # noqa: F401 (read_rows: API)

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


class ImportCodings:
    """Import a long table of codings; with `complete`, mark every unit of each transcript
    in it that some code applies to as completed by each rater who appears for that
    transcript (a unit no code can apply to is never "not applied").

    Checks are set-based against the units and codebook loaded once; rows go in through one
    compiled INSERT with executemany and completions one INSERT ... SELECT per transcript and
    rater, all in the command's one transaction. Set `progress(done, total, message)` and
    `cancel()` (coder.jobs) before performing to follow or stop a long import."""

    def __init__(self, path: Path, codebook: Codebook, complete: bool = False,
                 new_raters: bool = False) -> None:
        self.path, self.codebook, self.complete = Path(path), codebook, complete
        self.new_raters = new_raters      # create new raters even when they look like typos
        self.rows = read_rows(self.path)
        self.created_names: list[str] = []
        self.text = f"Import codings from {self.path.name}"
        self.summary = ""
        self.progress: Progress | None = None
        self.cancel: Cancel | None = None
        self._id_range = (0, 0)
        self._replaced: list[dict] = []
        self._raters_created: list[int] = []
        self._completed: list[tuple[int, int, list[tuple]]] = []

    def authorize(self, policy) -> None:
        """Writing any rater's codings from a table is a supervisor's act in a protected
        project."""
        policy.check_bulk_codings()

    def _plan(self, conn: Connection) -> _Plan:
        name = self.path.name
        infos = {t.name: t for t in t_store.list_infos(conn)}
        units: dict[tuple[int, str], tuple] = {}
        entries: dict[str, object] = {}
        for e in self.codebook.codes():
            entries.setdefault(e.code.id, e)
        code_index: dict[str, int] = {}
        rater_index: dict[str, int] = {}
        scope_ok: dict[tuple, bool] = {}
        plan = _Plan()
        errors: list[tuple[int, str]] = []
        groups: dict[str, int] = {}
        nan = float("nan")
        for total, (number, t_text, seg_text, rater, code_text, value_text, note) in enumerate(
                self.rows.records(), 1):
            if total % 50_000 == 0:
                check(self.cancel)
                report(self.progress, total, 0, "checking rows")

            def fail(msg: str, col: str) -> None:
                errors.append((number, f"{name}:{number}: {msg} (column {col})"))
            cells = (t_text, seg_text, rater, code_text, value_text, note)
            bad = next((c for c, v in zip(COLUMNS, cells) if _unusable_number(v or "")), None)
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
        errors += self._repeats(plan)
        misspelt = [] if self.new_raters else self._misspelt_raters(conn, plan)
        errors += misspelt
        if errors:
            errors = [text for _, text in sorted(errors)]
            shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
            kind = RaterNamesError if len(misspelt) == len(errors) else InputError
            raise kind(f"nothing was imported; {len(errors)} problem(s) to fix:\n"
                       + "\n".join(shown))
        return plan

    def _repeats(self, plan: _Plan) -> list[tuple[int, str]]:
        """Rows that repeat the rater, unit and code of an earlier row, or put a second
        category of one set on a unit: found by sorting the plan's arrays (16 bytes a row)
        rather than keeping a set of keys."""
        import numpy as np
        if not len(plan):
            return []
        name, numbers = self.path.name, plan.numbers
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

    def _misspelt_raters(self, conn: Connection, plan: _Plan) -> list[tuple[int, str]]:
        from .rater_names import rows_text, suspects
        known = [r.name for r in store.raters(conn)]
        folded = {k.casefold() for k in known}
        new: dict[str, list[int]] = {}
        for index, number in zip(plan.raters, plan.numbers):
            spelled = plan.rater_names[index]
            if spelled.casefold() not in folded:
                new.setdefault(spelled, []).append(number)
        return [(min(s.rows), f"{self.path.name}: new rater '{s.name}' ({rows_text(s.rows)}) "
                 f"is probably a misspelling (did you mean '{s.like}'?); correct it, or allow "
                 "new raters with similar names (--new-raters) (column rater)")
                for s in suspects(new, known)]

    def apply(self, conn: Connection) -> ChangeSet:
        # A cancelled or failed apply was rolled back: start from nothing each time.
        self._replaced, self._raters_created, self._completed = [], [], []
        self.created_names = []
        plan = self._plan(conn)
        n = len(plan)
        existing = {r.name.casefold(): r for r in store.raters(conn, include_consensus=True)}
        rater_ids = []
        for name in plan.rater_names:
            r = existing.get(name.casefold())
            if r is None:
                initials = "".join(w[0] for w in name.split()[:3]).upper() or "R"
                r = store.add_rater(conn, name, initials, "rater")
                self._raters_created.append(r.id)
                self.created_names.append(r.name)
            rater_ids.append(r.id)
        ids = store.code_ids_by_key(conn)
        code_ids = [ids[k] for k in plan.code_keys]
        version = cb_store.latest_version(conn)
        transcripts = sorted(set(plan.transcripts))
        old_raters = [rid for rid in rater_ids if rid not in self._raters_created]
        old = {}
        for row_id, tid, sid, rid, code_id in bulk.existing_keys(conn, transcripts, old_raters):
            old[(tid, sid or 0, rid, code_id)] = row_id
        if old:
            replaced = [old[k] for k in zip(plan.transcripts, plan.segments,
                                            (rater_ids[i] for i in plan.raters),
                                            (code_ids[i] for i in plan.codes)) if k in old]
            self._replaced = bulk.rows_by_ids(conn, replaced)
            bulk.delete_ids(conn, replaced)
        stamp = store.now()
        notes, isnan = plan.notes, math.isnan

        def rows():
            for i, (tid, sid, ri, ci, value) in enumerate(zip(
                    plan.transcripts, plan.segments, plan.raters, plan.codes, plan.values)):
                yield (tid, sid or None, rater_ids[ri], code_ids[ci],
                       None if isnan(value) else value, notes.get(i), version, stamp)

        def inserted(done: int) -> None:
            check(self.cancel)
            report(self.progress, done, n, "writing codings")
        low = bulk.max_coding_id(conn)
        bulk.insert_many(conn, rows(), inserted)
        self._id_range = (low, bulk.max_coding_id(conn))
        done = 0
        if self.complete:
            pairs = sorted({(tid, rater_ids[ri]) for tid, ri in zip(plan.transcripts,
                                                                    plan.raters)})
            codeable: dict[int, list[int]] = {}
            for k, (tid, rid) in enumerate(pairs):
                if k % 50 == 0:
                    check(self.cancel)
                    report(self.progress, k, len(pairs), "marking units completed")
                before = bulk.completions_on(conn, tid, rid)
                if tid not in codeable:
                    codeable[tid] = _codeable_units(conn, tid, self.codebook)
                done += bulk.complete_all(conn, tid, rid, stamp, only=codeable[tid])
                self._completed.append((tid, rid, before))
        self.summary = (f"{n} coding(s) imported ({len(self._replaced)} replaced), "
                        f"{len(self._raters_created)} new rater(s)"
                        + (f" ({', '.join(self.created_names)})" if self.created_names else "")
                        + (f", {done} unit(s) marked completed" if self.complete else ""))
        return ChangeSet(segments=frozenset(s for s in plan.segments if s),
                         transcripts=frozenset(transcripts),
                         codes=frozenset(plan.code_keys),
                         raters=frozenset(r.id for r in store.raters(
                             conn, include_consensus=True)))

    def revert(self, conn: Connection) -> ChangeSet:
        for tid, rid, before in self._completed:
            bulk.uncomplete_all(conn, tid, rid, before)
        bulk.delete_above(conn, *self._id_range)
        store.restore_rows(conn, self._replaced)
        store.delete_raters(conn, self._raters_created)
        self._id_range, self._replaced, self._raters_created, self._completed = (0, 0), [], [], []
        self.created_names = []
        return ChangeSet(codes=frozenset(), raters=frozenset())


def export_rows(conn: Connection, codebook: Codebook | None, rater_ids: list[int] | None
                ) -> list[list[str]]:
    """Every coding (of `rater_ids`, or all) as table rows, in a stable order."""
    order = {cid: i for i, cid in enumerate(codebook.code_ids())} if codebook else {}
    names = {t.id: t.name for t in t_store.list_infos(conn)}
    raters = {r.id: r.name for r in store.raters(conn, include_consensus=True)}
    positions = t_store.all_positions(conn)
    out = []
    for tid in sorted(names, key=names.get):
        for c in store.codings_of_transcript(conn, tid, rater_ids):
            value = "" if c.value is None else (f"{int(c.value)}" if c.value == int(c.value)
                                                else repr(c.value))
            pos = "" if c.segment_id is None else str(positions[c.segment_id])
            out.append((names[tid], pos == "", int(pos or 0), raters[c.rater_id],
                        order.get(c.code, len(order)), c.code,
                        [names[tid], pos, raters[c.rater_id], c.code, value, c.note or ""]))
    out.sort(key=lambda r: r[:6])
    return [r[-1] for r in out]


def write_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 CSV with a header; cells that a spreadsheet would run as a formula are quoted
    as text with a leading apostrophe."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_safe(c) for c in row])
    return buf.getvalue().encode("utf-8")


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") and not _is_number(cell) else cell


def _unquote(cell: str) -> str:
    """Undo `_safe`: a leading apostrophe before = + - @ was added on export."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def _is_number(text: str) -> bool:
    return _number(text) is not None
