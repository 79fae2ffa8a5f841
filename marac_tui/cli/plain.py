"""`marac-tui plain`: the interview as a plain, line-by-line conversation on stdin and stdout, for
screen readers, braille displays and scripts (see marac_tui/plain)."""

from __future__ import annotations

import argparse
from typing import Any

from marac_tui.cli.context import Context


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    plain = commands.add_parser(
        "plain",
        parents=[common],
        help="the interview as plain lines, for screen readers, braille displays and scripts",
        description="The interview, one line at a time: no colour, no cursor movement, nothing redrawn. "
        "With no ID or option, asks which flow to start.",
    )
    target = plain.add_mutually_exclusive_group()
    target.add_argument("id", nargs="?", help="resume this draft (its id, or a unique prefix of it)")
    target.add_argument("--flow", metavar="NAME", help="start a new submission with this flow")
    target.add_argument("--training", metavar="SCENARIO", help="start a training run of this fictional scenario")
    plain.add_argument("--agency", metavar="FLOW", help="with --training: the agency's part of a multi-agency scenario")
    plain.set_defaults(handler=run_plain)


def run_plain(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.plain.lines import Lines
    from marac_tui.plain.start import open_session

    lines = Lines()
    command = "marac-tui plain" if ctx.data_dir is None else f"marac-tui --data-dir {ctx.data_dir} plain"
    session, opening = open_session(
        ctx.store, lines, submission_id=args.id, flow_name=args.flow, training=args.training, agency=args.agency,
        resume_command=command,
    )
    return session.run(opening)
