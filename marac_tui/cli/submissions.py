"""`schema`, `run`, `list` and `show`: submissions from the command line (`export` is in cli/exports.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from marac_tui.cli.context import Context, add_id_argument
from marac_tui.cli.output import error_line, safe
from marac_tui.errors import UserError


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    schema = commands.add_parser("schema", parents=[common], help="print the JSON Schema of a submission")
    schema.add_argument("--pack", action="store_true", help="the meeting pack's schema instead")
    schema.set_defaults(handler=print_schema)

    run = commands.add_parser("run", parents=[common], help="answer a flow headlessly from a YAML answers file")
    run.add_argument("--flow", required=True, help="flow name or path to a flow file")
    run.add_argument("--answers", required=True, metavar="FILE.yaml", help="item ids mapped to answers")
    run.set_defaults(handler=run_headless)

    listing = commands.add_parser("list", parents=[common], help="list submissions")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_submissions)

    show = commands.add_parser("show", parents=[common], help="show one submission")
    add_id_argument(show)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_submission)


def print_schema(args: argparse.Namespace, ctx: Context) -> int:
    if args.pack:
        from marac_tui.pack.model import pack_schema

        ctx.print_json(pack_schema())
        return 0
    from marac_tui.submission import submission_schema

    ctx.print_json(submission_schema())
    return 0


def _read_answers(path: Path) -> Any:
    from marac_tui.flow.loader import YamlError, read_yaml
    from marac_tui.flow.values import lone_surrogate

    try:
        data = read_yaml(path)
    except YamlError as exc:
        raise UserError(f"{path}:{exc.line}: {exc.message}") from None
    where = lone_surrogate(data)
    if where is not None:
        raise UserError(f"{path}: {where}: holds a lone surrogate, which is not text; nothing was saved")
    return data if data is not None else {}


def run_headless(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.engine.headless import AnswersError, run_answers
    from marac_tui.engine.interview import Interview
    from marac_tui.flow.loader import FlowError, load_named

    path = Path(args.answers)
    data = _read_answers(path)
    try:
        flow = load_named(args.flow, paths=True)
    except FlowError as exc:
        raise UserError(str(exc.problems[0])) from None
    store = ctx.store
    interview = Interview(flow, on_change=lambda iv, changes: store.save(iv.submission, changes), prefill=False)

    def kept() -> str:
        sid = str(interview.submission.id)
        return f" (what came before is saved as draft {sid})" if store.path(sid).exists() else " (nothing was saved)"

    try:
        run_answers(interview, data, warn=lambda w: error_line(w, prefix="warning"))
        store.save(interview.submission)
    except AnswersError as exc:
        raise UserError(f"{path}: {exc}{kept()}") from None
    except (UserError, OSError, RecursionError, MemoryError) as exc:
        from marac_tui.cli import describe_error

        raise UserError(f"{describe_error(exc)}{kept()}") from None
    ctx.print(str(interview.submission.id))
    return 0


def list_submissions(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.store.list()
    if args.json:
        ctx.print_json([r.to_json() for r in rows])
        return 0
    if not rows:
        ctx.print(f"no submissions in {ctx.root}")
        return 0
    editing = ctx.store.editing()
    ctx.print(f"{'ID':<36}  {'CASE REF':<16} {'FLOW':<10} {'STATUS':<11} UPDATED")
    for r in rows:
        state = r.state + ("*" if r.id in editing else "")
        ctx.print(f"{r.id:<36}  {r.case_ref[:16]:<16} {r.flow:<10} {state:<11} {r.updated_at[:16].replace('T', ' ')}")
    for sid, holder in editing.items():
        ctx.print(f"* {sid[:8]} is open for editing by {holder.describe()}")
    return 0


def show_submission(args: argparse.Namespace, ctx: Context) -> int:
    submission = ctx.store.load(args.id)
    holder = ctx.store.holder(str(submission.id))
    if holder is not None:
        error_line(f"being edited by {holder.describe()}; this may change", prefix="note")
    if args.json:
        ctx.print_json(submission.to_json())
        return 0
    from marac_tui.export.text import render_text

    ctx.print(render_text(submission))
    return 0

