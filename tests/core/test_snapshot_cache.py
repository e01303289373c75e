"""The snapshot cache (coder/store/snapshot_cache.py): a present row is current because
triggers delete it on every change; a snapshot read through the cache is field for field the
read without it, after random sequences of real commands and their undo."""

import csv
import random
import sqlite3
from dataclasses import fields

import numpy as np
import pytest
from sqlalchemy import create_engine, select, text

from coder.coding.commands import MarkDone, SetCategory, SetNote, SetRating, ToggleCode
from coder.errors import SessionCoderError
from coder.importers.commands import SetRoles
from coder.media.commands import SetTurnTimes
from coder.project import Project
from coder.store import snapshot_cache, snapshot_packed
from coder.store.migrations import SCHEMA_VERSION, migrate, read_version
from coder.store.schema import snapshot_cache as cache_table
from coder.store.snapshot_read import read_snapshot
from tests.core.test_project_reliability_data import (code_s1_s2, new_project, rate, unit,
                                                      write_srt)


def read(p, cache, **select_):
    with p._store.read() as conn:
        return read_snapshot(conn, p.codebook.current(), cache=cache, **select_)


def same(a, b) -> None:
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, f.name
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), f.name
        elif f.name != "codebook":
            assert x == y, f.name


def cached_ids(p) -> set[int]:
    with p._store.read() as conn:
        return {r[0] for r in conn.execute(select(cache_table.c.transcript_id))}


def tid(p, name):
    return p.transcripts.get(name).id


def check(p, **select_) -> None:
    """Cold-or-partly-warm read that saves, a read all from the cache, a read-only use of
    it: each equal to the read without the cache."""
    ref = read(p, "off", **select_)
    same(read(p, "warm", **select_), ref)
    same(read(p, "use", **select_), ref)
    same(read(p, "warm", **select_), ref)


@pytest.fixture
def project(tmp_path):
    p = new_project(tmp_path, transcripts=("s1.srt", "s2.srt", "s3.srt", "s4.srt"))
    code_s1_s2(p)
    rate(p, "A", "alliance", "s1.srt", None, 4)
    yield p
    p.close()


def test_warm_read_fills_the_cache_and_is_used(project, monkeypatch):
    ref = read(project, "off")
    assert cached_ids(project) == set()
    same(read(project, "warm"), ref)
    assert cached_ids(project) == {tid(project, n) for n in ("s1.srt", "s2.srt", "s3.srt",
                                                             "s4.srt")}
    part = read(project, "off", raters="A,C", transcripts="s1.srt,s2.srt")
    calls = []
    real = snapshot_packed.codings_with_ids
    monkeypatch.setattr(snapshot_packed, "codings_with_ids",
                        lambda *a: calls.append(a) or real(*a))
    same(read(project, "use"), ref)
    same(read(project, "use", raters="A,C", transcripts="s1.srt,s2.srt"), part)
    assert calls == []                                  # nothing read from the codings table


def test_a_command_drops_only_its_transcripts_row(project, monkeypatch):
    read(project, "warm")
    s1, s2 = tid(project, "s1.srt"), tid(project, "s2.srt")
    rate(project, "C", "warmth", "s2.srt", 5, 4)
    assert s2 not in cached_ids(project) and s1 in cached_ids(project)
    calls = []
    real = snapshot_packed.codings_with_ids
    monkeypatch.setattr(snapshot_packed, "codings_with_ids",
                        lambda *a: calls.append(a[2]) or real(*a))
    same(read(project, "warm"), read(project, "off"))
    assert calls[0] == [s2]                             # one transcript read again
    assert s2 in cached_ids(project)


def _raw(p):
    return sqlite3.connect(p._store.path)


