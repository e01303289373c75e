"""`codings import`: a transcript named with or without its extension (when unambiguous);
`--complete` marks only units some code applies to, never units no code could be applied to."""

import pytest

from coder.errors import InputError
from coder.model import SegmentationOptions
from coder.project import Project
from tests.conftest import SAMPLES


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.scproj")      # alliance codebook: therapist codes
    p.importing.import_file(SAMPLES / "zoom_cloud_transcript.vtt",
                  segmentation=SegmentationOptions(windows=True))
    p.importing.import_file(SAMPLES / "plain_TC_labels_utf8.txt")
    yield p
    p.close()


def write(tmp_path, rows):
    path = tmp_path / "codings.csv"
    path.write_text("transcript,segment,rater,code,value,note\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def test_name_without_extension_when_unambiguous(project, tmp_path):
    command = project.codings.import_table(write(tmp_path, ["zoom_cloud_transcript,1,Ana,validation,,"]))
    assert command.summary.startswith("1 coding(s) imported")


def test_ambiguous_name_is_refused_naming_both(project, tmp_path):
    (tmp_path / "zoom_cloud_transcript.txt").write_text("T: hi\nC: hello\n", encoding="utf-8")
    project.importing.import_file(tmp_path / "zoom_cloud_transcript.txt")
    with pytest.raises(InputError, match="ambiguous: zoom_cloud_transcript.txt, "
                                         "zoom_cloud_transcript.vtt"):
        project.codings.import_table(write(tmp_path, ["zoom_cloud_transcript,1,Ana,validation,,"]))


def test_complete_counts_only_units_a_code_applies_to(project, tmp_path):
    info = project.transcripts.get("zoom_cloud_transcript.vtt")
    turns = project.transcripts.segments(info.id, "turn")
    windows = project.transcripts.segments(info.id, "window")
    assert windows                                  # made on request here
    therapist = [u for u in turns if u.role == "therapist"]
    command = project.codings.import_table(
        write(tmp_path, ["zoom_cloud_transcript.vtt,1,Ana,validation,,"]), complete=True)
    # The alliance codebook codes therapist turns only: client and unnamed turns and the
    # windows are not "not applied" — nobody could have applied anything there.
    assert command.summary.endswith(f"{len(therapist)} unit(s) marked completed")
    ana = project.raters.get("Ana")
    project.sign_in(ana.id)
    done = project.codings.completed([u.id for u in turns + windows], ana.id)
    assert done == {u.id for u in therapist}


def test_complete_marks_every_unit_when_every_unit_is_codeable(tmp_path):
    """A codebook with codes for therapist turns, client turns and windows: every unit of
    the transcript is completed (the path that needs no list of unit ids), and only that
    transcript's units, and only for that rater."""
    from tests.core.test_project_reliability_data import new_project
    p = new_project(tmp_path, transcripts=("s1.srt", "s2.srt"))
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("transcript,segment,rater,code,value,note\ns2.srt,1,C,validate,,\n",
                        encoding="utf-8")
    command = p.codings.import_table(csv_path, complete=True)
    s1, s2 = (p.transcripts.get(n).id for n in ("s1.srt", "s2.srt"))
    units = {k: [u.id for kind in ("turn", "window")
                 for u in p.transcripts.segments(t, kind)] for k, t in (("s1", s1), ("s2", s2))}
    assert len(units["s2"]) == 8 + 3
    assert command.summary.endswith(f"{len(units['s2'])} unit(s) marked completed")
    every = units["s1"] + units["s2"]
    p.sign_in(p.r["C"])
    assert p.codings.completed(every, p.r["C"]) == set(units["s2"])
    p.sign_in(p.r["A"])
    assert p.codings.completed(every, p.r["A"]) == set()
    p.close()
