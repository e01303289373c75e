import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "format_samples"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Settings and app data of every test live in a temporary folder (DESIGN.md rule 8)."""
    monkeypatch.setenv("SESSION_CODER_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def multimedia() -> None:
    """Qt Multimedia loads (it links libpulse.so.0): the player tests skip with the package to
    install on a machine without it, and fail under CI (`.ci/run` installs libpulse0)."""
    from ui.media.availability import multimedia_problem
    problem = multimedia_problem()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Qt Multimedia does not load: {problem} (.ci/run installs libpulse0)")
        pytest.skip("needs Qt Multimedia: install the Debian package libpulse0")


def libreoffice() -> str:
    """The LibreOffice binary for the tests that convert a workbook headless: skipped with the
    package to install on a machine without it, a failure under CI (`.ci/run` installs it)."""
    import shutil
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is not installed: apt-get install -y --no-install-recommends "
                        "libreoffice-calc (.ci/run installs it)")
        pytest.skip("needs LibreOffice: install the Debian package libreoffice-calc")
    return soffice
