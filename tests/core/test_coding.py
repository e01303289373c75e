"""Raters, blinding, assignments, coding commands (apply then revert gives back the same
state), the three states per rater and unit, notes, codings tables in and out."""

import csv

import pytest
from sqlalchemy import select

from coder.coding.commands import (CodingError, MarkDone, SetCategory, SetNote, SetRating,
                                   ToggleCode)
from coder.project import BlindingError
from coder.codebook.shipped import SHIPPED_DIR
from coder.errors import InputError, SessionCoderError
from coder.project import Project
from coder.store.schema import coding, unit_status
from tests.conftest import ROOT, SAMPLES

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"
SESSION1 = ROOT / "sample_transcripts" / "session01_full_length.vtt"


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.scproj")
    p.importing.import_file(SESSION3)
    p.importing.import_file(SESSION1)
    p.ana = p.raters.add("Ana Ruiz")
    p.ben = p.raters.add("Ben Okafor", role="supervisor")
    p.sign_in(p.ana.id)
    yield p
    p.close()


def state(project):
    """Everything coding-related in the project, for apply/revert comparisons."""
    with project._store.read() as conn:
        codings = sorted(tuple(r) for r in conn.execute(select(coding)))
        done = sorted(tuple(r) for r in conn.execute(select(unit_status)))
    notes = {}
    for info in project.transcripts.list():
        notes.update(project.codings.notes([s.id for s in project.transcripts.segments(info.id, "turn")]))
    return codings, done, notes


def tid(project, name="session03_tc_labels.txt"):
    return project.transcripts.get(name).id


def units(project, *positions, kind="turn", name="session03_tc_labels.txt"):
    segs = project.transcripts.segments(tid(project, name), kind)
    return [segs[p - 1] for p in positions]


def therapist_units(project, n):
    segs = project.transcripts.segments(tid(project), "turn")
    return [s for s in segs if s.role == "therapist"][:n]


def roundtrip(project, command):
    before = state(project)
    changes = project.perform(command)
    after = state(project)
    assert after != before
    project.revert(command)
    assert state(project) == before
    project.perform(command)          # redo lands on the same state as the first apply
    assert [c[1:9] for c in state(project)[0]] == [c[1:9] for c in after[0]]
    return changes


def test_initials_roles_and_sign_in(project):
    assert project.ana.initials == "AR" and project.ana.role == "rater"
    assert [r.name for r in project.raters.list()] == ["Ana Ruiz", "Ben Okafor"]
    with pytest.raises(SessionCoderError, match="already a rater"):
        project.raters.add("ana ruiz")
    with pytest.raises(SessionCoderError, match="unknown rater role"):
        project.raters.add("Cleo", role="boss")


def test_toggle_presence_code_and_menu_text(project):
    book = project.codebook.current()
    validation = book.code("validation")
    segs = therapist_units(project, 3)
    cmd = ToggleCode(project.ana.id, validation, segs)
    assert cmd.text == "Apply 'Validation' to 3 segments"
    changes = roundtrip(project, cmd)
    assert changes.segments == {s.id for s in segs}
    views = project.codings.on([s.id for s in segs])
    assert [(v.code, v.rater_id, v.value) for v in views] == [("validation", project.ana.id,
                                                               None)] * 3
    assert {v.codebook_version for v in views} == {1}
    off = ToggleCode(project.ana.id, validation, segs[:2], on=False)
    assert off.text == "Remove 'Validation' from 2 segments"
    roundtrip(project, off)
    assert len(project.codings.on([s.id for s in segs])) == 1


def test_codes_apply_only_in_their_scope(project):
    validation = project.codebook.current().code("validation")      # therapist turns only
    client = next(s for s in project.transcripts.segments(tid(project), "turn") if s.role == "client")
    with pytest.raises(CodingError, match="applies to therapist segments"):
        ToggleCode(project.ana.id, validation, [client])
    window = project.transcripts.segments(tid(project, "session01_full_length.vtt"), "window")[0]
    with pytest.raises(CodingError):
        ToggleCode(project.ana.id, validation, [window])


def test_spans_are_code_point_offsets_and_survive(project):
    book = project.codebook.current()
    seg = therapist_units(project, 1)[0]
    cmd = ToggleCode(project.ana.id, book.code("validation"), [seg], span=(2, 9))
    roundtrip(project, cmd)
    [view] = project.codings.on([seg.id])
    assert (view.span_start, view.span_end) == (2, 9)
    with pytest.raises(CodingError, match="outside"):
        ToggleCode(project.ana.id, book.code("validation"), [seg], span=(0, 10_000))


