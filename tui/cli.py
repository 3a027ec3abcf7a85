"""Command line entry point of massgen-tui; parses arguments before importing the app, so --help is instant."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from massgen import __version__

if TYPE_CHECKING:
    from tui.team_loader import LoadedTeam

PLAIN_DISPLAYS = ("rich_terminal", "simple")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="massgen-tui",
        description="Chat with a team of LLM agents in the terminal. With no config and no API keys, "
                    "an offline demo team runs.",
        epilog="Keys inside the app: F1 help, Ctrl+P every command, Esc cancels a run, Ctrl+S saves.",
    )
    parser.add_argument("prompt", nargs="?", help="start the team on this task at once")
    parser.add_argument("--config", metavar="FILE", type=Path, help="team YAML file (see configs/)")
    parser.add_argument("--output-dir", metavar="DIR", type=Path,
                        help="where session folders are written (default: ./massgen_outputs)")
    parser.add_argument("--theme", metavar="NAME", help="Textual theme, e.g. textual-dark or textual-light")
    parser.add_argument("--plain", action="store_true",
                        help="no interactive UI: stream the run to stdout (for scripts and CI); needs PROMPT")
    parser.add_argument("--version", action="version", version=f"massgen-tui {__version__}")
    return parser


class UsageError(ValueError):
    """A command line that cannot work; the message says what to change."""


def check_args(args: argparse.Namespace) -> None:
    """Problems the command line alone shows (before anything heavy is imported)."""
    if args.config is not None and not args.config.expanduser().is_file():
        raise UsageError(f"--config {args.config}: no such file; give the path of a team YAML file")
    if args.output_dir is not None and args.output_dir.exists() and not args.output_dir.is_dir():
        raise UsageError(f"--output-dir {args.output_dir}: exists and is not a folder; give a folder")
    if args.theme is not None:
        from textual.theme import BUILTIN_THEMES

        if args.theme not in BUILTIN_THEMES:
            names = ", ".join(sorted(BUILTIN_THEMES))
            raise UsageError(f"--theme {args.theme}: unknown theme; choose one of: {names}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_args(args)
        team = _team_if_configured(args)
    except ValueError as exc:  # UsageError, ConfigError, MediaError: all one-line (per problem) messages
        print(f"massgen-tui: {exc}", file=sys.stderr)
        return 2
    interactive_possible = sys.stdout.isatty() and sys.stdin.isatty()
    plain = args.plain or (team is not None and team.display_type in PLAIN_DISPLAYS) or not interactive_possible
    if plain:
        return _run_plain(args, team)
    return _run_app(args, team)


def _team_if_configured(args: argparse.Namespace) -> "LoadedTeam | None":
    """With --config the file is read now, so a bad one fails before any screen appears."""
    if args.config is None:
        return None
    from tui.team_loader import read_team

    return read_team(args.config)


def _run_plain(args: argparse.Namespace, team: "LoadedTeam | None") -> int:
    if not args.prompt:
        print("massgen-tui: plain output (--plain, ui.display_type rich_terminal/simple, or no terminal) "
              "needs a PROMPT argument", file=sys.stderr)
        return 2
    from tui.plain import run_plain

    return run_plain(args.prompt, team=team, output_dir=args.output_dir)


def _run_app(args: argparse.Namespace, team: "LoadedTeam | None") -> int:
    from widgets.terminal_probe import probe_in_background

    probing = probe_in_background()  # image support is asked while Textual imports, before it reads keys
    from tui.app import AppOptions, MassGenApp

    probing.join()

    options = AppOptions(config=args.config, output_dir=args.output_dir, theme=args.theme, prompt=args.prompt,
                         team=team, environ=dict(os.environ))
    app = MassGenApp(options)
    result = app.run()
    return app.return_code if app.return_code is not None else (result or 0)


if __name__ == "__main__":
    sys.exit(main())
