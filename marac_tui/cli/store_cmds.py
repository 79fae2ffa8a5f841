"""`init`, `history`, `finalise`, `reopen`, `import`, `delete`, `purge` and `doctor`: looking after the store."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from marac_tui.cli.context import Context, add_id_argument, new_passphrase
from marac_tui.cli.output import error_line, safe
from marac_tui.errors import UserError


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    init = commands.add_parser("init", parents=[common], help="create the store (0700), optionally encrypted")
    init.add_argument("--encrypt", action="store_true", help="encrypt at rest; passphrase asked twice or from $MARAC_TUI_PASSPHRASE")
    init.set_defaults(handler=init_store)

    history = commands.add_parser("history", parents=[common], help="show the audit trail of a submission")
    add_id_argument(history)
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=show_history)

    finalise = commands.add_parser("finalise", parents=[common], help="lock a submission against changes")
    add_id_argument(finalise)
    finalise.add_argument("--by", metavar="NAME", help="who finalises (default: the submission's representative)")
    finalise.set_defaults(handler=finalise_submission)

    reopen = commands.add_parser("reopen", parents=[common], help="make a finalised submission editable again")
    add_id_argument(reopen)
    reopen.add_argument("--reason", required=True, metavar="TEXT", help="why it is reopened (kept in the audit trail)")
    reopen.add_argument("--by", metavar="NAME", help="who reopens (default: the submission's representative)")
    reopen.set_defaults(handler=reopen_submission)

    imp = commands.add_parser("import", parents=[common], help="import JSON submissions (files or folders)")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="a submission .json file, or a folder of them")
    imp.set_defaults(handler=import_submissions)

    delete = commands.add_parser("delete", parents=[common], help="delete a submission and its audit trail")
    add_id_argument(delete)
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=delete_submission)

    purge = commands.add_parser("purge", parents=[common], help="delete submissions not changed for DAYS days")
    purge.add_argument("--older-than", required=True, type=_days, metavar="DAYS")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge.set_defaults(handler=purge_submissions)

    doctor = commands.add_parser("doctor", parents=[common], help="check the store; --repair to recover")
    doctor.add_argument("--repair", action="store_true", help="restore last good copies, rebuild the index, fix modes")
    doctor.set_defaults(handler=run_doctor)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if days < 0:
        raise argparse.ArgumentTypeError("days cannot be negative")
    return days


def confirm(question: str, yes: bool) -> bool:
    """True when --yes was given or the user answers y; refuses without a terminal to ask on."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UserError("refusing to delete without confirmation: not a terminal; pass --yes")
    return input(f"{safe(question)} [y/N] ").strip().lower() in ("y", "yes")


