"""Project part: who codes which transcript, and the double-coding pick (commands)."""

from __future__ import annotations

from collections.abc import Callable

from ..coding.assignments import Assign, PickDoubleCoding
from ..store import Store
from ..store import assignments as store
from ..store import transcripts as t_store
from .access import AccessPolicy


class Assignments:
    def __init__(self, store: Store, access: AccessPolicy, perform: Callable) -> None:
        self._store, self._access, self._perform = store, access, perform

    def all(self) -> dict[int, list[int]]:
        """transcript id -> rater ids assigned to code it."""
        out: dict[int, list[int]] = {}
        with self._store.read() as conn:
            for tid, rid, _ in store.all_assignments(conn):
                out.setdefault(tid, []).append(rid)
        return out

    def double_coded(self) -> list[int]:
        with self._store.read() as conn:
            return store.double_coded(conn)

    def assign(self, transcript_ids: list[int], rater_ids: list[int], assigned: bool = True):
        return self._perform(Assign(transcript_ids, rater_ids, assigned))

    def pick_double_coding(self, percent: float, seed: int | None = None
                           ) -> tuple[list[int], int]:
        """A reproducible random `percent` of transcripts; returns (transcript ids, seed)."""
        with self._store.read() as conn:
            ids = [i.id for i in t_store.list_infos(conn)]
        command = PickDoubleCoding(ids, percent, seed, self._access.viewer_id)
        self._perform(command)
        return command.chosen, command.seed
