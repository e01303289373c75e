"""REFI-QDA .qdc: import of a sample from elsewhere, export shape, and ours -> .qdc -> ours."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coder.codebook import (
    Codebook,
    CodebookError,
    export_qdc,
    import_qdc,
    load_codebook,
)
from coder.codebook.qdc import NS, code_guid

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "tests" / "data" / "format_samples" / "codebook.qdc"
Q = f"{{{NS}}}"


def test_import_sample():
    cb, notes = import_qdc(SAMPLE.read_bytes(), str(SAMPLE))
    assert cb.name == "codebook" and cb.id == "codebook"
    (group,) = cb.groups
    assert (group.id, group.label) == ("therapist_interventions", "Therapist interventions")
    assert group.description == "Top-level category (not codable itself)."
    assert [(c.id, c.label, c.color, c.kind, c.scale, c.shortcut, c.roles) for c in group.codes] == [
        ("empathy", "Empathy", "#E6194B", "presence", None, None, ("any",)),
        ("open_question", "Open question", "#3CB44B", "presence", None, None, ("any",)),
        ("reflection", "Reflection", "#4363D8", "presence", None, None, ("any",)),
    ]
    assert cb.code("empathy").definition == \
        "Therapist conveys understanding of the client's feelings."
    text = "\n".join(notes)
    assert "3 code(s) imported as presence codes" in text
    assert "ids were made from names" in text
    assert "name was taken from the file name" in text


def test_import_with_explicit_name():
    cb, _ = import_qdc(SAMPLE.read_bytes(), "x.qdc", name="Supervision set")
    assert cb.name == "Supervision set"


def _shipped(name: str) -> Codebook:
    return load_codebook(REPO / "codebooks" / f"{name}.yaml")


@pytest.mark.parametrize("name", ["alliance_safeness", "rupture_repair", "mi_behaviour"])
def test_round_trip_keeps_everything_in_the_tree(name):
    cb = _shipped(name)
    back, notes = import_qdc(export_qdc(cb), f"{name}.qdc")
    assert back.groups == cb.groups
    assert len(notes) == 1 and "no place for a name" in notes[0]


def test_export_shape_and_stable_guids():
    cb = _shipped("mi_behaviour")
    data = export_qdc(cb)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == Q + "CodeBook" and root.get("origin", "").startswith("Session Coder")
    (codes,) = list(root)
    assert codes.tag == Q + "Codes"
    top = list(codes)
    assert [el.get("name") for el in top] == [g.label for g in cb.groups]
    assert all(el.get("isCodable") == "false" and el.get("color") is None for el in top)
    first = top[0].findall(Q + "Code")[0]
    code = cb.groups[0].codes[0]
    assert first.get("isCodable") == "true" and first.get("color") == code.color
    assert first.get("guid") == code_guid(cb.id, code.id)
    # schema order inside a Code: Description before child Codes
    assert next(iter(top[0])).tag == Q + "Description"
    desc = first.find(Q + "Description").text
    assert desc.startswith(code.definition) and "Use when: " in desc and "Examples:\n- " in desc
    assert export_qdc(cb) == data                      # deterministic


def test_guid_format():
    import re
    guid = code_guid("book", "code")
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", guid)
    assert guid == code_guid("book", "code") != code_guid("other", "code")


def test_edited_records_that_do_not_fit_are_dropped_with_a_note():
    cb = _shipped("rupture_repair")
    data = export_qdc(cb).replace(b'"shortcut": "2"', b'"shortcut": "1"')
    back, notes = import_qdc(data, "r.qdc")
    text = "\n".join(notes)
    assert "did not fit together" in text and "shortcut '1'" in text
    assert all(e.code.kind == "presence" and e.code.shortcut is None for e in back.codes())
    assert [e.code.label for e in back.codes()] == [e.code.label for e in cb.codes()]


def test_foreign_nesting_loose_codes_sets_and_short_colours():
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NS}">
  <Codes>
    <Code guid="00000000-0000-0000-0000-000000000001" name="Loose" isCodable="true" color="#abc"/>
    <Code guid="00000000-0000-0000-0000-000000000002" name="Parent" isCodable="true">
      <Code guid="00000000-0000-0000-0000-000000000003" name="Child" isCodable="true"
            color="blue"/>
    </Code>
    <Code guid="00000000-0000-0000-0000-000000000004" name="Loose" isCodable="false"/>
  </Codes>
  <Sets><Set guid="00000000-0000-0000-0000-000000000005" name="S"/></Sets>
</CodeBook>""".encode()
    cb, notes = import_qdc(data, "foreign.qdc")
    assert [g.label for g in cb.groups] == ["Codes", "Parent", "Loose"]
    assert cb.code("loose").color == "#aabbcc"
    parent = cb.groups[1]
    assert [(c.id, c.label) for c in parent.codes] == [("parent_2", "Parent"), ("child", "Child")]
    assert parent.id == "parent" and parent.groups == ()
    assert cb.code("child").color is None
    ids = [g.id for _, g in cb.iter_groups()] + list(cb.code_ids())
    assert len(ids) == len(set(ids))                    # "Loose" and "Parent" twice, ids unique
    text = "\n".join(notes)
    for expected in ("top-level code(s) were put in a group", "cannot nest",
                     "colour 'blue' is not #RRGGBB", "no description, so no definition",
                     "code sets (<Sets>) were not imported"):
        assert expected in text


def test_project_file_codebook_is_read():
    data = b"""<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>
    <Code guid="00000000-0000-0000-0000-000000000001" name="G" isCodable="false">
      <Code guid="00000000-0000-0000-0000-000000000002" name="A code" isCodable="true"/>
    </Code></Codes></CodeBook></Project>"""
    cb, _ = import_qdc(data, "project.qde")
    assert cb.code_ids() == ("a_code",)


@pytest.mark.parametrize("data, where, message", [
    (b"<CodeBook><Codes>", (1, 18), "not valid XML"),
    (b"<?xml version='1.0'?>\n<Other/>", (None, None), "not a REFI-QDA codebook"),
])
def test_bad_files(data, where, message):
    with pytest.raises(CodebookError) as info:
        import_qdc(data, "bad.qdc")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == where and message in problem.message
    assert problem.file == "bad.qdc"


def test_codes_without_definition_are_importable_but_noted():
    data = f"""<CodeBook xmlns="{NS}"><Codes><Code guid="00000000-0000-0000-0000-000000000001"
    name="G" isCodable="false"><Code guid="00000000-0000-0000-0000-000000000002" name="X"
    isCodable="true"/></Code></Codes></CodeBook>""".encode()
    cb, notes = import_qdc(data, "x.qdc")
    assert cb.code("x").definition == ""
    assert any("no description, so no definition, for 'X'" in n for n in notes)


def test_a_qdc_naming_an_unknown_encoding_is_one_line():
    import pytest
    from coder.codebook.problems import CodebookError
    from coder.codebook.qdc_import import import_qdc
    with pytest.raises(CodebookError, match="f.qdc:1:1: not valid XML: unknown encoding"):
        import_qdc(b'<?xml version="1.0" encoding="u-f-8"?><CodeBook/>', "f.qdc")
