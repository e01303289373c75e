"""Session Coder launcher: the desktop app by default, headless subcommands for scripts.

    python main.py                      open the app (start screen)
    python main.py PROJECT.scproj       open the app on a project
    python main.py --sample             open the app on the bundled sample project
    python main.py new|import|transcripts|show ...   work headless (see --help)

Anything else (a misspelt command, a missing project file) is a one-line error, exit 1.
"""

import sys


def main() -> int:
    argv = sys.argv[1:]
    from coder.cli import SUBCOMMANDS
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help")):
        from coder.cli import main as cli_main
        if argv[0] == "report":
            # the PDF is drawn by the front end's Qt; the core never imports it
            from coder.cli import report
            from ui.feedback.report_pdf import write_pdf
            report.PDF_WRITER = write_pdf
        from coder.media.files import register_prober
        register_prober(_qt_duration_ms)        # MP3, MP4 ...: Qt loads only if called
        return cli_main(argv)
    from coder.cli.launch import app_arguments_problem
    problem = app_arguments_problem(argv, SUBCOMMANDS)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        from ui.shell.app import run
        return run(argv)
    except Exception as exc:  # noqa: BLE001 - start-up failed before the window's own handler
        from coder.crashlog import classify
        verdict = classify(exc, context="starting the desktop app")
        print(f"error: {verdict.message}", file=sys.stderr)
        return verdict.exit_code


def _qt_duration_ms(path):
    from ui.media.probe import qt_duration_ms
    return qt_duration_ms(path)


if __name__ == "__main__":
    sys.exit(main())
