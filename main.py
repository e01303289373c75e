"""Session Coder launcher: the desktop app by default, headless subcommands for scripts.

    python main.py                      open the app (start screen)
    python main.py PROJECT.scproj       open the app on a project
    python main.py --sample             open the app on the bundled sample project
    python main.py new|import|transcripts|show ...   work headless (see --help)
"""

import sys


def main() -> int:
    argv = sys.argv[1:]
    from coder.cli import SUBCOMMANDS
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help")):
        from coder.cli import main as cli_main
        from coder.media.files import register_prober
        register_prober(_qt_duration_ms)        # MP3, MP4 ...: Qt loads only if called
        return cli_main(argv)
    from ui.shell.app import run
    return run(argv)


def _qt_duration_ms(path):
    from ui.media.probe import qt_duration_ms
    return qt_duration_ms(path)


if __name__ == "__main__":
    sys.exit(main())
