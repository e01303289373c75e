"""Files: load, save atomically, validate many (the CLI's `codebook validate FILE...`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coder.codebook import CodebookError, load_codebook, save_codebook, validate_files

REPO = Path(__file__).resolve().parents[3]
GOOD = REPO / "codebooks" / "mi_behaviour.yaml"
QDC = REPO / "tests" / "data" / "format_samples" / "codebook.qdc"


def test_validate_files_collects_problems_from_every_file(tmp_path):
    bad1 = tmp_path / "bad1.yaml"
    bad1.write_text("id: x\nname: X\nversion: 1\ngroups:\n  - id: g\n    lable: G\n",
                    encoding="utf-8")
    bad2 = tmp_path / "bad2.yaml"
    bad2.write_text("id: [\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    problems = validate_files([GOOD, bad1, bad2, missing, QDC])
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
        ("bad1.yaml", 5, 5), ("bad1.yaml", 6, 5), ("bad2.yaml", 2, 1), ("missing.yaml", None, None)]
    assert "did you mean 'label'?" in problems[1].message
    assert problems[3].message.startswith("cannot read")
    assert str(problems[1]).startswith(f"{bad1}:6:5: unknown key 'lable'")


def test_bom_is_accepted_and_non_utf8_reported_with_position(tmp_path):
    text = GOOD.read_text(encoding="utf-8")
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_codebook(bom) == load_codebook(GOOD)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"id: x\nname: Caf\xe9\n")
    with pytest.raises(CodebookError) as info:
        load_codebook(latin)
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 10) and "not UTF-8" in p.message


def test_save_is_atomic_and_keeps_permissions(tmp_path):
    cb = load_codebook(GOOD)
    target = tmp_path / "cb.yaml"
    save_codebook(cb, target)
    assert load_codebook(target) == cb
    assert target.stat().st_mode & 0o777 == 0o644
    os.chmod(target, 0o600)
    save_codebook(cb, target)
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["cb.yaml"]     # no temporary left behind


def test_error_is_an_input_error_with_the_first_position(tmp_path):
    from coder.errors import InputError

    path = tmp_path / "x.yaml"
    path.write_text("id: x\nname: X\nversion: 1\ngroups: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_codebook(path)
    assert (info.value.line, info.value.column) == (4, 9)
    assert str(info.value) == f"{path}:4:9: 'groups' must be a list (lines starting with '- '), " \
                              "found a whole number"
