"""The C composer's fast path gives the very codebook the careful path gives.

`parse_codebook` first tries libyaml's composer (`_read_fast`) and falls back to the bounded
pure-Python loader on anything unusual; these tests read the same texts both ways."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from coder.codebook import dump_codebook, load_codebook
from coder.codebook import parse as P
from coder.codebook.shipped import shipped_codebooks

from test_codebook_roundtrip import codebooks  # noqa: E402 (same folder)

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__,
                                reason="PyYAML without libyaml: no fast path to compare")


def careful(text: str):
    book, _loc, problems = P.read_codebook(text, "t.yaml")
    assert not problems
    return book


def test_shipped_codebooks_read_the_same_both_ways():
    for entry in shipped_codebooks():
        path = entry.path
        text = path.read_text(encoding="utf-8")
        fast = P._read_fast(text, path.name)
        assert fast is not None, path          # a valid shipped book takes the fast path
        assert fast == careful(text) == load_codebook(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_random_codebooks_read_the_same_both_ways(book):
    text = dump_codebook(book)
    fast = P._read_fast(text, "t.yaml")
    if fast is not None:
        assert fast == careful(text) == book


def test_aliases_take_the_bounded_path(monkeypatch):
    text = dump_codebook(load_codebook(shipped_codebooks()[0].path))
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\n" + text
    assert P._read_fast(bomb, "t.yaml") is None


def test_a_text_with_problems_is_left_to_the_careful_path():
    text = dump_codebook(load_codebook(shipped_codebooks()[0].path))
    broken = text.replace("version:", "versoin:", 1)
    assert P._read_fast(broken, "t.yaml") is None
    with pytest.raises(P.CodebookError) as err:
        P.parse_codebook(broken, "t.yaml")
    assert "versoin" in str(err.value)
