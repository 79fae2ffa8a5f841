"""The `marac-tui` command line. Each command group lives in its own module with a `register`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from marac_tui import __version__
from marac_tui.cli import exports, flows, serve, store_cmds, submissions, training, tui
from marac_tui.cli.context import Context
from marac_tui.errors import UserError

COMMAND_MODULES = [tui, flows, submissions, exports, training, store_cmds, serve]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="store folder (default: $MARAC_TUI_DATA_DIR, else the user data dir)",
    )
    parser = argparse.ArgumentParser(
        prog="marac-tui",
        description="Guided perpetrator research for MARAC representatives. With no command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"marac-tui {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or tui.open_app
    context = Context(data_dir=getattr(args, "data_dir", None))
    try:
        return int(handler(args, context) or 0)
    except UserError as exc:
        print(f"marac-tui: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("marac-tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
