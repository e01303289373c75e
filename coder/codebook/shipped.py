"""The codebooks shipped in `codebooks/` (data, not code), with a one-line summary each for
the "New project" choice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent.parent.parent / "codebooks"
DEFAULT_CODEBOOK = "alliance_safeness.yaml"


@dataclass(frozen=True)
class ShippedCodebook:
    path: Path
    title: str
    summary: str           # one line: what it codes
    window_codes: bool     # has ratings of time windows


SHIPPED = (
    ShippedCodebook(SHIPPED_DIR / "alliance_safeness.yaml", "Alliance & safeness adherence",
                    "Therapist moves of a relationship-first model (11 consistent, 3 "
                    "inconsistent) and four session ratings", False),
    ShippedCodebook(SHIPPED_DIR / "rupture_repair.yaml", "Alliance rupture & repair",
                    "Client withdrawal and confrontation markers, therapist repair "
                    "strategies, 5-minute window ratings and two session ratings", True),
    ShippedCodebook(SHIPPED_DIR / "mi_behaviour.yaml", "MI behaviour",
                    "Motivational interviewing: one behaviour category per therapist and "
                    "per client unit, four session ratings", False),
)


def default_codebook_path() -> Path:
    return SHIPPED_DIR / DEFAULT_CODEBOOK


def shipped_codebooks() -> tuple[ShippedCodebook, ...]:
    """The shipped codebooks that are present (a source checkout has all three)."""
    return tuple(c for c in SHIPPED if c.path.is_file())
