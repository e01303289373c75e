"""ProjectService part: raters, blinding, assignments, codings and completed units.

Blinding is enforced here, not in the UI: while a project is blind, `visible_raters` is the
signed-in rater alone, and every query of codings that a view makes goes through it.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone

from sqlalchemy import delete, insert, select, update

from ..errors import SessionCoderError
from ..model import RATER_ROLES, CodingView, Rater
from ..store import codings as store
from ..store import transcripts as rows
from ..store.schema import assignment, event_log, meta, segment


class BlindingError(SessionCoderError):
    """An act that blinding does not allow."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CodingAccess:
    viewer: Rater | None = None

    # -- raters ----------------------------------------------------------------------------
    def raters(self) -> list[Rater]:
        with self._engine.connect() as conn:
            return store.raters(conn)

    def rater(self, name_or_id: str | int) -> Rater:
        for r in self.raters():
            if r.id == name_or_id or r.name == name_or_id:
                return r
        raise SessionCoderError(f"no rater {name_or_id!r} in this project")

    def add_rater(self, name: str, initials: str | None = None, role: str = "rater") -> Rater:
        self._writable()
        name = " ".join(name.split())
        if not name:
            raise SessionCoderError("a rater needs a name")
        if role not in RATER_ROLES:
            raise SessionCoderError(f"unknown rater role {role!r}; use {', '.join(RATER_ROLES)}")
        if any(r.name.casefold() == name.casefold() for r in self.raters()):
            raise SessionCoderError(f"there is already a rater called {name!r}")
        initials = initials or "".join(w[0] for w in name.split()[:3]).upper()
        with self._engine.begin() as conn:
            return store.add_rater(conn, name, initials, role)

    def sign_in(self, rater_id: int) -> Rater:
        """Who is coding in this session; blinding and the views follow from it."""
        self.viewer = self.rater(rater_id)
        return self.viewer

    # -- blinding ----------------------------------------------------------------------------
    def _meta(self, key: str, default: str | None = None) -> str | None:
        with self._engine.connect() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
        return default if value is None else value

    def _set_meta(self, conn, key: str, value: str) -> None:
        if conn.execute(select(meta.c.key).where(meta.c.key == key)).first() is None:
            conn.execute(insert(meta).values(key=key, value=value))
        else:
            conn.execute(update(meta).where(meta.c.key == key).values(value=value))

    _blind: bool | None = None

    @property
    def blind(self) -> bool:
        """Blind mode (the default): raters see only their own codings. Only this service
        (the project's one writer) changes it, so it is read once."""
        if self._blind is None:
            self._blind = self._meta("blind", "1") == "1"
        return self._blind

    def set_blind(self, blind: bool) -> None:
        """Only a signed-in supervisor may turn blinding off; the act is logged."""
        self._writable()
        if not blind and (self.viewer is None or self.viewer.role != "supervisor"):
            raise BlindingError("only a supervisor can turn blinding off")
        self._blind = None
        with self._engine.begin() as conn:
            self._set_meta(conn, "blind", "1" if blind else "0")
            conn.execute(insert(event_log).values(
                at=_now(), rater_id=None if self.viewer is None else self.viewer.id,
                kind="blinding", detail="on" if blind else "off"))

    #: The desktop app sets this: there, blinding applies even before anyone has signed in,
    #: while headless use (the CLI, scripts) with no one signed in sees every rater.
    interactive: bool = False

    def blinding_applies(self) -> bool:
        """Whether this session must hide other raters' work (one rule for every view)."""
        return self.blind and (self.viewer is not None or self.interactive)

    def visible_raters(self) -> list[int]:
        """Whose codings the signed-in rater may see now."""
        if self.viewer is None:
            raise BlindingError("sign in as a rater first")
        if self.blind:
            return [self.viewer.id]
        return [r.id for r in self.raters()]

    def events(self) -> list[dict]:
        with self._engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(event_log).order_by(event_log.c.id))
                    .mappings()]

    # -- assignments -------------------------------------------------------------------------
    def assignments(self) -> dict[int, list[int]]:
        """transcript id -> rater ids assigned to code it."""
        out: dict[int, list[int]] = {}
        with self._engine.connect() as conn:
            for tid, rid in conn.execute(select(assignment.c.transcript_id,
                                                assignment.c.rater_id)
                                         .order_by(assignment.c.transcript_id,
                                                   assignment.c.rater_id)):
                out.setdefault(tid, []).append(rid)
        return out

    def assign(self, transcript_ids: list[int], rater_ids: list[int],
               assigned: bool = True) -> None:
        self._writable()
        with self._engine.begin() as conn:
            for tid in transcript_ids:
                for rid in rater_ids:
                    conn.execute(delete(assignment).where(assignment.c.transcript_id == tid,
                                                          assignment.c.rater_id == rid))
                    if assigned:
                        conn.execute(insert(assignment).values(
                            transcript_id=tid, rater_id=rid, double_coding=0,
                            created_at=_now()))

    def pick_double_coding(self, percent: float, seed: int | None = None) -> tuple[list[int], int]:
        """A reproducible random `percent` of transcripts (at least one) for double coding.

        The same seed over the same transcripts always picks the same ones; the seed and the
        pick are stored and logged. Returns (transcript ids, seed)."""
        self._writable()
        if not 0 < percent <= 100:
            raise SessionCoderError("the share for double coding must be between 0 and 100%")
        seed = random.SystemRandom().randrange(1, 10**6) if seed is None else int(seed)
        ids = sorted(t.id for t in self.transcripts())
        if not ids:
            raise SessionCoderError("there are no transcripts to choose from")
        k = max(1, math.ceil(len(ids) * percent / 100))
        chosen = sorted(random.Random(seed).sample(ids, k))
        with self._engine.begin() as conn:
            self._set_meta(conn, "double_coding_seed", str(seed))
            self._set_meta(conn, "double_coding_percent", str(percent))
            conn.execute(update(assignment).values(double_coding=0))
            conn.execute(update(assignment).where(assignment.c.transcript_id.in_(chosen))
                         .values(double_coding=1))
            conn.execute(insert(event_log).values(
                at=_now(), rater_id=None if self.viewer is None else self.viewer.id,
                kind="double_coding",
                detail=f"{percent:g}% seed {seed}: transcripts {chosen}"))
        return chosen, seed

    # -- codings as tables -------------------------------------------------------------------
    def import_codings(self, path, complete: bool = False):
        """Import a long table of codings (CSV/XLSX) as one command; returns it (its
        `summary` says what was done). Nothing is imported if any row is wrong."""
        from ..coding.table_io import ImportCodings
        book = self.codebook()
        if book is None:
            raise SessionCoderError("this project has no codebook yet")
        command = ImportCodings(path, book, complete)
        self.perform(command)
        return command

    def export_codings(self, path) -> int:
        """Write codings as CSV (all raters headless; only your own while blind in the app).
        Returns the number of rows."""
        from ..atomic import write_atomic
        from ..coding.table_io import export_rows, write_csv
        raters = None if self.viewer is None else self.visible_raters()
        with self._engine.connect() as conn:
            rows = export_rows(conn, self.codebook(), raters)
        write_atomic(path, write_csv(rows))
        return len(rows)

    # -- codings (always through blinding) -------------------------------------------------
    def codings_on(self, segment_ids: list[int]) -> list[CodingView]:
        """Codings the signed-in rater may see on these units."""
        with self._engine.connect() as conn:
            return store.codings_on_segments(conn, segment_ids, self.visible_raters())

    def session_globals(self, transcript_id: int) -> list[CodingView]:
        with self._engine.connect() as conn:
            return store.codings_of_transcript(conn, transcript_id, self.visible_raters(),
                                               globals_only=True)

    def completed_units(self, segment_ids: list[int], rater_id: int | None = None) -> set[int]:
        rid = self._own(rater_id)
        with self._engine.connect() as conn:
            return store.completed(conn, segment_ids, rid)

    def progress(self, transcript_id: int, kind: str, rater_id: int | None = None
                 ) -> tuple[int, int]:
        """(completed units, all units) of one kind for a rater (default: the signed-in one)."""
        rid = self._own(rater_id)
        with self._engine.connect() as conn:
            return store.progress(conn, transcript_id, kind, rid)

    def segment_notes(self, segment_ids: list[int]) -> dict[int, str]:
        with self._engine.connect() as conn:
            return store.segment_notes(conn, segment_ids, self._own(None))

    def _own(self, rater_id: int | None) -> int:
        if self.viewer is None:
            raise BlindingError("sign in as a rater first")
        rid = self.viewer.id if rater_id is None else rater_id
        if rid not in self.visible_raters():
            raise BlindingError("blind mode: another rater's work is not visible")
        return rid

    def unit_positions(self, transcript_id: int, kind: str) -> dict[int, int]:
        """segment id -> 1-based position, for one kind of unit of a transcript."""
        with self._engine.connect() as conn:
            return dict(conn.execute(select(segment.c.id, segment.c.position).where(
                segment.c.transcript_id == transcript_id, segment.c.kind == kind)).all())

    def next_unfinished(self, transcript_id: int, kind: str, after: int = 0) -> int | None:
        """Position of the first unit after `after` that the signed-in rater has not
        completed (wrapping round to the start); None when all are done."""
        positions = self.unit_positions(transcript_id, kind)
        done = self.completed_units(list(positions))
        todo = sorted(p for sid, p in positions.items() if sid not in done)
        if not todo:
            return None
        return next((p for p in todo if p > after), todo[0])

    def positions_with_code(self, transcript_id: int, kind: str, code_id: str) -> list[int]:
        """Positions of units where a visible rater applied `code_id`."""
        positions = self.unit_positions(transcript_id, kind)
        with self._engine.connect() as conn:
            views = store.codings_on_segments(conn, list(positions), self.visible_raters())
        return sorted({positions[v.segment_id] for v in views if v.code == code_id})

    def search_units(self, transcript_id: int, kind: str, pattern: str,
                     regex: bool = False) -> list[int]:
        """Positions of units whose text matches `pattern` (case-insensitive)."""
        import re
        try:
            rx = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE)
        except re.error as exc:
            raise SessionCoderError(f"not a valid regular expression: {exc}") from None
        with self._engine.connect() as conn:
            units = rows.segments_of(conn, transcript_id, kind)
        return [u.position for u in units if rx.search(u.text)]
