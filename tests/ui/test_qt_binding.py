"""The Qt binding must not leak references to None/True/False (PySide6 6.12.0 on Python
3.11 does, and the app aborts with "deallocating None" after a few thousand calls)."""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel  # noqa: E402


def test_void_calls_keep_none_alive(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("y")
        label.setVisible(False)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50, (
        f"the Qt binding leaks references (None {before[0]} -> {after[0]}); "
        "install a PySide6 version that pyproject.toml allows")
