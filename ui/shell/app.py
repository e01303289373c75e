"""Start the desktop app: ``run(argv)`` with an optional project path or ``--sample``.

Start-up order (issue 17): the window with its start screen is painted first, with only Qt
and the light UI modules imported (no SQLAlchemy, YAML or numpy: `coder.lazy`); the next
turn of the event loop builds the areas and menus (`MainWindow.build_areas`), and a daemon
thread imports the project machinery (`coder.project`, SQLAlchemy) so that opening a project
a moment later finds it loaded. A project named on the command line is opened at once
(its machinery starts loading on that thread while Qt loads on this one).

``SESSION_CODER_EXIT_WHEN_READY=1`` (for `bench/bench_start.py` and smoke tests): once the
window is painted — with the project's first transcript shown, if one was named — print one
line ``ready <CPU seconds> <units shown>`` and quit; ``=areas`` waits until the areas and
menus are built as well.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

READY_ENV = "SESSION_CODER_EXIT_WHEN_READY"
WARM_UP_AFTER_MS = 100


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

    if args.sample:
        window = MainWindow(AppSettings())
        window.show()
        window.shell_actions.open_sample()
    elif args.project is not None:
        window = MainWindow(AppSettings())
        window.show()
        window.open_project(args.project)
    else:
        from PySide6.QtCore import QTimer
        window = MainWindow(AppSettings(), defer_areas=True)
        window.show()
        window.repaint()                  # the start screen, now; the rest comes next
        QTimer.singleShot(0, window.build_areas)
        QTimer.singleShot(WARM_UP_AFTER_MS, warm_up_in_background)
    return window


def warm_up_in_background() -> threading.Thread:
    """Import what opening a project needs (SQLAlchemy is most of it) on a daemon thread
    while the user looks at the start screen. Python's import lock makes a later import on
    the GUI thread wait for this one rather than start over."""
    def warm() -> None:
        try:
            import coder.project  # noqa: F401
        except Exception:  # noqa: BLE001 - the GUI thread's own import will report it
            pass
    thread = threading.Thread(target=warm, name="warm-up imports", daemon=True)
    thread.start()
    return thread


def run(argv: list[str]) -> int:
    args, qt_args = parse_args(argv)
    if args.project is not None:          # needed at once: load it while Qt loads
        warm_up_in_background()
    from PySide6.QtWidgets import QApplication

    from ui.shell import theme

    app = QApplication([sys.argv[0], *qt_args])
    from .crash import install
    install(app)                         # no traceback ever: one message box and a log
    app.setApplicationName("Session Coder")
    app.setOrganizationName("SessionCoder")
    theme.apply(app)                     # Fusion, the system's light or dark scheme
    holder: list = []
    ready = os.environ.get(READY_ENV)
    if ready:
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, lambda: ready == "areas" or exit_when_ready(holder[0]))
    holder.append(start_window(args))    # kept alive while the app runs
    if ready == "areas":                 # after the areas' build (queued by start_window)
        QTimer.singleShot(0, lambda: exit_when_ready(holder[0]))
    return app.exec()


def exit_when_ready(window) -> None:
    """The bench hook: paint now, say so with the CPU time spent so far, and quit (the bench
    takes the wall time when the line arrives)."""
    import time

    from PySide6.QtWidgets import QApplication
    window.repaint()
    model = getattr(getattr(window, "workspace", None), "model", None)
    units = model.rowCount() if model is not None else 0
    print(f"ready {time.process_time():.4f} {units}", flush=True)
    QApplication.quit()
