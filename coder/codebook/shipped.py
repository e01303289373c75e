"""The codebooks shipped in `codebooks/` (data, not code)."""

from __future__ import annotations

from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent.parent.parent / "codebooks"
DEFAULT_CODEBOOK = "alliance_safeness.yaml"


def default_codebook_path() -> Path:
    return SHIPPED_DIR / DEFAULT_CODEBOOK
