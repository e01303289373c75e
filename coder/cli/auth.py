"""The supervisor passphrase for headless commands: from ``SESSION_CODER_PASSPHRASE`` (for
scripts) or a prompt when a person is at a terminal; never from the command line (it would
stay in the shell's history)."""

from __future__ import annotations

import getpass
import os
import sys

from ..errors import SessionCoderError

ENV = "SESSION_CODER_PASSPHRASE"
NEW_ENV = "SESSION_CODER_NEW_PASSPHRASE"


def ask(prompt: str, env: str = ENV) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise SessionCoderError(f"this needs the supervisor passphrase: set {env} or run the "
                            "command on a terminal")


def unlock_if_protected(project) -> None:
    """Headless work that reads or writes every rater's codings: give the passphrase when
    the project has one."""
    if project.access.protected:
        project.unlock(ask("Supervisor passphrase: "))


def cmd_protect(args) -> int:
    from ..project import Project
    with Project.open(args.project) as project:
        changing = project.access.protected
        if changing:
            project.unlock(ask("Current supervisor passphrase: "))
        new = os.environ.get(NEW_ENV if changing else ENV)
        if new is None:
            if not (sys.stdin is not None and sys.stdin.isatty()):
                raise SessionCoderError(f"set {NEW_ENV if changing else ENV} or run the "
                                        "command on a terminal")
            new = getpass.getpass("New supervisor passphrase: ")
            if getpass.getpass("Again: ") != new:
                raise SessionCoderError("the two passphrases differ; nothing was changed")
        project.protect(new)
    print(f"{args.project}: the supervisor role is protected"
          + (" (passphrase changed)" if changing else ""))
    return 0


def add_parsers(sub) -> None:
    from pathlib import Path
    p = sub.add_parser("protect", help="protect the supervisor role with a passphrase "
                                       "(or change it)")
    p.add_argument("project", type=Path)
    p.set_defaults(func=cmd_protect)
