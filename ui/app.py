"""Start the desktop app: ``run(argv)`` with an optional project path or ``--sample``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python main.py",
                                     description="Session Coder desktop app")
    parser.add_argument("project", nargs="?", type=Path, help="a .scproj file to open")
    parser.add_argument("--sample", action="store_true", help="open the sample project")
    args, qt_args = parser.parse_known_args(argv)

    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .settings import AppSettings
    from .style import STYLE

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Session Coder")
    app.setOrganizationName("SessionCoder")
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE)
    window = MainWindow(AppSettings())
    window.show()
    if args.sample:
        window.open_sample()
    elif args.project is not None:
        window.open_project(args.project)
    return app.exec()
