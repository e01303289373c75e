"""Fuzzing the REFI-QDA project reader: a mutated .qdpx (zip) or bare .qde (XML) ends in a
read project or an InputError, within the bounds of `limits`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coder.errors import InputError
from coder.exchange.qdpx_read import read_qdpx
from tests.core.fuzz.limits import bounded_memory, fuzz_settings
from tests.core.fuzz.test_fuzz_transcripts import EDITS, mutate

QDPX = Path(__file__).resolve().parents[2] / "data" / "format_samples" / "project.qdpx"


def check(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.getbasetemp() / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        with bounded_memory():
            project = read_qdpx(path)
    except InputError as exc:
        assert exc.message
        return
    assert all(isinstance(s.text, str) for s in project.sources)


@fuzz_settings(150)
@given(EDITS)
def test_mutated_qdpx(tmp_path_factory, edits) -> None:
    check(tmp_path_factory, mutate(QDPX.read_bytes(), edits), ".qdpx")


@fuzz_settings(150)
@given(st.binary(max_size=3000))
def test_random_bytes_as_qde(tmp_path_factory, data: bytes) -> None:
    check(tmp_path_factory, data, ".qde")
