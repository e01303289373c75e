"""Project part: raters, the event log, and the blind-mode switch (commands)."""

from __future__ import annotations

from collections.abc import Callable

from ..coding.raters import AddRater, SetBlind
from ..errors import SessionCoderError
from ..model import Rater
from ..store import Store
from ..store import codings as store
from ..store import meta as m_store
from .access import AccessPolicy


class Raters:
    def __init__(self, store: Store, access: AccessPolicy, perform: Callable) -> None:
        self._store, self._access, self._perform = store, access, perform

    def list(self) -> list[Rater]:
        with self._store.read() as conn:
            return store.raters(conn)

    def get(self, name_or_id: str | int) -> Rater:
        for r in self.list():
            if r.id == name_or_id or r.name == name_or_id:
                return r
        raise SessionCoderError(f"no rater {name_or_id!r} in this project")

    def add(self, name: str, initials: str | None = None, role: str = "rater") -> Rater:
        command = AddRater(name, initials, role, self._access.viewer_id)
        self._perform(command)
        return command.rater

    def set_blind(self, blind: bool):
        """Only a signed-in supervisor may turn blinding off; the act is logged."""
        return self._perform(SetBlind(blind, self._access.viewer_id))

    def events(self) -> list[dict]:
        with self._store.read() as conn:
            return m_store.events(conn)
