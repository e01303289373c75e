"""Which units a code can apply to: its speaker roles and its unit kind.

The workspace offers a code only where it applies, the coding commands refuse anything else,
and reliability counts a code only on the units in its scope (units outside it are never
"agreement")."""

from __future__ import annotations

from ..codebook import Code


def applies_to(code: Code, unit_kind: str, role: str) -> bool:
    """True when `code` can be applied to a unit of `unit_kind` spoken in `role`.

    Session globals apply to no unit (one rating per transcript). Window codes apply to
    windows, whose speakers are mixed, so roles are not checked there."""
    if code.kind == "global" or code.archived:
        return False
    if code.unit == "window":
        return unit_kind == "window"
    if unit_kind == "window":
        return False
    return "any" in code.roles or role in code.roles


def scope_text(code: Code) -> str:
    """How a user would say where a code applies, e.g. "therapist turns"."""
    if code.kind == "global":
        return "the whole session (one rating per transcript)"
    if code.unit == "window":
        return "time windows"
    who = "any speaker's" if "any" in code.roles else " and ".join(code.roles)
    return f"{who} segments"
