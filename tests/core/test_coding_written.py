"""The change set's `written` (issue 17): the exact coding rows a command wrote. Applied in
order to the codings as they were, the writes give what the store holds after every step of
a random sequence of toggles, categories, ratings, session globals, undos and redos."""

from __future__ import annotations

import random

from sqlalchemy import select

from coder.coding.commands import MarkDone, SetCategory, SetRating, ToggleCode
from coder.commands import ChangeSet, UnitWrite
from coder.model import CodingView
from coder.store.schema import code, coding
from tests.core.test_live_reliability import project  # noqa: F401 - the fixture
from tests.core.test_project_reliability_data import unit


def stored(p) -> dict[int, CodingView]:
    """Every coding in the store, by row id, as the workspace sees it."""
    q = (select(coding.c.id, coding.c.transcript_id, coding.c.segment_id, coding.c.rater_id,
                code.c.key, coding.c.value, coding.c.span_start, coding.c.span_end,
                coding.c.note, coding.c.codebook_version)
         .join(code, code.c.id == coding.c.code_id))
    with p._store.read() as conn:
        return {r[0]: CodingView(*r) for r in conn.execute(q)}


def replay(rows: dict[int, CodingView], changes: ChangeSet) -> None:
    for w in changes.written:
        rows.pop(w.coding_id, None)
        if w.coding is not None:
            assert (w.coding.id, w.coding.segment_id, w.coding.rater_id, w.coding.code) == (
                w.coding_id, w.unit_id, w.rater_id, w.code)
            rows[w.coding_id] = w.coding


def test_written_replays_to_the_store_after_random_edits_undos_and_redos(project):  # noqa: F811
    p = project
    rng = random.Random(17)
    book = p.codebook.current()
    members = [c.id for c in book.group("behaviour").codes]
    names = ["s1.srt", "s2.srt", "s3.srt"]
    rows = stored(p)
    undo, redo = [], []
    kinds = set()
    for step in range(250):
        rater = p.r[rng.choice("ABC")]
        t, pos, op = rng.choice(names), rng.randint(1, 8), rng.random()
        if undo and op < 0.15:
            command = undo.pop()
            changes = p.revert(command)
            redo.append(command)
            kinds.add("undo")
        elif redo and op < 0.25:
            command = redo.pop()
            changes = p.perform(command)
            undo.append(command)
            kinds.add("redo")
        else:
            therapist = pos % 2 == 1
            if op < 0.55:
                command = ToggleCode(rater, book.code("validate" if therapist else "withdraw"),
                                     [unit(p, t, k) for k in range(pos, min(9, pos + 2), 2)],
                                     on=rng.random() < 0.7)
            elif op < 0.65 and therapist:
                command = SetCategory(rater, book.code(rng.choice(members)), members,
                                      [unit(p, t, pos)], on=rng.random() < 0.8)
            elif op < 0.75 and therapist:
                command = SetRating(rater, book.code("warmth"), rng.choice([None, 1, 2, 3, 5]),
                                    unit=unit(p, t, pos))
            elif op < 0.85:
                command = SetRating(rater, book.code("alliance"), rng.choice([None, 2, 4]),
                                    transcript_id=p.transcripts.get(t).id)
            else:
                command = MarkDone(rater, [unit(p, t, pos)])
            changes = p.perform(command)
            undo.append(command)
            redo.clear()
            kinds.add(type(command).__name__)
        if isinstance(command, MarkDone):
            assert changes.written is None          # not a coding write: views read again
            continue
        assert changes.written is not None
        assert all(isinstance(w, UnitWrite) for w in changes.written)
        assert {w.unit_id for w in changes.written if w.unit_id is not None} <= changes.segments
        replay(rows, changes)
        assert rows == stored(p), f"step {step}: {command.text}"
    assert {"undo", "redo", "ToggleCode", "SetCategory", "SetRating"} <= kinds


def test_union_keeps_writes_only_when_every_part_is_described():
    w = UnitWrite(1, 1, 1, "validate", 5, None)
    a = ChangeSet(segments=frozenset({1}), written=(w,))
    assert (a | ChangeSet(raters=frozenset({2}))).written == (w,)
    assert (a | a).written == (w, w)
    assert (a | ChangeSet(segments=frozenset({1}))).written is None    # e.g. an import
    assert (ChangeSet(transcripts=frozenset({1})) | a).written is None
    assert ChangeSet().empty and not a.empty
