"""The sample project shows everything on first launch: four sessions under the rupture &
repair codebook, coded by a supervisor and two raters with realistic agreement (most codes
high, two bordering pairs low, one rater drifting in sessions 3-4), window ratings and
session globals, ready for reliability, disagreements and the Excel export."""

from __future__ import annotations

import statistics

import openpyxl
import pytest

from coder.cli import main as cli_main
from coder.sample import (SAMPLE_SUPERVISOR, build_sample_project, retire_sample,
                          sample_is_current, sign_in_supervisor)
from coder.sample_truth import PRESENCE
from coder.coding.scope import applies_to
from coder.project import Project

FIRST = ("session01_full_length.vtt", "session02_teams.docx")
LATER = ("session03_tc_labels.txt", "session04_roles.srt")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.scproj"
    build_sample_project(path)
    service = Project.open(path, backup=False)
    assert service.access.blind                          # blind like any project ...
    assert sign_in_supervisor(service).name == SAMPLE_SUPERVISOR
    assert not service.access.blind                      # ... until the supervisor lifts it
    assert service.raters.events()[-1]["kind"] == "blinding"
    yield service
    service.close()


def _alpha(code) -> float | None:
    return code.statistics["krippendorff_alpha"].value


def test_sample_has_four_sessions_three_raters_and_the_rupture_codebook(sample):
    assert [t.name for t in sample.transcripts.list()] == [*FIRST, *LATER]
    raters = sample.raters.list()
    assert [r.name for r in raters][0] == SAMPLE_SUPERVISOR
    assert [r.role for r in raters] == ["supervisor", "rater", "rater"]
    assert sample.codebook.current().id == "rupture_repair"
    for t in sample.transcripts.list():
        for r in raters:
            done, total = sample.codings.progress(t.id, "turn", r.id)
            assert done == total == t.segments          # every unit completed by everyone


def test_codings_sit_on_units_in_each_codes_scope(sample):
    book = sample.codebook.current()
    for t in sample.transcripts.list():
        units = {u.id: u for kind in ("turn", "window") for u in sample.transcripts.segments(t.id, kind)}
        codings = sample.codings.on(list(units))
        assert codings
        for c in codings:
            unit = units[c.segment_id]
            assert applies_to(book.code(c.code), unit.kind, unit.role), (t.name, unit, c)
            if c.span_start is not None:       # spans lie on whole words of the unit
                text = unit.text
                assert 0 <= c.span_start < c.span_end <= len(text)
                assert c.span_start == 0 or not text[c.span_start - 1].isalnum()
                assert c.span_end == len(text) or not text[c.span_end].isalnum()
        globals_ = sample.codings.session_globals(t.id)
        assert {g.code for g in globals_} == {"therapist_contribution", "extent_of_resolution"}
        assert len(globals_) == 6                  # two globals by three raters


def test_the_supervisor_codes_the_written_rupture_where_the_author_put_it(sample):
    t = sample.transcripts.get("session01_full_length.vtt")
    unit = sample.transcripts.segments(t.id, "turn", 198, 198)[0]
    assert unit.text.startswith("This is kind of exactly what I hate")
    supervisor = sample.raters.get(SAMPLE_SUPERVISOR)
    mine = {c.code for c in sample.codings.on([unit.id]) if c.rater_id == supervisor.id}
    assert "cf_complaint_therapist" in mine
    notes = [c.note for c in sample.codings.on([unit.id]) if c.note]
    assert notes and "confrontation" in notes[0]


def test_reliability_is_defined_for_most_codes_some_low_some_high(sample):
    report = sample.reliability.report(cuts=())
    codes = report.codes + report.globals
    alphas = {c.id: _alpha(c) for c in codes}
    defined = [a for a in alphas.values() if a is not None]
    assert len(defined) >= 0.9 * len(alphas)
    assert sum(a >= 0.8 for a in defined) >= 8
    low = {k for k, a in alphas.items() if a is not None and a < 0.45}
    assert {"wd_abstract_talk", "rp_link_session", "rp_link_life"} <= low
    assert alphas["rupture_significance"] is not None
    assert alphas["therapist_contribution"] is not None


def _mean_alpha(sample, rater: str, transcripts) -> float:
    report = sample.reliability.report(raters=[SAMPLE_SUPERVISOR, rater],
                                       transcripts=list(transcripts), cuts=())
    return statistics.mean(a for c in report.codes if c.kind == "presence"
                           and (a := _alpha(c)) is not None)


