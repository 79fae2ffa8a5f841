"""`marac-tui flows` and `marac-tui flow show|check|diagram`: the flow files."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from marac_tui.cli.context import Context
from marac_tui.cli.output import safe


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    listing = commands.add_parser("flows", parents=[common], help="list the available flows")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=list_flows)

    flow = commands.add_parser("flow", parents=[common], help="inspect or validate a flow file")
    actions = flow.add_subparsers(title="flow commands", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=[common], help="print a compiled flow")
    show.add_argument("name", help="flow name (see `marac-tui flows`) or path to a flow file")
    show.add_argument("--json", action="store_true", help="print the compiled flow as JSON")
    show.set_defaults(handler=show_flow)
    check = actions.add_parser("check", parents=[common], help="validate flow files (exit 2 on problems)")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.set_defaults(handler=check_flows)
    diagram = actions.add_parser("diagram", parents=[common], help="print a flow as a Mermaid state diagram")
    diagram.add_argument("name", help="flow name (see `marac-tui flows`) or path to a flow file")
    diagram.add_argument(
        "--trigger",
        action="append",
        choices=["answer", "skip", "back"],
        help="show only these moves (repeatable; default: all three)",
    )
    diagram.set_defaults(handler=diagram_flow)


def list_flows(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.flow.loader import available_flows, load_named

    rows = [load_named(name) for name in available_flows()]
    if args.json:
        ctx.print_json(
            [{"name": f.name, "title": f.title, "version": f.version, "agency": f.agency,
              "description": f.description} for f in rows]  # fmt: skip
        )
    else:
        width = max((len(f.name) for f in rows), default=0)
        for f in rows:
            ctx.print(f"{f.name:<{width}}  {f.version:<6} {f.title}")
    return 0


def flow_json(flow: Any) -> dict[str, Any]:
    """The compiled flow as plain data (prompt files already read in)."""
    return flow.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def show_flow(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.flow.loader import load_named

    flow = load_named(args.name, paths=True)
    if args.json:
        ctx.print_json(flow_json(flow))
        return 0
    ctx.print(f"{flow.title} ({flow.name} {flow.version})")
    for section in flow.sections:
        loop = "  [once per perpetrator]" if section.scope == "perpetrator" else ""
        ctx.print(f"\n{section.title}{loop}")
        for item in section.items:
            when = f"  (when {item.when})" if item.when else ""
            ctx.print(f"  {item.id:<24} {item.kind.value:<12}{when}")
    return 0


def check_flows(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.flow.loader import check_flow

    failed = False
    for path in args.paths:
        flow, problems = check_flow(path)
        for problem in problems:
            print(safe(problem), file=sys.stderr)
        if flow is None:
            failed = True
        else:
            count = len(flow.all_items())
            ctx.print(f"{path}: ok ({flow.name} {flow.version}, {len(flow.sections)} sections, {count} items)")
    return 2 if failed else 0


def diagram_flow(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.errors import UserError
    from marac_tui.engine.diagram import TRIGGERS, mermaid
    from marac_tui.flow.loader import FlowError, load_named

    try:
        flow = load_named(args.name, paths=True)
    except FlowError as exc:
        raise UserError(f"the flow has problems (run `marac-tui flow check`): {exc.problems[0]}") from None
    ctx.print(mermaid(flow, args.trigger or TRIGGERS))
    return 0
