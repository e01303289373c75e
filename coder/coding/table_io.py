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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..commands import ChangeSet
from ..errors import InputError
from .scope import applies_to, scope_text
from ..store import codebooks as cb_store
from ..store import codings as store
from ..store import transcripts as t_store

if TYPE_CHECKING:
    from ..store import Connection

COLUMNS = ("transcript", "segment", "rater", "code", "value", "note")
REQUIRED = ("transcript", "segment", "rater", "code")


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every data row of a CSV or XLSX file."""
    from ..importers.spreadsheets import csv_rows, sniff_delimiter, xlsx_rows
    from ..textdecode import decode
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror})", file=str(path)) from None
    if path.suffix.lower() == ".xlsx":
        rows = xlsx_rows(data, name, None)
    else:
        text, _ = decode(data, name)
        rows = csv_rows(text, name, sniff_delimiter(text))
    rows = [(n, cells) for n, cells in rows if any(str(c).strip() for c in cells)]
    if not rows:
        raise InputError("the table is empty", file=name)
    header_row, header = rows[0]
    keys = [str(h).strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; the columns must be "
                         f"{', '.join(COLUMNS)} (found: {', '.join(map(str, header))})",
                         file=name, line=header_row)
    out = []
    for number, cells in rows[1:]:
        cells = [_unquote(("" if c is None else str(c)).strip()) for c in cells]
        out.append((number, {k: (cells[i] if i < len(cells) else "") for i, k in enumerate(keys)}))
    return out


class RaterNamesError(InputError):
    """The table is fine except for new rater names that look like misspellings: importing
    again with `new_raters=True` would create them (the app asks the user)."""


@dataclass(frozen=True)
class _Planned:
    row: int
    transcript_id: int
    segment_id: int | None
    rater: str
    code: str
    value: float | None
    note: str | None


def _find_transcript(infos: dict, name: str):
    """(info, None) for a transcript named exactly so, or without its extension when that is
    unambiguous; else (None, the problem in words)."""
    if name in infos:
        return infos[name], None
    stem = [t for n, t in infos.items() if Path(n).stem == name]
    if len(stem) == 1:
        return stem[0], None
    if stem:
        return None, (f"transcript {name!r} is ambiguous: "
                      + ", ".join(sorted(t.name for t in stem)) + "; give the full name")
    return None, f"unknown transcript {name!r}"


def _codeable_units(conn: Connection, tid: int, codebook: Codebook) -> list[int]:
    """Units of a transcript that some code of the codebook applies to (its speaker role and
    unit kind): the units `--complete` marks completed."""
    codes = [e.code for e in codebook.codes() if not e.code.archived]
    out = []
    roles = t_store.turn_roles(conn, tid)
    for kind in ("turn", "sentence", "window"):
        for sid, turn_id in t_store.unit_turns(conn, tid, kind):
            role = roles.get(turn_id, "") if turn_id is not None else ""
            if any(applies_to(c, kind, role) for c in codes):
                out.append(sid)
    return out


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


class ImportCodings:
    """Import a long table of codings; with `complete`, mark every unit of each transcript
    in it that some code applies to as completed by each rater who appears for that
    transcript (a unit no code can apply to is never "not applied")."""

    def __init__(self, path: Path, codebook: Codebook, complete: bool = False,
                 new_raters: bool = False) -> None:
        self.path, self.codebook, self.complete = Path(path), codebook, complete
        self.new_raters = new_raters      # create new raters even when they look like typos
        self.rows = read_rows(self.path)
        self.created_names: list[str] = []
        self.text = f"Import codings from {self.path.name}"
        self.summary = ""
        self._inserted: list[int] = []
        self._replaced: list[dict] = []
        self._raters_created: list[int] = []
        self._completed: list[tuple[int, list[int]]] = []

    def authorize(self, policy) -> None:
        """Writing any rater's codings from a table is a supervisor's act in a protected
        project."""
        policy.check_bulk_codings()

    def _plan(self, conn: Connection) -> list[_Planned]:
        name = self.path.name
        infos = {t.name: t for t in t_store.list_infos(conn)}
        units: dict[tuple[int, str], dict[int, tuple[int, str]]] = {}

        def unit_map(tid: int, kind: str) -> dict[int, tuple[int, str]]:
            if (tid, kind) not in units:
                units[(tid, kind)] = {s.position: (s.id, s.role)
                                      for s in t_store.segments_of(conn, tid, kind)}
            return units[(tid, kind)]

        errors: list[str] = []
        planned: list[_Planned] = []
        seen: set[tuple] = set()
        categories: set[tuple] = set()
        for number, row in self.rows:
            def fail(msg: str, col: str) -> None:
                errors.append(f"{name}:{number}: {msg} (column {col})")
            bad = next((c for c in COLUMNS if _unusable_number(row.get(c, ""))), None)
            if bad is not None:
                fail(f"{row[bad][:30]!r} is not a usable value (not a number, infinite or too "
                     "large; a missing value must be an empty cell)", bad)
                continue
            info, problem = _find_transcript(infos, row.get("transcript", ""))
            if info is None:
                fail(problem, "transcript")
                continue
            try:
                entry = self.codebook.entry(row.get("code", ""))
            except KeyError:
                fail(f"unknown code {row.get('code', '')!r}", "code")
                continue
            code = entry.code
            rater = row.get("rater", "")
            if not rater:
                fail("no rater", "rater")
                continue
            value_text, seg_text = row.get("value", ""), row.get("segment", "")
            value = None
            if code.kind in ("rating", "global"):
                value = _number(value_text)
                if value is None or value != int(value) or not (
                        code.scale.min <= value <= code.scale.max):
                    fail(f"{code.id} needs a whole number from {code.scale.min} to "
                         f"{code.scale.max}, not {value_text!r}", "value")
                    continue
            elif value_text:
                fail(f"{code.id} is a {code.kind} code and takes no value", "value")
                continue
            segment_id = None
            if code.kind == "global":
                if seg_text:
                    fail(f"{code.id} is a session global: leave segment empty", "segment")
                    continue
            else:
                kind = "window" if code.unit == "window" else (
                    "turn" if info.unit == "window" else info.unit)
                pos = _number(seg_text)
                mapping = unit_map(info.id, kind)
                if pos is None or pos != int(pos) or int(pos) not in mapping:
                    fail(f"segment {seg_text!r} is not a {kind} of {info.name} "
                         f"(1-{len(mapping)})", "segment")
                    continue
                segment_id, role = mapping[int(pos)]
                if not applies_to(code, kind, role):
                    fail(f"{code.id} applies to {scope_text(code)}, not to {kind} {int(pos)} "
                         f"({role or 'no role'})", "code")
                    continue
            key = (info.id, segment_id, rater.casefold(), code.id)
            if key in seen:
                fail("the same rater, unit and code appear twice", "code")
                continue
            seen.add(key)
            if code.kind == "category":
                set_key = (info.id, segment_id, rater.casefold(), entry.group.id)
                if set_key in categories:
                    fail(f"two categories of the set '{entry.group.label}' on one unit", "code")
                    continue
                categories.add(set_key)
            planned.append(_Planned(number, info.id, segment_id, rater, code.id, value,
                                    row.get("note") or None))
        misspelt = [] if self.new_raters else self._misspelt_raters(conn, planned)
        errors.extend(misspelt)
        if errors:
            shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
            kind = RaterNamesError if len(misspelt) == len(errors) else InputError
            raise kind(f"nothing was imported; {len(errors)} problem(s) to fix:\n"
                       + "\n".join(shown))
        return planned

    def _misspelt_raters(self, conn: Connection, planned: list[_Planned]) -> list[str]:
        from .rater_names import rows_text, suspects
        known = [r.name for r in store.raters(conn)]
        folded = {k.casefold() for k in known}
        new: dict[str, list[int]] = {}
        spelled: dict[str, str] = {}
        for p in planned:
            key = p.rater.casefold()
            if key not in folded:
                new.setdefault(spelled.setdefault(key, p.rater), []).append(p.row)
        return [f"{self.path.name}: new rater '{s.name}' ({rows_text(s.rows)}) is probably a "
                f"misspelling (did you mean '{s.like}'?); correct it, or allow new raters with "
                "similar names (--new-raters) (column rater)"
                for s in suspects(new, known)]

    def apply(self, conn: Connection) -> ChangeSet:
        planned = self._plan(conn)
        raters = {r.name.casefold(): r for r in store.raters(conn, include_consensus=True)}
        for p in planned:
            if p.rater.casefold() not in raters:
                initials = "".join(w[0] for w in p.rater.split()[:3]).upper() or "R"
                r = store.add_rater(conn, p.rater, initials, "rater")
                raters[p.rater.casefold()] = r
                self._raters_created.append(r.id)
                self.created_names.append(r.name)
        ids = store.code_ids_by_key(conn)
        version = cb_store.latest_version(conn)
        new_rows = []
        for p in planned:
            rid, cid = raters[p.rater.casefold()].id, ids[p.code]
            old = store.find_coding(conn, rid, cid, p.segment_id, p.transcript_id)
            if old is not None:
                self._replaced.append(old)
                store.delete_ids(conn, [old["id"]])
            new_rows.append({"transcript_id": p.transcript_id, "segment_id": p.segment_id,
                             "rater_id": rid, "code_id": cid, "value": p.value,
                             "span_start": None, "span_end": None, "note": p.note,
                             "codebook_version": version, "created_at": store.now()})
        self._inserted = store.insert_codings(conn, new_rows)
        done = 0
        if self.complete:
            pairs = {(p.transcript_id, raters[p.rater.casefold()].id) for p in planned}
            codeable: dict[int, list[int]] = {}
            for tid, rid in sorted(pairs):
                if tid not in codeable:
                    codeable[tid] = _codeable_units(conn, tid, self.codebook)
                new = store.mark_completed(conn, codeable[tid], rid)
                self._completed.append((rid, new))
                done += len(new)
        self.summary = (f"{len(planned)} coding(s) imported ({len(self._replaced)} replaced), "
                        f"{len(self._raters_created)} new rater(s)"
                        + (f" ({', '.join(self.created_names)})" if self.created_names else "")
                        + (f", {done} unit(s) marked completed" if self.complete else ""))
        return ChangeSet(segments=frozenset(p.segment_id for p in planned if p.segment_id),
                         transcripts=frozenset(p.transcript_id for p in planned),
                         codes=frozenset(p.code for p in planned),
                         raters=frozenset(r.id for r in raters.values()))

    def revert(self, conn: Connection) -> ChangeSet:
        for rid, seg_ids in self._completed:
            store.unmark_completed(conn, seg_ids, rid)
        store.delete_ids(conn, self._inserted)
        store.restore_rows(conn, self._replaced)
        store.delete_raters(conn, self._raters_created)
        self._inserted, self._replaced, self._raters_created, self._completed = [], [], [], []
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
