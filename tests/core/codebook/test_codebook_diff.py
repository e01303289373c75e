"""diff_codebooks: what changed between two versions, matched by code id."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from coder.codebook import Code, Codebook, CodeGroup, Scale, diff_codebooks, load_codebook

REPO = Path(__file__).resolve().parents[3]


def book(*groups: CodeGroup, **kw) -> Codebook:
    return Codebook(id="b", name="B", version=kw.pop("version", 1), groups=groups, **kw)


A = Code("a", "Alpha", "presence", "first", shortcut="a", color="#111111")
R = Code("r", "Rating", "rating", "rated", scale=Scale(1, 5))
OLD = book(CodeGroup("g", "G", codes=(A, R)), CodeGroup("h", "H"))


def test_identical_is_empty():
    diff = diff_codebooks(OLD, OLD)
    assert diff.is_empty and diff.describe() == [] and diff.incompatible_codes() == ()


def test_added_and_removed():
    new = book(CodeGroup("g", "G", codes=(A, Code("n", "New", "presence", "x"))),
               CodeGroup("h", "H"))
    diff = diff_codebooks(OLD, new)
    assert [e.code.id for e in diff.added] == ["n"]
    assert [e.code.id for e in diff.removed] == ["r"]
    assert diff.describe() == ["added code 'n' (New, presence) in g",
                               "removed code 'r' (Rating)"]
    assert diff.incompatible_codes() == ("r",)


def test_renamed_redefined_and_changed_are_separate_lists():
    a2 = replace(A, label="Alpha two", definition="changed", examples=("e",), shortcut="z",
                 color="#222222", roles=("client",))
    r2 = replace(R, scale=Scale(0, 4))
    new = book(CodeGroup("g", "G", codes=(a2,)), CodeGroup("h", "H", codes=(r2,)))
    diff = diff_codebooks(OLD, new)
    assert [(c.id, c.fields) for c in diff.renamed] == [("a", ("label",))]
    assert [(c.id, c.fields) for c in diff.redefined] == [("a", ("definition", "examples"))]
    assert [(c.id, c.fields) for c in diff.changed] == [
        ("a", ("roles", "shortcut", "color")), ("r", ("scale", "group"))]
    assert diff.describe() == [
        "renamed code 'a': 'Alpha' -> 'Alpha two'",
        "redefined code 'a': definition, examples changed",
        ("changed code 'a': roles [any] -> [client]; shortcut 'a' -> 'z'; "
         "color '#111111' -> '#222222'"),
        "changed code 'r': scale 1..5 -> 0..4; moved from g to h",
    ]
    assert diff.incompatible_codes() == ("r",)
    assert not diff.added and not diff.removed


def test_kind_archive_markers_and_scale_labels():
    a2 = replace(A, kind="rating", scale=Scale(1, 3), archived=True, markers=("m",))
    r2 = replace(R, scale=Scale(1, 5, {1: "low"}))
    diff = diff_codebooks(OLD, book(CodeGroup("g", "G", codes=(a2, r2)), CodeGroup("h", "H")))
    lines = diff.describe()
    assert lines == [
        ("changed code 'a': kind 'presence' -> 'rating'; scale none -> 1..3; markers changed; "
         "archived"),
        "changed code 'r': scale labels changed",
    ]
    assert set(diff.incompatible_codes()) == {"a", "r"}
    restored = diff_codebooks(book(CodeGroup("g", "G", codes=(a2,))),
                              book(CodeGroup("g", "G", codes=(replace(a2, archived=False),))))
    assert restored.describe() == ["changed code 'a': restored from the archive"]


def test_codebook_and_group_level_changes():
    new = book(CodeGroup("g", "G2", category_set=False, codes=(A, R),
                         groups=(CodeGroup("h", "H"),)),
               CodeGroup("k", "K"), version=2, citations=("X (2020).",))
    diff = diff_codebooks(OLD, new)
    assert diff.codebook_fields == ("version", "citations")
    assert diff.groups_added == ("k",) and diff.groups_removed == ()
    assert diff.groups_changed == (("g", ("label",)), ("h", ("parent",)))
    assert diff.describe()[:4] == ["codebook version changed", "codebook citations changed",
                                   "added group 'k'", "changed group 'g': label"]


def test_shipped_codebook_against_an_edited_copy():
    cb = load_codebook(REPO / "codebooks" / "rupture_repair.yaml")
    withdrawal = cb.group("withdrawal")
    edited_codes = tuple(replace(c, label=c.label + " (rev)") if c.id == "wd_denial" else c
                         for c in withdrawal.codes if c.id != "wd_abstract_talk")
    new = replace(cb, version=2, groups=(replace(withdrawal, codes=edited_codes),)
                  + cb.groups[1:])
    diff = diff_codebooks(cb, new)
    assert [e.code.id for e in diff.removed] == ["wd_abstract_talk"]
    assert [c.id for c in diff.renamed] == ["wd_denial"]
    assert not diff.changed and not diff.redefined
