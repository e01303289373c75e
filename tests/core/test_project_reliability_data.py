"""Builders for the project-reliability tests (no tests here): a small codebook, timed SRT
transcripts, and helpers that code through the
real commands (ToggleCode, SetCategory, SetRating, MarkDone)."""

from __future__ import annotations

from pathlib import Path

from coder.coding_commands import MarkDone, SetCategory, SetRating, ToggleCode
from coder.service import ProjectService


Service = ProjectService      # reliability is one of its parts

def _code(cid: str, kind: str, extra: str = "") -> str:
    return (f"      - id: {cid}\n        label: {cid.title()}\n        kind: {kind}\n"
            f"        definition: A test code.\n{extra}")


SCALE = "        scale: {min: 1, max: 5}\n"
CODEBOOK = (
    "id: test_book\nname: Test book\nversion: 1\ngroups:\n"
    "  - id: moves\n    label: Moves\n    codes:\n"
    + _code("validate", "presence", "        roles: [therapist]\n")
    + _code("withdraw", "presence", "        roles: [client]\n")
    + "  - id: behaviour\n    label: Behaviour\n    category_set: true\n    codes:\n"
    + _code("question", "category", "        roles: [therapist]\n")
    + _code("reflection", "category", "        roles: [therapist]\n")
    + _code("advice", "category", "        roles: [therapist]\n")
    + "  - id: ratings\n    label: Ratings\n    codes:\n"
    + _code("warmth", "rating", SCALE + "        roles: [therapist]\n")
    + _code("significance", "rating", SCALE + "        unit: window\n")
    + "  - id: session\n    label: Session\n    codes:\n"
    + _code("alliance", "global", SCALE)
)


def write_srt(folder: Path, name: str, n_turns: int = 8) -> Path:
    """Alternating T:/C: turns every 90 s (8 turns = 3 five-minute windows)."""
    def stamp(sec: int) -> str:
        return f"00:{sec // 60:02d}:{sec % 60:02d},000"
    lines = []
    for i in range(n_turns):
        who = "T" if i % 2 == 0 else "C"
        lines += [str(i + 1), f"{stamp(i * 90)} --> {stamp(i * 90 + 80)}",
                  f"{who}: turn {i + 1} of {name} says something here", ""]
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def new_project(folder: Path, transcripts=("s1.srt", "s2.srt", "s3.srt"),
                raters=("A", "B", "C")) -> Service:
    book = folder / "book.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    p = Service.create(folder / "p.scproj", codebook=book)
    for name in transcripts:
        p.import_file(write_srt(folder, name))
    p.r = {name: p.add_rater(name).id for name in raters}
    return p


def unit(p, transcript: str, position: int, kind: str = "turn"):
    tid = p.transcript(transcript).id
    return p.segments(tid, kind, position, position)[0]


def done(p, rater: str, transcript: str, positions, kind: str = "turn") -> None:
    p.perform(MarkDone(p.r[rater], [unit(p, transcript, k, kind) for k in positions]))


def apply(p, rater: str, code_id: str, transcript: str, position: int, span=None) -> None:
    code = p.codebook().code(code_id)
    p.perform(ToggleCode(p.r[rater], code, [unit(p, transcript, position)], span=span))


def category(p, rater: str, code_id: str, transcript: str, position: int) -> None:
    book = p.codebook()
    members = [c.id for c in book.group("behaviour").codes]
    p.perform(SetCategory(p.r[rater], book.code(code_id), members,
                          [unit(p, transcript, position)]))


def rate(p, rater: str, code_id: str, transcript: str, position: int | None, value: int,
         kind: str = "turn") -> None:
    code = p.codebook().code(code_id)
    if position is None:
        p.perform(SetRating(p.r[rater], code, value,
                            transcript_id=p.transcript(transcript).id))
    else:
        p.perform(SetRating(p.r[rater], code, value, unit=unit(p, transcript, position, kind)))
