"""Commands behind the supervisor's feedback: episode settings, a transcript's dyad, the
client's session measures (definitions, values, and an all-or-nothing table import)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..analytics.data import EpisodeSettings
from ..analytics.measures import Measure, format_value
from ..commands import ChangeSet
from ..errors import InputError, SessionCoderError
from ..store import feedback as store
from ..store import transcripts as t_store
from ..store.analytics_read import JOIN_KEY, RESOLVE_KEY, read_settings

if TYPE_CHECKING:
    from ..store import Connection


class SetEpisodeSettings:
    """N and M of the episode rule, for this project."""

    def __init__(self, settings: EpisodeSettings) -> None:
        if settings.join_units < 1 or settings.resolve_units < 1:
            raise SessionCoderError("N and M must be whole numbers of units, at least 1")
        self.settings = settings
        self.text = f"Set episode rule N={settings.join_units}, M={settings.resolve_units}"
        self._old: tuple[str | None, str | None] = (None, None)

    def apply(self, conn: Connection) -> ChangeSet:
        self._old = (store.get_meta(conn, JOIN_KEY), store.get_meta(conn, RESOLVE_KEY))
        store.put_meta(conn, JOIN_KEY, str(self.settings.join_units))
        store.put_meta(conn, RESOLVE_KEY, str(self.settings.resolve_units))
        return ChangeSet()

    def revert(self, conn: Connection) -> ChangeSet:
        store.put_meta(conn, JOIN_KEY, self._old[0])
        store.put_meta(conn, RESOLVE_KEY, self._old[1])
        return ChangeSet()


class SetDyad:
    """The therapist or dyad a transcript belongs to (sessions of one dyad form a series)."""

    def __init__(self, transcript_id: int, dyad: str | None) -> None:
        self.tid, self.dyad = transcript_id, (dyad or "").strip() or None
        self.text = f"Set dyad to {self.dyad!r}" if self.dyad else "Clear dyad"
        self._old: str | None = None

    def apply(self, conn: Connection) -> ChangeSet:
        self._old = store.get_dyad(conn, self.tid)
        store.put_dyad(conn, self.tid, self.dyad)
        return ChangeSet(transcripts=frozenset({self.tid}))

    def revert(self, conn: Connection) -> ChangeSet:
        store.put_dyad(conn, self.tid, self._old)
        return ChangeSet(transcripts=frozenset({self.tid}))


class DefineMeasure:
    """Add a client-reported session measure."""

    def __init__(self, measure: Measure) -> None:
        m = measure
        if not m.name.strip():
            raise SessionCoderError("a measure needs a name")
        if not m.min < m.max:
            raise SessionCoderError(f"measure {m.name!r}: the lowest value must be below the "
                                    f"highest ({format_value(m.min)} >= {format_value(m.max)})")
        self.measure = m
        self.text = f"Add measure {m.name!r}"

    def apply(self, conn: Connection) -> ChangeSet:
        known = {m.name.casefold(): m for m in store.measures(conn)}
        if self.measure.name.casefold() in known:
            raise SessionCoderError(f"there is already a measure named {self.measure.name!r}")
        parent = self.measure.parent
        if parent and parent.casefold() not in known:
            raise SessionCoderError(f"measure {self.measure.name!r}: no measure {parent!r} "
                                    "to be a sub-scale of")
        store.insert_measure(conn, self.measure)
        return ChangeSet()

    def revert(self, conn: Connection) -> ChangeSet:
        store.delete_measure(conn, self.measure.name)
        return ChangeSet()


class SetMeasureValues:
    """Enter (or clear, with None) a session's values: {measure name: value or None}."""

    def __init__(self, transcript_id: int, values: dict[str, float | None]) -> None:
        self.tid, self.values = transcript_id, dict(values)
        self.text = "Enter session measures"
        self._old: dict[int, float | None] = {}

    def apply(self, conn: Connection) -> ChangeSet:
        defs = {m.name: m for m in store.measures(conn)}
        ids = store.measure_ids(conn)
        for name, value in self.values.items():
            if name not in defs:
                raise SessionCoderError(f"no measure named {name!r}")
            if value is not None and (why := defs[name].check(value)):
                raise SessionCoderError(why)
        self._old = {}
        for name, value in self.values.items():
            mid = ids[name]
            self._old[mid] = store.get_value(conn, self.tid, mid)
            store.put_value(conn, self.tid, mid, value)
        return ChangeSet(transcripts=frozenset({self.tid}))

    def revert(self, conn: Connection) -> ChangeSet:
        for mid, value in self._old.items():
            store.put_value(conn, self.tid, mid, value)
        return ChangeSet(transcripts=frozenset({self.tid}))


