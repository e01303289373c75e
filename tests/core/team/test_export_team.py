"""The export with the team workflow: the consensus layer as its own rater in Codings (never
in the statistics), the audit trail, Training and Drift sheets."""

import openpyxl

from coder.export import ExportOptions
from coder.team.consensus import DecideConsensus, differences, outcome_of
from coder.team.drift import SetRound
from coder.team.training import MarkMaster
from tests.core.team.test_drift import two_rounds  # noqa: F401  (fixture)


def sheet_rows(ws):
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_team_sheets(two_rounds, tmp_path):      # noqa: F811
    p = two_rounds
    with p._store.read() as conn:
        d = differences(conn, p.units)[0]
    p.perform(DecideConsensus(p.sue.id, d.unit, outcome_of(d, p.ana.id),
                              {r.name: r.as_dict() for r in d.raters}, reason="clear case"))
    p.perform(MarkMaster(p.ana.id, [p.t3]))
    p.perform(SetRound([p.t3], "R1"))
    p.perform(SetRound([p.t4], "R2"))
    out = tmp_path / "team.xlsx"
    result = p.exports.workbook(out, ExportOptions(raters=None))
    assert {"Consensus audit", "Training", "Drift"} <= set(result.sheets)
    wb = openpyxl.load_workbook(out, read_only=True)
    codings = sheet_rows(wb["Codings"])
    cons = [r for r in codings if r["rater"] == "Consensus"]
    assert len(cons) == 1 and cons[0]["code_id"] == "validation"
    audit = sheet_rows(wb["Consensus audit"])
    assert audit[0]["decided_by"] == "Susanne Lind" and audit[0]["reason"] == "clear case"
    assert audit[0]["consensus"] == "applied"
    assert "Ana Ruiz: applied" in audit[0]["raters_codes"]
    rel = sheet_rows(wb["Reliability"])
    assert all("Consensus" not in str(k) for r in rel for k in r)
    training = sheet_rows(wb["Training"])
    assert {r["trainee"] for r in training} == {"Benedikt Okafor"}
    drift = sheet_rows(wb["Drift"])
    assert {r["batch"] for r in drift} == {"R1", "R2"}
    val = [r for r in drift if r["code"] == "validation"]
    assert [r["batch"] for r in val] == ["R1", "R2"]
    wb.close()
