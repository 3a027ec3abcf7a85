"""Command line entry point of massgen-tui; parses arguments before importing the app, so --help is instant."""

from __future__ import annotations

import argparse
import sys

from massgen import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="massgen-tui",
        description="Chat with a team of LLM agents in the terminal. With no config and no API keys, an offline demo team runs.",
    )
    parser.add_argument("prompt", nargs="?", help="start the team on this task at once")
    parser.add_argument("--config", metavar="FILE", help="team YAML file (see configs/)")
    parser.add_argument("--output-dir", metavar="DIR", help="where session folders are written")
    parser.add_argument("--theme", metavar="NAME", help="Textual theme, e.g. textual-dark or textual-light")
    parser.add_argument("--version", action="version", version=f"massgen-tui {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from tui.app import MassGenApp

    MassGenApp(args).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
