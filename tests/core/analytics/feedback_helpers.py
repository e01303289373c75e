"""Hand-built sessions for the analytics tests."""

from __future__ import annotations

from pathlib import Path

from coder.analytics.data import Coding, SessionData, Unit
from coder.codebook import load_codebook

CODEBOOKS = Path(__file__).resolve().parents[3] / "codebooks"


def book(name: str):
    return load_codebook(CODEBOOKS / f"{name}.yaml")


def session(codebook, n_units: int, codes: dict[int, list[str]], *, rater: str = "Ann",
            unit_ms: int | None = 60_000, globals_: dict[str, float] | None = None,
            name: str = "s1.txt", dyad: str | None = None, roles=None) -> SessionData:
    """`n_units` units alternating client (odd) / therapist (even) unless `roles` says;
    `codes` maps a unit position to code ids."""
    units = tuple(Unit(100 + p, p, (roles or {}).get(p, "client" if p % 2 else "therapist"),
                       "C" if p % 2 else "T",
                       None if unit_ms is None else (p - 1) * unit_ms,
                       None if unit_ms is None else p * unit_ms, f"unit {p} text")
                  for p in range(1, n_units + 1))
    codings = [Coding(rater, c, 100 + p) for p, cs in codes.items() for c in cs]
    codings += [Coding(rater, c, None, v) for c, v in (globals_ or {}).items()]
    return SessionData(1, name, dyad, None if unit_ms is None else n_units * unit_ms, "turn",
                       units, (), tuple(codings), codebook, (rater,))
