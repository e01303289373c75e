"""Commands about who codes which transcript: assignments and the double-coding pick."""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..store import assignments as store
from ..store import meta as m_store

if TYPE_CHECKING:
    from ..store import Connection


def _restore(conn: Connection, before: list[tuple[int, int, int]],
             pairs: list[tuple[int, int]]) -> None:
    store.set_assigned(conn, pairs, False)
    kept = [(t, r) for t, r, _ in before if (t, r) in set(pairs)]
    store.set_assigned(conn, kept, True, {(t, r): d for t, r, d in before})


class Assign:
    """Assign (or un-assign) raters to transcripts."""

    undoable = True

    def __init__(self, transcript_ids: list[int], rater_ids: list[int],
                 assigned: bool = True) -> None:
        self.pairs = [(t, r) for t in transcript_ids for r in rater_ids]
        self.assigned = assigned
        self.text = "Assign transcripts" if assigned else "Remove assignments"
        self._before: list[tuple[int, int, int]] = []

    def _changes(self) -> ChangeSet:
        return ChangeSet(transcripts=frozenset(t for t, _ in self.pairs),
                         raters=frozenset(r for _, r in self.pairs), assignments=True)

    def apply(self, conn: Connection) -> ChangeSet:
        wanted = set(self.pairs)
        self._before = [row for row in store.all_assignments(conn) if row[:2] in wanted]
        store.set_assigned(conn, self.pairs, self.assigned,
                           {(t, r): d for t, r, d in self._before})
        return self._changes()

    def revert(self, conn: Connection) -> ChangeSet:
        _restore(conn, self._before, self.pairs)
        return self._changes()


class PickDoubleCoding:
    """A reproducible random `percent` of the transcripts (at least one) for double coding.
    The same seed over the same transcripts always picks the same ones; the seed and the pick
    are stored and logged. After `apply`, `chosen` and `seed` say what was picked."""

    undoable = True

    def __init__(self, transcript_ids: list[int], percent: float, seed: int | None = None,
                 actor_id: int | None = None) -> None:
        if not 0 < percent <= 100:
            raise SessionCoderError("the share for double coding must be between 0 and 100%")
        ids = sorted(transcript_ids)
        if not ids:
            raise SessionCoderError("there are no transcripts to choose from")
        self.percent = percent
        self.seed = random.SystemRandom().randrange(1, 10**6) if seed is None else int(seed)
        k = max(1, math.ceil(len(ids) * percent / 100))
        self.chosen = sorted(random.Random(self.seed).sample(ids, k))
        self.actor_id = actor_id
        self.text = f"Pick {percent:g}% for double coding"
        self._before: tuple = ()

    def apply(self, conn: Connection) -> ChangeSet:
        self._before = (m_store.get(conn, "double_coding_seed"),
                        m_store.get(conn, "double_coding_percent"), store.double_coded(conn))
        m_store.put(conn, "double_coding_seed", str(self.seed))
        m_store.put(conn, "double_coding_percent", str(self.percent))
        store.set_double_coding(conn, self.chosen)
        m_store.log_event(conn, self.actor_id, "double_coding",
                          f"{self.percent:g}% seed {self.seed}: transcripts {self.chosen}")
        return ChangeSet(transcripts=frozenset(self.chosen), assignments=True)

    def revert(self, conn: Connection) -> ChangeSet:
        seed, percent, flagged = self._before
        m_store.put(conn, "double_coding_seed", seed)
        m_store.put(conn, "double_coding_percent", percent)
        store.set_double_coding(conn, flagged)
        m_store.log_event(conn, self.actor_id, "double_coding", "pick undone")
        return ChangeSet(transcripts=frozenset(self.chosen) | frozenset(flagged),
                         assignments=True)
