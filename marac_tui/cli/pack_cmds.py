"""`pack`, `matches` and `keys`: the meeting pack, the same person in other cases, and the
coordinator's key pair for sealed hand-over."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from marac_tui.cli.context import Context, add_id_argument
from marac_tui.errors import UserError

PACK_FORMATS = ("md", "docx", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".docx": "docx", ".json": "json"}


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    pack = commands.add_parser(
        "pack",
        parents=[common],
        help="the meeting pack: every agency's shared research on one case, as the Chair's brief",
        description="Join the store's submissions with CASE_REF, other agencies' meeting exports (JSON) and "
        "sealed files into one brief: each alleged perpetrator matched across agencies, their risk flags "
        "with who raised them, conflicts, research no agency checked, actions, and who is absent. "
        "Internal copies are refused.",
    )
    pack.add_argument("case_ref", metavar="CASE_REF", help="the MARAC case reference, e.g. MC-2026-0142")
    pack.add_argument("--from", dest="files", nargs="+", action="extend", default=[], metavar="FILE",
                      help="other agencies' meeting exports (JSON) or sealed files")  # fmt: skip
    pack.add_argument("--identity", metavar="KEY", help="your age key (NAME.key) to open sealed files")
    pack.add_argument("--format", choices=PACK_FORMATS, help="default: from the --out suffix, else md")
    pack.add_argument("--out", required=True, metavar="PATH", help="file to write (0600; not overwritten)")
    pack.add_argument("--force", action="store_true", help="overwrite an existing file")
    pack.add_argument("--marking", default="OFFICIAL-SENSITIVE", metavar="TEXT", help="protective marking")
    pack.add_argument("--expected", metavar="FILE", help="the agencies expected at this MARAC (YAML)")
    pack.add_argument("--meeting", metavar="DATE", help="the meeting date (default: the latest in the submissions)")
    pack.add_argument("--confirm", nargs=2, action="append", default=[], metavar=("REF", "REF"),
                      help="the Chair confirms two records are one person (REF as the pack shows it: id/number)")
    pack.add_argument("--split", nargs=2, action="append", default=[], metavar=("REF", "REF"),
                      help="the Chair splits two matched records into two people")  # fmt: skip
    pack.add_argument("--no-store", action="store_true", help="use only the --from files, not the store")
    pack.add_argument("--training", action="store_true", help="include training runs with this case reference")
    pack.set_defaults(handler=pack_command)

    matches = commands.add_parser(
        "matches",
        parents=[common],
        help="other submissions in the store that appear to hold the same person",
        description="For each alleged perpetrator of the submission: other stored submissions that appear to "
        "be the same person, by name, date of birth and aliases (a serial perpetrator, or a repeat MARAC).",
    )
    add_id_argument(matches)
    matches.add_argument("--json", action="store_true")
    matches.set_defaults(handler=matches_command)

    keys = commands.add_parser("keys", parents=[common], help="the coordinator's key pair for sealed files")
    actions = keys.add_subparsers(title="actions", metavar="ACTION", required=True)
    new = actions.add_parser("new", parents=[common], help="write NAME.key (private, 0600) and NAME.pub")
    new.add_argument("name", metavar="NAME", help="the key pair's name or path, e.g. coordinator")
    new.add_argument("--force", action="store_true", help="replace an existing pair (files sealed to it are lost)")
    new.set_defaults(handler=keys_new)


def _safe(text: Any, limit: int | None = None) -> str:
    from marac_tui.export.content import one_line

    return one_line(text, limit)


def _pack_format(args: argparse.Namespace) -> str:
    return args.format or SUFFIXES.get(Path(args.out).suffix.lower(), "md")


def pack_command(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.cli.exports import _marking
    from marac_tui.export.writer import write_private
    from marac_tui.flow.values import parse_date
    from marac_tui.pack import make_pack
    from marac_tui.pack.decisions import save_decisions
    from marac_tui.pack.render import render_pack
    from marac_tui.pack.sealed import load_identity

    if args.out.strip() in ("", "-"):
        raise UserError("--out: give a file name; a pack is not written to standard output")
    if not args.case_ref.strip():
        raise UserError("CASE_REF: give the case reference, e.g. MC-2026-0142")
    if args.no_store and (args.confirm or args.split):
        raise UserError("--confirm and --split are kept in the store: leave out --no-store")
    fmt = _pack_format(args)
    marking = _marking(args.marking)
    try:
        meeting = parse_date(args.meeting) if args.meeting else None
    except ValueError as exc:
        raise UserError(f"--meeting: {exc}") from None
    identity = load_identity(Path(args.identity)) if args.identity else None
    store = None if args.no_store else ctx.store
    decide = [("confirm", a, b) for a, b in args.confirm] + [("split", a, b) for a, b in args.split]
    made = make_pack(args.case_ref, store, [Path(f) for f in args.files], identity, decide=decide,
                     expected=Path(args.expected) if args.expected else None, marking=marking,
                     include_training=args.training, meeting=meeting)  # fmt: skip
    if made.refused:
        for line in made.refused:
            print(f"marac-tui: error: {_safe(line)}", file=sys.stderr)
        count = len(made.refused)
        print(f"marac-tui: error: no pack written ({count} file{'s' if count != 1 else ''} refused)", file=sys.stderr)
        return 2
    pack = made.pack
    if not pack.contributors:
        where = "the --from files" if args.no_store else f"the store ({ctx.root}) or the --from files"
        raise UserError(f"nothing shared on case {_safe(args.case_ref, 40)} in {where}")
    path = write_private(Path(args.out), render_pack(pack, fmt), force=args.force)
    if decide:
        save_decisions(store, args.case_ref, made.decisions)
    ctx.print(f"wrote {_safe(path)} ({fmt}): {_tally(pack)}")
    for note in pack.notes:
        ctx.print(f"note: {_safe(note)}")
    return 0


def _tally(pack: Any) -> str:
    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    conflicts = sum(len(p.conflicts) for p in pack.people)
    return ", ".join([
        n(len(pack.contributors), "submission", "submissions"),
        n(len(pack.people), "alleged perpetrator", "alleged perpetrators"),
        n(conflicts, "conflict", "conflicts"),
        n(len(pack.absent), "expected agency", "expected agencies") + " not round the table",
    ])  # fmt: skip


def matches_command(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.pack.same_person import find_elsewhere
    from marac_tui.pack.wording import day, record_key

    store = ctx.store
    submission = store.load(args.id)
    found = find_elsewhere(store, submission)
    if args.json:
        ctx.print_json([f.to_json() for f in found])
        return 0
    names = [p.name("full_name", i) for i, p in enumerate(submission.perpetrators)]
    for index, name in enumerate(names):
        mine = [f for f in found if f.perpetrator == index]
        who = _safe(name, 60)
        if not mine:
            ctx.print(f"{who}: no other submission in the store appears to be the same person")
            continue
        cases = len({f.case_ref for f in mine if f.case_ref != submission.header.case_ref})
        ctx.print(f"{who} may appear in {len(mine)} other submission{'s' if len(mine) != 1 else ''} "
                  f"({cases} other case{'s' if cases != 1 else ''}):")  # fmt: skip
        for f in mine:
            ctx.print(f"  {_safe(f.case_ref or '(no case ref)', 20):<20} {_safe(f.agency, 28):<28} "
                      f"{day(f.marac_date):<11}  {record_key(f.match.b)}  {_safe(', '.join(f.match.reasons))}")  # fmt: skip
    return 0


def keys_new(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.pack.sealed import new_keys

    key, pub = new_keys(args.name, force=args.force)
    ctx.print(f"wrote {_safe(key)} (your private key: keep it, never send it; 0600)")
    ctx.print(f"wrote {_safe(pub)} (the public key: give it to the agencies, for export --format sealed)")
    return 0
