"""Rater packages: built fresh with one rater's share only (checked in the raw bytes, plain
and encrypted), opened and coded like a project, submitted, merged back as one undoable
command; double import is a no-op; foreign, tampered and wrong-passphrase packages are
refused with a reason; supervisor edits in the meantime are conflicts, never overwritten."""

import sqlite3
import zlib

import pytest
from sqlalchemy import select

from coder.coding.commands import MarkDone, SetNote, ToggleCode
from coder.project import Project
from coder.store.schema import coding, segment_note, unit_status
from coder.team import crypto
from coder.team.merge import MergePackage, plan_import
from coder.team.packages import PackageError, RaterPackage, export_package, submit_package
from tests.core.team.conftest import ANA_NOTE, BEN_NOTE, SESSION3

PASS = "correct horse battery staple"


def rows(project, rater_id):
    with project._store.read() as conn:
        cods = sorted((r.segment_id, r.code_id, r.value, r.note) for r in conn.execute(
            select(coding).where(coding.c.rater_id == rater_id)))
        done = sorted(r.segment_id for r in conn.execute(
            select(unit_status).where(unit_status.c.rater_id == rater_id)))
        notes = sorted((r.segment_id, r.text) for r in conn.execute(
            select(segment_note).where(segment_note.c.rater_id == rater_id)))
    return cods, done, notes


def forbidden_traces(project):
    """Byte strings that must not appear anywhere in Ana's package."""
    return [b"Benedikt", b"Okafor", BEN_NOTE.encode(), b"Susanne", b"Lind",
            "Benedikt".encode("utf-16-le")]


def all_views(blob: bytes) -> list[bytes]:
    """The raw bytes plus every way a reader could look inside (decompressed streams)."""
    views = [blob]
    try:
        views.append(zlib.decompress(blob))
    except zlib.error:
        pass
    return views


def test_package_holds_only_the_raters_share_in_its_bytes(team, tmp_path):
    # a note on one of Ben's codings: his codings must not travel, so neither may this
    team.sign_in(team.ben.id)
    [ben_coding] = team.codings.on([team.units[2].id])        # blind: Ben's own only
    team.perform(SetNote(team.ben.id, "Ben-coding-note-5521", coding_id=ben_coding.id))
    out = tmp_path / "ana.scpkg"
    info = export_package(team._store, "Ana Ruiz", out)
    blob = out.read_bytes()
    assert blob.startswith(b"SQLite format 3\x00")
    assert ANA_NOTE.encode() in blob                       # her own work is there
    for trace in forbidden_traces(team) + [b"Ben-coding-note-5521"]:
        for view in all_views(blob):
            assert trace not in view, trace
    assert {t["name"] for t in info.transcripts} == {"session03_tc_labels.txt",
                                                      "session04_roles.srt"}
    assert (out.stat().st_mode & 0o777) == 0o600
    con = sqlite3.connect(out)
    try:
        assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert con.execute("SELECT name FROM rater").fetchall() == [("Ana Ruiz",)]
        assert con.execute("SELECT COUNT(*) FROM event_log").fetchone()[0] == 0
        assert con.execute("SELECT DISTINCT rater_id FROM coding").fetchall() == [(team.ana.id,)]
        assert con.execute("SELECT COUNT(*) FROM coding").fetchone()[0] == 3
        assert con.execute("SELECT COUNT(*) FROM package_log").fetchone()[0] == 0
        # only the assigned transcripts travel
        assert con.execute("SELECT COUNT(*) FROM transcript").fetchone()[0] == 2
    finally:
        con.close()
    # Ben's package has one transcript and nothing of Ana
    ben = tmp_path / "ben.scpkg"
    export_package(team._store, "Benedikt Okafor", ben)
    bblob = ben.read_bytes()
    assert b"Ana Ruiz" not in bblob and ANA_NOTE.encode() not in bblob
    assert b"session04_roles" not in bblob


def test_encrypted_package_shows_nothing_and_refuses_a_wrong_passphrase(team, tmp_path):
    out = tmp_path / "ana.scpkg"
    export_package(team._store, "Ana Ruiz", out, PASS)
    blob = out.read_bytes()
    assert blob.startswith(crypto.MAGIC)
    first_turn = team.transcripts.segments(team.t3, "turn")[0].text.encode()[:20]
    for trace in [b"Ana Ruiz", ANA_NOTE.encode(), b"validation", b"session03", first_turn,
                  b"SQLite format", *forbidden_traces(team)]:
        assert trace not in blob, trace
    with pytest.raises(crypto.PackageCryptoError, match="wrong passphrase"):
        RaterPackage.open(out, "not the passphrase")
    with pytest.raises(PackageError, match="passphrase is needed"):
        RaterPackage.open(out, None)
    tampered = bytearray(blob)
    tampered[-40] ^= 0x01
    bad = tmp_path / "tampered.scpkg"
    bad.write_bytes(bytes(tampered))
    with pytest.raises(crypto.PackageCryptoError, match="altered or damaged"):
        RaterPackage.open(bad, PASS)
    pkg = RaterPackage.open(out, PASS)
    assert (pkg.work_path.stat().st_mode & 0o777) == 0o600
    assert pkg.info.rater_name == "Ana Ruiz"
    pkg.discard()
    assert not pkg.work_path.exists()


