"""The model's navigation helpers, hashability, and the no-Qt rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coder.codebook import Code, Codebook, CodeGroup, Scale, check_codebook

REPO = Path(__file__).resolve().parents[3]

TREE = Codebook("b", "B", 1, groups=(
    CodeGroup("g1", "G1", codes=(Code("a", "A", definition="d"),), groups=(
        CodeGroup("g2", "G2", codes=(Code("b", "B", definition="d"),)),)),
    CodeGroup("g3", "G3", codes=(Code("c", "C", definition="d"),)),
))


def test_codes_depth_first_with_group_path():
    assert [(e.group_ids, e.code.id) for e in TREE.codes()] == [
        (("g1",), "a"), (("g1", "g2"), "b"), (("g3",), "c")]
    entry = TREE.entry("b")
    assert entry.group.id == "g2" and [g.id for g in entry.groups] == ["g1", "g2"]
    groups, code = entry                      # unpacks like a tuple
    assert code.id == "b" and len(groups) == 2


def test_lookup_by_id():
    assert TREE.code("c").label == "C"
    assert TREE.group("g2").label == "G2"
    assert TREE.code_ids() == ("a", "b", "c")
    assert [(tuple(p.id for p in path), g.id) for path, g in TREE.iter_groups()] == [
        ((), "g1"), (("g1",), "g2"), ((), "g3")]
    with pytest.raises(KeyError):
        TREE.code("nope")
    with pytest.raises(KeyError):
        TREE.group("nope")


def test_values_are_hashable_and_lists_become_tuples():
    code = Code("x", "X", roles=["client"], markers=["a"], examples=["e"])
    assert code.roles == ("client",) and hash(code)
    scale = Scale(1, 3, {3: "high", 1: "low"})
    assert scale.labels == ((1, "low"), (3, "high")) and scale.label(3) == "high"
    assert scale.points == (1, 2, 3) and scale.label(2) is None
    assert hash(TREE)


def test_check_codebook_on_a_model_built_in_code_has_no_positions():
    bad = Codebook("b", "B", 1, groups=(CodeGroup("g", "G", codes=(
        Code("a", "A", "rating", "d"), Code("a", "", "presence", "d", color="red"))),))
    problems = check_codebook(bad)
    assert all(p.line is None and p.file is None for p in problems)
    assert [p.message for p in problems] == [
        "code 'a' is a rating code and needs a scale (scale: {min: 1, max: 5})",
        ("duplicate id 'a' (already used at code 'a'); ids of codes and groups must be unique "
         "in a codebook"),
        "code 'a': 'label' must not be empty",
        "code 'a': colour 'red' is not #RRGGBB (e.g. '#3CB44B')",
    ]


def test_codebook_package_never_imports_qt():
    code = ("import sys, coder.codebook as c; c.load_codebook('codebooks/mi_behaviour.yaml'); "
            "c.export_qdc(c.load_codebook('codebooks/rupture_repair.yaml')); "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))])")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
