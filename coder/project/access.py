"""The access policy: who is signed in, their role, whether the project is blind or protected,
and so what they may read and do. Every part of the project asks it; it is the only place the
blinding rule is written (DESIGN.md rule 2).

The rule:
- A blind project (the default) shows a signed-in rater only their own codings. In the desktop
  app (``interactive``) blinding applies even before anyone signs in; headless use (CLI,
  scripts) of an unprotected project with nobody signed in reads every rater.
- A project may be protected by a supervisor passphrase. Then creating a supervisor, signing
  in as one, lifting blinding and reading other raters' codings need it; an open with nobody
  signed in and no passphrase sees the structure (transcripts, codebook) and no codings.
- Only a supervisor may lift blinding. Reliability, which compares raters, is refused while
  any rater's codings are hidden.

The state changes only through :meth:`sign_in`, :meth:`sign_out` and :meth:`unlock` (which
checks the passphrase); it has no setters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import SessionCoderError
from ..model import Rater
from .passphrase import verify_passphrase


class BlindingError(SessionCoderError):
    """An act that blinding (or the signed-in role) does not allow."""


EXPORT_BLIND = ("blind mode: you can export only your own codings (a supervisor can turn "
                "blinding off)")
RELIABILITY_BLIND = ("reliability needs every rater's codings, and this project is blind: "
                     "a supervisor can turn blinding off to compute it")
PROTECTED = ("this project is protected by a supervisor passphrase: {what} needs it "
             "(the app asks for it; scripts set SESSION_CODER_PASSPHRASE)")


@dataclass(frozen=True)
class AccessFacts:
    """Everything the policy's answers depend on, as a value: what a job in another process
    needs to apply exactly this session's access decision (no new sign-in, no passphrase)."""

    blind: bool
    protected: bool
    unlocked: bool
    interactive: bool
    viewer: Rater | None


