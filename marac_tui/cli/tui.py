"""`marac-tui` with no command: the Textual app."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from marac_tui.cli.context import PASSPHRASE_ENV, Context
from marac_tui.errors import UserError

if TYPE_CHECKING:
    import argparse


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    app = commands.add_parser("app", parents=[common], help="open the app (the default)")
    app.add_argument("--training", metavar="SCENARIO", help="start a training run of this fictional scenario")
    app.add_argument("--agency", metavar="FLOW", help="with --training: the agency's part of a multi-agency scenario")
    app.set_defaults(handler=open_app)


def open_app(args: Any, ctx: Context) -> int:
    """Run the app; `args` is the parsed command line (an argparse Namespace, or the first look's
    namespace when `marac-tui` is run with no command), `training` being optional."""
    from marac_tui.store import Store
    from marac_tui.tui.app import build_app

    training, agency = getattr(args, "training", None), getattr(args, "agency", None)
    if Store.needs_passphrase(ctx.root) and not os.environ.get(PASSPHRASE_ENV):
        app = build_app(None, root=ctx.root, training=training, agency=agency)  # the app asks for the passphrase
    else:
        app = build_app(ctx.store, training=training, agency=agency)
    return run_guarded(app)


def run_guarded(app: Any) -> int:
    """Run a Textual app inside the command's error boundary.

    Textual reports a crash as a traceback with every frame's local variables: the answers being
    typed, even a passphrase. That goes to stderr, and under `serve` into the server's output. So
    what Textual prints at exit is held back: a clean exit prints it as it was; a crash becomes one
    line (its details only with MARAC_TUI_DEBUG set).
    """
    import io

    from rich.console import Console

    from marac_tui.cli import DEBUG_ENV

    held = io.StringIO()
    shown = app.error_console
    app.error_console = Console(file=held, markup=False, highlight=False, width=shown.width,
                                force_terminal=shown.is_terminal, color_system=shown.color_system)  # fmt: skip
    app.run()
    code = int(app.return_code or 0)
    text = held.getvalue()
    if code == 0 or os.environ.get(DEBUG_ENV):
        if text:
            sys.stderr.write(text)
        return code
    raise UserError(
        "the app stopped on an internal error; what it had saved is kept. The details are not shown, "
        f"as they could hold what was typed (set {DEBUG_ENV}=1 to see them)"
    )