@pytest.mark.parametrize("sql", [
    "INSERT INTO coding (transcript_id, segment_id, rater_id, code_id, codebook_version, "
    "created_at) VALUES (:t, (SELECT min(id) FROM segment WHERE transcript_id = :t), "
    "(SELECT min(id) FROM rater), (SELECT min(id) FROM code), 1, 'x')",
    "UPDATE coding SET value = 3 WHERE id = (SELECT min(id) FROM coding WHERE transcript_id = :t)",
    "DELETE FROM coding WHERE id = (SELECT min(id) FROM coding WHERE transcript_id = :t)",
    "INSERT INTO unit_status VALUES ((SELECT max(id) FROM segment WHERE transcript_id = :t), "
    "(SELECT max(id) FROM rater), 'x')",
    "UPDATE unit_status SET completed_at = 'y' WHERE segment_id IN "
    "(SELECT id FROM segment WHERE transcript_id = :t)",
    "DELETE FROM unit_status WHERE segment_id IN (SELECT id FROM segment WHERE transcript_id = :t)",
    "INSERT INTO segment (transcript_id, kind, position) VALUES (:t, 'sentence', 999)",
    "UPDATE segment SET end_ms = 1 WHERE transcript_id = :t",
    "DELETE FROM segment WHERE id = (SELECT max(id) FROM segment WHERE transcript_id = :t)",
    "DELETE FROM transcript WHERE id = :t",
    "UPDATE speaker SET role = 'other' WHERE transcript_id = :t AND label = 'C'",
    "UPDATE turn SET speaker_id = (SELECT id FROM speaker WHERE transcript_id = :t AND "
    "label = 'T') WHERE transcript_id = :t AND position = 2",
])
def test_each_trigger_drops_the_row(project, sql):
    read(project, "warm")
    s1, s2 = tid(project, "s1.srt"), tid(project, "s2.srt")
    con = _raw(project)
    con.execute("PRAGMA foreign_keys = ON")
    with con:
        con.execute(sql, {"t": s2})
    con.close()
    assert s2 not in cached_ids(project) and s1 in cached_ids(project)
    check(project)


def test_unit_status_moved_between_transcripts_drops_both(project):
    read(project, "warm")
    s1, s2 = tid(project, "s1.srt"), tid(project, "s2.srt")
    con = _raw(project)
    with con:
        con.execute("UPDATE unit_status SET segment_id = (SELECT max(id) FROM segment WHERE "
                    "transcript_id = ?) WHERE segment_id = (SELECT min(segment_id) FROM "
                    "unit_status WHERE segment_id IN (SELECT id FROM segment WHERE "
                    "transcript_id = ?))", (s2, s1))
    con.close()
    assert not {s1, s2} & cached_ids(project)
    check(project)


def _write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["transcript", "segment", "rater", "code", "value", "note"]]
                                 + rows)
    return path


