"""Guess a speaker's role (therapist, client, other) from the label used in a transcript.

Guesses are only proposals: the import dialog and the CLI always show them to the user, who
confirms or changes them, and the chosen role is stored per transcript.
"""

from __future__ import annotations

import re

_THERAPIST = {
    "t", "th", "therapist", "counselor", "counsellor", "clinician", "interviewer",
    "psychologist", "psychotherapist", "provider", "practitioner", "doctor", "dr", "coach",
    "supervisor", "facilitator", "analyst", "trainee", "therapeut", "thérapeute",
}
_CLIENT = {
    "c", "cl", "client", "patient", "p", "pt", "participant", "interviewee", "customer",
    "consumer", "klient", "patient(e)", "service user",
}
_TITLE = re.compile(r"^(dr|prof|professor)\b\.?", re.IGNORECASE)
_CLIENT_WORD = re.compile(r"\b(client|patient|participant)\b", re.IGNORECASE)
_THERAPIST_WORD = re.compile(
    r"\b(therapist|counsel+or|clinician|psychologist|clinic|phd|psyd|lcsw|lpc|mft)\b",
    re.IGNORECASE)


def guess_role(label: str) -> str:
    """Role for one label on its own: 'therapist', 'client' or 'other'."""
    key = label.strip().rstrip(".:").strip().lower()
    if not key:
        return "other"
    if key in _THERAPIST or _TITLE.match(key) or _THERAPIST_WORD.search(key):
        return "therapist"
    if key in _CLIENT or _CLIENT_WORD.search(key):
        return "client"
    return "other"


def guess_roles(labels: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Roles for all speakers of one transcript.

    Beyond single labels: in a two-person session where exactly one speaker was recognised,
    the other is proposed in the complementary role (e.g. "Dr. Ana Ruiz" and "Jordan Lee").
    """
    roles = {label: guess_role(label) for label in labels}
    named = [lab for lab in labels if lab]
    if len(named) == 2:
        a, b = named
        known = {roles[a], roles[b]}
        if known == {"therapist", "other"}:
            other = a if roles[a] == "other" else b
            roles[other] = "client"
        elif known == {"client", "other"}:
            other = a if roles[a] == "other" else b
            roles[other] = "therapist"
    return roles


def missing_roles(roles: dict[str, str]) -> list[str]:
    """'therapist' and/or 'client' when no named speaker has that role (in that order); empty
    when both are there or when no speaker is named at all (nothing to map)."""
    named = {label: role for label, role in roles.items() if label}
    if not named:
        return []
    return [r for r in ("therapist", "client") if r not in named.values()]


def missing_roles_note(roles: dict[str, str]) -> str | None:
    """Which role no speaker has, with the speakers as mapped, or None when nothing is missing."""
    missing = missing_roles(roles)
    if not missing:
        return None
    labels = [label for label in roles if label]
    return (f"no speaker is {' or '.join(f'the {m}' for m in missing)} (speakers: "
            f"{', '.join(f'{lab} = {roles[lab]}' for lab in labels)})")


def role_flag_hint(roles: dict[str, str]) -> str:
    """How to say who is who on the command line, with a real label of this file."""
    missing = missing_roles(roles)
    labels = [label for label in roles if label]
    example = next((lab for lab in labels if roles[lab] == "other"), labels[0])
    return f"say who is who with --role \"{example}={missing[0]}\" (one per speaker)"