class AccessPolicy:
    """One per open project. The project passes in how to read the stored flags and the
    raters, so the policy holds no SQL."""

    def __init__(self, read_blind: Callable[[], bool],
                 all_raters: Callable[[], list[Rater]], *, interactive: bool = False,
                 read_passphrase: Callable[[], str | None] = lambda: None) -> None:
        self._read_blind = read_blind
        self._all_raters = all_raters
        self._read_passphrase = read_passphrase
        self._blind: bool | None = None
        self._stored: str | None | bool = False        # False: not read yet
        self._viewer: Rater | None = None
        self._unlocked = False
        #: The desktop app sets this: blinding then applies before anyone signs in.
        self.interactive = interactive

    # -- state ---------------------------------------------------------------------------
    @property
    def blind(self) -> bool:
        if self._blind is None:
            self._blind = self._read_blind()
        return self._blind

    @property
    def protected(self) -> bool:
        """Whether a supervisor passphrase is set."""
        if self._stored is False:
            self._stored = self._read_passphrase()
        return self._stored is not None

    @property
    def unlocked(self) -> bool:
        """Whether the supervisor passphrase was given in this session (or none is set)."""
        return self._unlocked or not self.protected

    def facts(self) -> AccessFacts:
        """This session's state as a value (see :meth:`from_facts`)."""
        return AccessFacts(self.blind, self.protected, self._unlocked, self.interactive,
                           self._viewer)

    @classmethod
    def from_facts(cls, facts: AccessFacts,
                   all_raters: Callable[[], list[Rater]]) -> AccessPolicy:
        """A policy that answers as the one whose :meth:`facts` these are: the flags are the
        given ones, not read again, and the viewer and unlocking are taken as they were
        (a job in a child process; the parent has already decided who this is)."""
        policy = cls(lambda: facts.blind, all_raters, interactive=facts.interactive,
                     read_passphrase=lambda: "" if facts.protected else None)
        policy._blind = facts.blind
        policy._stored = "" if facts.protected else None
        policy._viewer = facts.viewer
        policy._unlocked = facts.unlocked
        return policy

    def forget(self) -> None:
        """The stored flags changed (a command said so): read them again when asked."""
        self._blind = None
        self._stored = False

    @property
    def viewer(self) -> Rater | None:
        return self._viewer

    @property
    def viewer_id(self) -> int | None:
        return None if self._viewer is None else self._viewer.id

    @property
    def is_supervisor(self) -> bool:
        return self._viewer is not None and self._viewer.role == "supervisor" and self.unlocked

    def unlock(self, passphrase: str | None) -> None:
        """Give the supervisor passphrase for this session; a wrong one is refused."""
        if not self.protected:
            return
        if passphrase is None or not verify_passphrase(passphrase, self._stored):
            raise BlindingError("wrong supervisor passphrase")
        self._unlocked = True

    def sign_in(self, rater: Rater, passphrase: str | None = None) -> Rater:
        """Who is coding in this session; what they may see follows from it. Signing in as
        a supervisor of a protected project needs the passphrase."""
        keep = self._unlocked and self._viewer is None and rater.role == "supervisor"
        self._unlocked = False
        if rater.role == "supervisor" and self.protected and not keep:
            if passphrase is None:
                raise BlindingError(PROTECTED.format(what="signing in as a supervisor"))
            self.unlock(passphrase)
        elif keep:
            self._unlocked = True
        self._viewer = rater
        return rater

    def sign_out(self) -> None:
        self._viewer = None
        self._unlocked = False

    # -- the blinding rule ---------------------------------------------------------------
    def readable_raters(self) -> list[int] | None:
        """Whose codings may be read now: None means every rater's."""
        if self._viewer is None and not self.unlocked:
            return []                               # protected: the structure, no codings
        if self.blind and (self._viewer is not None or self.interactive):
            return [] if self._viewer is None else [self._viewer.id]
        return None

    def blinding_applies(self) -> bool:
        """Whether some rater's codings are hidden from this session."""
        return self.readable_raters() is not None

    def visible_raters(self) -> list[int]:
        """Whose codings the signed-in rater may see now (views of the workspace)."""
        if self._viewer is None:
            raise BlindingError("sign in as a rater first")
        readable = self.readable_raters()
        return [r.id for r in self._all_raters()] if readable is None else readable

    def own(self, rater_id: int | None = None) -> int:
        """The rater whose work a workspace call is about (default: the signed-in one),
        refused when blinding hides that rater."""
        if self._viewer is None:
            raise BlindingError("sign in as a rater first")
        rid = self._viewer.id if rater_id is None else rater_id
        if rid not in self.visible_raters():
            raise BlindingError("blind mode: another rater's work is not visible")
        return rid

    def check_reliability(self) -> None:
        """Comparing raters needs every rater's codings."""
        if self.blinding_applies():
            if self._viewer is None and not self.unlocked:
                raise BlindingError(PROTECTED.format(what="reading every rater's codings"))
            raise BlindingError(RELIABILITY_BLIND)

    def check_lift_blinding(self) -> None:
        if self._viewer is not None and self._viewer.role == "supervisor" and not self.unlocked:
            raise BlindingError(PROTECTED.format(what="lifting blinding"))
        if not self.is_supervisor:
            raise BlindingError("only a supervisor can turn blinding off")

    def check_new_rater(self, role: str) -> None:
        if role == "supervisor" and not self.unlocked:
            raise BlindingError(PROTECTED.format(what="adding a supervisor"))

    def check_bulk_codings(self) -> None:
        if not self.unlocked:
            raise BlindingError(PROTECTED.format(what="importing codings"))

    def check_protect(self) -> None:
        """Setting or changing the passphrase: anyone while none is set; afterwards only
        with the current one."""
        if not self.unlocked:
            raise BlindingError(PROTECTED.format(what="changing the passphrase"))

    def export_raters(self, wanted: tuple[str, ...] | None) -> tuple[tuple[str, ...] | None,
                                                                    str | None]:
        """(raters an export may include, the blind rater's name or None). Under blinding a
        rater exports only their own codings; asking for anyone else's is refused."""
        if not self.blinding_applies():
            return wanted, None
        if self._viewer is None:
            if not self.unlocked:
                raise BlindingError(PROTECTED.format(what="exporting codings"))
            raise BlindingError("blind mode: choose who is coding first (Project ▸ Switch "
                                "rater); you can export only your own codings")
        me = self._viewer.name
        if wanted is not None and any(r.casefold() != me.casefold()
                                      and r != str(self._viewer.id) for r in wanted):
            raise BlindingError(EXPORT_BLIND)
        return (me,), me
