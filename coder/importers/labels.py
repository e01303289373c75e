"""Deciding whether ``Something: text`` starts with a speaker label or is just speech.

The rule, in two steps:

1. Shape (`split_label`): the label is what comes before the first colon, the colon is followed
   by a space or the end of the line, and the label is short (<= 40 characters, <= 4 words not
   counting a parenthesised part), starts with a capital letter or "[" (a de-identified name),
   has no sentence punctuation, no word that marks a note or link ("Note", "NB", "http") and is
   not a heading word ("PS", "Date", "Session 3", "E.g."). So "10:30", "at 10:30: ...",
   "http://...", "Note: ..." are never labels, while "Dr. Page" is.
2. Consistency (`choose_labels`): a label that is a known role ("T", "Client", "Speaker 2") or
   occurs at least twice is accepted. When such labels exist, a shape-valid label seen only once
   is text (with a warning naming its line): a one-off "Remember:" inside a T:/C: transcript.
   When none exist, one-off labels are accepted only if they start at least half of the lines
   (a short transcript with many different names); otherwise the file has no labels at all.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4
MAX_LABEL_WARNINGS = 5

_CANDIDATE = re.compile(rf"\s*([^:\n]{{1,{MAX_LABEL_CHARS}}}?)[ \t]{{0,3}}:(?:\s+|$)(.*)",
                        re.DOTALL)
_PAREN = re.compile(r"\([^()]*\)")
_BAD_CHARS = re.compile(r"[?!;\"“”=<>{}|\\*@#]")
_WORD = re.compile(r"[^\W\d_]+")
_NUMBERED_ROLE = re.compile(
    r"(speaker|spk|participant|person|interviewer|client|therapist|patient|[spctr])[ _-]?\d{1,3}",
    re.IGNORECASE)

# Words that make any label a note or a link ("Transcriber's note", "http").
NOTE_WORDS = frozenset({"note", "notes", "nb", "http", "https", "www", "ftp", "mailto"})
# Whole labels (ignoring digits and spaces: "Session 3", "N.B.") that are never speakers.
NOT_A_SPEAKER = frozenset("""
    note notes nb n.b ps pps p.s http https www ftp mailto re fw fwd subject cc bcc
    eg e.g ie i.e cf etc edit edited update updated todo warning caution tip hint
    source date time location place session transcript transcribed transcription recording
    duration file page example translation summary agenda title topic
    """.split())

KNOWN_ROLES = frozenset("""
    t c th cl pt p i iv int r q a
    therapist client counselor counsellor patient clinician psychologist psychotherapist
    doctor dr interviewer interviewee participant respondent supervisor supervisee trainee
    facilitator moderator mother father mom dad mum parent partner child son daughter
    husband wife family
    """.split())


def split_label(line: str) -> tuple[str, str] | None:
    """``(label, rest)`` when `line` starts with something shaped like a speaker label."""
    m = _CANDIDATE.match(line)
    if not m:
        return None
    label, rest = m.group(1).strip(), m.group(2).strip()
    return (label, rest) if label_shape_ok(label) else None


@lru_cache(maxsize=4096)
def label_shape_ok(label: str) -> bool:
    """True when `label` could be a speaker's name or role (see the module doc)."""
    if not label or len(label) > MAX_LABEL_CHARS or _BAD_CHARS.search(label):
        return False
    if "//" in label or label.lower().startswith("www."):
        return False
    first = label[0]
    if not (first == "[" or (first.isalpha() and (first.isupper() or is_known_role(label)))):
        return False
    outside = _PAREN.sub(" ", label).split()
    if not outside or len(outside) > MAX_LABEL_WORDS:
        return False
    words = [w.lower() for w in _WORD.findall(label)]
    if not words:
        return False
    whole = label.lower().replace(" ", "").rstrip(".")
    return not (any(w in NOTE_WORDS for w in words) or whole in NOT_A_SPEAKER
                or "".join(words) in NOT_A_SPEAKER)


def is_known_role(label: str) -> bool:
    """True for the usual role labels: T, C, Therapist, CLIENT, Speaker 1, P2 ..."""
    key = label.strip().rstrip(".").lower()
    return key in KNOWN_ROLES or bool(_NUMBERED_ROLE.fullmatch(key))


def choose_labels(candidates: list[tuple[str, int]], units: int,
                  what: str = "line") -> tuple[set[str], list[str]]:
    """Which candidate labels (``(label, line)`` pairs) really name speakers, out of `units`
    lines or cues in all. Returns the accepted labels and warnings about rejected ones."""
    counts = Counter(label for label, _ in candidates)
    strong = {label for label, n in counts.items() if n >= 2 or is_known_role(label)}
    if not strong:
        if candidates and 2 * len(candidates) >= units:
            return set(counts), []
        return set(), []
    odd = [(label, line) for label, line in candidates if label not in strong]
    warnings = [f"{what} {line}: '{label}' looks like a speaker label but occurs only once, "
                "so it was kept as text" for label, line in odd[:MAX_LABEL_WARNINGS]]
    if len(odd) > MAX_LABEL_WARNINGS:
        warnings.append(f"{len(odd) - MAX_LABEL_WARNINGS} more one-off labels were kept as text")
    return strong, warnings
