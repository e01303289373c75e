"""Code suggestions from a codebook's marker phrases (spaCy PhraseMatcher, no model).

Matching is case-insensitive on tokens (``attr="LOWER"``), so "I guess" matches "i GUESS"
but not "misguess". Suggestions are hints for the rater: they are never applied
automatically. spaCy loads lazily here; call this from a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..codebook import Codebook
from .scope import applies_to
from ..jobs import Cancelled


@dataclass(frozen=True)
class Hint:
    code: str          # code id
    start: int         # code-point offsets into the unit's text
    end: int


class MarkerMatcher:
    """All marker phrases of a codebook's active codes, ready to match."""

    def __init__(self, codebook: Codebook) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher
        self.codebook = codebook
        self._nlp = spacy.blank("en")
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        self._codes = {}
        for entry in codebook.codes():
            code = entry.code
            phrases = [p for p in code.markers if p.strip()]
            if code.archived or code.kind == "global" or not phrases:
                continue
            self._codes[code.id] = code
            self._matcher.add(code.id, [self._nlp.make_doc(p) for p in phrases])

    @property
    def empty(self) -> bool:
        return not self._codes

    def hints(self, texts: Sequence[str], kinds: Sequence[str], roles: Sequence[str], *,
              progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> list[list[Hint]]:
        """Hints per unit; only codes that apply to the unit (role, unit kind) are hinted."""
        out: list[list[Hint]] = []
        total = len(texts)
        strings = self._nlp.vocab.strings
        for i, doc in enumerate(self._nlp.tokenizer.pipe(texts, batch_size=256)):
            if cancel is not None and i % 200 == 0 and cancel():
                raise Cancelled()
            found = []
            for match_id, start, end in self._matcher(doc):
                code = self._codes[strings[match_id]]
                if applies_to(code, kinds[i], roles[i]):
                    span = doc[start:end]
                    found.append(Hint(code.id, span.start_char, span.end_char))
            out.append(sorted(set(found), key=lambda h: (h.start, h.end, h.code)))
            if progress is not None and (i % 200 == 0 or i == total - 1):
                progress(i + 1, total)
        return out
