"""The bulk codings import: replacing existing codings, completions that were partly there,
undo giving back exactly the state before, cancel leaving nothing, progress reported."""

import csv

import pytest
from sqlalchemy import select

from coder.errors import InputError
from coder.jobs import Cancelled
from coder.project import Project
from coder.store.schema import coding, rater, unit_status
from tests.conftest import ROOT

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"
S3 = "session03_tc_labels.txt"
HEADER = ["transcript", "segment", "rater", "code", "value", "note"]


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.scproj")
    p.importing.import_file(SESSION3)
    yield p
    p.close()


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER] + rows)
    return path


def state(project):
    with project._store.read() as conn:
        return (sorted(tuple(r) for r in conn.execute(select(coding))),
                sorted(tuple(r) for r in conn.execute(select(unit_status))),
                sorted(tuple(r)[:4] for r in conn.execute(select(rater))))


def therapist_positions(project, n):
    info = project.transcripts.get(S3)
    segs = project.transcripts.segments(info.id, "turn")
    return [s.position for s in segs if s.role == "therapist"][:n]


def test_replaces_existing_keeps_earlier_completions_and_undo_restores(project, tmp_path):
    p = therapist_positions(project, 4)
    first = write(tmp_path / "a.csv", [[S3, str(p[0]), "Cleo", "validation", "", "old note"],
                                       [S3, str(p[1]), "Cleo", "validation", "", ""]])
    project.codings.import_table(first)
    before = state(project)
    second = write(tmp_path / "b.csv", [[S3, str(p[0]), "cleo", "validation", "", "new note"],
                                        [S3, str(p[2]), "Dev", "validation", "", ""],
                                        [S3, "", "Dev", "alliance_quality", "4", ""]])
    command = project.codings.import_table(second, complete=True)
    assert "3 coding(s) imported (1 replaced), 1 new rater(s)" in command.summary
    with project._store.read() as conn:
        notes = [r.note for r in conn.execute(select(coding))]
        done = conn.execute(select(unit_status)).all()
    info = project.transcripts.get(S3)
    units = [s for s in project.transcripts.segments(info.id, "turn") if s.role == "therapist"]
    assert "new note" in notes and "old note" not in notes
    # Cleo and Dev, every unit an (alliance: therapist) code applies to
    assert len(done) == 2 * len(units)
    project.revert(command)
    assert state(project) == before


def test_partly_completed_units_keep_their_rows_on_undo(project, tmp_path):
    p = therapist_positions(project, 2)
    project.codings.import_table(write(tmp_path / "a.csv", [
        [S3, str(p[0]), "Cleo", "validation", "", ""]]), complete=True)
    cleo = project.raters.get("Cleo").id
    with project._store.write() as conn:
        mine = sorted(r.segment_id for r in conn.execute(
            select(unit_status).where(unit_status.c.rater_id == cleo)))
        conn.execute(unit_status.delete().where(unit_status.c.rater_id == cleo,
                                                unit_status.c.segment_id.in_(mine[::2])))
    before = state(project)
    command = project.codings.import_table(write(tmp_path / "b.csv", [
        [S3, str(p[1]), "Cleo", "validation", "", ""]]), complete=True)
    after = state(project)
    assert len(after[1]) > len(before[1])
    assert set(before[1]) <= set(after[1])           # earlier completions kept as they were
    project.revert(command)
    assert state(project) == before


def test_cancel_imports_nothing_and_progress_is_reported(project, tmp_path):
    positions = therapist_positions(project, 30)
    rows = [[S3, str(pos), f"R{i}", "validation", "", ""] for i in range(3) for pos in positions]
    command = project.codings.import_command(write(tmp_path / "c.csv", rows), complete=True)
    calls = []
    command.progress = lambda done, total, message=None: calls.append((done, total, message))
    command.cancel = lambda: bool(calls)
    before = state(project)
    with pytest.raises(Cancelled):
        project.perform(command)
    assert state(project) == before
    command = project.codings.import_command(write(tmp_path / "c.csv", rows), complete=True)
    command.progress = lambda done, total, message=None: calls.append((done, total, message))
    project.perform(command)
    assert (90, 90, "writing codings") in calls
    assert "90 coding(s) imported" in command.summary


def test_header_only_table_imports_nothing_and_bad_rows_still_named(project, tmp_path):
    command = project.codings.import_table(write(tmp_path / "h.csv", []))
    assert command.summary.startswith("0 coding(s) imported")
    bad = write(tmp_path / "bad.csv", [[S3, "x", "Cleo", "validation", "", ""],
                                       [S3, "1.5", "Cleo", "validation", "", ""]])
    with pytest.raises(InputError, match=r"bad.csv:2: segment 'x'.*\n.*bad.csv:3: segment '1.5'"):
        project.codings.import_table(bad)


BOOK = """id: t
name: Test codebook
version: 1
groups:
  - id: markers
    label: Markers
    codes:
      - id: validation
        label: Validation
        kind: presence
        definition: A test code.
        roles: [any]
  - id: stance
    label: Stance
    category_set: true
    codes:
      - id: warm
        label: Warm
        kind: category
        definition: A test code.
        roles: [any]
      - id: cool
        label: Cool
        kind: category
        definition: A test code.
        roles: [any]
  - id: globals
    label: Globals
    codes:
      - id: overall
        label: Overall
        kind: global
        definition: A test code.
        scale: {min: 1, max: 5}
"""