def test_category_replaces_others_of_its_set(tmp_path):
    p = Project.create(tmp_path / "mi.scproj", codebook=SHIPPED_DIR / "mi_behaviour.yaml")
    try:
        p.importing.import_file(SAMPLES / "plain_TC_labels_utf8.txt")
        rater = p.raters.add("Ana")
        p.sign_in(rater.id)
        book = p.codebook.current()
        entry = next(e for e in book.codes() if e.code.kind == "category"
                     and "therapist" in e.code.roles)
        members = [c.id for c in entry.group.codes]
        other = book.code(members[1] if members[0] == entry.code.id else members[0])
        seg = p.transcripts.segments(p.transcripts.list()[0].id, "turn")[0]        # T: a therapist turn
        p.perform(SetCategory(rater.id, other, members, [seg]))
        cmd = SetCategory(rater.id, entry.code, members, [seg])
        roundtrip(p, cmd)
        assert [v.code for v in p.codings.on([seg.id])] == [entry.code.id]
    finally:
        p.close()


def test_window_rating_and_session_global(project):
    book = project.codebook.current()
    # The alliance codebook has globals; window ratings are in the rupture codebook.
    quality = book.code("alliance_quality")
    t = tid(project)
    cmd = SetRating(project.ana.id, quality, 4, transcript_id=t)
    assert cmd.text == "Rate 'Alliance quality' 4"
    roundtrip(project, cmd)
    assert [(v.code, v.value, v.segment_id) for v in project.codings.session_globals(t)] == [
        ("alliance_quality", 4.0, None)]
    project.perform(SetRating(project.ana.id, quality, 2, transcript_id=t))
    assert [v.value for v in project.codings.session_globals(t)] == [2.0]
    with pytest.raises(CodingError, match="off the scale"):
        SetRating(project.ana.id, quality, 9, transcript_id=t)
    with pytest.raises(CodingError, match="once per session"):
        SetRating(project.ana.id, quality, 3, unit=units(project, 1)[0])


def test_three_states_are_kept_apart(project):
    book = project.codebook.current()
    segs = therapist_units(project, 3)
    project.perform(ToggleCode(project.ana.id, book.code("validation"), segs[:1]))
    cmd = MarkDone(project.ana.id, segs[:2])
    assert cmd.text == "Mark 2 segments done"
    roundtrip(project, cmd)
    done = project.codings.completed([s.id for s in segs])
    # unit 0: applied; unit 1: completed without the code = not applied; unit 2: missing.
    assert done == {segs[0].id, segs[1].id}
    assert [v.segment_id for v in project.codings.on([s.id for s in segs])] == [segs[0].id]
    assert project.codings.progress(tid(project), "turn") == (2, 127)
    first_todo = project.codings.next_unfinished(tid(project), "turn")
    assert first_todo not in (segs[0].position, segs[1].position)


def test_blind_mode_hides_other_raters_and_only_a_supervisor_lifts_it(project):
    book = project.codebook.current()
    seg = therapist_units(project, 1)[0]
    project.perform(ToggleCode(project.ben.id, book.code("validation"), [seg]))
    assert project.access.blind
    assert project.codings.on([seg.id]) == []              # Ana cannot see Ben's coding
    assert project.codings.positions_with_code(tid(project), "turn", "validation") == []
    with pytest.raises(BlindingError):
        project.codings.completed([seg.id], rater_id=project.ben.id)
    with pytest.raises(BlindingError, match="only a supervisor"):
        project.raters.set_blind(False)
    project.sign_in(project.ben.id)
    project.raters.set_blind(False)
    project.sign_in(project.ana.id)
    assert [v.rater_id for v in project.codings.on([seg.id])] == [project.ben.id]
    [event] = [e for e in project.raters.events() if e["kind"] == "blinding"]
    assert (event["detail"], event["rater_id"]) == ("off", project.ben.id)


def test_notes_on_units_and_codings(project):
    book = project.codebook.current()
    seg = therapist_units(project, 1)[0]
    roundtrip(project, SetNote(project.ana.id, "check the tone here", unit=seg))
    assert project.codings.notes([seg.id]) == {seg.id: "check the tone here"}
    project.perform(ToggleCode(project.ana.id, book.code("validation"), [seg]))
    [view] = project.codings.on([seg.id])
    cmd = SetNote(project.ana.id, "borderline", coding_id=view.id)
    project.perform(cmd)
    assert project.codings.on([seg.id])[0].note == "borderline"
    project.revert(cmd)
    assert project.codings.on([seg.id])[0].note is None


