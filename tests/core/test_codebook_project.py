"""The project's codebook: versions, diff, archive/delete/merge with undo, ids never reused,
YAML and .qdc in and out."""

import json
import subprocess
import sys
from datetime import datetime

import pytest
from sqlalchemy import func, insert, select

from coder.codebook import CodebookError, load_codebook
from coder.codebook.edit import add_code, update_code
from coder.codebook.shipped import SHIPPED_DIR
from coder.codebook import Code
from coder.codebook.commands import (CodebookConflict, DeleteCode, EditCodebook, MergeCodes,
                                     archive_code)
from coder.project import Project
from coder.store.schema import code, coding, rater
from tests.conftest import ROOT, SAMPLES


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.scproj")
    p.importing.import_file(SAMPLES / "plain_TC_labels_utf8.txt")
    yield p
    p.close()


def add_codings(project, code_id, rater_name="Ana", segments=(1, 2), value=None):
    """Test fixture data: codings written straight to the table (the coding commands of the
    workspace are not what is under test here)."""
    info = project.transcripts.list()[0]
    segs = project.transcripts.segments(info.id, "turn")
    with project._store.write() as conn:
        rid = conn.execute(select(rater.c.id).where(rater.c.name == rater_name)).scalar()
        if rid is None:
            rid = conn.execute(insert(rater).values(
                name=rater_name, initials=rater_name[:2], role="rater",
                created_at=datetime.now().isoformat())).inserted_primary_key[0]
        cid = conn.execute(select(code.c.id).where(code.c.key == code_id)).scalar_one()
        version = len(project.codebook.versions())
        for pos in segments:
            conn.execute(insert(coding).values(
                transcript_id=info.id, segment_id=segs[pos - 1].id, rater_id=rid, code_id=cid,
                value=value, codebook_version=version, created_at="2026-01-01T00:00:00"))


def codings_of(project, code_id):
    with project._store.read() as conn:
        return conn.execute(select(func.count()).select_from(coding).join(
            code, code.c.id == coding.c.code_id).where(code.c.key == code_id)).scalar_one()


def test_new_project_uses_the_alliance_codebook_as_version_1(project):
    book = project.codebook.current()
    assert book == load_codebook(SHIPPED_DIR / "alliance_safeness.yaml")
    [v1] = project.codebook.versions()
    assert (v1["version"], v1["source"]) == (1, "alliance_safeness.yaml")


def test_edit_makes_a_version_and_undo_removes_it(project):
    before = project.codebook.current()
    first = next(before.codes()).code
    cmd = EditCodebook(before, update_code(before, first.id, label="Warmth and bond"),
                       "Rename")
    changes = project.perform(cmd)
    assert changes.codebook and changes.codes == {first.id}
    assert [v["version"] for v in project.codebook.versions()] == [1, 2]
    assert project.codebook.current().code(first.id).label == "Warmth and bond"
    assert project.codebook.diff(1, 2).describe() == [
        f"renamed code '{first.id}': '{first.label}' -> 'Warmth and bond'"]
    assert project.codebook.versions()[1]["summary"] == project.codebook.diff(1, 2).describe()[0]
    project.revert(cmd)
    assert project.codebook.current() == before
    assert [v["version"] for v in project.codebook.versions()] == [1]
    project.perform(cmd)          # redo
    assert project.codebook.current().code(first.id).label == "Warmth and bond"


def test_undo_after_coding_under_the_new_version_keeps_history(project):
    before = project.codebook.current()
    presence = next(e.code for e in before.codes() if e.code.kind == "presence")
    cmd = EditCodebook(before, update_code(before, presence.id, color="#123456"), "Recolour")
    project.perform(cmd)
    add_codings(project, presence.id)            # coded under version 2
    project.revert(cmd)
    versions = project.codebook.versions()
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[2]["source"] == "undo of version 2"
    assert project.codebook.current(3) == before


