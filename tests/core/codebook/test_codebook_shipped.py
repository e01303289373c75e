"""The three shipped codebooks validate and hold what the field needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coder.codebook import load_codebook, validate_files

CODEBOOKS = Path(__file__).resolve().parents[3] / "codebooks"
SHIPPED = ("alliance_safeness", "rupture_repair", "mi_behaviour")


def codes_in(cb, group_id):
    """The codes of a group and of its subgroups."""
    return [e.code for e in cb.codes() if group_id in e.group_ids]


def test_all_shipped_files_validate():
    assert validate_files([CODEBOOKS / f"{n}.yaml" for n in SHIPPED]) == []


def test_every_code_is_fully_written(shipped_path):
    cb = load_codebook(shipped_path)
    for entry in cb.codes():
        c = entry.code
        assert c.definition.strip() and c.use_when.strip() and c.not_when.strip(), c.id
        assert c.color is not None, c.id
        if c.kind in ("presence", "category"):
            assert len(c.examples) >= 2, c.id
            assert 2 <= len(c.markers) <= 6, c.id
        else:
            assert c.scale is not None and len(c.scale.labels) == len(c.scale.points), c.id


def test_colours_distinct_and_shortcuts_unique(shipped_path):
    cb = load_codebook(shipped_path)
    colours = [e.code.color.upper() for e in cb.codes()]
    assert len(set(colours)) == len(colours)
    keys = [e.code.shortcut.lower() for e in cb.codes() if e.code.shortcut]
    assert len(set(keys)) == len(keys)


def test_names_and_citations(shipped_path):
    cb = load_codebook(shipped_path)
    assert cb.citations and all(re.search(r"\(\d{4}\)", c) for c in cb.citations)
    # our sets are "inspired by" published systems, never named as them
    for text in (cb.name, cb.description, *(e.code.label for e in cb.codes())):
        assert "3RS" not in text
        assert not re.search(r"\bMITI\b(?!-style)", text.replace("not the MITI", "")), text


def test_alliance_safeness_content():
    cb = load_codebook(CODEBOOKS / "alliance_safeness.yaml")
    assert any("Bordin" in c and "1979" in c for c in cb.citations)
    consistent = {c.id for c in codes_in(cb, "consistent")}
    assert consistent == {"bond_warmth", "mutual_respect", "validation", "goal_alignment",
                          "task_alignment", "awareness_work", "self_safeness", "connectedness",
                          "empowerment", "feedback_on_relationship", "responsive_shift"}
    assert {c.id for c in codes_in(cb, "inconsistent")} == \
        {"rigid_persistence", "invalidating", "pressure"}
    for c in codes_in(cb, "consistent") + codes_in(cb, "inconsistent"):
        assert c.kind == "presence" and c.roles == ("therapist",)
    globals_ = {c.id: c for c in codes_in(cb, "session_globals")}
    assert all(c.kind == "global" for c in globals_.values())
    scales = {cid: (c.scale.min, c.scale.max) for cid, c in globals_.items()}
    assert scales == {"alliance_quality": (1, 5), "safeness_climate": (1, 5),
                      "adherence_extent": (0, 4), "adherence_skill": (1, 5)}
    extent, skill = globals_["adherence_extent"], globals_["adherence_skill"]
    assert extent.item == skill.item and (extent.aspect, skill.aspect) == \
        ("adherence", "competence")
    assert "does this fit" in cb.code("feedback_on_relationship").markers


def test_rupture_repair_content():
    cb = load_codebook(CODEBOOKS / "rupture_repair.yaml")
    cites = " ".join(cb.citations)
    assert "Eubanks" in cites and "2015" in cites and "2018" in cites
    assert "Safran, J. D., & Muran, J. C. (2000)" in cites
    withdrawal, confrontation = codes_in(cb, "withdrawal"), codes_in(cb, "confrontation")
    repair = codes_in(cb, "repair")
    assert (len(withdrawal), len(confrontation), len(repair)) == (7, 7, 10)
    for c in withdrawal + confrontation:
        assert c.kind == "presence" and c.roles == ("client",)
    for c in repair:
        assert c.kind == "presence" and c.roles == ("therapist",)
    assert {"I guess", "fine", "whatever"} <= set(cb.code("wd_minimal_response").markers)
    counts = {e.code.id: e.counts_as for e in cb.codes()}
    assert {counts[c.id] for c in withdrawal} == {"withdrawal"}
    assert {counts[c.id] for c in confrontation} == {"confrontation"}
    assert counts["rp_rationale"] == "repair_direct" and counts["rp_redirect"] == "repair_indirect"
    assert [counts[c.id] for c in repair].count("repair_direct") == 5
    windows = {c.id: c for c in codes_in(cb, "window_ratings")}
    assert set(windows) == {"rupture_significance", "resolution_impact"}
    for c in windows.values():
        assert (c.kind, c.unit, c.scale.min, c.scale.max) == ("rating", "window", 1, 5)
    globals_ = {c.id: c for c in codes_in(cb, "rupture_globals")}
    assert set(globals_) == {"therapist_contribution", "extent_of_resolution"}
    assert all((c.kind, c.scale.min, c.scale.max) == ("global", 1, 5) for c in globals_.values())


def test_mi_behaviour_content():
    cb = load_codebook(CODEBOOKS / "mi_behaviour.yaml")
    cites = " ".join(cb.citations)
    assert "Moyers" in cites and "2016" in cites and "Miller, W. R., & Rollnick, S. (2013)" in cites
    therapist, client = cb.group("therapist_behaviour"), cb.group("client_talk")
    assert therapist.category_set and client.category_set
    assert {c.id for c in therapist.codes} >= {
        "giving_information", "persuade", "persuade_with_permission", "open_question",
        "closed_question", "simple_reflection", "complex_reflection", "affirm",
        "seeking_collaboration", "emphasizing_autonomy", "confront"}
    assert {c.id for c in client.codes} == {"change_talk", "sustain_talk", "neutral_talk"}
    assert all(c.roles == ("therapist",) for c in therapist.codes)
    assert all(c.roles == ("client",) for c in client.codes)
    digits = sorted(c.shortcut for c in therapist.codes if c.shortcut.isdigit())
    assert digits == list("0123456789")
    globals_ = {c.id: c for c in cb.group("mi_globals").codes}
    assert set(globals_) == {"cultivating_change_talk", "softening_sustain_talk", "partnership",
                             "empathy"}
    assert all((c.kind, c.scale.min, c.scale.max) == ("global", 1, 5) for c in globals_.values())


@pytest.mark.parametrize("name", SHIPPED)
def test_no_shortcut_on_globals(name):
    cb = load_codebook(CODEBOOKS / f"{name}.yaml")
    assert all(e.code.shortcut is None for e in cb.codes() if e.code.kind == "global")


def test_readme_example_is_a_valid_codebook():
    readme = (CODEBOOKS / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL).group(1)
    from coder.codebook import parse_codebook

    cb = parse_codebook(example, "README.md")
    kinds = {e.code.kind for e in cb.codes()}
    assert kinds == {"presence", "category", "rating", "global"}
    assert cb.code("old_marker").archived and cb.group("therapist_turn").category_set


def test_readme_documents_every_key():
    from coder.codebook.parse import CODE_KEYS, CODEBOOK_KEYS, GROUP_KEYS, SCALE_KEYS

    readme = (CODEBOOKS / "README.md").read_text(encoding="utf-8")
    for key in {*CODEBOOK_KEYS, *GROUP_KEYS, *CODE_KEYS, *SCALE_KEYS}:
        assert f"`{key}`" in readme, key


def test_counts_as_is_checked_and_inherited():
    from coder.codebook import parse_codebook
    from coder.codebook.problems import CodebookError
    text = """id: t
name: T
version: 1
groups:
  - id: rp
    label: Repairs
    counts_as: repair
    groups:
      - id: direct
        label: Direct
        counts_as: repair_direct
        codes:
          - {id: a, label: A, kind: presence, definition: d}
      - id: plain
        label: Plain
        codes:
          - {id: b, label: B, kind: presence, definition: d}
  - id: bad
    label: Bad
    counts_as: withdrawl
"""
    with pytest.raises(CodebookError) as err:
        parse_codebook(text, "t.yaml")
    assert "t.yaml:20:16: group 'bad': unknown counts_as 'withdrawl' (did you mean " \
           "'withdrawal'?)" in str(err.value)
    cb = parse_codebook(text.rsplit("  - id: bad", 1)[0], "t.yaml")
    assert {e.code.id: e.counts_as for e in cb.codes()} == {"a": "repair_direct", "b": "repair"}
