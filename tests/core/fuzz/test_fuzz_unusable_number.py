"""The codings import's quick test for NaN, infinities and huge numbers in a cell
(`table_plan._unusable_number`, with a shortcut for text float() cannot read) says what
float() itself says, on random text and on random numbers written every way."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from coder.coding.table_plan import HUGE, _unusable_number


def by_float(text: str) -> bool:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return False
    return not math.isfinite(value) or abs(value) > HUGE


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f:e}"),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.sampled_from(["nan", " NaN", "-inf", "Infinity ", "1e13", "1_000_000_000_000",
                     "١٢٣", "１２３", "+.5e20", "1,5e20", "s0001.vtt", "Nina"]),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=20), numbers,
                 st.tuples(st.sampled_from(["", " ", "\t", "+", "-"]), numbers)
                 .map("".join)))
def test_the_quick_test_agrees_with_float(text):
    assert _unusable_number(text) == by_float(text)