def test_invalid_edit_is_refused_with_every_problem(project):
    before = project.codebook.current()
    ids = [e.code.id for e in before.codes() if e.code.shortcut][:2]
    key = before.code(ids[0]).shortcut
    bad = update_code(update_code(before, ids[1], shortcut=key), ids[0], color="teal")
    with pytest.raises(CodebookError) as err:
        project.perform(EditCodebook(before, bad, "bad"))
    text = str(err.value)
    assert "shortcut" in text and "colo" in text.lower()
    assert len(project.codebook.versions()) == 1


def test_ids_are_never_reused(project):
    before = project.codebook.current()
    victim = next(e for e in before.codes() if e.code.kind == "presence")
    project.perform(DeleteCode(before, victim.code.id))
    now = project.codebook.current()
    again = add_code(now, victim.group.id, Code(id=victim.code.id, label="Something else",
                                                 definition="A new code."))
    with pytest.raises(CodebookConflict, match="never reused"):
        project.perform(EditCodebook(now, again, "Add"))


def test_stale_edit_is_refused(project):
    before = project.codebook.current()
    first = next(before.codes()).code
    project.perform(EditCodebook(before, update_code(before, first.id, label="A"), "one"))
    with pytest.raises(CodebookConflict, match="changed since"):
        project.perform(EditCodebook(before, update_code(before, first.id, label="B"), "two"))


def test_delete_in_use_code_needs_explicit_consent_and_undo_restores_codings(project):
    before = project.codebook.current()
    victim = next(e.code for e in before.codes() if e.code.kind == "presence")
    add_codings(project, victim.id, segments=(1, 2, 3))
    with pytest.raises(CodebookConflict, match="has 3 coding"):
        project.perform(DeleteCode(before, victim.id))
    assert codings_of(project, victim.id) == 3
    cmd = DeleteCode(before, victim.id, delete_codings=True)
    changes = project.perform(cmd)
    assert len(changes.segments) == 3
    assert codings_of(project, victim.id) == 0
    assert victim.id not in project.codebook.current().code_ids()
    project.revert(cmd)
    assert codings_of(project, victim.id) == 3
    assert project.codebook.current() == before


def test_archive_keeps_codings(project):
    before = project.codebook.current()
    victim = next(e.code for e in before.codes() if e.code.kind == "presence")
    add_codings(project, victim.id)
    project.perform(archive_code(before, victim.id))
    assert project.codebook.current().code(victim.id).archived
    assert codings_of(project, victim.id) == 2


def test_merge_moves_codings_in_one_undoable_step(project):
    before = project.codebook.current()
    a, b = [e.code for e in before.codes() if e.code.kind == "presence"][:2]
    add_codings(project, a.id, segments=(1, 2, 3))
    add_codings(project, b.id, segments=(3, 4))       # segment 3 has both: A's is dropped
    add_codings(project, a.id, rater_name="Ben", segments=(5,))
    cmd = MergeCodes(before, a.id, b.id)
    assert cmd.text == f"Merge '{a.label}' into '{b.label}'"
    project.perform(cmd)
    assert codings_of(project, a.id) == 0
    assert codings_of(project, b.id) == 5             # 1, 2, 3, 4 (Ana) + 5 (Ben)
    assert a.id not in project.codebook.current().code_ids()
    project.revert(cmd)
    assert (codings_of(project, a.id), codings_of(project, b.id)) == (4, 2)
    assert project.codebook.current() == before


def test_merge_refuses_different_kinds(project):
    before = project.codebook.current()
    presence = next(e.code for e in before.codes() if e.code.kind == "presence")
    rated = next(e.code for e in before.codes() if e.code.kind == "global")
    with pytest.raises(CodebookConflict, match="cannot merge"):
        MergeCodes(before, presence.id, rated.id)


def test_replacing_the_codebook_keeps_codes_in_use_archived(project):
    used = next(e.code for e in project.codebook.current().codes() if e.code.kind == "presence")
    add_codings(project, used.id)
    project.codebook.use_file(SHIPPED_DIR / "mi_behaviour.yaml")
    book = project.codebook.current()
    assert book.name == load_codebook(SHIPPED_DIR / "mi_behaviour.yaml").name
    kept = book.code(used.id)
    assert kept.archived and kept.shortcut is None
    assert codings_of(project, used.id) == 2