def rater_codes_in_package(path, passphrase=None):
    """The rater's side: open the package like a project and code."""
    pkg = RaterPackage.open(path, passphrase)
    with Project.open(pkg.work_path, backup=False) as p:
        ana = p.raters.get("Ana Ruiz")
        p.sign_in(ana.id)
        t3 = p.transcripts.get("session03_tc_labels.txt").id
        units = [s for s in p.transcripts.segments(t3, "turn") if s.role == "therapist"][:8]
        book = p.codebook.current()
        p.perform(ToggleCode(ana.id, book.code("validation"), units[:3], on=False))
        p.perform(ToggleCode(ana.id, book.code("bond_warmth"), units[3:5]))
        p.perform(MarkDone(ana.id, units[6:8]))
        p.perform(SetNote(ana.id, "second look", unit=units[0]))
        assert [r.name for r in p.raters.list()] == ["Ana Ruiz"]
    pkg.close()


def test_round_trip_merge_undo_and_double_import(team, tmp_path):
    out = tmp_path / "ana.scpkg"
    export_package(team._store, "Ana Ruiz", out, PASS)
    rater_codes_in_package(out, PASS)
    info = submit_package(out, PASS)
    assert info.submitted_at
    ben_before, sue_before = rows(team, team.ben.id), rows(team, team.sue.id)
    ana_before = rows(team, team.ana.id)

    plan = plan_import(team._store, out, PASS)
    assert not plan.conflicts and not plan.empty
    cmd = MergePackage(plan)
    changes = team.perform(cmd)
    assert changes.raters == {team.ana.id}
    cods, done, notes = rows(team, team.ana.id)
    units = team.units
    with team._store.read() as conn:
        from coder.store.package_io import code_id
        bond_id = code_id(conn, "bond_warmth")
    assert sorted((c[0], c[1]) for c in cods) == [(units[3].id, bond_id), (units[4].id, bond_id)]
    therapist = [s for s in team.transcripts.segments(team.t3, "turn") if s.role == "therapist"]
    assert set(done) == {u.id for u in units} | {therapist[6].id, therapist[7].id}
    assert notes == [(units[0].id, "second look")]
    assert rows(team, team.ben.id) == ben_before and rows(team, team.sue.id) == sue_before

    kinds = [e["kind"] for e in team.raters.events()]
    assert kinds[-2:] == ["package_export", "package_import"]     # the study can account for it
    # importing the same package again changes nothing
    again = plan_import(team._store, out, PASS)
    assert again.empty and "nothing to change" in again.summary()

    # one undo restores the project as it was
    team.revert(cmd)
    assert rows(team, team.ana.id) == ana_before
    assert [e["kind"] for e in team.raters.events()][-1] == "package_export"
    redo = plan_import(team._store, out, PASS)
    assert not redo.empty                       # after undo the package is new again


def test_supervisor_edits_meanwhile_are_conflicts(team, tmp_path):
    out = tmp_path / "ana.scpkg"
    export_package(team._store, "Ana Ruiz", out)
    rater_codes_in_package(out)
    # the supervisor corrects Ana's note on unit 0 in the project after the export
    team.perform(SetNote(team.ana.id, "supervisor's correction", unit=team.units[0]))
    plan = plan_import(team._store, out)
    assert len(plan.conflicts) == 1
    assert "note" in plan.conflicts[0].where and "session03" in plan.conflicts[0].where
    with pytest.raises(PackageError, match="conflict"):
        MergePackage(plan)
    ours = plan_import(team._store, out, resolution="ours")
    team.perform(MergePackage(ours))
    assert dict(rows(team, team.ana.id)[2])[team.units[0].id] == "supervisor's correction"