def test_repeated_rows_and_two_categories_of_a_set_are_named_in_row_order(tmp_path):
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    project = Project.create(tmp_path / "c.scproj", codebook=tmp_path / "book.yaml")
    try:
        project.importing.import_file(SESSION3)
        bad = write(tmp_path / "rep.csv", [
            [S3, "1", "Cleo", "validation", "", ""],        # 2
            [S3, "2", "Cleo", "validation", "", ""],        # 3
            [S3, "1", "cleo", "validation", "", ""],        # 4: repeats row 2
            [S3, "3", "Cleo", "warm", "", ""],              # 5
            [S3, "3", "Dev", "cool", "", ""],               # 6: another rater
            [S3, "3", "Cleo", "cool", "", ""],              # 7: second of the set
            [S3, "", "Cleo", "overall", "4", ""],           # 8
            [S3, "", "Cleo", "overall", "5", ""],           # 9: repeats row 8
            [S3, "nope", "Cleo", "validation", "", ""],     # 10: bad segment
        ])
        with pytest.raises(InputError) as err:
            project.codings.import_table(bad)
        lines = str(err.value).splitlines()
        assert lines[0] == "nothing was imported; 4 problem(s) to fix:"
        assert [line.split(":")[1] for line in lines[1:]] == ["4", "7", "9", "10"]
        assert "the same rater, unit and code appear twice" in lines[1]
        assert "two categories of the set 'Stance' on one unit" in lines[2]
        assert "the same rater, unit and code appear twice" in lines[3]
        assert state(project)[0] == [] and state(project)[2] == []
        fine = write(tmp_path / "fine.csv", [[S3, "3", "Cleo", "warm", "", ""],
                                             [S3, "3", "Dev", "cool", "", ""]])
        assert project.codings.import_table(fine).summary.startswith("2 coding(s)")
    finally:
        project.close()


def test_whole_transcripts_completed_together_and_undo_restores(tmp_path):
    """A codebook under which every unit is codeable: each rater's transcripts are completed
    by one statement (`bulk.complete_transcripts`); an existing rater keeps the completions
    they had, a new rater's go, and undo gives back exactly the state before."""
    from tests.core.test_project_reliability_data import done, new_project
    p = new_project(tmp_path, transcripts=("s1.srt", "s2.srt", "s3.srt"))
    done(p, "A", "s1.srt", [1, 2])
    before = state(p)
    table = tmp_path / "c.csv"
    table.write_text("transcript,segment,rater,code,value,note\n"
                     "s1.srt,1,A,validate,,\ns2.srt,1,A,validate,,\ns2.srt,2,Newcomer,withdraw,,\n",
                     encoding="utf-8")
    command = p.codings.import_table(table, complete=True)
    units = {name: [u.id for kind in ("turn", "window")
                    for u in p.transcripts.segments(p.transcripts.get(name).id, kind)]
             for name in ("s1.srt", "s2.srt", "s3.srt")}
    newcomer = p.raters.get("Newcomer").id
    with p._store.read() as conn:
        marked = {(r.segment_id, r.rater_id) for r in conn.execute(select(unit_status))}
    assert marked == ({(u, p.r["A"]) for u in units["s1.srt"] + units["s2.srt"]}
                      | {(u, newcomer) for u in units["s2.srt"]})
    assert command.summary.endswith(
        f"{2 * len(units['s2.srt']) + len(units['s1.srt']) - 2} unit(s) marked completed")
    p.revert(command)
    assert state(p) == before
    p.close()


def _coding_indexes(project) -> list[str]:
    with project._store.read() as conn:
        return sorted(r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'coding' "
            "AND sql IS NOT NULL"))


def test_a_large_import_rebuilds_the_indexes_and_a_cancelled_one_keeps_them(
        project, tmp_path, monkeypatch):
    """A large insert drops the coding indexes and builds them again before the commit; a
    cancelled one is rolled back with them in place; a small one never touches them."""
    from coder.store import bulk_codings
    names = _coding_indexes(project)
    assert names == ["ix_coding_code", "ix_coding_transcript", "ix_coding_unit"]
    dropped = []
    real_drop = __import__("sqlalchemy").Index.drop
    monkeypatch.setattr("sqlalchemy.Index.drop",
                        lambda self, bind, **kw: (dropped.append(self.name),
                                                  real_drop(self, bind, **kw))[1])
    positions = therapist_positions(project, 30)
    rows = [[S3, str(pos), f"R{i}", "validation", "", ""] for i in range(3) for pos in positions]
    project.codings.import_table(write(tmp_path / "small.csv", rows[:5]))
    assert dropped == []                                     # below REBUILD_AT
    monkeypatch.setattr(bulk_codings, "REBUILD_AT", 10)
    before = state(project)
    command = project.codings.import_command(write(tmp_path / "c.csv", rows), complete=True)
    calls = []
    command.progress = lambda done, total, message=None: calls.append(message)
    command.cancel = lambda: "writing codings" in calls      # after the rows went in
    with pytest.raises(Cancelled):
        project.perform(command)
    assert dropped == names and _coding_indexes(project) == names
    assert state(project) == before
    dropped.clear()
    project.codings.import_table(write(tmp_path / "c.csv", rows[5:]), complete=True)
    assert dropped == names and _coding_indexes(project) == names
    with project._store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
