"""Text spans inside a unit: a selection snaps to whole words.

A selection made by mouse often starts or ends inside a word ("t’s done. It’s a relief" for
"It’s done. It’s a relief"); stored like that, a span reads as a typo and never matches the
same span of another rater. `snap_to_words` widens a span to the words it touches and trims
white space at both ends; with ``exact=True`` only the white space is trimmed (the user asked
to keep the characters they chose). Offsets are code points, as stored.
"""

from __future__ import annotations

JOINERS = "'’-‐"        # inside a word: it's, it’s, well-known


def _in_word(text: str, i: int) -> bool:
    """Whether the character at `i` belongs to a word (letters, digits, and apostrophes or
    hyphens between two of them)."""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if ch.isalnum() or ch == "_":
        return True
    return (ch in JOINERS and 0 < i < len(text) - 1
            and text[i - 1].isalnum() and text[i + 1].isalnum())


def snap_to_words(text: str, start: int, end: int, *, exact: bool = False
                  ) -> tuple[int, int] | None:
    """The span [start, end) of `text` widened to whole words (unless `exact`) and trimmed of
    white space; None when nothing but white space was selected."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if not exact:
        if _in_word(text, start):
            while start > 0 and _in_word(text, start - 1):
                start -= 1
        if _in_word(text, end - 1):
            while end < len(text) and _in_word(text, end):
                end += 1
    return start, end
