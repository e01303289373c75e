"""Commands about who codes: adding a rater, turning blinding on or off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..model import RATER_ROLES, Rater
from ..store import assignments as a_store
from ..store import codings as store
from ..store import meta as m_store

if TYPE_CHECKING:
    from ..project.access import AccessPolicy
    from ..store import Connection


def initials_of(name: str) -> str:
    return "".join(w[0] for w in name.split()[:3]).upper()


class AddRater:
    """Register a rater (or a supervisor, or a master coder). Undo removes them again."""

    undoable = True

    def __init__(self, name: str, initials: str | None = None, role: str = "rater",
                 actor_id: int | None = None) -> None:
        name = " ".join(name.split())
        if not name:
            raise SessionCoderError("a rater needs a name")
        if role not in RATER_ROLES:
            raise SessionCoderError(f"unknown rater role {role!r}; use {', '.join(RATER_ROLES)}")
        self.name, self.role = name, role
        self.initials = initials or initials_of(name)
        self.actor_id = actor_id
        self.text = f"Add {role} '{name}'"
        self.rater: Rater | None = None
        self._event: int | None = None

    def authorize(self, policy: AccessPolicy) -> None:
        policy.check_new_rater(self.role)

    def apply(self, conn: Connection) -> ChangeSet:
        if any(r.name.casefold() == self.name.casefold() for r in store.raters(conn)):
            raise SessionCoderError(f"there is already a rater called {self.name!r}")
        self.rater = store.add_rater(conn, self.name, self.initials, self.role)
        self._event = m_store.log_event(conn, self.actor_id, "rater_added",
                                        f"{self.role} {self.name}")
        return ChangeSet(raters=frozenset({self.rater.id}))

    def revert(self, conn: Connection) -> ChangeSet:
        rid = self.rater.id
        a_store.delete_rater(conn, rid)
        if self._event is not None:
            m_store.drop_event(conn, self._event)
        return ChangeSet(raters=frozenset({rid}))


class SetBlind:
    """Turn blind mode on or off. Only a signed-in supervisor may turn it off; the act is
    logged either way."""

    undoable = True

    def __init__(self, blind: bool, actor_id: int | None = None) -> None:
        self.blind = blind
        self.actor_id = actor_id
        self.text = "Blind mode on" if blind else "Lift blinding"
        self._before: str | None = None

    def authorize(self, policy: AccessPolicy) -> None:
        if not self.blind:
            policy.check_lift_blinding()

    def apply(self, conn: Connection) -> ChangeSet:
        self._before = m_store.get(conn, "blind")
        m_store.put(conn, "blind", "1" if self.blind else "0")
        m_store.log_event(conn, self.actor_id, "blinding", "on" if self.blind else "off")
        return ChangeSet(blinding=True)

    def revert(self, conn: Connection) -> ChangeSet:
        m_store.put(conn, "blind", self._before)
        m_store.log_event(conn, self.actor_id, "blinding",
                          "on" if (self._before or "1") == "1" else "off")
        return ChangeSet(blinding=True)


class ProtectSupervisorRole:
    """Set (or change) the supervisor passphrase; only its salted scrypt hash is stored.
    Changing it needs the current one. Not undoable (it is a security setting); logged."""

    undoable = False

    def __init__(self, passphrase: str, actor_id: int | None = None) -> None:
        from ..project.passphrase import hash_passphrase
        self._hash = hash_passphrase(passphrase)
        self.actor_id = actor_id
        self.text = "Protect the supervisor role"

    def authorize(self, policy: AccessPolicy) -> None:
        policy.check_protect()

    def apply(self, conn: Connection) -> ChangeSet:
        changed = m_store.get(conn, "supervisor_passphrase") is not None
        m_store.put(conn, "supervisor_passphrase", self._hash)
        m_store.log_event(conn, self.actor_id, "protection",
                          "passphrase changed" if changed else "passphrase set")
        return ChangeSet(settings=True)

    def revert(self, conn: Connection) -> ChangeSet:
        raise SessionCoderError("setting the passphrase cannot be undone; set a new one")