def _recall(sample, rater: str, transcripts) -> float:
    """Share of the supervisor's presence codings the rater also made (raw rows, no stats)."""
    sup, other = sample.raters.get(SAMPLE_SUPERVISOR).id, sample.raters.get(rater).id
    hits = total = 0
    for name in transcripts:
        t = sample.transcripts.get(name)
        units = [u.id for u in sample.transcripts.segments(t.id, "turn")]
        pairs = {(c.rater_id, c.segment_id, c.code) for c in sample.codings.on(units)}
        mine = {(s, code) for r, s, code in pairs if r == sup}
        total += len(mine)
        hits += sum((other, s, code) in pairs for s, code in mine)
    return hits / total


def test_one_rater_drifts_in_the_later_sessions(sample):
    priya_early = _mean_alpha(sample, "Priya Natarajan", FIRST)
    priya_late = _mean_alpha(sample, "Priya Natarajan", LATER)
    sam_early = _mean_alpha(sample, "Sam Okafor", FIRST)
    sam_late = _mean_alpha(sample, "Sam Okafor", LATER)
    assert abs(priya_early - sam_early) < 0.1          # alike at first
    assert priya_early - priya_late > 0.25             # then she drifts
    assert sam_late - priya_late > 0.2                 # and Sam does not
    # The same story from the raw rows, without any statistic.
    assert _recall(sample, "Priya Natarajan", LATER) < _recall(sample, "Priya Natarajan",
                                                               FIRST) - 0.2


def test_the_reference_coding_names_only_codes_of_the_codebook(sample):
    ids = set(sample.codebook.current().code_ids())
    for codes in PRESENCE.values():
        assert set(codes) <= ids


def test_export_of_the_sample_is_full(sample, tmp_path):
    out = tmp_path / "sample.xlsx"
    sample.exports.workbook(out)
    book = openpyxl.load_workbook(out)
    for sheet in ("Codings", "Reliability", "Pairwise", "Disagreements", "Sessions"):
        rows = [r for r in book[sheet].iter_rows(values_only=True) if any(r)]
        assert len(rows) > 10, sheet


def test_building_twice_gives_the_same_codings(sample, tmp_path):
    path = tmp_path / "again.scproj"
    build_sample_project(path)
    with Project.open(path, backup=False) as again:
        sign_in_supervisor(again)
        for t in sample.transcripts.list():
            ids = [u.id for u in sample.transcripts.segments(t.id, "turn")]
            key = [(c.segment_id, c.rater_id, c.code, c.value, c.span_start)
                   for c in sample.codings.on(ids)]
            key2 = [(c.segment_id, c.rater_id, c.code, c.value, c.span_start)
                    for c in again.codings.on(ids)]
            assert key == key2


def test_an_outdated_sample_is_moved_aside_not_deleted(tmp_path):
    old = tmp_path / "sample.scproj"
    Project.create(old, name="Sample project").close()
    assert not sample_is_current(old)
    moved = retire_sample(old)
    assert moved.exists() and not old.exists()


def test_cli_builds_the_sample_and_refuses_an_existing_file(tmp_path, capsys):
    out = tmp_path / "s.scproj"
    assert cli_main(["sample", str(out)]) == 0
    said = capsys.readouterr().out
    assert "4 transcripts coded by 3 raters" in said and SAMPLE_SUPERVISOR in said
    assert sample_is_current(out)
    assert cli_main(["sample", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert "already exists" in err and "\n" not in err


def test_the_supervisor_has_started_the_consensus_layer(sample):
    from coder.sample import CONSENSUS_REASON, CONSENSUS_UNITS
    from coder.team.access import TeamAccess
    team = TeamAccess.of(sample)
    first = sample.transcripts.list()[0]
    decided = [d for d in team.differences(first.id, "turn") if d.consensus is not None]
    open_ = [d for d in team.differences(first.id, "turn") if d.consensus is None]
    assert len(decided) == CONSENSUS_UNITS and open_        # some decided, more still open
    supervisor = sample.raters.get(SAMPLE_SUPERVISOR)
    for d in decided:                                        # she took her own codes
        mine = next(r for r in d.raters if r.rater_id == supervisor.id).as_dict()
        assert dict(d.consensus) == mine
    audit = team.decisions()
    assert len(audit) >= CONSENSUS_UNITS
    assert sum(a.get("reason") == CONSENSUS_REASON for a in audit) >= 3
    # The layer is no rater of the reliability report.
    assert "Consensus" not in {r.name for r in sample.raters.list()}
