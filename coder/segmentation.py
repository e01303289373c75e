"""Split talk turns into the units raters code.

- ``turn``: one segment per talk turn.
- ``sentence``: spaCy sentences inside each turn (``spacy.blank("en")`` + ``sentencizer``, no
  model download; an installed English pipeline is used instead when present). Sentences keep
  code-point offsets into their turn and carry their turn's times.
- ``window``: fixed windows of N minutes over a timed transcript; each holds the turns that
  start inside it. Windows are made for every timed transcript (window ratings need them);
  ``unit="window"`` makes them the transcript's main coding unit, over turn segments.

spaCy is imported lazily (it takes 1-2 s): never on the app's start-up path.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import TranscriptFormatError
from .jobs import Cancel, Cancelled, Progress
from .model import ParsedTurn, SegmentationOptions, SegmentSpec


_NLP = None
_NLP_NAME = ""


def sentence_pipeline():
    """The spaCy pipeline used for sentences, loaded once. Returns (nlp, description)."""
    global _NLP, _NLP_NAME
    if _NLP is None:
        import spacy
        name = next((m for m in sorted(spacy.util.get_installed_models())
                     if m.startswith("en_")), None)
        if name:
            nlp = spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler", "tagger"])
            _NLP_NAME = f"spaCy {spacy.__version__}, installed pipeline {name}"
        else:
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            _NLP_NAME = f"spaCy {spacy.__version__}, blank English + sentencizer"
        _NLP = nlp
    return _NLP, _NLP_NAME


def _sentences(turns: Sequence[ParsedTurn], progress: Progress | None,
               cancel: Cancel | None) -> list[SegmentSpec]:
    nlp, _ = sentence_pipeline()
    out: list[SegmentSpec] = []
    total = len(turns)
    texts = (t.text for t in turns)
    for i, doc in enumerate(nlp.pipe(texts, batch_size=256)):
        if cancel is not None and i % 64 == 0 and cancel():
            raise Cancelled()
        turn = turns[i]
        found = False
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            text = turn.text
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                out.append(SegmentSpec("sentence", i, start, end, turn.start_ms, turn.end_ms))
                found = True
        if not found:       # a turn of whitespace/punctuation only still is a unit
            out.append(SegmentSpec("sentence", i, 0, len(turn.text), turn.start_ms, turn.end_ms))
        if progress is not None and (i % 100 == 0 or i == total - 1):
            progress(i + 1, total)
    return out


def windows(turns: Sequence[ParsedTurn], minutes: float) -> list[SegmentSpec]:
    """Fixed windows of `minutes` from 0 to the end of the last turn."""
    if minutes <= 0:
        raise ValueError("window length must be positive")
    size = int(round(minutes * 60_000))
    starts = [t.start_ms for t in turns]
    ends = [t.end_ms if t.end_ms is not None else t.start_ms for t in turns]
    last = max((e for e in ends if e is not None), default=None)
    if last is None:
        return []
    count = max(1, -(-last // size))
    held: list[list[int]] = [[] for _ in range(count)]
    previous = 0
    for i, start in enumerate(starts):
        at = start if start is not None else previous
        previous = at
        held[min(at // size, count - 1)].append(i)
    return [SegmentSpec("window", None, None, None, w * size, min((w + 1) * size, last),
                        first_turn=idx[0] if idx else None, last_turn=idx[-1] if idx else None)
            for w, idx in enumerate(held)]


def is_timed(turns: Sequence[ParsedTurn]) -> bool:
    return bool(turns) and all(t.start_ms is not None for t in turns)


def segment(turns: Sequence[ParsedTurn], options: SegmentationOptions, *, name: str = "",
            progress: Progress | None = None, cancel: Cancel | None = None) -> list[SegmentSpec]:
    """All units of one transcript: turn or sentence segments, plus windows when timed and
    asked for (`options.windows`: the codebook rates windows, or the user asked)."""
    if options.unit not in ("turn", "sentence", "window"):
        raise TranscriptFormatError(f"unknown unit {options.unit!r} (turn, sentence or window)",
                                    file=name or None)
    timed = is_timed(turns)
    if options.unit == "window" and not timed:
        raise TranscriptFormatError(
            "window units need a timed transcript, and this one has no times "
            "(use --unit turn or sentence)", file=name or None)
    if options.unit == "sentence":
        specs = _sentences(turns, progress, cancel)
    else:
        specs = [SegmentSpec("turn", i, 0, len(t.text), t.start_ms, t.end_ms)
                 for i, t in enumerate(turns)]
        if progress is not None:
            progress(len(turns), len(turns))
    if timed and (options.windows or options.unit == "window"):
        specs.extend(windows(turns, options.window_minutes))
    return specs
