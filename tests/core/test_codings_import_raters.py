"""`codings import` names every rater it creates and refuses a new name that is probably a
misspelling of another rater's (before: "Anna Ruiz" silently became a second rater beside
"Ana Ruiz", splitting her work and changing every reliability figure)."""

import csv

import pytest

from coder.errors import InputError
from coder.coding.rater_names import close, edit_distance, suspects
from coder.project import Project
from tests.conftest import ROOT

SESSION3 = ROOT / "sample_transcripts" / "session03_tc_labels.txt"
S3 = "session03_tc_labels.txt"
HEADER = ["transcript", "segment", "rater", "code", "value", "note"]


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.scproj")
    p.importing.import_file(SESSION3)
    p.raters.add("Ana Ruiz")
    p.raters.add("Ben Okafor", role="supervisor")
    yield p
    p.close()


def table(path, raters):
    """One validation coding on therapist turns 1, 3, 5, ... per listed rater name."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i, name in enumerate(raters):
            writer.writerow([S3, str(1 + 2 * i), name, "validation", "", ""])
    return path


def names(project):
    return [r.name for r in project.raters.list()]


def test_probable_misspellings_are_refused_all_or_nothing(project, tmp_path):
    path = table(tmp_path / "c.csv", ["Ana Ruiz", "Anna Ruiz", "Ben  Okafor", "Cleo",
                                      "Anna Ruiz", "Ben Okafr"])
    with pytest.raises(InputError) as err:
        project.codings.import_table(path)
    text = str(err.value)
    assert "new rater 'Anna Ruiz' (rows 3, 6) is probably a misspelling (did you mean " \
           "'Ana Ruiz'?)" in text
    assert "new rater 'Ben  Okafor' (row 4)" in text and "'Ben Okafr' (row 7)" in text
    assert "--new-raters" in text and "Cleo" not in text
    assert names(project) == ["Ana Ruiz", "Ben Okafor"]                  # nothing in


def test_new_raters_flag_creates_them_and_the_summary_names_them(project, tmp_path):
    path = table(tmp_path / "c.csv", ["Ana Ruiz", "Anna Ruiz", "Cleo", "Dev"])
    command = project.codings.import_table(path, new_raters=True)
    assert command.summary == "4 coding(s) imported (0 replaced), 3 new rater(s) " \
                              "(Anna Ruiz, Cleo, Dev)"
    assert names(project) == ["Ana Ruiz", "Ben Okafor", "Anna Ruiz", "Cleo", "Dev"]


def test_case_of_an_existing_name_is_the_same_rater(project, tmp_path):
    command = project.codings.import_table(table(tmp_path / "c.csv", ["ana ruiz", "BEN OKAFOR"]))
    assert command.summary == "2 coding(s) imported (0 replaced), 0 new rater(s)"
    assert names(project) == ["Ana Ruiz", "Ben Okafor"]


def test_two_close_new_names_in_one_table_flag_the_rarer(project, tmp_path):
    path = table(tmp_path / "c.csv", ["Maria", "Maria", "Mario"])   # Mario: once
    with pytest.raises(InputError, match=r"new rater 'Mario' \(row 4\).*'Maria'"):
        project.codings.import_table(path)


def test_the_cli_lists_new_raters_and_takes_new_raters(project, tmp_path):
    import subprocess
    import sys
    path = table(tmp_path / "c.csv", ["Ana Ruiz", "Anna Ruiz"])
    project.close()
    run = [sys.executable, str(ROOT / "main.py"), "codings", "import", str(project.path),
           str(path)]
    refused = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "did you mean 'Ana Ruiz'" in refused.stderr
    done = subprocess.run(run + ["--new-raters"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2 coding(s) imported (0 replaced), 1 new rater(s) (Anna Ruiz)"


@pytest.mark.parametrize("a, b, d", [("ana", "ana", 0), ("ana", "anna", 1), ("ben", "neb", 2),
                                     ("okafor", "okafro", 1), ("kitten", "sitting", 3),
                                     ("a", "abcdefgh", 4)])
def test_edit_distance(a, b, d):
    assert edit_distance(a, b) == d


def test_close_names():
    assert close("Ana Ruiz", "ana  ruiz") and close("Ben Okafor", "Ben Okafr")
    assert not close("Al", "Ed") and not close("Cy", "Cyy") and not close("Ana", "Ben")
    assert close("Rater 1", "rater  1") and close("Coder A", "coder a")


@pytest.mark.parametrize("a, b", [("Rater 1", "Rater 2"), ("R1", "R2"), ("Coder A", "Coder B"),
                                  ("Rater 9", "Rater 10"), ("Team A 1", "Team B 1")])
def test_numbered_raters_are_not_misspellings(a, b):
    assert not close(a, b)
    assert suspects({b: [2]}, [a]) == []


def test_only_look_alike_names_is_a_rater_names_error(project, tmp_path):
    from coder.coding.table_io import RaterNamesError
    with pytest.raises(RaterNamesError):
        project.codings.import_table(table(tmp_path / "a.csv", ["Anna Ruiz"]))
    mixed = table(tmp_path / "b.csv", ["Anna Ruiz"])
    mixed.write_text(mixed.read_text() + f"{S3},1,Cleo,nope,,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        project.codings.import_table(mixed)
    assert not isinstance(err.value, RaterNamesError)          # other rows need fixing first
