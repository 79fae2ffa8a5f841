"""The `marac-tui` command line. Each command group lives in its own module with a `register`.

Opening the app (no command) is what people do most, so it is kept quick: a first look at the
command line finds the command word, and only that command's module is imported and registered.
`--help`, `--version`, an unknown command or anything the first look cannot place gets the whole
parser, so help and error messages stay argparse's own and list every command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from importlib import import_module
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from marac_tui import __version__
from marac_tui.cli.context import Context
from marac_tui.cli.output import error_line, make_streams_safe
from marac_tui.errors import UserError

if TYPE_CHECKING:
    import argparse

# Every command and the module (in marac_tui.cli) that registers it, in the order `--help` lists them.
COMMANDS = {
    "app": "tui",
    "plain": "plain",
    "flows": "flows",
    "flow": "flows",
    "schema": "submissions",
    "run": "submissions",
    "list": "submissions",
    "show": "submissions",
    "export": "exports",
    "summary": "exports",
    "actions": "actions",
    "action": "actions",
    "suggestions": "actions",
    "scenarios": "training",
    "demo": "training",
    "check": "training",
    "compare": "training",
    "init": "store_cmds",
    "history": "store_cmds",
    "finalise": "store_cmds",
    "reopen": "store_cmds",
    "import": "store_cmds",
    "delete": "store_cmds",
    "purge": "store_cmds",
    "doctor": "store_cmds",
    "serve": "serve",
    "pack": "pack_cmds",
    "matches": "pack_cmds",
    "keys": "pack_cmds",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))
DEBUG_ENV = "MARAC_TUI_DEBUG"  # set it to see a traceback for an unexpected error (developers only)


def build_parser(modules: Iterable[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The parser with the commands of `modules` (names in COMMAND_MODULES; default: every command)."""
    import argparse

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
    for name in modules:
        import_module(f"marac_tui.cli.{name}").register(commands, common)
    return parser


def first_look(argv: Sequence[str]) -> SimpleNamespace | None:
    """The plain command lines, read without argparse: `[--data-dir DIR] [COMMAND ...]`.

    Gives `data_dir` (None if not given) and `command` (None: open the app). None for anything
    else — help, the version, an abbreviated or unknown option before the command, an unknown
    command — which the whole parser deals with, reporting argparse's own errors.
    """
    data_dir, rest = None, list(argv)
    while rest and rest[0].startswith("--data-dir"):
        option = rest.pop(0)
        if option.startswith("--data-dir="):
            data_dir = option.partition("=")[2]
        elif option == "--data-dir" and rest and not rest[0].startswith("-"):
            data_dir = rest.pop(0)
        else:
            return None
    if rest and rest[0] not in COMMANDS:
        return None
    return SimpleNamespace(data_dir=data_dir, command=rest[0] if rest else None)


def parse(argv: Sequence[str]) -> Any:
    """The parsed command line (an argparse Namespace, or the first look's when opening the app),
    building only as much of the parser as the command line needs."""
    look = first_look(argv)
    if look is not None and look.command is None:
        return look
    modules = COMMAND_MODULES if look is None else [COMMANDS[look.command]]
    return build_parser(modules).parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    make_streams_safe()
    try:
        args = parse(sys.argv[1:] if argv is None else argv)
    except UnicodeError as exc:  # an argument that is not text (a lone surrogate from undecodable bytes)
        error_line(f"an argument is not valid text: {exc}")
        return 2
    handler = getattr(args, "handler", None)
    if handler is None:  # no command: the app
        from marac_tui.cli.tui import open_app

        handler = open_app
    context = Context(data_dir=getattr(args, "data_dir", None))
    try:
        return int(handler(args, context) or 0)
    except KeyboardInterrupt:
        print("marac-tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the one error boundary: one line, never a traceback
        if os.environ.get(DEBUG_ENV) and not isinstance(exc, UserError):
            raise
        error_line(describe_error(exc))
        return exc.exit_code if isinstance(exc, UserError) else 2


def describe_error(exc: BaseException) -> str:
    """One line for anything a command can meet: the user's errors, the OS's, limits and time-outs."""
    if isinstance(exc, UserError):
        return str(exc)
    if type(exc).__name__ == "Timeout" and type(exc).__module__.startswith("filelock"):
        return f"{exc.lock_file}: held by another process for too long; try again once it has finished"  # type: ignore[attr-defined]
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    if isinstance(exc, MemoryError):
        return "out of memory: the input is too large to handle"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(exc, UnicodeError):
        return f"not valid text ({exc})"
    return f"unexpected error ({type(exc).__name__}: {exc})"


def describe_os_error(exc: OSError) -> str:
    """`PATH: reason` for an OS error (ENOSPC, ENAMETOOLONG, EACCES...)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is None:
        return reason[:1].lower() + reason[1:]
    where = f"{exc.filename}" if exc.filename2 is None else f"{exc.filename} -> {exc.filename2}"
    return f"{where}: {reason[:1].lower() + reason[1:]}"