def test_double_coding_pick_is_reproducible_and_logged(project, tmp_path):
    chosen, seed = project.assignments.pick_double_coding(50, seed=1234)
    again, _ = project.assignments.pick_double_coding(50, seed=1234)
    assert chosen == again and len(chosen) == 1
    assert any(e["kind"] == "double_coding" and "seed 1234" in e["detail"]
               for e in project.raters.events())
    ids = [t.id for t in project.transcripts.list()]
    project.assignments.assign(ids, [project.ana.id, project.ben.id])
    assert project.assignments.all() == {i: [project.ana.id, project.ben.id] for i in ids}


def test_replacing_a_coded_transcript_is_refused(project):
    seg = therapist_units(project, 1)[0]
    project.perform(ToggleCode(project.ana.id, project.codebook.current().code("validation"), [seg]))
    with pytest.raises(SessionCoderError, match="has codings"):
        project.importing.import_file(SESSION3, replace=True)
    with pytest.raises(SessionCoderError, match="has codings"):
        project.transcripts.remove(tid(project))


# -- codings as tables ----------------------------------------------------------------------
def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


HEADER = ["transcript", "segment", "rater", "code", "value", "note"]
S3 = "session03_tc_labels.txt"
S1 = "session01_full_length.vtt"


def test_codings_import_all_or_nothing_with_row_numbers(project, tmp_path):
    bad = write(tmp_path / "bad.csv", [
        HEADER,
        [S3, "1", "Cleo", "validation", "", ""],           # fine (T turn)
        [S3, "2", "Cleo", "validation", "", ""],           # client turn: out of scope
        [S3, "1", "Cleo", "nope", "", ""],                 # unknown code
        ["missing.txt", "1", "Cleo", "validation", "", ""],
        [S3, "500", "Cleo", "validation", "", ""],         # out of range
        [S3, "", "Cleo", "alliance_quality", "7", ""],     # off the scale
    ])
    with pytest.raises(InputError) as err:
        project.codings.import_table(bad)
    text = str(err.value)
    for row in ("bad.csv:3:", "bad.csv:4:", "bad.csv:5:", "bad.csv:6:", "bad.csv:7:"):
        assert row in text
    assert "bad.csv:2:" not in text
    assert [r.name for r in project.raters.list()] == ["Ana Ruiz", "Ben Okafor"]   # nothing in


def test_codings_import_complete_export_round_trip(project, tmp_path):
    good = write(tmp_path / "good.csv", [
        HEADER,
        [S3, "1", "Cleo", "validation", "", "=HYPERLINK(\"x\")"],
        [S3, "3", "Cleo", "bond_warmth", "", ""],
        [S3, "", "Cleo", "alliance_quality", "4", ""],
        [S1, "5", "Dev", "goal_alignment", "", ""],
    ])
    command = project.codings.import_table(good, complete=True)
    assert "4 coding(s) imported" in command.summary and "2 new rater(s)" in command.summary
    cleo = project.raters.get("Cleo")
    project.sign_in(cleo.id)
    # --complete: the 64 therapist turns, the units an (alliance) code applies to; client
    # turns are not "not applied" since no code could be applied there.
    assert project.codings.progress(tid(project), "turn") == (64, 127)
    out = tmp_path / "out.csv"
    assert project.codings.export_csv(out) == 3                      # blind: Cleo's own only
    project.sign_in(project.ana.id)
    project.access.sign_out()                                         # headless: everyone
    assert project.codings.export_csv(out) == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8")      # never a live formula
    # Round trip: importing the export into a fresh project gives the same export.
    other = Project.create(tmp_path / "q.scproj")
    try:
        other.importing.import_file(SESSION3)
        other.importing.import_file(SESSION1)
        other.codings.import_table(out)
        out2 = tmp_path / "out2.csv"
        other.codings.export_csv(out2)
        assert out2.read_bytes() == out.read_bytes()
    finally:
        other.close()
    project.revert(command)                                       # one undoable step
    assert project.codings.export_csv(out) == 0
    assert [r.name for r in project.raters.list()] == ["Ana Ruiz", "Ben Okafor"]


def test_codings_import_missing_columns(project, tmp_path):
    bad = write(tmp_path / "cols.csv", [["transcript", "unit", "who", "code"]])
    with pytest.raises(InputError, match="missing column.*segment, rater"):
        project.codings.import_table(bad)


def test_blinding_applies_in_the_app_before_anyone_signs_in(project):
    project.access.sign_out()
    assert not project.access.blinding_applies()          # headless: the CLI sees every rater
    project.access.interactive = True                     # the desktop app
    assert project.access.blinding_applies()
    from coder.project import BlindingError
    with pytest.raises(BlindingError):
        project.reliability.report()
    with pytest.raises(BlindingError, match="choose who is coding"):
        project.exports.job(project.path.with_suffix(".xlsx"))
