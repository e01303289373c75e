"""The statistics core loads neither Qt nor scipy (scipy only lazily, inside functions)."""

import subprocess
import sys


def test_import_loads_no_qt_and_no_scipy():
    code = ("import sys, coder.reliability, coder.reliability.table, "
            "coder.reliability.bootstrap, coder.reliability.schemes;"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'scipy', 'pandas', 'statsmodels', 'sklearn', 'krippendorff', "
            "'pingouin', 'irrCAC')];"
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
