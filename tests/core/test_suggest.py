"""Marker-phrase suggestions: case-insensitive token matches, only codes in scope."""

from coder.codebook import Code, Codebook, CodeGroup
from coder.coding.suggest import Hint, MarkerMatcher


def book():
    return Codebook(id="b", name="B", groups=(CodeGroup(id="g", label="G", codes=(
        Code(id="minimal", label="Minimal response", definition="d", roles=("client",),
             markers=("I guess", "whatever")),
        Code(id="feedback", label="Feedback", definition="d", roles=("therapist",),
             markers=("how is this going",)),
        Code(id="old", label="Old", definition="d", archived=True, markers=("fine",)),
    )),))


def test_hints_are_case_insensitive_token_matches_in_scope():
    m = MarkerMatcher(book())
    texts = ["Yeah, i GUESS. Whatever.", "How is this going for you?", "I guess so.",
             "misguess fine"]
    hints = m.hints(texts, ["turn"] * 4, ["client", "therapist", "therapist", "client"])
    assert hints[0] == [Hint("minimal", 6, 13), Hint("minimal", 15, 23)]
    assert texts[0][6:13] == "i GUESS"
    assert hints[1] == [Hint("feedback", 0, 17)]
    assert hints[2] == []            # a client marker in a therapist turn is not hinted
    assert hints[3] == []            # no partial-word match; archived codes never hint


def test_empty_codebook_markers():
    empty = Codebook(id="e", name="E", groups=(CodeGroup(id="g", label="G", codes=(
        Code(id="a", label="A", definition="d"),)),))
    assert MarkerMatcher(empty).empty
