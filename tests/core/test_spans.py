"""A selected span snaps to whole words; `exact` keeps the characters chosen."""

from hypothesis import given
from hypothesis import strategies as st

from coder.spans import snap_to_words

TEXT = "So, yes. It’s done. It’s a relief, in a way. You can’t stay in limbo forever."


def cut(text, span):
    return None if span is None else text[span[0]:span[1]]


def test_the_partial_first_word_seen_in_use_is_completed():
    start = TEXT.index("t’s done")                  # the selection stored before the fix
    end = TEXT.index("relief") + len("relief")
    assert cut(TEXT, snap_to_words(TEXT, start, end)) == "It’s done. It’s a relief"
    assert cut(TEXT, snap_to_words(TEXT, start, end, exact=True)) == "t’s done. It’s a relief"


def test_partial_last_word_white_space_and_punctuation():
    a = TEXT.index("a relief") + 3                  # "elie"
    assert cut(TEXT, snap_to_words(TEXT, a, a + 4)) == "relief"
    a = TEXT.index(" in limbo")
    assert cut(TEXT, snap_to_words(TEXT, a, a + 9)) == "in limbo"      # spaces trimmed
    a = TEXT.index("relief,")
    assert cut(TEXT, snap_to_words(TEXT, a + 2, a + 7)) == "relief,"   # punctuation kept
    assert snap_to_words(TEXT, 3, 4) is None                           # a lone space
    assert cut(TEXT, snap_to_words(TEXT, TEXT.index("can’t") + 4, TEXT.index("can’t") + 5)) \
        == "can’t"


def test_hyphens_and_text_outside_the_bmp():
    text = "a well-known 👍 move"
    i = text.index("known")
    assert cut(text, snap_to_words(text, i + 1, i + 3)) == "well-known"
    i = text.index("👍")
    assert cut(text, snap_to_words(text, i, i + 1)) == "👍"


@given(st.text(alphabet="ab ’'-.,👍\n", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_snapping_only_widens_to_word_edges(text, a, b):
    span = snap_to_words(text, a, b)
    if span is None:
        return
    s, e = span
    assert 0 <= s < e <= len(text)
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert s == 0 or not (text[s - 1].isalnum() and text[s].isalnum())
    assert e == len(text) or not (text[e - 1].isalnum() and text[e].isalnum())
    exact = snap_to_words(text, a, b, exact=True)
    assert exact is not None and s <= exact[0] and exact[1] <= e
