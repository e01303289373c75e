"""The transcript list reads each transcript's turn and unit counts as the last position
(`coder/store/transcripts.py` `_by_last_position`, O(transcripts)) instead of counting rows
(O(rows): 0.33 s CPU on the 1,000-session study). That is exact only while positions within a
transcript (turns) and within a transcript and kind (units) are 1..n with no gap: these tests
hold the fast read to the counted one through every writer, and fail when a new writer of
turn or unit rows appears without being looked at."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest

from coder.errors import SessionCoderError
from coder.media.commands import SetTurnTimes
from coder.model import SegmentationOptions, SegmentSpec
from coder.project import Project
from coder.store import transcripts as rows
from coder.store.media import replace_windows
from tests.conftest import ROOT

SAMPLES = ROOT / "sample_transcripts"


def same_counts(store) -> list:
    with store.read() as conn:
        fast, counted = rows.list_infos(conn), rows.list_infos(conn, counted=True)
        assert fast == counted
        for info in counted:
            assert rows.list_infos(conn, info.id) == [info]
            assert rows.list_infos(conn, info.id, counted=True) == [info]
    return counted


def test_the_fast_counts_equal_the_counted_ones_through_the_project(tmp_path):
    project = Project.create(tmp_path / "p.scproj")
    store = project._store
    assert same_counts(store) == []
    vtt = SAMPLES / "session01_full_length.vtt"
    txt = SAMPLES / "session03_tc_labels.txt"
    srt = SAMPLES / "session04_roles.srt"
    project.importing.import_file(vtt, segmentation=SegmentationOptions(unit="sentence"))
    project.importing.import_file(txt)
    project.importing.import_file(srt, segmentation=SegmentationOptions(unit="window",
                                                                        window_minutes=2))
    infos = same_counts(store)
    assert {i.unit for i in infos} == {"sentence", "turn", "window"}
    assert all(i.turns > 0 and i.segments > 0 for i in infos)
    # the same file again, replacing the first: its rows go and come back
    project.importing.import_file(vtt, segmentation=SegmentationOptions(unit="turn"),
                                  replace=True)
    same_counts(store)
    # tap-to-timestamp on the untimed one makes window units; undo removes them
    tid = next(i.id for i in project.transcripts.list() if i.name == txt.name)
    n = len(project.transcripts.turns(tid))
    command = SetTurnTimes(tid, [(k * 30_000, (k + 1) * 30_000) for k in range(n)])
    project.perform(command)
    assert project.transcripts.count(tid, "window") > 1
    same_counts(store)
    project.revert(command)
    same_counts(store)
    project.transcripts.remove(tid)
    assert len(same_counts(store)) == 2
    for info in project.transcripts.list():             # by id: only its rows are read
        assert project.transcripts.get(info.id) == info == project.transcripts.get(info.name)
    with pytest.raises(SessionCoderError, match="no transcript named 9999"):
        project.transcripts.get(9999)
    with pytest.raises(SessionCoderError, match=f"no transcript named {tid}"):
        project.transcripts.get(tid)                    # removed
    project.close()


def test_the_fast_counts_equal_the_counted_ones_on_random_stores(tmp_path):
    rng = random.Random(17)
    project = Project.create(tmp_path / "r.scproj")
    store = project._store
    ids = []
    with store.write() as conn:
        for t in range(25):
            n_turns = rng.choice([1, 2, 7, 40])          # an import has a turn at least
            turns = [type("T", (), {"speaker": rng.choice("ABC"), "text": "x", "start_ms": None,
                                    "end_ms": None})() for _ in range(n_turns)]
            units = []
            for kind in rng.sample(["turn", "sentence", "window"], rng.randint(0, 3)):
                units += [SegmentSpec(kind, None, None, None, None, None)
                          for _ in range(rng.randint(0, 30))]
            rng.shuffle(units)                               # kinds interleaved
            ids.append(rows.insert_transcript(
                conn, name=f"t{t:02}", fmt="txt", encoding=None, sha256=f"{t:064}",
                imported_at="2026-12-05", settings={}, unit=rng.choice(["turn", "sentence",
                                                                       "window"]),
                window_minutes=None, duration_ms=None, turns=turns, roles={}, units=units))
    same_counts(store)
    for _ in range(30):
        with store.write() as conn:
            tid = rng.choice(ids)
            if rng.random() < 0.2:
                rows.delete_transcript(conn, tid)
                ids.remove(tid)
            else:
                specs = [SegmentSpec("window", None, None, None, k, k + 1)
                         for k in range(rng.choice([0, 1, 3, 12]))]
                replace_windows(conn, tid, specs, 5.0, None)
        same_counts(store)
    project.close()


WRITERS = {("media.py", "replace_windows"), ("media.py", "set_turn_times"),
           ("transcripts.py", "insert_transcript"), ("transcripts.py", "delete_transcript")}
RAW_SQL = re.compile(r"(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(turn|segment)\b",
                     re.IGNORECASE)


def _store_functions():
    for path in sorted((ROOT / "coder" / "store").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                yield path.name, fn


def _target(call: ast.AST) -> str | None:
    """`turn` or `segment` when `call` is insert/delete/update/bulk_insert on that table."""
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id in {"insert", "delete", "update", "bulk_insert"}):
        names = {a.id for a in call.args if isinstance(a, ast.Name)} & {"turn", "segment"}
        return next(iter(names), None)
    return None


def test_every_writer_of_turn_and_unit_rows_is_known():
    """A new function that inserts, deletes or updates `turn` or `segment` rows must keep
    positions 1..n without gaps (the transcript list relies on it); add it here once it
    does, with a case in the tests above."""
    found = set()
    for name, fn in _store_functions():
        for node in ast.walk(fn):
            if _target(node) or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                                 and RAW_SQL.search(node.value)):
                found.add((name, fn.name))
    assert found == WRITERS


def test_no_update_moves_a_row_to_another_position():
    """The known updates change times only: never position, transcript or kind."""
    for _name, fn in _store_functions():
        for node in ast.walk(fn):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "values"):
                continue
            inner = node.func.value
            while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                inner = inner.func.value
            if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                    and inner.func.id == "update" and _target(inner)):
                keys = {k.arg for k in node.keywords}
                assert not keys & {"position", "transcript_id", "kind", None}, fn.name
