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
