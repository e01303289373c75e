"""The supervisor's feedback against a real project: schema v3 and its migration, commands
(apply then revert), measures import (good and bad tables), the CLI, the export sheets."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from coder.analytics.data import EpisodeSettings
from coder.analytics.measures import Measure
from coder.errors import InputError, SessionCoderError
from coder.feedback.commands import (DefineMeasure, ImportMeasures, SetDyad, SetEpisodeSettings,
                                     SetMeasureValues)
from coder.project import Project
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_transcripts"
RR = ROOT / "codebooks" / "rupture_repair.yaml"


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.scproj"
    with Project.create(path, codebook=RR) as p:
        p.importing.import_file(SAMPLE / "session03_tc_labels.txt")
        p.importing.import_file(SAMPLE / "session04_roles.srt")
    return path


def client_therapist(p, name):
    info = p.transcripts.get(name)
    segs = p.transcripts.segments(info.id, info.unit)
    return ([s.position for s in segs if s.role == "client"],
            [s.position for s in segs if s.role == "therapist"])


def test_a_version_3_project_gets_the_dyad_column_and_measure_tables(project):
    con = sqlite3.connect(project)
    con.execute("DROP TABLE measure_value")
    con.execute("DROP TABLE measure")
    con.execute("ALTER TABLE transcript DROP COLUMN dyad")
    con.execute("UPDATE meta SET value='3' WHERE key='schema_version'")
    con.commit()
    con.close()
    with Project.open(project) as p:
        tid = p.transcripts.list()[0].id
        p.perform(SetDyad(tid, "Dyad A"))
        assert p.feedback.dyads()[tid] == "Dyad A" and p.feedback.measures() == []
    assert list(project.parent.glob("p.schema3-*.bak"))


def test_commands_apply_and_revert(project):
    with Project.open(project) as p:
        tid = p.transcripts.list()[0].id
        rule = SetEpisodeSettings(EpisodeSettings(7, 3))
        p.perform(rule)
        assert p.feedback.settings() == EpisodeSettings(7, 3)
        p.revert(rule)
        assert p.feedback.settings() == EpisodeSettings()
        dyad = SetDyad(tid, "  Dyad A ")
        p.perform(dyad)
        assert p.feedback.dyads()[tid] == "Dyad A"
        p.revert(dyad)
        assert p.feedback.dyads()[tid] is None
        define = DefineMeasure(Measure("SRS", 0, 40, alliance=True))
        p.perform(define)
        p.perform(DefineMeasure(Measure("SRS bond", 0, 10, parent="SRS")))
        with pytest.raises(SessionCoderError, match="already a measure"):
            p.perform(DefineMeasure(Measure("srs", 0, 10)))
        with pytest.raises(SessionCoderError, match="no measure 'Nope'"):
            p.perform(DefineMeasure(Measure("X", 0, 10, parent="Nope")))
        values = SetMeasureValues(tid, {"SRS": 36.5, "SRS bond": 9})
        p.perform(values)
        assert [(v.measure, v.value) for v in p.feedback.measure_values(tid)] == [("SRS", 36.5),
                                                                         ("SRS bond", 9)]
        with pytest.raises(SessionCoderError, match="from 0 to 40, not 41"):
            p.perform(SetMeasureValues(tid, {"SRS": 41}))
        p.revert(values)
        assert p.feedback.measure_values(tid) == []
    with pytest.raises(SessionCoderError, match="lowest value must be below"):
        DefineMeasure(Measure("bad", 5, 5))
    with pytest.raises(SessionCoderError, match="at least 1"):
        SetEpisodeSettings(EpisodeSettings(0, 5))


def test_measures_import_good_table_is_one_undoable_step(project, tmp_path):
    table = write_csv(tmp_path / "m.csv", [
        ["transcript", "measure", "value"], ["session03_tc_labels.txt", "SRS", "38"],
        ["session04_roles", "SRS", "31,5"], ["session04_roles.srt", "Outcome", "20"]])
    with Project.open(project) as p:
        p.perform(DefineMeasure(Measure("SRS", 0, 40, alliance=True)))
        p.perform(DefineMeasure(Measure("Outcome", 0, 40)))
        command = ImportMeasures(table)
        p.perform(command)
        assert command.summary == "3 value(s) imported for 2 transcript(s)"
        got = {(v.transcript, v.measure): v.value for v in p.feedback.measure_values()}
        assert got == {("session03_tc_labels.txt", "SRS"): 38,
                       ("session04_roles.srt", "SRS"): 31.5,
                       ("session04_roles.srt", "Outcome"): 20}
        p.revert(command)
        assert p.feedback.measure_values() == []


def test_measures_import_bad_table_imports_nothing_and_names_every_row(project, tmp_path):
    table = write_csv(tmp_path / "bad.csv", [
        ["transcript", "measure", "value"], ["session03_tc_labels.txt", "SRS", "38"],
        ["nobody.txt", "SRS", "3"], ["session04_roles.srt", "Mood", "3"],
        ["session04_roles.srt", "SRS", "lots"], ["session04_roles.srt", "SRS", "44"],
        ["session03_tc_labels.txt", "SRS", "30"]])
    with Project.open(project) as p:
        p.perform(DefineMeasure(Measure("SRS", 0, 40)))
        with pytest.raises(InputError) as err:
            p.perform(ImportMeasures(table))
        text = str(err.value)
        assert "nothing was imported; 5 row(s) need fixing" in text
        assert "bad.csv:3: unknown transcript 'nobody.txt' (column transcript)" in text
        assert "bad.csv:4: unknown measure 'Mood' (measures: SRS) (column measure)" in text
        assert "bad.csv:5: 'lots' is not a number (column value)" in text
        assert "bad.csv:6: SRS takes values from 0 to 40, not 44 (column value)" in text
        assert "bad.csv:7: SRS appears twice for session03_tc_labels.txt (column measure)" in text
        assert p.feedback.measure_values() == []
    missing = write_csv(tmp_path / "cols.csv", [["transcript", "score"], ["a", "1"]])
    with pytest.raises(InputError, match="cols.csv:1: missing column\\(s\\) measure, value"):
        ImportMeasures(missing)


def coded_project(project, tmp_path):
    """session03 coded by Ana: one resolved and one unresolved episode."""
    with Project.open(project) as p:
        client, therapist = client_therapist(p, "session03_tc_labels.txt")
    c1 = client[1]
    t1 = next(t for t in therapist if t > c1)
    c2 = next(c for c in client if c > t1 + 12)
    rows = [["transcript", "segment", "rater", "code", "value"],
            ["session03_tc_labels.txt", c1, "Ana", "wd_minimal_response", ""],
            ["session03_tc_labels.txt", t1, "Ana", "rp_invite_relationship", ""],
            ["session03_tc_labels.txt", c2, "Ana", "cf_object_tasks", ""],
            ["session03_tc_labels.txt", "", "Ana", "extent_of_resolution", "3"]]
    return write_csv(tmp_path / "codings.csv", rows), (c1, t1, c2)


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cli_measures_feedback_and_export(project, tmp_path):
    codings, (c1, t1, c2) = coded_project(project, tmp_path)
    assert run("codings", "import", project, codings).returncode == 0
    r = run("measures", "define", project, "SRS", "--min", "0", "--max", "40", "--alliance")
    assert r.returncode == 0 and "rates the alliance" in r.stdout
    bad = write_csv(tmp_path / "m.csv", [["transcript", "measure", "value"],
                                         ["session03_tc_labels.txt", "SRS", "50"]])
    r = run("measures", "import", project, bad)
    assert r.returncode == 1 and "m.csv:2: SRS takes values from 0 to 40, not 50" in r.stderr
    assert "Traceback" not in r.stderr
    assert run("measures", "set", project, "session03_tc_labels", "SRS", "39").returncode == 0
    assert run("dyad", project, "session03_tc_labels.txt", "Dyad A").returncode == 0
    listed = {t["name"]: t["dyad"] for t in json.loads(run("transcripts", project,
                                                             "--json").stdout)}
    assert listed == {"session03_tc_labels.txt": "Dyad A", "session04_roles.srt": None}
    r = run("episode-rule", project, "--join", "8")
    assert r.returncode == 0 and "N = 8, M = 5" in r.stdout
    r = run("feedback", project, "session03_tc_labels.txt", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["rater"] == "Ana" and data["dyad"] == "Dyad A"
    assert data["rule"] == {"join_units": 8, "resolve_units": 5}
    assert [(e["marker_units"], e["first_repair_unit"], e["resolved"])
            for e in data["episodes"]] == [([c1], t1, True), ([c2], None, False)]
    assert data["measures"] == {"SRS": 39}
    assert [d["rule"] for d in data["discordance"]] == ["A"]
    r = run("feedback", project, "session03_tc_labels.txt", "--rater", "Zed")
    assert r.returncode == 1 and "rater 'Zed' has no codings" in r.stderr
    r = run("feedback", project, "session03_tc_labels.txt", "--consensus")
    assert r.returncode == 1 and "no consensus coding" in r.stderr
    out = tmp_path / "out.xlsx"
    assert run("export", project, out).returncode == 0
    from openpyxl import load_workbook
    book = load_workbook(out, read_only=True)
    episodes = list(book["Episodes"].iter_rows(values_only=True))
    assert episodes[0][:10] == ("transcript", "rater", "episode", "type", "marker_unit",
                                "first_repair_unit", "latency_units", "latency_s",
                                "strategies", "resolved")
    assert [r[:7] + (r[8], r[9]) for r in episodes[1:]] == [
        ("session03_tc_labels.txt", "Ana", 1, "withdrawal", c1, t1, t1 - c1,
         "rp_invite_relationship", True),
        ("session03_tc_labels.txt", "Ana", 2, "confrontation", c2, None, None, None, False)]
    profile = list(book["Profile"].iter_rows(values_only=True))
    head = profile[0]
    row = dict(zip(head, profile[1]))
    assert (row["episodes"], row["resolved"], row["unresolved"], row["SRS"], row["dyad"]) == \
        (2, 1, 1, 39, "Dyad A")
    assert row["withdrawal_units"] == 1 and row["extent_of_resolution"] == 3
    assert list(book["Measures"].iter_rows(values_only=True)) == [
        ("transcript", "measure", "value"), ("session03_tc_labels.txt", "SRS", 39)]


@pytest.mark.slow
def test_cli_report_pdf_and_html(project, tmp_path):
    codings, _ = coded_project(project, tmp_path)
    assert run("codings", "import", project, codings).returncode == 0
    pdf = tmp_path / "r.pdf"
    r = run("report", project, "session03_tc_labels.txt", pdf, "--rater", "Ana")
    assert r.returncode == 0, r.stderr
    assert "(PDF, " in r.stdout and pdf.read_bytes().startswith(b"%PDF")
    # headless: no display and no platform chosen still gives a PDF (and never a window)
    import os
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"} | {"DISPLAY": ":987"}
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", str(project),
                        "session03_tc_labels.txt", str(tmp_path / "r2.pdf")],
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    html = tmp_path / "r.html"
    r = run("report", project, "session03_tc_labels.txt", html, "--html")
    assert r.returncode == 0 and "Supervision feedback" in html.read_text(encoding="utf-8")
    r = run("report", project, "nope.txt", tmp_path / "x.pdf")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "no transcript named" in r.stderr
    r = run("report", project, "session04_roles.srt", tmp_path / "x.pdf")
    assert r.returncode == 1 and "nobody has coded this session yet" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_feedback_reads_only_what_the_access_policy_allows(project, tmp_path):
    codings, _ = coded_project(project, tmp_path)
    rows = list(csv.reader(open(codings, encoding="utf-8")))
    rows += [[t, s, "Bo", c, v] for t, s, _r, c, v in rows[1:]]
    write_csv(codings, rows)
    with Project.open(project) as p:
        p.codings.import_table(codings)
        tid = p.transcripts.get("session03_tc_labels.txt").id
        assert p.feedback.session(tid).raters == ("Ana", "Bo")       # headless: everyone
        from coder.report.compare import per_rater, rows
        assert [r[:4] for r in rows(per_rater(p, tid))] == [("Ana", 2, 1, 1), ("Bo", 2, 1, 1)]
        p.sign_in("Bo")                                              # blind by default
        data = p.feedback.session(tid)
        assert data.raters == ("Bo",) and {c.rater for c in data.codings} == {"Bo"}
        from coder.report.gather import gather
        with pytest.raises(SessionCoderError, match="rater 'Ana' has no codings"):
            gather(p, tid, rater="Ana")


def test_consensus_is_the_adjudicated_layer(project, tmp_path):
    from coder.report.gather import gather
    from coder.team.consensus import DecideConsensus
    codings, (c1, t1, c2) = coded_project(project, tmp_path)
    with Project.open(project) as p:
        p.codings.import_table(codings)
        tid = p.transcripts.get("session03_tc_labels.txt").id
        with pytest.raises(SessionCoderError, match="no consensus coding yet"):
            gather(p, tid, consensus=True)
        unit = p.transcripts.segments(tid, "turn", c2, c2)[0]
        p.perform(DecideConsensus(None, unit, {"cf_object_tasks": None},
                                  {"Ana": {"cf_object_tasks": None}}))
        report = gather(p, tid, consensus=True)
        assert report.feedback.rater != "Ana"
        assert [e.marker_units for e in report.feedback.episodes.episodes] == [(c2,)]