def test_foreign_unknown_and_altered_packages_are_refused(team, tmp_path):
    out = tmp_path / "ana.scpkg"
    export_package(team._store, "Ana Ruiz", out)
    other = Project.create(tmp_path / "other.scproj")
    other.importing.import_file(SESSION3)
    other.raters.add("Ana Ruiz")
    try:
        with pytest.raises(PackageError, match="not to this one"):
            plan_import(other._store, out)
    finally:
        other.close()
    # altered transcript text inside an unencrypted package
    con = sqlite3.connect(out)
    con.execute("UPDATE turn SET text = 'changed' WHERE position = 1")
    con.commit()
    con.close()
    with pytest.raises(PackageError, match="differs from this project's copy"):
        plan_import(team._store, out)
    # a package id the project never issued
    out2 = tmp_path / "ana2.scpkg"
    export_package(team._store, "Ana Ruiz", out2)
    con = sqlite3.connect(out2)
    con.execute("UPDATE meta SET value = replace(value, substr(value, instr(value, "
                "'\"package_uuid\": \"') + 17, 8), 'deadbeef') WHERE key = 'package'")
    con.commit()
    con.close()
    with pytest.raises(PackageError, match="never exported"):
        plan_import(team._store, out2)
    junk = tmp_path / "junk.scpkg"
    junk.write_bytes(b"hello, not a package")
    with pytest.raises(PackageError, match="not a Session Coder package"):
        plan_import(team._store, junk)
    with pytest.raises(PackageError, match="no rater"):
        export_package(team._store, "Nobody", tmp_path / "x.scpkg")
    with pytest.raises(PackageError, match="no assigned transcripts"):
        export_package(team._store, "Susanne Lind", tmp_path / "x.scpkg")
    assert not (tmp_path / "x.scpkg").exists()


def _edit_package_codebook(path, change):
    """The rater's copy gets a newer codebook version (as a rater with edit rights would)."""
    from dataclasses import replace

    from coder.codebook.commands import EditCodebook
    pkg = RaterPackage.open(path)
    with Project.open(pkg.work_path, backup=False) as p:
        ana = p.raters.get("Ana Ruiz")
        book = p.codebook.current()
        group = book.groups[0]
        code = group.codes[0]
        if change == "relabel":
            new = replace(book, groups=(replace(group, codes=(
                replace(code, label=code.label + " (renamed)"),) + group.codes[1:]),)
                + book.groups[1:])
            used = code.id
        else:
            extra = replace(code, id="brand_new_code", label="Brand new", shortcut=None)
            new = replace(book, groups=(replace(group, codes=group.codes + (extra,)),)
                          + book.groups[1:])
            used = "brand_new_code"
        p.perform(EditCodebook(book, new, "rater's edit"))
        t3 = p.transcripts.get("session03_tc_labels.txt").id
        unit = [s for s in p.transcripts.segments(t3, "turn") if s.role == "therapist"][7]
        p.perform(ToggleCode(ana.id, p.codebook.current().code(used), [unit]))
    pkg.close()


def test_a_newer_codebook_is_mapped_by_id_or_refused_with_the_codes(team, tmp_path):
    mapped = tmp_path / "relabel.scpkg"
    export_package(team._store, "Ana Ruiz", mapped)
    _edit_package_codebook(mapped, "relabel")
    plan = plan_import(team._store, mapped)
    assert any("mapped onto this project's codes" in n for n in plan.notes_out)
    team.perform(MergePackage(plan))
    refused = tmp_path / "newcode.scpkg"
    export_package(team._store, "Ana Ruiz", refused)
    _edit_package_codebook(refused, "add")
    with pytest.raises(PackageError, match="newer than version 1.*brand_new_code"):
        plan_import(team._store, refused)


def test_a_package_for_a_rater_the_project_does_not_know_is_refused(team, tmp_path):
    out = tmp_path / "ana.scpkg"
    export_package(team._store, "Ana Ruiz", out)
    con = sqlite3.connect(out)
    con.execute("UPDATE meta SET value = replace(value, 'Ana Ruiz', 'Zed Stranger') "
                "WHERE key = 'package'")
    con.commit()
    con.close()
    with pytest.raises(PackageError, match="'Zed Stranger', who is not a rater"):
        plan_import(team._store, out)


def test_only_a_supervisor_handles_packages_in_a_blind_project(team, tmp_path):
    from coder.project.access import BlindingError
    from coder.team.access import TeamAccess
    team.sign_in("Ana Ruiz")                              # a rater of a blind project
    with pytest.raises(BlindingError, match="only a supervisor"):
        TeamAccess.of(team).export_package("Benedikt Okafor", tmp_path / "b.scpkg")
    team.sign_in("Susanne Lind")                          # the supervisor, blinding still on
    info = TeamAccess.of(team).export_package("Benedikt Okafor", tmp_path / "b.scpkg")
    assert info.rater_name == "Benedikt Okafor"
    with pytest.raises(BlindingError):                    # adjudication still needs it lifted
        TeamAccess.of(team).differences(team.t3, "turn")
