"""Training against a master: agreement per code checked against a hand computation,
misses and extras with their text, pass / not yet."""

import pytest

from coder.coding.commands import MarkDone, ToggleCode
from coder.errors import SessionCoderError
from coder.project import Project
from coder.team.training import MarkMaster, training_reports
from tests.core.team.conftest import SESSION3


@pytest.fixture
def trained(tmp_path):
    p = Project.create(tmp_path / "t.scproj")
    p.importing.import_file(SESSION3)
    tid = p.transcripts.list()[0].id
    m, t, good = p.raters.add("Mara Master"), p.raters.add("Theo Trainee"), p.raters.add("Gil Good")
    units = [s for s in p.transcripts.segments(tid, "turn") if s.role == "therapist"][:10]
    book = p.codebook.current()
    val, bond = book.code("validation"), book.code("bond_warmth")
    # master: validation on 0-3; trainee: on 2-5 ; both: bond on 0 and 5 ; Gil copies Mara
    p.perform(ToggleCode(m.id, val, units[:4]))
    p.perform(ToggleCode(t.id, val, units[2:6]))
    for r in (m, t, good):
        p.perform(ToggleCode(r.id, bond, [units[0], units[5]]))
        p.perform(MarkDone(r.id, units))
    p.perform(ToggleCode(good.id, val, units[:4]))
    p.tid, p.units = tid, units
    yield p
    p.close()


def test_training_report_matches_hand_computation(trained):
    p = trained
    with p._store.read() as conn:
        with pytest.raises(SessionCoderError, match="mark some first"):
            training_reports(conn, "Mara Master")
    cmd = MarkMaster(p.raters.get("Mara Master").id, [p.tid])
    p.perform(cmd)
    with p._store.read() as conn:
        reports = {r.trainee: r for r in training_reports(conn, "Mara Master")}
    assert set(reports) == {"Theo Trainee", "Gil Good"}
    theo = reports["Theo Trainee"]
    codes = {a.code: a for a in theo.codes}
    # By hand (Krippendorff 2011, nominal, 2 raters, 10 units, no missing values):
    # coincidences o00=8, o01=o10=4, o11=4; n=20, n0=12, n1=8
    # D_o = 8/20 = .4 ; D_e = 2*12*8/(20*19) = .505263 ; alpha = 1 - .4/.505263 = 5/24
    assert codes["validation"].value == pytest.approx(5 / 24)
    assert codes["validation"].percent_agreement == pytest.approx(0.6)
    assert codes["validation"].percent_agreement_ci is not None     # analytic
    assert codes["validation"].passed is False
    assert codes["bond_warmth"].value == pytest.approx(1.0) and codes["bond_warmth"].passed
    assert codes["empowerment"].passed is None          # nobody used it: not assessed
    assert [(d.position, d.code) for d in theo.misses] == [
        (p.units[0].position, "validation"), (p.units[1].position, "validation")]
    assert [(d.position, d.code) for d in theo.extras] == [
        (p.units[4].position, "validation"), (p.units[5].position, "validation")]
    assert theo.misses[0].text == p.units[0].text
    assert theo.passed is False
    assert reports["Gil Good"].passed is True
    assert not reports["Gil Good"].misses and not reports["Gil Good"].extras
    p.revert(cmd)
    with p._store.read() as conn:
        with pytest.raises(SessionCoderError, match="mark some first"):
            training_reports(conn, "Mara Master")


def test_alpha_agrees_with_the_krippendorff_package(trained):
    krippendorff = pytest.importorskip("krippendorff")
    p = trained
    p.perform(MarkMaster(p.raters.get("Mara Master").id, [p.tid]))
    with p._store.read() as conn:
        [theo] = training_reports(conn, "Mara Master", trainees=["Theo Trainee"])
    data = [[1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 0, 0, 0]]
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert {a.code: a for a in theo.codes}["validation"].value == pytest.approx(expected)
