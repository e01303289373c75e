"""Builders for the project-reliability tests (no tests here): a small codebook, timed SRT
transcripts, and helpers that code through the
real commands (ToggleCode, SetCategory, SetRating, MarkDone)."""

from __future__ import annotations

from pathlib import Path

from coder.coding.commands import MarkDone, SetCategory, SetRating, ToggleCode
from coder.project import Project


Service = Project      # reliability is one of its parts

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
        p.importing.import_file(write_srt(folder, name))
    p.r = {name: p.raters.add(name).id for name in raters}
    return p


def unit(p, transcript: str, position: int, kind: str = "turn"):
    tid = p.transcripts.get(transcript).id
    return p.transcripts.segments(tid, kind, position, position)[0]


def done(p, rater: str, transcript: str, positions, kind: str = "turn") -> None:
    p.perform(MarkDone(p.r[rater], [unit(p, transcript, k, kind) for k in positions]))


def apply(p, rater: str, code_id: str, transcript: str, position: int, span=None) -> None:
    code = p.codebook.current().code(code_id)
    p.perform(ToggleCode(p.r[rater], code, [unit(p, transcript, position)], span=span))


def category(p, rater: str, code_id: str, transcript: str, position: int) -> None:
    book = p.codebook.current()
    members = [c.id for c in book.group("behaviour").codes]
    p.perform(SetCategory(p.r[rater], book.code(code_id), members,
                          [unit(p, transcript, position)]))


def rate(p, rater: str, code_id: str, transcript: str, position: int | None, value: int,
         kind: str = "turn") -> None:
    code = p.codebook.current().code(code_id)
    if position is None:
        p.perform(SetRating(p.r[rater], code, value,
                            transcript_id=p.transcripts.get(transcript).id))
    else:
        p.perform(SetRating(p.r[rater], code, value, unit=unit(p, transcript, position, kind)))


def code_s1_s2(p) -> None:
    """Codings on s1 and s2 that the reliability and export tests share: A and B on s1 (B
    left turns 7 and 8 unfinished), A, B and C on s2; expected matrices are in
    test_project_reliability.py."""
    done(p, "A", "s1.srt", range(1, 9))
    done(p, "B", "s1.srt", range(1, 7))                 # B did not complete turns 7 and 8
    apply(p, "A", "validate", "s1.srt", 1, span=(0, 8))
    apply(p, "A", "validate", "s1.srt", 3)
    apply(p, "B", "validate", "s1.srt", 1, span=(0, 4))
    apply(p, "B", "validate", "s1.srt", 5)
    apply(p, "B", "validate", "s1.srt", 7)              # coded without completing: applied
    apply(p, "A", "withdraw", "s1.srt", 2)
    for r, cid, pos in (("A", "question", 1), ("A", "reflection", 3), ("A", "question", 5),
                        ("B", "question", 1), ("B", "question", 3), ("B", "reflection", 7)):
        category(p, r, cid, "s1.srt", pos)
    for r, pos, v in (("A", 1, 4), ("A", 3, 2), ("A", 5, 5), ("B", 1, 5), ("B", 3, 2),
                      ("B", 5, 2)):
        rate(p, r, "warmth", "s1.srt", pos, v)
    for r, w, v in (("A", 1, 3), ("A", 2, 1), ("B", 1, 3), ("B", 2, 2), ("B", 3, 5)):
        rate(p, r, "significance", "s1.srt", w, v, kind="window")
    done(p, "A", "s2.srt", range(1, 9))
    done(p, "B", "s2.srt", range(1, 9))
    done(p, "C", "s2.srt", range(1, 5))
    apply(p, "A", "validate", "s2.srt", 1, span=(0, 10))
    apply(p, "C", "validate", "s2.srt", 1, span=(5, 15))
    category(p, "A", "reflection", "s2.srt", 1)
    category(p, "B", "reflection", "s2.srt", 1)
    for r, pos, v in (("A", 1, 3), ("A", 3, 3), ("B", 1, 3), ("B", 3, 4), ("C", 1, 2),
                      ("C", 3, 3)):
        rate(p, r, "warmth", "s2.srt", pos, v)
