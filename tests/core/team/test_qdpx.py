"""REFI-QDA .qdpx: our export passes the REFI-QDA Project schema and re-imports to the same
codings; the shared sample imports; selections outside units or spanning units are
reported."""

import zipfile

import pytest
from sqlalchemy import select

from coder.coding.commands import SetRating, ToggleCode
from coder.exchange.qdpx_export import export_qdpx
from coder.exchange.qdpx_project import create_from_qdpx, import_qdpx
from coder.project import Project
from coder.store.schema import code, coding, rater, segment, transcript
from coder.team.consensus import DecideConsensus, differences, outcome_of
from tests.conftest import ROOT, SAMPLES
from tests.core.team.conftest import SESSION3, SESSION4

XSD = ROOT / "tests" / "data" / "refi_qda" / "Project.xsd"


def validate(qdpx):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    with zipfile.ZipFile(qdpx) as z:
        doc = etree.fromstring(z.read("project.qde"))
        names = z.namelist()
    assert schema.validate(doc), schema.error_log
    return doc, names


def codings_by_meaning(project):
    with project._store.read() as conn:
        q = (select(rater.c.name, transcript.c.name, segment.c.kind, segment.c.position,
                    code.c.key, coding.c.value, coding.c.span_start, coding.c.span_end,
                    coding.c.note)
             .join(rater, rater.c.id == coding.c.rater_id)
             .join(transcript, transcript.c.id == coding.c.transcript_id)
             .join(code, code.c.id == coding.c.code_id)
             .outerjoin(segment, segment.c.id == coding.c.segment_id))
        return sorted((tuple(r) for r in conn.execute(q)),
                      key=lambda r: tuple((v is not None, str(v)) for v in r))


def test_export_passes_the_schema_and_reimports_to_the_same_codings(team, tmp_path):
    book = team.book
    unit = team.units[5]
    team.perform(ToggleCode(team.ben.id, book.code("bond_warmth"), [unit], span=(3, 12)))
    team.perform(SetRating(team.ana.id, book.code("alliance_quality"), 4,
                           transcript_id=team.t3))
    with team._store.read() as conn:
        d = differences(conn, team.units)[0]
    team.perform(DecideConsensus(team.sue.id, d.unit, outcome_of(d, team.ana.id),
                                 {r.name: r.as_dict() for r in d.raters}))
    out = tmp_path / "team.qdpx"
    with team._store.read() as conn:
        counts = export_qdpx(conn, out)
    doc, names = validate(out)
    assert counts["sources"] == 2 and len([n for n in names if n.startswith("sources/")]) == 2
    users = {u.get("name") for u in doc.iter("{urn:QDA-XML:project:1.0}User")}
    assert {"Ana Ruiz", "Benedikt Okafor", "Consensus"} <= users
    before = codings_by_meaning(team)
    assert any(r[5] == 4 for r in before) and any(r[6] == 3 for r in before)

    fresh = Project.create(tmp_path / "fresh.scproj")
    try:
        fresh.importing.import_file(SESSION3)
        fresh.importing.import_file(SESSION4)
        result = import_qdpx(fresh, out)
        assert not result.plan.not_mapped and not result.plan.spanning
        after = codings_by_meaning(fresh)
        assert after == before
        # the consensus layer comes back as the layer, not as a rater
        assert "Consensus" not in [r.name for r in fresh.raters.list()]
        assert any("consensus layer" in n for n in result.plan.notes)
        fresh.revert(result.command)
        assert codings_by_meaning(fresh) == []
        assert [r.name for r in fresh.raters.list()] == []
        again = import_qdpx(fresh, out)
        assert codings_by_meaning(fresh) == before
        twice = import_qdpx(fresh, out)          # all present already: nothing added
        assert twice.command is None and twice.plan.skipped_existing == len(before)
        assert again.command is not None
    finally:
        fresh.close()


def test_the_shared_sample_imports_into_a_new_project(tmp_path):
    project, result, notes = create_from_qdpx(tmp_path / "s.scproj", SAMPLES / "project.qdpx")
    try:
        assert result.new_transcripts == ["S01 transcript.txt"]
        assert not result.plan.not_mapped
        rows = codings_by_meaning(project)
        assert rows == [
            ("Rater A", "S01 transcript.txt", "turn", 1, "open_question", None, None, None,
             None),
            ("Rater A", "S01 transcript.txt", "turn", 3, "reflection", None, None, None, None),
            ("Rater B", "S01 transcript.txt", "turn", 1, "open_question", None, None, None,
             None),
            ("Rater B", "S01 transcript.txt", "turn", 3, "empathy", None, None, None, None)]
    finally:
        project.close()


def test_selections_inside_spanning_and_outside_units_are_reported(tmp_path):
    import shutil
    src = tmp_path / "sample.qdpx"
    shutil.copy(SAMPLES / "project.qdpx", src)
    with zipfile.ZipFile(src) as z:
        qde = z.read("project.qde").decode()
        files = {n: z.read(n) for n in z.namelist() if n != "project.qde"}
    # one selection inside turn 1, one over turns 1-2, one on the speaker label only
    qde = qde.replace('startPosition="11" endPosition="51" creatingUser="A0C3',
                      'startPosition="15" endPosition="23" creatingUser="A0C3', 1)
    qde = qde.replace('startPosition="11" endPosition="51" creatingUser="C06B',
                      'startPosition="11" endPosition="80" creatingUser="C06B', 1)
    qde = qde.replace('startPosition="116" endPosition="157" creatingUser="A0C3',
                      'startPosition="105" endPosition="114" creatingUser="A0C3', 1)
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("project.qde", qde)
        for n, data in files.items():
            z.writestr(n, data)
    project, result, _ = create_from_qdpx(tmp_path / "s.scproj", src)
    try:
        rows = codings_by_meaning(project)
        assert ("Rater A", "S01 transcript.txt", "turn", 1, "open_question", None, 4, 12,
                None) in rows                                   # inside: a span
        assert {r[3] for r in rows if r[0] == "Rater B" and r[4] == "open_question"} == {1, 2}
        assert len(result.plan.spanning) == 1 and "2 turns" in result.plan.spanning[0]
        assert len(result.plan.not_mapped) == 1
        assert "outside every turn" in result.plan.not_mapped[0]
    finally:
        project.close()


def test_bad_files_get_one_clear_line(tmp_path, capsys):
    from coder.cli import main
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["qdpx", "import", str(tmp_path / "x.scproj"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.qdpx" in err and "Traceback" not in err
    assert not (tmp_path / "x.scproj").exists()
