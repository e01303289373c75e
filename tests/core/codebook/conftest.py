from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CODEBOOKS = REPO / "codebooks"
SHIPPED = ("alliance_safeness", "rupture_repair", "mi_behaviour")
QDC_SAMPLE = REPO / "tests" / "data" / "format_samples" / "codebook.qdc"


@pytest.fixture(params=SHIPPED)
def shipped_path(request) -> Path:
    return CODEBOOKS / f"{request.param}.yaml"
