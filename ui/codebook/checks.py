"""Checks the codebook editor runs while a value is typed, before anything is proposed."""

from __future__ import annotations

import re

from coder.codebook import Codebook, check_codebook
from coder.codebook.model import Code


# The core words problems for a codebook file; under a form field some read better as:
PLAIN = ((re.compile(r"^'(label|definition)' must not be empty$"),
          lambda m: f"The {m[1]} must not be empty"),
         (re.compile(r"^'item' needs 'aspect' as well.*"),
          lambda m: "Choose the aspect too: adherence or competence"),
         (re.compile(r"^'aspect' needs 'item' as well.*"),
          lambda m: "Enter the item too: the id both ratings of the item share"))

_last: list = [None, frozenset()]          # the codebook checked last and its messages


def _messages(book: Codebook) -> frozenset[str]:
    """Messages of `book` (the shown codebook: the same one on every keystroke)."""
    if _last[0] is not book:
        _last[:] = [book, frozenset(p.message for p in check_codebook(book))]
    return _last[1]


def new_problems(before: Codebook, after: Codebook, what: str) -> list[str]:
    """Problems `after` has that `before` had not, worded for a field of `what` (e.g.
    "code 'validation'"): the form shows them under the field, so the name is left out."""
    old = _messages(before)
    prefix = f"{what}: "
    out = []
    for p in check_codebook(after):
        if p.message not in old:
            msg = p.message.removeprefix(prefix)
            for pattern, plain in PLAIN:
                if (m := pattern.match(msg)) is not None:
                    msg = plain(m)
            out.append(msg[:1].upper() + msg[1:])
    return out


def shortcut_owner(book: Codebook, code_id: str, key: str) -> Code | None:
    """The active code other than `code_id` that already has shortcut `key`."""
    def norm(k: str) -> str:
        return k.lower() if len(k) == 1 else k.upper()
    for entry in book.codes():
        c = entry.code
        if c.id != code_id and not c.archived and c.shortcut and norm(c.shortcut) == norm(key):
            return c
    return None