def _random_command(p, rng: random.Random, tmp_path, step: int):
    book = p.codebook.current()
    names = [t.name for t in p.transcripts.list()]
    if not names:
        return None
    t = rng.choice(names)
    rater = rng.choice(list(p.r))
    rid = p.r[rater]
    pos = rng.randint(1, 8)
    kind = rng.random()
    if t == "s9.srt":
        return None
    if kind < 0.2:
        code = book.code(rng.choice(["validate", "withdraw"]))
        u = unit(p, t, pos)
        span = (0, rng.randint(1, 5)) if rng.random() < 0.3 else None
        return ToggleCode(rid, code, [u], on=rng.random() < 0.8, span=span)
    if kind < 0.35:
        members = [c.id for c in book.group("behaviour").codes]
        return SetCategory(rid, book.code(rng.choice(members)), members, [unit(p, t, pos)],
                           on=rng.random() < 0.85)
    if kind < 0.5:
        value = rng.choice([None, 1, 2, 3, 4, 5])
        return SetRating(rid, book.code("warmth"), value, unit=unit(p, t, pos))
    if kind < 0.58:
        return SetRating(rid, book.code("alliance"), rng.choice([None, 2, 5]),
                         transcript_id=tid(p, t))
    if kind < 0.72:
        units = [unit(p, t, k) for k in rng.sample(range(1, 9), rng.randint(1, 4))]
        return MarkDone(rid, units, done=rng.random() < 0.75)
    if kind < 0.78:
        return SetNote(rid, rng.choice([None, f"note {step}"]), unit=unit(p, t, pos))
    if kind < 0.86:
        rows = [[t, str(k), rng.choice(["A", "B", "C"]), "validate", "", ""]
                for k in rng.sample(range(1, 9), 3)]
        rows.append([t, "", rng.choice(["A", "B"]), "alliance", str(rng.randint(1, 5)), ""])
        return p.codings.import_command(_write_csv(tmp_path / f"c{step}.csv", rows),
                                        complete=rng.random() < 0.5)
    if kind < 0.91:
        n = len(p.transcripts.segments(tid(p, t), "turn"))
        shift = rng.randint(0, 200) * 1000
        return SetTurnTimes(tid(p, t), [(shift + i * 100_000, shift + i * 100_000 + 80_000)
                                        for i in range(n)])
    if kind < 0.97:
        return SetRoles(tid(p, t), {"C": rng.choice(["client", "other", "therapist"])})
    return "remove", t


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_commands_and_undo_read_the_same_through_the_cache(project, tmp_path, seed):
    rng = random.Random(seed)
    done = []
    removed = False
    for step in range(40):
        if step == 10:                                   # a transcript that stays uncoded
            project.importing.import_file(write_srt(tmp_path, "s9.srt"))
        if done and rng.random() < 0.2:
            project.revert(done.pop())
        else:
            try:
                command = _random_command(project, rng, tmp_path, step)
            except SessionCoderError:
                continue                                 # refused (a role, a scope)
            if command is None:
                continue
            if isinstance(command, tuple):
                if removed or step < 25:
                    continue
                try:
                    project.transcripts.remove(tid(project, command[1]))
                except SessionCoderError:                # it has codings: remove the new one
                    project.transcripts.remove(tid(project, "s9.srt"))
                removed, done = True, []                 # not undoable
            else:
                try:
                    project.perform(command)
                except SessionCoderError:
                    continue                             # refused (a role, a scope)
                if getattr(command, "undoable", True):
                    done.append(command)
        if rng.random() < 0.3:                          # some transcripts warm, others not
            names = [t.name for t in project.transcripts.list()]
            read(project, "warm", transcripts=rng.sample(names, max(1, len(names) // 2)))
        check(project)
        if rng.random() < 0.3:
            check(project, raters="A,C")
    assert cached_ids(project)


def test_readonly_open_uses_the_cache_and_never_writes_it(project, monkeypatch):
    monkeypatch.setattr(Project, "WARM_AT_CLOSE_S", -1.0)   # the writer leaves s2 missing
    path = project._store.path
    read(project, "warm")
    rate(project, "C", "warmth", "s2.srt", 5, 4)        # s2's row is gone
    s2 = tid(project, "s2.srt")
    before = cached_ids(project)
    assert s2 not in before and len(before) == 3
    ref = read(project, "off")
    project.close()
    calls = []
    real = snapshot_packed.codings_with_ids
    monkeypatch.setattr(snapshot_packed, "codings_with_ids",
                        lambda *a: calls.append(a[2]) or real(*a))
    with Project.open(path, readonly=True) as ro:
        assert ro._store.snapshot_cache == "use"
        same(ro.reliability.snapshot(), ref)
        same(ro.codings.snapshot(), ref)
    assert calls == [[s2], [s2]]                         # only s2 read, twice: not saved
    con = sqlite3.connect(path)
    assert {r[0] for r in con.execute("SELECT transcript_id FROM snapshot_cache")} == before
    con.close()


def test_analysis_api_reads_through_the_cache(project):
    import coder
    path = project._store.path
    project.reliability.snapshot()                      # the app's report warms it
    ref = read(project, "off")
    warm = cached_ids(project)
    project.close()
    with coder.open_project(path) as study:
        same(study.project.codings.snapshot(), ref)
        assert len(study.codings()) > 0
    con = sqlite3.connect(path)
    assert {r[0] for r in con.execute("SELECT transcript_id FROM snapshot_cache")} == warm
    con.close()


def test_blind_rater_gets_only_own_rows_through_a_warm_cache(project):
    full = read(project, "off")
    project.reliability.snapshot()                      # warm, every rater
    assert len(cached_ids(project)) == 4
    project.raters.set_blind(True)
    project.sign_in("B")
    mine = project.codings.snapshot()
    b = full.rater_ids.index(project.r["B"])
    assert mine.rater_names == ("B",)
    assert mine.cod_rater.size == int((full.cod_rater == b).sum()) > 0
    assert set(mine.cod_rater.tolist()) == {0}
    assert np.array_equal(mine.cod_code, full.cod_code[full.cod_rater == b])
    assert np.array_equal(mine.cod_unit, full.cod_unit[full.cod_rater == b])
    assert np.array_equal(mine.done[:, 0], full.done[:, b])


@pytest.mark.parametrize("damage", [b"", b"junk", b"SCC1\x07\x00\x00\x00\x00",
                                    "cut", "trailing", "dtype", "labels", "label index"])
def test_a_damaged_row_falls_back_and_is_replaced(project, damage):
    read(project, "warm")
    s2 = tid(project, "s2.srt")
    con = _raw(project)
    blob = con.execute("SELECT codings FROM snapshot_cache WHERE transcript_id = ?",
                       (s2,)).fetchone()[0]
    bad = {"cut": blob[:-3], "trailing": blob + b"\x00",
           "dtype": blob[:9] + b"<U4 " + blob[13:]}.get(damage, damage)
    with con:
        if damage == "labels":
            con.execute("UPDATE snapshot_cache SET segment_labels = 'junk' WHERE "
                        "transcript_id = ?", (s2,))
        elif damage == "label index":
            con.execute("UPDATE snapshot_cache SET segment_labels = "
                        "'{\"kinds\": [], \"roles\": []}' WHERE transcript_id = ?", (s2,))
        else:
            con.execute("UPDATE snapshot_cache SET codings = ? WHERE transcript_id = ?",
                        (bad, s2))
    con.close()
    ref = read(project, "off")
    same(read(project, "use"), ref)                     # falls back, leaves the row
    same(read(project, "warm"), ref)                    # and a writable read replaces it
    with project._store.read() as conn:
        good = conn.execute(select(cache_table.c.codings)
                            .where(cache_table.c.transcript_id == s2)).scalar()
    assert bytes(good) == blob
    snapshot_cache.decode(good, len(snapshot_cache.CODING_COLUMNS))


def test_save_skips_when_another_connection_wrote_since_the_read(project):
    with project._store.read() as conn:
        since = snapshot_cache.data_version(conn)
        con = _raw(project)
        with con:
            con.execute("UPDATE coding SET value = 2 WHERE id = 1")
        con.close()
        entry = ([np.zeros(0, np.int64)] * 4 + [np.zeros(0)] + [np.zeros(0, np.int64)] * 2,
                 [np.zeros(0, np.int64)] * 2,
                 [np.zeros(0, np.int64), np.zeros(0, str), np.zeros(0, np.int64),
                  np.zeros(0, str)])
        assert snapshot_cache.save(conn, {tid(project, "s1.srt"): entry}, (), since) == 0
        assert snapshot_cache.save(conn, {tid(project, "s1.srt"): entry}, (),
                                   snapshot_cache.data_version(conn)) == 1


def test_encode_decode_keeps_every_value():
    rng = np.random.default_rng(0)
    cols = [rng.integers(-2**62, 2**62, 50), rng.integers(-5, 100, 50),
            np.full(50, -1), rng.integers(0, 2**20, 50),
            np.where(rng.random(50) < 0.5, np.nan, rng.random(50)), np.full(50, np.nan)]
    back = snapshot_cache.decode(snapshot_cache.encode(cols), len(cols))
    for a, b in zip(cols, back):
        assert np.array_equal(np.asarray(a, b.dtype), b, equal_nan=True)
    assert [c.size for c in snapshot_cache.decode(snapshot_cache.encode(
        [np.zeros(0, np.int64), np.zeros(0)]), 2)] == [0, 0]


def test_migration_from_version_5_adds_table_and_triggers(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        migrate(conn, 0, 5)
        assert read_version(conn) == 5 and not conn.dialect.has_table(conn, "snapshot_cache")
        migrate(conn, 5, 6)
        assert read_version(conn) == 6
        names = {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    engine.dispose()
    assert len([n for n in names if n.startswith("snapshot_cache_")]) == 11


def test_the_report_job_warms_the_cache_on_its_own_connection(project):
    ref = read(project, "off")
    snap = project.reliability.snapshot_job()()
    same(snap, ref)
    assert len(cached_ids(project)) == 4
    rate(project, "B", "warmth", "s1.srt", 3, 1)        # the keypress after it
    same(project.reliability.snapshot_job()(), read(project, "off"))
    assert len(cached_ids(project)) == 4


def _no_packed_reads(monkeypatch) -> list:
    calls = []
    real = snapshot_packed.codings_with_ids
    monkeypatch.setattr(snapshot_packed, "codings_with_ids",
                        lambda *a: calls.append(a[2]) or real(*a))
    return calls


def test_a_writers_close_rebuilds_the_rows_its_writes_dropped(project, monkeypatch):
    path = project._store.path
    read(project, "warm")
    rate(project, "C", "warmth", "s2.srt", 5, 4)        # drops s2's row
    s2 = tid(project, "s2.srt")
    assert s2 not in cached_ids(project)
    ref = read(project, "off")
    project.close()
    calls = _no_packed_reads(monkeypatch)
    with Project.open(path, readonly=True) as ro:
        assert s2 in cached_ids(ro)
        same(ro.codings.snapshot(), ref)
    assert calls == []                                  # every transcript from the cache


def test_a_close_without_writes_or_past_its_time_saves_nothing(project, monkeypatch):
    path = project._store.path
    project.close()                                     # the setup's writes: all warmed
    assert len(cached_ids(project)) == 4
    con = _raw(project)
    con.execute("DELETE FROM snapshot_cache")
    con.commit()
    con.close()
    with Project.open(path, backup=False) as p:         # opened, nothing written
        assert p.transcripts.get("s2.srt") is not None
    with Project.open(path, readonly=True) as ro:
        assert cached_ids(ro) == set()
    monkeypatch.setattr(Project, "WARM_AT_CLOSE_S", -1.0)
    with Project.open(path, backup=False) as p:         # writes, but has no time left
        p.r = project.r
        rate(p, "C", "warmth", "s2.srt", 5, 4)
    with Project.open(path, readonly=True) as ro:
        assert cached_ids(ro) == set()


def test_a_writers_close_without_a_codebook_is_quiet(tmp_path):
    p = Project.create(tmp_path / "bare.scproj")
    p.importing.import_file(write_srt(tmp_path, "s1.srt"))
    p.close()
    with Project.open(tmp_path / "bare.scproj", readonly=True) as ro:
        assert cached_ids(ro) == set()


def _triggers(p) -> list[str]:
    con = _raw(p)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        con.close()


def test_a_bulk_import_drops_its_transcripts_rows_once_with_the_triggers_off(project, tmp_path):
    """The codings import runs without the per-row triggers (its transcripts' rows are
    deleted once instead) and puts them back: the rows of the transcripts it did not touch
    stay, the next read through the cache equals the read without, and a cancelled import
    is rolled back with the triggers and the rows it dropped."""
    from coder.jobs import Cancelled
    triggers = _triggers(project)
    assert len(triggers) == len(snapshot_cache.TRIGGERS)
    read(project, "warm")
    s1, s2 = tid(project, "s1.srt"), tid(project, "s2.srt")
    rows = [["s2.srt", str(k), "C", "validate", "", ""] for k in (1, 3, 5)]
    command = project.codings.import_command(_write_csv(tmp_path / "c.csv", rows),
                                             complete=True)
    calls = []
    command.cancel = lambda: calls.append(1) or len(calls) > 1   # after the first rows
    with pytest.raises(Cancelled):
        project.perform(command)
    assert _triggers(project) == triggers
    assert {s1, s2} <= cached_ids(project)                        # all rolled back
    command.cancel = None
    project.perform(command)
    assert _triggers(project) == triggers
    assert s2 not in cached_ids(project) and s1 in cached_ids(project)
    check(project)
    rate(project, "C", "warmth", "s1.srt", 5, 4)                  # the triggers work again
    assert s1 not in cached_ids(project)