MEASURE_COLUMNS = ("transcript", "measure", "value")


def read_measure_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) from a CSV or XLSX table with the columns above."""
    from ..importers.spreadsheets import csv_rows, sniff_delimiter, xlsx_rows
    from ..textdecode import decode
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror})", file=str(path)) from None
    if path.suffix.lower() == ".xlsx":
        rows = xlsx_rows(data, path.name, None)
    else:
        text, _ = decode(data, path.name)
        rows = csv_rows(text, path.name, sniff_delimiter(text))
    rows = [(n, cells) for n, cells in rows if any(str(c or "").strip() for c in cells)]
    if not rows:
        raise InputError("the table is empty", file=path.name)
    header_row, header = rows[0]
    keys = [str(h or "").strip().lower() for h in header]
    missing = [c for c in MEASURE_COLUMNS if c not in keys]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; the columns must be "
                         f"{', '.join(MEASURE_COLUMNS)}", file=path.name, line=header_row)
    return [(n, {k: ("" if i >= len(cells) or cells[i] is None else str(cells[i]).strip())
                 for i, k in enumerate(keys)}) for n, cells in rows[1:]]


class ImportMeasures:
    """Import a table of (transcript, measure, value): every row is checked first and nothing
    is stored if any is wrong; then it is one undoable step."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows = read_measure_rows(self.path)
        self.text = f"Import measures from {self.path.name}"
        self.summary = ""
        self._inner: list[SetMeasureValues] = []

    def _plan(self, conn: Connection) -> dict[int, dict[str, float]]:
        name = self.path.name
        infos = {t.name: t.id for t in t_store.list_infos(conn)}
        stems = {}
        for t in infos:
            stems.setdefault(Path(t).stem, []).append(t)
        defs = {m.name.casefold(): m for m in store.measures(conn)}
        errors: list[str] = []
        plan: dict[int, dict[str, float]] = {}
        seen: set[tuple[int, str]] = set()
        for number, row in self.rows:
            def fail(msg: str, col: str) -> None:
                errors.append(f"{name}:{number}: {msg} (column {col})")
            t = row.get("transcript", "")
            tid = infos.get(t)
            if tid is None and len(stems.get(t, [])) == 1:
                tid = infos[stems[t][0]]
            if tid is None:
                fail(f"unknown transcript {t!r}", "transcript")
                continue
            m = defs.get(row.get("measure", "").casefold())
            if m is None:
                known = ", ".join(d.name for d in defs.values()) or "none defined yet"
                fail(f"unknown measure {row.get('measure', '')!r} (measures: {known})",
                     "measure")
                continue
            text = row.get("value", "")
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                fail(f"{text!r} is not a number", "value")
                continue
            if (why := m.check(value)):
                fail(why, "value")
                continue
            if (tid, m.name) in seen:
                fail(f"{m.name} appears twice for {t}", "measure")
                continue
            seen.add((tid, m.name))
            plan.setdefault(tid, {})[m.name] = value
        if errors:
            shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
            raise InputError(f"nothing was imported; {len(errors)} row(s) need fixing:\n"
                             + "\n".join(shown))
        return plan

    def apply(self, conn: Connection) -> ChangeSet:
        plan = self._plan(conn)
        self._inner = [SetMeasureValues(tid, vals) for tid, vals in sorted(plan.items())]
        changed = ChangeSet()
        for cmd in self._inner:
            changed = changed | cmd.apply(conn)
        n = sum(len(v) for v in plan.values())
        self.summary = f"{n} value(s) imported for {len(plan)} transcript(s)"
        return changed

    def revert(self, conn: Connection) -> ChangeSet:
        changed = ChangeSet()
        for cmd in reversed(self._inner):
            changed = changed | cmd.revert(conn)
        return changed


def current_settings(conn: Connection) -> EpisodeSettings:
    return read_settings(conn)
