"""The team commands headless: package export/import/submit/info, training."""

import json

from coder.cli import main
from coder.coding.commands import ToggleCode
from coder.project import Project
from tests.core.team.conftest import BEN_NOTE


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_package_commands(team, tmp_path, capsys, monkeypatch):
    path = team.path
    team.close()
    out = tmp_path / "ana.scpkg"
    monkeypatch.setenv("SESSION_CODER_PACKAGE_PASSPHRASE", "s3cret phrase")
    code, text, err = run(["package", "export", path, "--rater", "Ana Ruiz", out, "--encrypt"],
                          capsys)
    assert code == 0, err
    assert "encrypted" in text and "2 transcript(s)" in text
    assert BEN_NOTE.encode() not in out.read_bytes()
    code, text, _ = run(["package", "info", out, "--json"], capsys)
    assert json.loads(text)["rater"]["name"] == "Ana Ruiz" and json.loads(text)["encrypted"]
    # the rater codes in the package
    from coder.team.packages import RaterPackage
    pkg = RaterPackage.open(out, "s3cret phrase")
    with Project.open(pkg.work_path, backup=False) as p:
        ana = p.raters.get("Ana Ruiz")
        t3 = p.transcripts.get("session03_tc_labels.txt").id
        unit = [s for s in p.transcripts.segments(t3, "turn") if s.role == "therapist"][5]
        p.perform(ToggleCode(ana.id, p.codebook.current().code("empowerment"), [unit]))
    pkg.close()
    code, text, _ = run(["package", "submit", out], capsys)
    assert code == 0 and "marked submitted" in text
    code, text, err = run(["package", "import", path, out], capsys)
    assert code == 0, err
    assert "1 coding change(s)" in text and "(submitted)" in text
    code, text, _ = run(["package", "import", path, out], capsys)
    assert code == 0 and "nothing to change" in text
    monkeypatch.setenv("SESSION_CODER_PACKAGE_PASSPHRASE", "wrong")
    code, _, err = run(["package", "import", path, out], capsys)
    assert code == 1 and err.strip().endswith("wrong passphrase")
    assert "Traceback" not in err


def test_import_conflicts_are_listed_and_refused(team, tmp_path, capsys):
    from coder.coding.commands import SetNote
    path, out = team.path, tmp_path / "ana.scpkg"
    team.close()
    assert run(["package", "export", path, "--rater", "Ana Ruiz", out], capsys)[0] == 0
    from coder.team.packages import RaterPackage
    pkg = RaterPackage.open(out)
    with Project.open(pkg.work_path, backup=False) as p:
        ana = p.raters.get("Ana Ruiz")
        t3 = p.transcripts.get("session03_tc_labels.txt").id
        unit = [s for s in p.transcripts.segments(t3, "turn") if s.role == "therapist"][0]
        p.perform(SetNote(ana.id, "rater's version", unit=unit))
    pkg.close()
    with Project.open(path) as p:
        ana = p.raters.get("Ana Ruiz")
        unit = [s for s in p.transcripts.segments(p.transcripts.get("session03_tc_labels.txt").id, "turn")
                if s.role == "therapist"][0]
        p.perform(SetNote(ana.id, "supervisor's version", unit=unit))
    code, _, err = run(["package", "import", path, out], capsys)
    assert code == 1 and "1 conflict(s)" in err and "(note)" in err and "--theirs" in err
    code, text, _ = run(["package", "import", path, out, "--theirs"], capsys)
    assert code == 0 and "1 note change(s)" in text
    with Project.open(path, readonly=True) as p:
        ana = p.raters.get("Ana Ruiz")
        with p._store.read() as conn:
            from coder.store.codings import segment_notes
            assert segment_notes(conn, [unit.id], ana.id) == {unit.id: "rater's version"}


def test_training_command(team, capsys):
    path = team.path
    team.close()
    code, _, err = run(["training", path, "--master", "Ana Ruiz"], capsys)
    assert code == 1 and "mark some first" in err
    code, text, err = run(["training", path, "--master", "Ana Ruiz", "--mark",
                           "session03_tc_labels.txt", "--json"], capsys)
    assert code == 0, err
    data = json.loads(text)
    [ben] = data["trainees"]
    assert ben["trainee"] == "Benedikt Okafor" and ben["passed"] is False
    assert {d["code"] for d in ben["extras"]} == {"validation"}
    code, text, _ = run(["training", path, "--master", "Ana Ruiz"], capsys)
    assert "not yet" in text and "extra" in text


def test_drift_command(team, capsys):
    path = team.path
    team.close()
    assert run(["drift", path, "--round", "R1", "--transcripts", "session03_tc_labels.txt"],
               capsys)[0] == 0
    code, text, err = run(["drift", path, "--by", "round", "--json", "--raters",
                           "Ana Ruiz,Benedikt Okafor", "--codes", "validation"], capsys)
    assert code == 0, err
    data = json.loads(text)
    assert data["batches"] == [{"batch": "R1", "transcripts": ["session03_tc_labels.txt"]}]
    [point] = data["points"]
    # Ana 1,1,1,0,0,0 ; Ben 0,1,1,1,1,0 on six units (test_drift.py does this by hand)
    assert abs(point["value"] - 1 / 37) < 1e-9 and point["statistic"] == "gwet_ac1"
    code, _, err = run(["drift", path, "--round", "R2"], capsys)
    assert code == 1 and "needs --transcripts" in err
