"""`marac-tui` with no command: the Textual app."""

from __future__ import annotations

import argparse
from typing import Any

from marac_tui.cli.context import Context


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    app = commands.add_parser("app", parents=[common], help="open the app (the default)")
    app.set_defaults(handler=open_app)


def open_app(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.tui.app import build_app

    build_app(ctx.store).run()
    return 0
