"""Missing-value tokens in a codings table: named for the import (``--missing``) or declared
on a codebook scale (``missing:``), a row with one is left out as that rater's missing value
— never read as a number, never an error — and the matrix shows it missing. The checking
job (``import_job``) and the writing command give the same result as the one-step import."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from coder.errors import InputError
from coder.jobs import Cancelled
from coder.project import Project
from coder.reliability.project import data_matrices
from tests.conftest import ROOT
from tests.core.test_project_reliability_data import CODEBOOK, SCALE, write_srt

ROWS = ["s1.srt,1,A,warmth,4,", "s1.srt,1,B,warmth,n/a,", "s1.srt,3,A,warmth,-99,",
        "s1.srt,3,B,warmth,2,", "s1.srt,5,A,warmth,5,", "s1.srt,5,B,warmth,-99.0,"]


def make(tmp_path, scale_missing: str = ""):
    book = tmp_path / "book.yaml"
    scale = SCALE if not scale_missing else \
        f"        scale: {{min: 1, max: 5, missing: {scale_missing}}}\n"
    book.write_text(CODEBOOK.replace(SCALE, scale), encoding="utf-8")
    p = Project.create(tmp_path / "p.scproj", codebook=book)
    p.importing.import_file(write_srt(tmp_path, "s1.srt"))
    table = tmp_path / "codings.csv"
    table.write_text("transcript,segment,rater,code,value,note\n" + "\n".join(ROWS) + "\n",
                     encoding="utf-8")
    return p, table


def warmth(p) -> np.ndarray:
    m = data_matrices(p.reliability.snapshot())["warmth"]
    assert m.raters == ("A", "B")
    return m.values


def test_without_tokens_a_label_among_numbers_is_an_error(tmp_path):
    p, table = make(tmp_path)
    with pytest.raises(InputError) as err:
        p.codings.import_table(table)
    text = str(err.value)
    assert "nothing was imported; 3 problem(s)" in text
    assert "codings.csv:3: warmth needs a whole number from 1 to 5, not 'n/a'" in text
    assert not p.raters.list()
    p.close()


def test_tokens_named_for_the_import(tmp_path):
    p, table = make(tmp_path)
    command = p.codings.import_table(table, missing="n/a, -99")
    assert command.summary.startswith("3 coding(s) imported")
    assert "3 row(s) with a missing value left out" in command.summary
    # turns 1, 3, 5 (therapist turns): A 4, -, 5; B -, 2, - ("-99.0" is the number -99)
    np.testing.assert_array_equal(warmth(p), [[4, np.nan], [np.nan, 2], [5, np.nan]])
    p.close()


def test_tokens_declared_on_the_scale(tmp_path):
    p, table = make(tmp_path, '["n/a", -99]')
    assert p.codebook.current().code("warmth").scale.missing == ("n/a", "-99")
    command = p.codings.import_table(table)
    assert "3 row(s) with a missing value left out" in command.summary
    np.testing.assert_array_equal(warmth(p), [[4, np.nan], [np.nan, 2], [5, np.nan]])
    p.close()


def test_the_job_then_the_command(tmp_path):
    p, table = make(tmp_path)
    seen = []
    job = p.codings.import_job(table, missing=("n/a", "-99"))
    prepared = job(progress=lambda *a: seen.append(a), cancel=lambda: False)
    assert prepared.n_rows == 3 and prepared.n_missing == 3 and seen
    assert not p.raters.list()                      # the job wrote nothing
    command = p.codings.import_prepared(prepared)
    p.perform(command)
    np.testing.assert_array_equal(warmth(p), [[4, np.nan], [np.nan, 2], [5, np.nan]])
    p.revert(command)
    assert not p.raters.list()
    with pytest.raises(Cancelled):
        p.codings.import_job(table, missing="n/a,-99")(progress=None, cancel=lambda: True)
    p.close()


def test_cli_missing_option(tmp_path):
    p, table = make(tmp_path)
    path = p.path
    p.close()
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "codings", "import",
                          str(path), str(table), "--missing", "n/a,-99"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "3 row(s) with a missing value left out" in out.stdout
