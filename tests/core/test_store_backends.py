"""The store on every backend: SQLite always, PostgreSQL when ``SESSION_CODER_TEST_PG`` holds a
SQLAlchemy URL (``.ci/start-postgres`` makes one in CI). The same project-level work — import,
raters, coding with undo, assignments, blinding, the reliability snapshot, the export — runs
through the one door and must give the same answers on both, so the SQL stays dialect-neutral.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from coder.codebook.shipped import default_codebook_path
from coder.coding.commands import SetRating, ToggleCode
from coder.export import ExportOptions
from coder.importers.pipeline import PreparedImport
from coder.model import ImportOptions, ParsedTranscript, ParsedTurn, SegmentationOptions
from coder.project import BlindingError, Project
from coder.segmentation import segment
from coder.store import Store

PG_URL = os.environ.get("SESSION_CODER_TEST_PG")
CI = os.environ.get("CI") == "true"

TURNS = tuple(ParsedTurn("T" if i % 2 == 0 else "C", f"turn {i} text", i * 1000, i * 1000 + 900)
              for i in range(12))


def prepared(name="s.vtt", content=b"one"):
    parsed = ParsedTranscript(name, "vtt", "utf-8", TURNS)
    seg = SegmentationOptions(unit="turn")
    return PreparedImport(parsed, hashlib.sha256(content).hexdigest(),
                          tuple(segment(TURNS, seg)), ImportOptions(), seg, "turn")


def _postgres():
    if not PG_URL:
        if CI:
            pytest.fail("SESSION_CODER_TEST_PG is not set under CI (.ci/start-postgres)")
        pytest.skip("PostgreSQL store tests: set SESSION_CODER_TEST_PG (needs Debian's "
                    "postgresql package; .ci/run starts one)")
    from sqlalchemy import create_engine

    from coder.store.schema import metadata
    engine = create_engine(PG_URL)
    metadata.drop_all(engine)
    engine.dispose()
    project = Project.attach(Store.from_url(PG_URL, create_name="Study PG"), "pg-study")
    project.codebook.use_file(default_codebook_path())      # as Project.create does
    return project


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def project(request, tmp_path):
    if request.param == "sqlite":
        p = Project.create(tmp_path / "p.scproj", name="Study PG")
    else:
        p = _postgres()
    yield p
    p.close()


def _code(project, rater, positions, code="validation"):
    project.sign_in(rater)
    tid = project.transcripts.list()[0].id
    units = project.transcripts.segments(tid, "turn")
    book = project.codebook.current()
    command = ToggleCode(project.viewer.id, book.code(code),
                        [u for u in units if u.position in positions])
    project.perform(command)
    return command


def test_import_and_read_back(project):
    result = project.importing.store(prepared(), roles={"T": "therapist", "C": "client"})
    assert result.transcript.name == "s.vtt"
    [info] = project.transcripts.list()
    assert (info.turns, info.segments, info.speakers) == (12, 12, ("T", "C"))
    assert [s.role for s in project.transcripts.speakers(info.id)] == ["therapist", "client"]
    units = project.transcripts.segments(info.id, "turn", 3, 5)
    assert [(u.position, u.text, u.start_ms) for u in units] == [
        (3, "turn 2 text", 2000), (4, "turn 3 text", 3000), (5, "turn 4 text", 4000)]
    assert project.transcripts.position_at(info.id, "turn", 4500) == 5
    assert project.transcripts.positions_of_role(info.id, "turn", "therapist") == [1, 3, 5, 7,
                                                                                 9, 11]
    assert project.transcripts.get("s").id == info.id


def test_codings_undo_assignments_and_blinding(project):
    project.importing.store(prepared(), roles={"T": "therapist", "C": "client"})
    ana = project.raters.add("Ana Ruiz")
    ben = project.raters.add("Ben Ode", role="supervisor")
    assert [r.initials for r in project.raters.list()] == ["AR", "BO"]
    command = _code(project, "Ana Ruiz", {1, 3})
    tid = project.transcripts.list()[0].id
    units = project.transcripts.segments(tid, "turn")
    assert {v.segment_id for v in project.codings.on([u.id for u in units])} == {
        units[0].id, units[2].id}
    project.revert(command)
    assert project.codings.on([u.id for u in units]) == []
    project.perform(command)
    _code(project, "Ben Ode", {3, 5})
    # blind (the default): each rater sees only their own work
    project.sign_in(ana.id)
    assert {v.rater_id for v in project.codings.on([u.id for u in units])} == {ana.id}
    with pytest.raises(BlindingError):
        project.raters.set_blind(False)
    project.sign_in(ben.id)
    changes = project.raters.set_blind(False)
    assert changes.blinding and not project.access.blind
    assert {v.rater_id for v in project.codings.on([u.id for u in units])} == {ana.id, ben.id}
    project.assignments.assign([tid], [ana.id, ben.id])
    assert project.assignments.all() == {tid: [ana.id, ben.id]}
    chosen, seed = project.assignments.pick_double_coding(50, seed=4)
    assert chosen == [tid] and project.assignments.double_coded() == [tid]
    kinds = [e["kind"] for e in project.raters.events()]
    assert kinds.count("rater_added") == 2 and "blinding" in kinds and "double_coding" in kinds


def test_rating_and_reliability_snapshot_and_export(project, tmp_path):
    project.importing.store(prepared(), roles={"T": "therapist", "C": "client"})
    for name in ("A", "B"):
        project.raters.add(name)
    _code(project, "A", {1, 3, 5})
    _code(project, "B", {1, 5, 7})
    book = project.codebook.current()
    glob = next(c for c in book.codes() if c.code.kind == "global").code
    tid = project.transcripts.list()[0].id
    for name, value in (("A", 3), ("B", 4)):
        project.sign_in(name)
        project.perform(SetRating(project.viewer.id, glob, value, transcript_id=tid))
    project.access.sign_out()
    snap = project.reliability.snapshot()
    assert snap.rater_names == ("A", "B") and snap.n_units == 13      # 12 turns, 1 window
    assert sorted(snap.cod_value[snap.cod_unit == -1].tolist()) == [3.0, 4.0]
    report = project.reliability.report(codes=["validation"])
    [entry] = report.codes
    assert entry.id == "validation"
    result = project.exports.workbook(tmp_path / "out.xlsx",
                                      ExportOptions(sheets=("Codings", "Reliability")))
    assert result.rows["Codings"] == 8
