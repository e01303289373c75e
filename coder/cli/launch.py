"""What ``python main.py ARGS`` starts: a headless command, the desktop app, or neither.

The app opens only for no argument, ``--sample`` or an existing project file (plus Qt's own
single-dash options such as ``-platform offscreen``). Anything else — a misspelt command,
a project path that does not exist, an unknown ``--option`` — is an error with a suggestion,
so that a typo never starts a window (or, headless, hangs waiting for one).
"""

from __future__ import annotations

import difflib
from pathlib import Path

APP_OPTIONS = ("--sample",)
# Qt's command-line options that take a value (QGuiApplication / QApplication docs).
QT_VALUE_OPTIONS = ("-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-style",
                    "-stylesheet", "-display", "-geometry", "-qwindowgeometry", "-qwindowicon",
                    "-qwindowtitle", "-title", "-session", "-widgetcount", "-qmljsdebugger")


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def app_arguments_problem(argv: list[str], subcommands: tuple[str, ...]) -> str | None:
    """None when `argv` may open the app, else the one-line error to print."""
    positional: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg.startswith("--"):
            if arg not in APP_OPTIONS:
                hint = _suggest(arg, APP_OPTIONS + ("--help",))
                return f"unknown option '{arg}'{hint}; see 'python main.py --help'"
        elif arg.startswith("-") and arg != "-":
            skip = arg in QT_VALUE_OPTIONS
        else:
            positional.append(arg)
    if not positional:
        return None
    arg = positional[0]
    path = Path(arg)
    hint = _suggest(arg, subcommands)
    if hint and not path.is_file():
        return f"'{arg}' is not a command{hint}; see 'python main.py --help'"
    if len(positional) > 1:
        return (f"the app opens one project at a time, not {len(positional)} "
                f"('{positional[0]}', '{positional[1]}'); for a command see "
                "'python main.py --help'")
    if path.is_file():
        return None
    if path.is_dir():
        return f"'{arg}' is a folder, not a project file (.scproj)"
    if path.suffix.lower() == ".scproj":
        return f"no project file '{arg}' (create one with 'python main.py new {arg}')"
    return (f"'{arg}' is neither a command nor a project file; commands are "
            f"{', '.join(subcommands)}")
