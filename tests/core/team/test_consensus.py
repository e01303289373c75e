"""Consensus: differences between raters, decisions as an undoable layer of its own with an
audit trail, and reliability that never sees the layer."""

from sqlalchemy import select

from coder.store.snapshot_read import read_snapshot
from coder.store import consensus as cstore
from coder.store.schema import coding, rater
from coder.team.consensus import DecideConsensus, differences, outcome_of


def raters_codings(project):
    with project._store.read() as conn:
        return sorted(tuple(r) for r in conn.execute(select(coding)))


def test_differences_list_units_where_raters_differ(team):
    with team._store.read() as conn:
        diffs = differences(conn, team.units)
    # Ana: validation on units 0-2; Ben: on 1-4; both completed 0-5 -> differ on 0, 3, 4
    assert [d.unit.id for d in diffs] == [team.units[i].id for i in (0, 3, 4)]
    d0 = diffs[0]
    assert d0.differing == ("validation",)
    assert {r.name: r.as_dict() for r in d0.raters} == {
        "Ana Ruiz": {"validation": None}, "Benedikt Okafor": {}}
    assert d0.consensus is None
    with team._store.read() as conn:
        assert len(differences(conn, team.units, include_agreed=True)) == 6
        assert differences(conn, team.units, codes=["bond_warmth"]) == []


def test_decision_is_a_layer_with_audit_and_undo(team):
    before = raters_codings(team)
    with team._store.read() as conn:
        d0 = differences(conn, team.units)[0]
    seen = {r.name: r.as_dict() for r in d0.raters}
    cmd = DecideConsensus(team.sue.id, d0.unit, outcome_of(d0, team.ben.id), seen,
                          reason="no validation in this turn")
    changes = team.perform(cmd)
    assert d0.unit.id in changes.segments
    with team._store.read() as conn:
        cons = cstore.consensus_rater(conn)
        trail = cstore.decisions(conn)
        [d0_after] = [d for d in differences(conn, team.units) if d.unit.id == d0.unit.id]
        layer = conn.execute(select(coding).where(coding.c.rater_id == cons)).all()
    assert d0_after.consensus == ()                   # decided: not applied
    assert layer == []
    assert len(trail) == 1
    entry = trail[0]
    assert entry["decided_by_name"] == "Susanne Lind" and entry["code_key"] == "validation"
    assert entry["from_raters"] == {"Ana Ruiz": None, "Benedikt Okafor": False}
    assert entry["outcome"] == {"applied": False, "value": None}
    assert entry["reason"] == "no validation in this turn"
    # raters' own codings untouched
    assert [r for r in raters_codings(team) if r[3] != cons] == before
    # apply Ana's version on another unit: the layer gets a coding
    with team._store.read() as conn:
        d3 = differences(conn, team.units)[1]
    cmd2 = DecideConsensus(team.sue.id, d3.unit, outcome_of(d3, team.ben.id),
                           {r.name: r.as_dict() for r in d3.raters})
    team.perform(cmd2)
    with team._store.read() as conn:
        assert len(conn.execute(select(coding).where(coding.c.rater_id == cons)).all()) == 1
        snap = read_snapshot(conn)
    assert "Consensus" not in snap.rater_names
    assert set(snap.rater_names) == {"Ana Ruiz", "Benedikt Okafor", "Susanne Lind"}
    # undo both: no layer, no audit, no pseudo-rater
    team.revert(cmd2)
    team.revert(cmd)
    with team._store.read() as conn:
        assert cstore.decisions(conn) == []
        assert conn.execute(select(rater).where(rater.c.role == "consensus")).all() == []
    assert raters_codings(team) == before


def test_the_layer_is_not_a_rater_anywhere_but_exports_as_its_own_column(team, tmp_path):
    import csv

    import pytest

    from coder.errors import SessionCoderError
    with team._store.read() as conn:
        d = differences(conn, team.units)[1]
    team.perform(DecideConsensus(team.sue.id, d.unit, outcome_of(d, team.ben.id),
                                 {r.name: r.as_dict() for r in d.raters}))
    assert "Consensus" not in [r.name for r in team.raters.list()]      # pickers, sign-in
    with team._store.read() as conn:
        with pytest.raises(SessionCoderError, match="no rater 'Consensus'"):
            read_snapshot(conn, raters=["Ana Ruiz", "Consensus"])
    out = tmp_path / "codings.csv"
    team.codings.export_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["code"] for r in rows if r["rater"] == "Consensus"] == ["validation"]