def init_store(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.store import Store

    if args.encrypt and Store.needs_passphrase(ctx.root):
        raise UserError(f"the store at {ctx.root} is already encrypted")
    store = Store.init(ctx.root, new_passphrase() if args.encrypt else None)
    if store.encrypted:
        ctx.print(f"encrypted store ready at {ctx.root} (AES-256-GCM, key from scrypt)")
        ctx.print("The passphrase is not stored anywhere: without it the submissions cannot be read.")
    else:
        ctx.print(f"store ready at {ctx.root}")
    return 0


def show_history(args: argparse.Namespace, ctx: Context) -> int:
    entries = ctx.store.history(args.id)
    if args.json:
        ctx.print_json([e.to_json() for e in entries])
    else:
        for entry in entries:
            ctx.print(entry.describe())
    return 0


def finalise_submission(args: argparse.Namespace, ctx: Context) -> int:
    submission = ctx.store.finalise(args.id, actor=args.by)
    ctx.print(f"finalised {submission.id}: locked against changes (reopen it with `marac-tui reopen`)")
    return 0


def reopen_submission(args: argparse.Namespace, ctx: Context) -> int:
    submission = ctx.store.reopen(args.id, actor=args.by, reason=args.reason)
    ctx.print(f"reopened {submission.id} as a draft (recorded in its history)")
    return 0


def _json_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    files, refused = [], []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            files += found
            if not found:
                refused.append(f"{path}: folder holds no .json files")
        elif path.is_file():
            files.append(path)
        else:
            refused.append(f"{path}: no such file or folder")
    return files, refused


MAX_IMPORT_BYTES = 16 * 1024 * 1024
FLOW_NAME = re.compile(r"[a-z][a-z0-9_]*")  # a flow's name (flows/NAME.yaml), never a path


def _read_submission(path: Path):  # noqa: ANN202
    """A submission from a JSON file, checked before it is trusted: size, nesting, text, schema
    version and flow name first, then the whole schema. UserError naming the file otherwise."""
    from pydantic import ValidationError

    from marac_tui import submission as model
    from marac_tui.flow.values import lone_surrogate

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise UserError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB; not a submission")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, or nesting past the parser's depth
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        raise UserError(f"{path}: not valid JSON: {problem}") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: not a submission (a JSON object with id, flow, header, answers...)")
    where = lone_surrogate(data)
    if where is not None:
        raise UserError(f"{path}: {where}: holds a lone surrogate, which is not text")
    version = data.get("schema_version", 1)
    if type(version) is not int or not 1 <= version <= model.SCHEMA_VERSION:
        raise UserError(
            f"{path}: schema_version {safe(json.dumps(version))[:20]} is not one this marac-tui reads "
            f"(1 to {model.SCHEMA_VERSION}); upgrade marac-tui to import it"
        )
    flow = data.get("flow")
    name = flow.get("name") if isinstance(flow, dict) else None
    if not isinstance(name, str) or not FLOW_NAME.fullmatch(name):
        raise UserError(f"{path}: flow.name must be a flow's name (like police), not {safe(json.dumps(name))[:60]}")
    try:
        return model.Submission.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise UserError(f"{path}: not a valid submission: {where}: {first['msg']}") from None


def import_submissions(args: argparse.Namespace, ctx: Context) -> int:
    files, refused = _json_files(args.paths)
    imported = 0
    store = ctx.store  # a store that cannot be opened is one error, not one per file
    for path in files:
        try:
            store.import_submission(_read_submission(path), source=str(path))
        except (UserError, OSError) as exc:  # refused, or a disk error: the other files are still tried
            from marac_tui.cli import describe_error

            refused.append(describe_error(exc))
            continue
        imported += 1
        ctx.print(f"imported {path}")
    for reason in refused:
        error_line(reason)
    ctx.print(f"{imported} imported, {len(refused)} refused")
    return 2 if refused else 0


def delete_submission(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store
    sid = store.resolve(args.id)
    row = next((r for r in store.list() if r.id == sid), None)
    what = f"{sid} ({row.case_ref or 'no case ref'}, last changed {row.updated_at[:10]})" if row else sid
    if not confirm(f"Delete submission {what} and its history? This cannot be undone.", args.yes):
        ctx.print("nothing deleted")
        return 0
    store.delete(sid)
    ctx.print(f"deleted {sid}")
    return 0


def purge_submissions(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store
    cutoff = datetime.now(timezone.utc) - timedelta(days=args.older_than)
    old = [r for r in store.list() if _as_utc(datetime.fromisoformat(r.updated_at)) < cutoff]
    if not old:
        ctx.print(f"no submission unchanged for more than {args.older_than} days")
        return 0
    question = f"Delete {len(old)} submission(s) not changed since {cutoff:%Y-%m-%d %H:%M} UTC, with their history?"
    if not confirm(question, args.yes):
        ctx.print("nothing deleted")
        return 0
    skipped = store.delete_many([row.id for row in old])
    for exc in skipped:
        error_line(exc, prefix="skipped")
    ctx.print(f"{len(old) - len(skipped)} deleted, {len(skipped)} skipped")
    return 2 if skipped else 0


def _as_utc(when: datetime) -> datetime:
    """A timestamp without a zone is taken as UTC (as import does)."""
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def run_doctor(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.store.health import check

    ctx.warn_permissions = False
    findings = check(ctx.store, repair=args.repair)
    for finding in findings:
        ctx.print(finding.describe())
    left = [f for f in findings if not f.repaired]
    if not findings:
        ctx.print(f"store at {ctx.root} is healthy")
    elif left:
        hint = "" if args.repair else " (run `marac-tui doctor --repair`)"
        ctx.print(f"{len(left)} problem(s) left{hint}")
    else:
        ctx.print(f"all {len(findings)} problem(s) repaired")
    return 1 if left else 0
