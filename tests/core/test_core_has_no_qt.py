"""DESIGN.md rule 1: the core imports and runs with no Qt module loaded."""

import subprocess
import sys

from tests.conftest import ROOT


def test_importing_every_core_module_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, coder\n"
        "for m in pkgutil.walk_packages(coder.__path__, 'coder.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, f"Qt modules loaded by coder: {result.stdout}{result.stderr}"


def test_cli_help_does_not_import_qt_or_spacy():
    code = ("import sys, runpy\nsys.argv=['main.py','--help']\n"
            "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "bad = [n for n in sys.modules if n.startswith(('PySide6', 'spacy'))]\n"
            "print(bad, file=sys.stderr); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
