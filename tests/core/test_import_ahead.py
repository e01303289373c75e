"""A folder import with a child process reading ahead (issue 17): the same project as one
file at a time, errors kept per file, nothing left running when the caller stops early.
The turns and units cross the pipe as columns (coder.rowcolumns), which must read, compare
and store exactly as the objects they stand for."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pytest

from coder.errors import SessionCoderError, TranscriptFormatError
from coder.forked import ForkedPartFailed
from coder.importers.ahead import prepared_ahead
from coder.importers.pipeline import prepare_import
from coder.model import ParsedTurn, SegmentationOptions, SegmentSpec
from coder.project import Project
from coder.rowcolumns import Columns, column

linux_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (Linux)")

TABLES = {"transcript": "name, format, encoding, sha256, settings, unit, window_minutes, "
                        "duration_ms",
          "speaker": "transcript_id, position, label, role",
          "turn": "id, transcript_id, position, speaker_id, text, start_ms, end_ms",
          "segment": "id, transcript_id, kind, position, turn_id, char_start, char_end, "
                     "first_turn, last_turn, start_ms, end_ms"}


@pytest.fixture
def folder(samples, tmp_path) -> Path:
    """Sample transcripts of several formats, and one damaged file among them."""
    out = tmp_path / "in"
    out.mkdir()
    for name in ("teams_transcript.vtt", "whisper_output.vtt", "zoom_cloud_transcript.vtt",
                 "generic_speaker_prefix.srt", "otter_export.txt", "teams_transcript.docx",
                 "plain_TC_labels_cp1252.txt"):
        (out / name).write_bytes((samples / name).read_bytes())
    (out / "m_damaged.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return out


def _dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY 1, 2, 3").fetchall()
                for t, cols in TABLES.items()}
    finally:
        con.close()


def _import(path: Path, files, seg, *, fork) -> list[str]:
    """Store every file as the CLI does; the error lines, in order."""
    errors = []
    with Project.create(path) as project:
        if fork is None:                                   # the objects, one at a time
            for f in files:
                try:
                    project.importing.import_file(f, segmentation=seg)
                except SessionCoderError as exc:
                    errors.append(str(exc))
            return errors
        for _path, prepared in project.importing.prepare_all(files, segmentation=seg,
                                                             fork=fork):
            if isinstance(prepared, SessionCoderError):
                errors.append(str(prepared))
                continue
            project.importing.store(prepared)
    return errors


@linux_fork
@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_reading_ahead_stores_what_one_file_at_a_time_stores(folder, tmp_path, unit):
    seg = SegmentationOptions(unit=unit, windows=True, window_minutes=1.0)
    files = sorted(folder.iterdir())
    errors = {}
    for way in (None, False, True):
        errors[way] = _import(tmp_path / f"{way}.scproj", files, seg, fork=way)
    assert len(errors[None]) == 1 and "m_damaged.docx" in errors[None][0]
    assert errors[True] == errors[False] == errors[None]
    base = _dump(tmp_path / "None.scproj")
    assert base["turn"] and any(r[2] == "window" for r in base["segment"])
    assert _dump(tmp_path / "False.scproj") == base
    assert _dump(tmp_path / "True.scproj") == base
    _check_against_the_files(base, files, seg)


def _check_against_the_files(dump, files, seg) -> None:
    """Independently of the store's code: every turn and unit of each file is stored in
    order, numbered 1..n per kind, each unit on the turn (or turns) segmentation gave it."""
    names = [r[0] for r in dump["transcript"]]
    turn_pos = {r[0]: (r[1], r[2]) for r in dump["turn"]}
    for name in names:
        prepared = prepare_import(next(f for f in files if f.name == name), segmentation=seg)
        tid = next(i for i, n in enumerate(names, 1) if n == name)
        turns = [r for r in dump["turn"] if r[1] == tid]
        assert [r[4] for r in turns] == [t.text for t in prepared.parsed.turns]
        assert [r[2] for r in turns] == list(range(1, len(turns) + 1))
        units = [r for r in dump["segment"] if r[1] == tid]
        assert len(units) == len(prepared.units)
        seen: dict[str, int] = {}
        for row, spec in zip(sorted(units, key=lambda r: r[0]), prepared.units):
            seen[spec.kind] = seen.get(spec.kind, 0) + 1
            assert (row[2], row[3]) == (spec.kind, seen[spec.kind])
            if spec.turn_index is None:
                assert row[4] is None
            else:
                assert turn_pos[row[4]] == (tid, spec.turn_index + 1)
            assert (row[7], row[8]) == (None if spec.first_turn is None else spec.first_turn + 1,
                                        None if spec.last_turn is None else spec.last_turn + 1)


@linux_fork
def test_a_file_error_keeps_its_class_and_place(folder):
    files = sorted(folder.iterdir())
    got = list(prepared_ahead(files, prepare_import, fork=True))
    assert [p for p, _ in got] == files
    bad = [(p.name, v) for p, v in got if isinstance(v, SessionCoderError)]
    assert len(bad) == 1 and bad[0][0] == "m_damaged.docx"
    assert isinstance(bad[0][1], TranscriptFormatError)
    here = prepare_import(files[0])
    assert got[0][1] == here                   # what the child sent is what this process makes


def _fails_on_second(path: Path):
    if path.name.startswith("generic"):
        raise KeyError("a bug in a reader")
    return prepare_import(path)


@linux_fork
def test_a_bug_in_the_child_is_raised_not_swallowed(folder):
    files = sorted(folder.iterdir())
    with pytest.raises(ForkedPartFailed, match="KeyError: 'a bug in a reader'"):
        for _ in prepared_ahead(files, _fails_on_second, fork=True):
            pass


@linux_fork
def test_stopping_early_leaves_no_child(folder):
    files = sorted(folder.iterdir()) * 20
    before = set(_children())
    it = prepared_ahead(files, prepare_import, fork=True)
    next(it)
    assert set(_children()) - before                     # the child is reading ahead
    it.close()
    assert set(_children()) == before


def _children() -> list[int]:
    me = os.getpid()
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.append(int(d.name))
    return found


def test_columns_read_compare_and_pickle_as_their_rows():
    turns = (ParsedTurn("T", "Hello.", 0, 900, 3), ParsedTurn("", "Hm.", None, None, None),
             ParsedTurn("C", "Yes", 1000, 1500, 9))
    cols = Columns.of(ParsedTurn, turns)
    assert len(cols) == 3 and list(cols) == list(turns) and cols[2] == turns[2]
    assert cols == turns and cols[1:] == turns[1:] and cols != turns[:2]
    assert pickle.loads(pickle.dumps(cols)) == cols
    assert column(cols, "speaker") == column(turns, "speaker") == ("T", "", "C")
    assert Columns.of(SegmentSpec, ()) == () and len(Columns.of(SegmentSpec, ())) == 0
    with pytest.raises(ValueError, match="different lengths"):
        Columns(ParsedTurn, {"speaker": ("a",), "text": (), "start_ms": (), "end_ms": (),
                             "line": ()})


def test_a_compact_import_reads_as_the_original(samples):
    seg = SegmentationOptions(unit="turn", windows=True, window_minutes=1.0)
    prepared = prepare_import(samples / "zoom_cloud_transcript.vtt", segmentation=seg)
    compact = prepared.compact()
    assert isinstance(compact.parsed.turns, Columns) and isinstance(compact.units, Columns)
    assert compact == prepared
    assert compact.parsed.speakers == prepared.parsed.speakers
    assert compact.parsed.duration_ms == prepared.parsed.duration_ms


def test_turn_ids_that_are_not_one_run_are_read_one_by_one(samples, tmp_path):
    """Ids of one transcript's turns that are not consecutive (another writer's rows in
    between: a PostgreSQL sequence shared by sessions) still map positions to ids."""
    from coder.store.transcripts import _turn_ids
    with Project.create(tmp_path / "p.scproj") as project:
        project.importing.import_file(samples / "whisper_output.vtt")
        with project._store.write() as conn:
            conn.exec_driver_sql("DELETE FROM segment")           # rows that name turn ids
            conn.exec_driver_sql("UPDATE turn SET id = id + 1000 WHERE position > 2")
            tid, n = conn.exec_driver_sql("SELECT transcript_id, count(*) FROM turn").one()
            expected = [r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM turn ORDER BY position")]
            assert list(_turn_ids(conn, tid, n)) == expected
            assert expected[2] - expected[1] > 1


# -- the import dialog's files in a spawned child (prepare_in_process) ----------------------
def _drain_all(files, options=None, **kw):
    import queue
    import threading

    from coder.importers.ahead import prepare_in_process
    from coder.model import ImportOptions
    ready, got, ticks = queue.Queue(maxsize=1), [], []
    options = options or [ImportOptions()] * len(files)

    def consume():
        while len(got) < len(files):
            got.append(ready.get(timeout=60))
    t = threading.Thread(target=consume)
    t.start()
    n = prepare_in_process(files, options, SegmentationOptions(unit="sentence"), ready,
                           progress=lambda d, tot, m: ticks.append((d, tot, m)), **kw)
    t.join(60)
    return n, got, ticks


def test_a_child_prepares_the_files_in_order_as_this_process_would(folder):
    files = sorted(folder.iterdir())
    n, got, ticks = _drain_all(files)
    assert n == len(files) and [i for i, _ in got] == list(range(len(files)))
    for path, (_, value) in zip(files, got):
        if path.name == "m_damaged.docx":
            assert isinstance(value, TranscriptFormatError) and path.name in str(value)
            continue
        want = prepare_import(path, segmentation=SegmentationOptions(unit="sentence"))
        assert isinstance(value.parsed.turns, Columns) and value == want
    assert [t for t in ticks if t[2] == "prepared"] == [
        (i + 1, len(files), "prepared") for i in range(len(files))]
    assert any(m.startswith("segmenting ") and tot > 0 for _, tot, m in ticks)
    assert multiprocessing_children() == []


def test_cancel_ends_the_child_and_keeps_nothing_running(folder):
    import queue

    from coder.importers.ahead import prepare_in_process
    from coder.jobs import Cancelled
    from coder.model import ImportOptions
    files = sorted(folder.iterdir()) * 10
    ready = queue.Queue(maxsize=1)          # nobody takes: the job must wait, then stop
    calls = []

    def cancel():                           # once the first file waits (a loaded machine
        calls.append(1)                     # may take seconds to start the child)
        return (ready.full() and len(calls) > 40) or len(calls) > 2400
    with pytest.raises(Cancelled):
        prepare_in_process(files, [ImportOptions()] * len(files), SegmentationOptions(),
                           ready, cancel=cancel)
    assert ready.qsize() == 1                # one file waited; the child got no further
    assert multiprocessing_children() == []


def multiprocessing_children() -> list:
    import multiprocessing
    return multiprocessing.active_children()
