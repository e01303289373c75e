"""The access policy: who is signed in, their role, whether the project is blind, and so what
they may read and do. Every part of the project asks it; it is the only place the blinding
rule is written (DESIGN.md rule 2).

The rule: a blind project (the default) shows a signed-in rater only their own codings. In the
desktop app (``interactive``) blinding applies even before anyone signs in; headless use (CLI,
scripts) with nobody signed in reads every rater. Only a signed-in supervisor may lift
blinding. Reliability, which compares raters, is refused while blinding applies.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import SessionCoderError
from ..model import Rater


class BlindingError(SessionCoderError):
    """An act that blinding (or the signed-in role) does not allow."""


RELIABILITY_BLIND = ("reliability needs every rater's codings, and this project is blind: "
                     "a supervisor can turn blinding off to compute it")


class AccessPolicy:
    """One per open project. `read_blind` reads the stored blind flag; `all_raters` lists
    the project's raters (both passed in by the project, so the policy holds no SQL)."""

    def __init__(self, read_blind: Callable[[], bool],
                 all_raters: Callable[[], list[Rater]], *, interactive: bool = False) -> None:
        self._read_blind = read_blind
        self._all_raters = all_raters
        self._blind: bool | None = None
        self.viewer: Rater | None = None
        #: The desktop app sets this: blinding then applies before anyone signs in.
        self.interactive = interactive

    # -- state ---------------------------------------------------------------------------
    @property
    def blind(self) -> bool:
        if self._blind is None:
            self._blind = self._read_blind()
        return self._blind

    def forget(self) -> None:
        """The stored flags changed (a command said so): read them again when asked."""
        self._blind = None

    @property
    def viewer_id(self) -> int | None:
        return None if self.viewer is None else self.viewer.id

    @property
    def is_supervisor(self) -> bool:
        return self.viewer is not None and self.viewer.role == "supervisor"

    def sign_in(self, rater: Rater) -> Rater:
        """Who is coding in this session; what they may see follows from it."""
        self.viewer = rater
        return rater

    def sign_out(self) -> None:
        self.viewer = None

    # -- the blinding rule ---------------------------------------------------------------
    def blinding_applies(self) -> bool:
        """Whether this session must hide other raters' work (one rule for every view)."""
        return self.blind and (self.viewer is not None or self.interactive)

    def readable_raters(self) -> list[int] | None:
        """Whose codings may be read now: None means every rater (no blinding applies)."""
        if not self.blinding_applies():
            return None
        return [] if self.viewer is None else [self.viewer.id]

    def visible_raters(self) -> list[int]:
        """Whose codings the signed-in rater may see now (views of the workspace)."""
        if self.viewer is None:
            raise BlindingError("sign in as a rater first")
        if self.blind:
            return [self.viewer.id]
        return [r.id for r in self._all_raters()]

    def own(self, rater_id: int | None = None) -> int:
        """The rater whose work a workspace call is about (default: the signed-in one),
        refused when blinding hides that rater."""
        if self.viewer is None:
            raise BlindingError("sign in as a rater first")
        rid = self.viewer.id if rater_id is None else rater_id
        if rid not in self.visible_raters():
            raise BlindingError("blind mode: another rater's work is not visible")
        return rid

    def check_reliability(self) -> None:
        """Comparing raters needs every rater's codings."""
        if self.blinding_applies():
            raise BlindingError(RELIABILITY_BLIND)

    def check_rater_names(self, wanted_ids: list[int]) -> None:
        """Refuse a request for raters whom blinding hides."""
        readable = self.readable_raters()
        if readable is not None and any(r not in readable for r in wanted_ids):
            raise BlindingError("blind mode: only your own codings can be exported; a "
                                "supervisor can turn blinding off")

    def check_lift_blinding(self) -> None:
        if not self.is_supervisor:
            raise BlindingError("only a supervisor can turn blinding off")
