"""A small team project: two raters and a supervisor on two sessions, each rater with
codings, completed units and a note that must never reach the other rater's package."""

import pytest

from coder.coding.commands import MarkDone, SetNote, SetRating, ToggleCode
from coder.project import Project
from tests.conftest import ROOT

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"
SESSION4 = ROOT / "sample_transcripts" / "session04_roles.srt"

ANA_NOTE = "Ana-private-remark-7731"
BEN_NOTE = "Ben-private-remark-4409"


def therapist_turns(project, tid, n):
    return [s for s in project.transcripts.segments(tid, "turn") if s.role == "therapist"][:n]


@pytest.fixture
def team(tmp_path):
    p = Project.create(tmp_path / "team.scproj")
    p.importing.import_file(SESSION3)
    p.importing.import_file(SESSION4)
    p.ana = p.raters.add("Ana Ruiz")
    p.ben = p.raters.add("Benedikt Okafor")
    p.sue = p.raters.add("Susanne Lind", role="supervisor")
    t3, t4 = (p.transcripts.get(n).id for n in ("session03_tc_labels.txt", "session04_roles.srt"))
    p.t3, p.t4 = t3, t4
    p.assignments.assign([t3, t4], [p.ana.id])
    p.assignments.assign([t3], [p.ben.id])
    book = p.codebook.current()
    p.book = book
    units = therapist_turns(p, t3, 6)
    p.units = units
    # Ana: validation on units 0-2, done 0-5, a note on unit 0, a global rating
    p.perform(ToggleCode(p.ana.id, book.code("validation"), units[:3]))
    p.perform(MarkDone(p.ana.id, units))
    p.perform(SetNote(p.ana.id, ANA_NOTE, unit=units[0]))
    # Ben: validation on units 1-4, done 0-5, a note on unit 1
    p.perform(ToggleCode(p.ben.id, book.code("validation"), units[1:5]))
    p.perform(MarkDone(p.ben.id, units))
    p.perform(SetNote(p.ben.id, BEN_NOTE, unit=units[1]))
    yield p
    p.close()