def test_yaml_export_is_lossless_and_qdc_round_trips(project, tmp_path):
    project.codebook.export(tmp_path / "out.yaml")
    assert load_codebook(tmp_path / "out.yaml") == project.codebook.current()
    project.codebook.export(tmp_path / "out.qdc")
    _changes, notes = project.codebook.use_file(tmp_path / "out.qdc")
    back = project.codebook.current()
    original = project.codebook.current(1)
    assert [(e.code.id, e.code.label, e.code.definition, e.code.color) for e in back.codes()] \
        == [(e.code.id, e.code.label, e.code.definition, e.code.color)
            for e in original.codes()]


def test_sample_qdc_becomes_a_project_codebook(project):
    _changes, notes = project.codebook.use_file(SAMPLES / "codebook.qdc")
    book = project.codebook.current()
    labels = [e.code.label for e in book.codes()]
    assert labels == ["Empathy", "Open question", "Reflection"]
    assert all(e.code.kind == "presence" for e in book.codes())
    assert notes, "what .qdc cannot express must be said"


def cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_codebook_cli(tmp_path):
    assert cli("codebook", "validate", *sorted(SHIPPED_DIR.glob("*.yaml"))).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: X\ngroups:\n  - id: g\n    label: G\n    codes:\n"
                   "      - id: a\n        lable: A\n        kind: presense\n")
    result = cli("codebook", "validate", bad)
    assert result.returncode == 1
    assert f"{bad}:8:9:" in result.stderr and "did you mean 'label'" in result.stderr
    assert f"{bad}:9:15:" in result.stderr and "presence" in result.stderr
    assert "Traceback" not in result.stderr

    path = tmp_path / "mi.scproj"
    created = cli("new", path, "--codebook", SHIPPED_DIR / "mi_behaviour.yaml")
    assert created.returncode == 0, created.stderr
    shown = json.loads(cli("codebook", "show", path, "--json").stdout)
    by_id = {c["id"]: c for c in shown["codes"]}
    mi = load_codebook(SHIPPED_DIR / "mi_behaviour.yaml")
    assert list(by_id) == list(mi.code_ids())
    for entry in mi.codes():
        c = by_id[entry.code.id]
        assert (c["label"], c["group"], c["kind"]) == (entry.code.label, entry.group.id,
                                                       entry.code.kind)
        if entry.code.scale:
            assert (c["scale"]["min"], c["scale"]["max"]) == (entry.code.scale.min,
                                                             entry.code.scale.max)
    default = tmp_path / "default.scproj"
    assert cli("new", default).returncode == 0
    assert json.loads(cli("codebook", "show", default, "--json").stdout)["name"] == \
        load_codebook(SHIPPED_DIR / "alliance_safeness.yaml").name
    assert cli("new", tmp_path / "x.scproj", "--codebook", bad).returncode == 1
    assert not (tmp_path / "x.scproj").exists()


def test_undo_of_an_older_edit_after_an_import_is_refused(project):
    before = project.codebook.current()
    first = next(before.codes()).code
    edit = EditCodebook(before, update_code(before, first.id, label="Renamed"), "Rename")
    project.perform(edit)
    project.codebook.use_file(SHIPPED_DIR / "mi_behaviour.yaml")
    with pytest.raises(CodebookConflict, match="changed after this step"):
        project.revert(edit)
    assert project.codebook.current().name == load_codebook(SHIPPED_DIR / "mi_behaviour.yaml").name


def test_a_codebook_file_can_come_back_with_its_ids(project):
    project.codebook.use_file(SHIPPED_DIR / "mi_behaviour.yaml")
    project.codebook.use_file(SHIPPED_DIR / "alliance_safeness.yaml")      # ids return
    assert project.codebook.current() == load_codebook(SHIPPED_DIR / "alliance_safeness.yaml")
    command, notes = project.codebook.file_command(SHIPPED_DIR / "rupture_repair.yaml")
    project.perform(command)
    project.revert(command)                                                # undoable
    assert project.codebook.current() == load_codebook(SHIPPED_DIR / "alliance_safeness.yaml")
