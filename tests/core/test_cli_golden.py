"""Golden outputs: every headless command on a coded copy of the sample sessions prints exactly
what it printed when these files were written (the CLI's output shapes are contracts).

The project is built with the CLI itself (new, import, codings import) from the sample
transcripts and ``tests/data/golden/codings.csv``. Paths and timestamps are normalised.
A deliberate change of output is recorded by running this file with ``GOLDEN_UPDATE=1`` and
committing the new golden files with a message that says why.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "data" / "golden"
SAMPLE_DIR = ROOT / "sample_transcripts"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"

pytestmark = pytest.mark.slow


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def normalise(text: str, tmp: Path) -> str:
    text = text.replace(str(tmp), "<TMP>")
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?", "<TIME>", text)
    text = re.sub(r"\(\d+(\.\d+)? s\)", "(<SECONDS> s)", text)
    text = re.sub(r"datetime\.datetime\([\d, ]+\)", "<TIME>", text)
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)?", "<TIME>", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("golden")
    project = tmp / "study.scproj"
    steps = [("new", project),
             ("import", project, SAMPLE_DIR / "session01_full_length.vtt",
              SAMPLE_DIR / "session03_tc_labels.txt", SAMPLE_DIR / "session04_roles.srt"),
             ("import", project, SAMPLE_DIR / "session02_teams.docx",
              "--role", "Leah Brandt=therapist", "--role", "Devon Marsh=client"),
             ("codings", "import", project, GOLDEN / "codings.csv", "--complete")]
    outputs = {}
    for i, step in enumerate(steps):
        result = run(*step)
        assert result.returncode == 0, result.stderr
        outputs[f"build{i}"] = result
    return tmp, project, outputs


def commands(project: Path, tmp: Path) -> dict[str, tuple]:
    return {
        "transcripts": ("transcripts", project),
        "transcripts_json": ("transcripts", project, "--json"),
        "show": ("show", project, "session04_roles.srt"),
        "media_none": ("media", project, "session04_roles.srt"),
        "show_json": ("show", project, "session03_tc_labels.txt", "--json"),
        "codebook_show": ("codebook", "show", project),
        "codebook_history": ("codebook", "history", project),
        "codebook_validate": ("codebook", "validate", ROOT / "codebooks" / "rupture_repair.yaml"),
        "reliability": ("reliability", project),
        "reliability_json": ("reliability", project, "--json"),
        "reliability_bootstrap_json": ("reliability", project, "--ci", "bootstrap",
                                       "--replicates", "40", "--seed", "3", "--json"),
        "reliability_reference": ("reliability", project, "--reference", "Ana",
                                  "--codes", "bond_warmth,alliance_quality"),
        "stats": ("stats", GOLDEN / "stats_table.csv", "--level", "ordinal"),
        "stats_json": ("stats", GOLDEN / "stats_table.csv", "--level", "nominal", "--json"),
        "codings_export": ("codings", "export", project, tmp / "out_codings.csv"),
        "codebook_export": ("codebook", "export", project, tmp / "out_codebook.yaml"),
        "export": ("export", project, tmp / "out.xlsx", "--csv-dir", tmp / "csv"),
    }


def files_written(tmp: Path) -> dict[str, str]:
    out = {}
    for name in ("out_codings.csv", "out_codebook.yaml"):
        out[name] = (tmp / name).read_text(encoding="utf-8")
    for csv in sorted((tmp / "csv").glob("*.csv")):
        out[f"csv/{csv.name}"] = csv.read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook
    book = load_workbook(tmp / "out.xlsx", read_only=True)
    for sheet in book.worksheets:
        lines = ["\t".join("" if v is None else repr(v) for v in row)
                 for row in sheet.iter_rows(values_only=True)]
        out[f"xlsx/{sheet.title}"] = "\n".join(lines)
    return out


LONG_FLOAT = re.compile(r"-?\d+\.\d{9,}(?:[eE][-+]?\d+)?")


def last_digits(text: str) -> str:
    """Floats compared to 9 significant digits: the last bits of a sum differ between numpy and
    BLAS builds (a fresh install can bring another), which is not a change of output."""
    return LONG_FLOAT.sub(lambda m: f"{float(m.group()):.9g}", text)


def check(name: str, text: str) -> None:
    path = GOLDEN / (name.replace("/", "__") + ".txt")
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with GOLDEN_UPDATE=1"
    expected = path.read_text(encoding="utf-8")
    assert last_digits(text) == last_digits(expected), \
        f"{name}: output differs from {path.name}"


def test_every_command_prints_what_it_printed(built):
    tmp, project, outputs = built
    for key, result in outputs.items():
        check(key, normalise(f"exit {result.returncode}\n{result.stdout}\n--\n{result.stderr}",
                             tmp))
    (tmp / "csv").mkdir(exist_ok=True)
    for key, args in commands(project, tmp).items():
        result = run(*args)
        check(key, normalise(f"exit {result.returncode}\n{result.stdout}\n--\n{result.stderr}",
                             tmp))
    for key, text in files_written(tmp).items():
        check(key, normalise(text, tmp))
