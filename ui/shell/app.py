"""Start the desktop app: ``run(argv)`` with an optional project path or ``--sample``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="python main.py",
                                     description="Session Coder desktop app")
    parser.add_argument("project", nargs="?", type=Path, help="a .scproj file to open")
    parser.add_argument("--sample", action="store_true", help="open the sample project")
    return parser.parse_known_args(argv)


def start_window(args: argparse.Namespace):
    """The main window, shown, with the project the command line asked for (the sample is
    built in a worker the first time)."""
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings

    window = MainWindow(AppSettings())
    window.show()
    if args.sample:
        window.shell_actions.open_sample()
    elif args.project is not None:
        window.open_project(args.project)
    return window


def run(argv: list[str]) -> int:
    args, qt_args = parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from ui.shell import theme

    app = QApplication([sys.argv[0], *qt_args])
    from .crash import install
    install(app)                         # no traceback ever: one message box and a log
    app.setApplicationName("Session Coder")
    app.setOrganizationName("SessionCoder")
    theme.apply(app)                     # Fusion, the system's light or dark scheme
    window = start_window(args)          # noqa: F841 - kept alive while the app runs
    return app.exec()
