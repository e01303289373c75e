"""The house rules, enforced (DESIGN.md rule 9, docs/ARCHITECTURE.md): the import-linter
contracts in pyproject.toml, and the checks that a contract cannot express."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CORE = ROOT / "coder"


def _python_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def test_import_contracts_are_kept():
    """`lint-imports` over the contracts in pyproject.toml (core never imports Qt or ui; the
    store imports nothing above it; statistics import neither store nor export; only the
    store speaks SQL; ui never reaches the store)."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                               "sys.exit(lint_imports(no_cache=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_no_sqlalchemy_outside_the_store():
    offenders = []
    for path in _python_files(CORE) + _python_files(ROOT / "ui"):
        if CORE / "store" in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "sqlalchemy" or n.startswith("sqlalchemy.") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_nothing_outside_the_store_touches_the_engine():
    offenders = [f"{p.relative_to(ROOT)}" for p in _python_files(CORE) + _python_files(ROOT / "ui")
                 if CORE / "store" not in p.parents and "_engine" in p.read_text(encoding="utf-8")]
    assert offenders == []


VALUE_BASES = {"Exception", "SessionCoderError", "Protocol", "NamedTuple", "Enum", "str", "int",
               "object", "ValueError", "Generic"}


def test_no_core_class_has_more_than_one_base():
    """No mixins: a class in coder/ has at most one base besides value-type bases."""
    offenders = []
    for path in _python_files(CORE):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(b) for b in node.bases]
                real = [b for b in bases if b.split(".")[-1].split("[")[0] not in VALUE_BASES]
                if len(real) > 1:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}{bases}")
    assert offenders == []


def test_core_modules_stay_small():
    """Small rooms: a core module stays under ~400 lines."""
    big = [f"{p.relative_to(ROOT)} ({n})" for p in _python_files(CORE)
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420]
    assert big == []
