"""`marac-tui` with no command: the Textual app."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from marac_tui.cli.context import PASSPHRASE_ENV, Context

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
    app.run()
    return int(app.return_code or 0)
