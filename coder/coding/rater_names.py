"""New rater names that are probably misspellings of a known one.

A long table of codings names its raters in free text, so a typo ("Anna" for "Ana", "Ben "
for "Ben", "BEN" beside "Ben") would silently split one rater's work in two and change every
reliability figure. A new name is suspect when, compared without case and with runs of spaces
collapsed, it is within a small edit distance of an existing rater's name, or of another new
name in the same table that is used more often. Names that differ only in a number or a
one-letter word ("Rater 1" / "Rater 2", "R1" / "R2", "Coder A" / "Coder B") are the usual way
teams name raters and never count as misspellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours),
    capped at `limit` + 1 (names are short; the cap keeps long ones cheap)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return min(prev[-1], limit + 1)


def allowed_distance(a: str, b: str) -> int:
    """How far apart two names may be and still count as the same name mistyped."""
    shortest = min(len(a), len(b))
    return 0 if shortest < 3 else 1 if shortest < 7 else 2


def numbered_apart(a: str, b: str) -> bool:
    """Different numbers or one-letter words in otherwise equal names (normalised)."""
    if re.sub(r"\d+", "#", a) == re.sub(r"\d+", "#", b) and a != b:
        return True
    wa, wb = a.split(), b.split()
    diff = [(x, y) for x, y in zip(wa, wb) if x != y]
    return len(wa) == len(wb) and len(diff) == 1 and len(diff[0][0]) == len(diff[0][1]) == 1


def close(a: str, b: str) -> bool:
    na, nb = normal(a), normal(b)
    if na == nb:
        return True
    return not numbered_apart(na, nb) and edit_distance(na, nb) <= allowed_distance(na, nb)


@dataclass(frozen=True)
class Suspect:
    name: str                  # the new name as written in the table
    rows: tuple[int, ...]      # where it appears
    like: str                  # the existing (or more used) name it resembles


def suspects(new: dict[str, list[int]], existing: list[str]) -> list[Suspect]:
    """New names (name -> rows where used) that look like an existing or more used name."""
    out = []
    by_use = sorted(new, key=lambda n: (-len(new[n]), n))
    for name in new:
        like = next((e for e in existing if close(name, e)), None)
        if like is None:        # a rarer new name next to a more used new one
            like = next((o for o in by_use if o != name and len(new[o]) > len(new[name])
                         and close(name, o)), None)
        if like is not None:
            out.append(Suspect(name, tuple(new[name]), like))
    return out


def rows_text(rows: tuple[int, ...], shown: int = 5) -> str:
    head = ", ".join(map(str, rows[:shown]))
    more = len(rows) - shown
    return f"row{'s' if len(rows) > 1 else ''} {head}" + (f" and {more} more" if more > 0 else "")
