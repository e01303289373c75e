"""Headless subcommands (``python main.py COMMAND ...``) for scripted studies.

Every command reaches the core through `Project`, as the GUI does. Problems a user can
fix go to stderr as one line naming the file (and line, where there is one) with exit code 1.
Anything else is an internal error: one line naming a log file that holds the traceback, exit
code 2 (`coder.crashlog`); argparse's usage errors also exit 2, as one line naming the
command and pointing to its ``--help`` (not the whole usage text). No traceback ever reaches
the terminal. Heavy modules load inside the commands, never at import.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import SessionCoderError

SUBCOMMANDS = ("new", "import", "transcripts", "show", "codebook", "codings", "stats",
               "reliability", "export", "protect", "restore", "package", "training", "qdpx",
               "drift", "measures", "dyad", "episode-rule", "feedback", "report", "media", "sample")


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line usage error: ``error: reliability: the following arguments
    are required: PROJECT (see 'python main.py reliability --help')``, exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        command = self.prog.removeprefix("python main.py").strip()
        where = f"{command}: " if command else ""
        sys.stderr.write(f"error: {where}{message} (see '{self.prog} --help')\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    from . import (auth, codebook, codings, drift, export, feedback, media, package, qdpx,
                   reliability, report, restore, sample, stats, training, transcripts)
    parser = _Parser(
        prog="python main.py",
        description="Session Coder. Without a subcommand the desktop app opens "
                    "(optionally on PROJECT, or --sample for the sample project).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    transcripts.add_parsers(sub)
    codebook.add_parsers(sub)
    codings.add_parsers(sub)
    stats.add_parsers(sub)
    reliability.add_parsers(sub)
    export.add_parsers(sub)
    auth.add_parsers(sub)
    restore.add_parsers(sub)
    package.add_parsers(sub)
    training.add_parsers(sub)
    qdpx.add_parsers(sub)
    drift.add_parsers(sub)
    feedback.add_parsers(sub)
    report.add_parsers(sub)
    media.add_parsers(sub)
    sample.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            (getattr(args, "subparser", None) or parser).print_help()
            return 2
        return args.func(args)
    except SessionCoderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # noqa: BLE001 - the top of the program: nothing escapes
        from ..crashlog import classify
        verdict = classify(exc, context="python main.py " + " ".join(argv))
        print(f"error: {verdict.message}", file=sys.stderr)
        return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
