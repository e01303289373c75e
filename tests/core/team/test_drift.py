"""Drift: statistics per batch (named rounds, weeks/months of coding), checked by hand."""

import pytest
from sqlalchemy import update

from coder.coding.commands import MarkDone, ToggleCode
from coder.store.schema import segment, unit_status
from coder.team.drift import SetRound, batches, drift_report
from tests.core.team.conftest import therapist_turns

PAIR = ["Ana Ruiz", "Benedikt Okafor"]


@pytest.fixture
def two_rounds(team):
    team.assignments.assign([team.t4], [team.ben.id])
    units = therapist_turns(team, team.t4, 6)
    for r in (team.ana, team.ben):                 # full agreement on session 4
        team.perform(ToggleCode(r.id, team.book.code("validation"), units[:2]))
        team.perform(MarkDone(r.id, units))
    return team


def test_rounds_give_one_point_per_batch_and_code(two_rounds):
    p = two_rounds
    p.perform(SetRound([p.t3], "R1 pilot"))
    cmd = SetRound([p.t4], "R2 main")
    p.perform(cmd)
    with p._store.read() as conn:
        rep = drift_report(conn, by="round", raters=PAIR, codes=["validation"])
    assert [b[0] for b in rep.batches] == ["R1 pilot", "R2 main"]
    r1, r2 = rep.series("validation")
    # R1 by hand (Gwet 2008, two raters, two categories): A 1,1,1,0,0,0 ; B 0,1,1,1,1,0
    # pa = 3/6 ; pi = 7/12 ; pe = 2 pi (1 - pi) = 70/144 ; AC1 = (pa - pe)/(1 - pe) = 1/37
    assert r1.statistic == "gwet_ac1" and r1.value == pytest.approx(1 / 37)
    assert r1.ci is not None and r1.ci[0] < r1.value < r1.ci[1]
    assert r1.n_units == 6
    assert r2.value == pytest.approx(1.0)
    p.revert(cmd)
    with p._store.read() as conn:
        assert [b[0] for b in batches(conn, "round")] == ["R1 pilot"]


def test_batches_by_week_and_month_follow_completion_dates(two_rounds):
    p = two_rounds
    with p._store.write() as conn:
        for tid, stamp in ((p.t3, "2026-01-05T10:00:00+00:00"),
                           (p.t4, "2026-02-20T10:00:00+00:00")):
            segs = [r[0] for r in conn.execute(segment.select().where(
                segment.c.transcript_id == tid).with_only_columns(segment.c.id))]
            conn.execute(update(unit_status).where(unit_status.c.segment_id.in_(segs))
                         .values(completed_at=stamp))
    with p._store.read() as conn:
        assert [b[0] for b in batches(conn, "month")] == ["2026-01", "2026-02"]
        assert [b[0] for b in batches(conn, "week")] == ["2026-W02", "2026-W08"]
        rep = drift_report(conn, by="month", raters=PAIR, codes=["validation"])
    assert [pt.value for pt in rep.series("validation")] == pytest.approx([1 / 37, 1.0])
