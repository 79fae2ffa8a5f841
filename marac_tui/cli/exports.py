"""`export` and `summary`: outputs the meeting can use, from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from marac_tui.cli.context import Context, add_id_argument
from marac_tui.errors import UserError

FORMATS = ("json", "md", "docx", "csv", "sealed")
AUDIENCES = ("meeting", "internal")
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
SUFFIXES = {".json": "json", ".md": "md", ".markdown": "md", ".docx": "docx", ".csv": "csv", ".age": "sealed"}


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help="export a submission (or, with --all, the coordinator's CSV list) to a file",
        description="Write a submission as a Word research form, Markdown, JSON or a CSV row. "
        "The meeting audience (default) leaves out every answer marked withhold.",
    )
    export.add_argument("id", nargs="?", help="submission id (or a unique prefix of it)")
    export.add_argument("--all", action="store_true", help="every submission, one CSV row each")
    export.add_argument("--format", choices=FORMATS, help="default: from the --out suffix, else json")
    export.add_argument("--out", required=True, metavar="PATH", help="file to write (0600; not overwritten)")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.add_argument(
        "--audience",
        choices=AUDIENCES,
        default="meeting",
        help="meeting: shared answers only (default); internal: everything, withheld items with their reasons",
    )
    export.add_argument("--marking", default=DEFAULT_MARKING, metavar="TEXT", help="protective marking (docx, md)")
    export.add_argument("--schema-out", metavar="PATH", help="with --format json: also write the JSON Schema")
    export.add_argument("--recipient", metavar="NAME.pub",
                        help="with --format sealed: the coordinator's public key; only their key opens the file")  # fmt: skip
    export.set_defaults(handler=export_command)

    summary = commands.add_parser(
        "summary", parents=[common], help="print the Chair's one-page summary of a submission"
    )
    add_id_argument(summary)
    summary.add_argument("--format", choices=("text", "md"), default="text")
    summary.add_argument("--marking", default=DEFAULT_MARKING, metavar="TEXT", help="protective marking")
    summary.add_argument("--out", metavar="PATH", help="write to a file (0600) instead of printing")
    summary.add_argument("--force", action="store_true", help="with --out: overwrite an existing file")
    summary.set_defaults(handler=summary_command)


def _marking(text: str) -> str:
    marking = " ".join(text.split())
    if not marking or len(marking) > 80:
        raise UserError("--marking: give a protective marking of 1 to 80 characters, e.g. OFFICIAL-SENSITIVE")
    return marking


def _format(args: argparse.Namespace) -> str:
    return args.format or SUFFIXES.get(Path(args.out).suffix.lower(), "json")


def export_command(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.export import export_submission
    from marac_tui.export.writer import write_private

    if args.out.strip() in ("", "-"):
        raise UserError("--out: give a file name; exports are not written to standard output")
    fmt = _format(args)
    marking = _marking(args.marking)
    if args.schema_out and fmt != "json":
        raise UserError(f"--schema-out goes with --format json, not {fmt}")
    if (fmt == "sealed") != bool(args.recipient):
        raise UserError("--format sealed needs --recipient NAME.pub" if args.recipient is None
                        else f"--recipient goes with --format sealed, not {fmt}")  # fmt: skip
    if args.all:
        if args.id:
            raise UserError("give a submission id or --all, not both")
        if fmt != "csv":
            raise UserError(f"--all writes the coordinator's list: use --format csv (not {fmt})")
        return _export_all(args, ctx)
    if not args.id:
        raise UserError("give the id of the submission to export (see `marac-tui list`), or --all")
    submission = ctx.store.load(args.id)
    if fmt == "sealed":
        return _export_sealed(args, ctx, submission)
    path = export_submission(submission, fmt, args.audience, args.out, force=args.force, marking=marking)
    ctx.print(f"wrote {path} ({fmt}, {args.audience} audience)")
    if args.schema_out:
        import json

        from marac_tui.submission import submission_schema

        schema = (json.dumps(submission_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        ctx.print(f"wrote {write_private(Path(args.schema_out), schema, force=args.force)} (JSON Schema)")
    return 0


def _export_sealed(args: argparse.Namespace, ctx: Context, submission: Any) -> int:
    """The meeting copy (JSON), sealed to the coordinator's public key in the age format."""
    from marac_tui.export import render
    from marac_tui.export.writer import write_private
    from marac_tui.pack.sealed import load_recipient, seal

    if args.audience != "meeting":
        raise UserError("a sealed copy is the meeting copy: leave out --audience internal")
    recipient = load_recipient(Path(args.recipient))
    path = write_private(Path(args.out), seal(render(submission, None, "json", "meeting"), recipient), force=args.force)
    ctx.print(f"wrote {path} (meeting copy, sealed for {Path(args.recipient).name})")
    return 0


def _export_all(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.export.csv_export import render_csv
    from marac_tui.export.writer import write_private

    store = ctx.store
    submissions = [store.load(row.id) for row in store.list()]
    path = write_private(Path(args.out), render_csv(submissions, args.audience), force=args.force)
    ctx.print(f"wrote {path} ({len(submissions)} submission{'s' if len(submissions) != 1 else ''})")
    return 0


def summary_command(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.export.content import flow_for
    from marac_tui.export.summary import build_summary, render_summary_markdown, render_summary_text

    submission = ctx.store.load(args.id)
    summary = build_summary(submission, flow_for(submission), marking=_marking(args.marking))
    text = render_summary_markdown(summary) if args.format == "md" else render_summary_text(summary)
    if args.out:
        from marac_tui.export.writer import write_private

        ctx.print(f"wrote {write_private(Path(args.out), text.encode('utf-8'), force=args.force)}")
    else:
        ctx.print(text.rstrip("\n"))
    return 0
