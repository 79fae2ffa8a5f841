"""`scenarios`, `demo`, `check` and `compare`: trainer mode from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from marac_tui.cli.context import Context, add_id_argument
from marac_tui.errors import UserError


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    scenarios = commands.add_parser("scenarios", parents=[common], help="list the fictional training scenarios")
    scenarios.add_argument("name", nargs="?", help="show one scenario's brief and the systems to check")
    scenarios.add_argument("--agency", metavar="FLOW", help="with NAME: one agency's part of a multi-agency scenario")
    scenarios.add_argument("--system", metavar="SYSTEM", help="with NAME: show what this system holds (e.g. PNC)")
    scenarios.add_argument("--check", action="store_true", help="with NAME: practice-check the scenario's model (trainers)")
    scenarios.add_argument("--json", action="store_true")
    scenarios.set_defaults(handler=list_scenarios)

    demo = commands.add_parser("demo", parents=[common], help="start a training run on a fictional scenario")
    demo.add_argument("--scenario", metavar="NAME", help="scenario name (default: the introductory one)")
    demo.add_argument("--agency", metavar="FLOW", help="the agency's part to play in a multi-agency scenario (a flow name)")
    demo.add_argument("--no-tui", action="store_true", help="only create the training draft and print its id")
    demo.add_argument("--reset", metavar="ID", help="discard a training run's answers so it can be replayed")
    demo.set_defaults(handler=demo_run)

    check = commands.add_parser("check", parents=[common], help="practice check: advice on how a submission was researched")
    add_id_argument(check)
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=check_submission)

    compare = commands.add_parser("compare", parents=[common], help="compare a training run with the scenario's model")
    add_id_argument(compare)
    compare.add_argument("--scenario", metavar="NAME", help="scenario name (default: the one the run was started from)")
    compare.add_argument("--details", action="store_true", help="also list every item that lost points")
    compare.add_argument("--json", action="store_true")
    compare.set_defaults(handler=compare_submission)


def list_scenarios(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.training.scenarios import list_scenarios as scenarios

    if args.name:
        return show_scenario(args, ctx)
    if args.system or args.check or args.agency:
        raise UserError("--agency, --system and --check need a scenario name, e.g. marac-tui scenarios NAME --system PNC")
    rows = scenarios()
    if args.json:
        ctx.print_json(
            [{"name": s.name, "title": s.title, "flow": s.flow, "agencies": s.agencies(), "level": s.level,
              "summary": s.summary} for s in rows]  # fmt: skip
        )
        return 0
    if not rows:
        ctx.print("no training scenarios installed")
        return 0
    width = max(len(s.name) for s in rows)
    for s in rows:
        ctx.print(f"{s.name:<{width}}  level {s.level}  {s.title} — {' '.join(s.summary.split())}")
        if s.multi_agency:
            ctx.print(f"{'':<{width}}  agencies: {', '.join(s.agencies())}")
    ctx.print("\nAll scenarios are FICTIONAL. Start one with: marac-tui demo --scenario NAME")
    if any(s.multi_agency for s in rows):
        ctx.print("For a multi-agency scenario, choose your part: marac-tui demo --scenario NAME --agency FLOW")
    return 0


def show_scenario(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.training.scenarios import load_scenario

    scenario = load_scenario(args.name)
    agency = args.agency
    if agency is not None:
        scenario.part(agency)  # an unknown agency is one clear line
    if args.check:
        return check_model(scenario, args, ctx)
    if args.system:
        screens = scenario.screens(args.system, agency)
        if not screens:
            systems = ", ".join(scenario.systems(agency))
            raise UserError(f"scenario {scenario.name!r} has no system {args.system!r}; systems: {systems}")
        if args.json:
            ctx.print_json([s.model_dump() for s in screens])
            return 0
        for screen in screens:
            who = f" — {screen.subject}" if screen.subject else ""
            ctx.print(f"=== {screen.system}{who} (FICTIONAL) ===\n{screen.screen.rstrip()}\n")
        return 0
    if args.json:
        data = scenario.model_dump(exclude={"model", "anchors", "parts"})
        data["agencies"] = scenario.agencies()
        if scenario.multi_agency:
            data["parts"] = [p.model_dump(exclude={"model", "anchors"}) for p in scenario.parts]
        ctx.print_json(data)
        return 0
    if scenario.multi_agency and agency is None:
        ctx.print(f"{scenario.fictional}\n\n# {scenario.title}\n\n{scenario.brief.strip()}\n")
        ctx.print("Each agency has its own part, brief and systems:")
        for part in scenario.parts:
            ctx.print(f"  --agency {part.flow:<22} systems: {', '.join(scenario.systems(part.flow))}")
        ctx.print(f"\nRead one: marac-tui scenarios {scenario.name} --agency FLOW; play one: marac-tui demo "
                  f"--scenario {scenario.name} --agency FLOW")  # fmt: skip
        return 0
    ctx.print(f"{scenario.fictional}\n\n# {scenario.title}\n\n{scenario.brief_for(agency)}\n")
    ctx.print(f"Systems to check: {', '.join(scenario.systems(agency))}")
    return 0


def check_model(scenario: Any, args: argparse.Namespace, ctx: Context) -> int:
    """A trainer's check of a scenario they wrote: each model should draw no practice findings."""
    from marac_tui.training.check import practice_check

    agencies = [args.agency] if getattr(args, "agency", None) else scenario.agencies()
    findings = {a: practice_check(scenario.model_submission(a), scenario.load_flow(a)) for a in agencies}
    if args.json:
        rows = [{**f.to_json(), "agency": a} for a, found in findings.items() for f in found]
        ctx.print_json(rows)
        return 0
    for agency, found in findings.items():
        model = f"the {agency} model" if scenario.multi_agency else "the model"
        if not found:
            ctx.print(f"{scenario.path}: {model} runs through the engine and the practice check is quiet.")
        for finding in found:
            who = "case" if finding.perpetrator is None else f"perpetrator {finding.perpetrator + 1}"
            ctx.print(f"{scenario.path}: {model}, {who}: {finding.title}: {_safe(finding.message)}")
    return 0


def demo_run(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.training.scenarios import list_scenarios as scenarios
    from marac_tui.training.scenarios import load_scenario, reset_training, start_training, training_text

    if args.reset:
        fresh = reset_training(ctx.store, args.reset)
        ctx.print(f"Training run {str(fresh.id)[:8]} ({fresh.training}) reset: every answer discarded.")
        ctx.print("Open it from the home screen (marac-tui) to replay it.")
        return 0

    if args.scenario:
        scenario = load_scenario(args.scenario)
    else:
        shipped = scenarios()
        if not shipped:
            raise UserError("no training scenarios installed")
        scenario = shipped[0]
    agency = scenario.part(args.agency).flow  # several parts need --agency: one clear line names them
    ctx.print(training_text("intro.md"))
    ctx.print(f"\n{scenario.fictional}\n\n# {scenario.title}\n\n{scenario.brief_for(agency)}\n")
    if scenario.multi_agency:
        ctx.print(f"Your part: {scenario.load_flow(agency).title}. Systems to check: {', '.join(scenario.systems(agency))}\n")
    if args.no_tui:
        submission = start_training(ctx.store, scenario.name, agency)
        ctx.print(str(submission.id))
        return 0
    import os

    from marac_tui.cli.context import PASSPHRASE_ENV
    from marac_tui.store import Store
    from marac_tui.tui.app import build_app

    part = agency if scenario.multi_agency else None
    if Store.needs_passphrase(ctx.root) and not os.environ.get(PASSPHRASE_ENV):
        app = build_app(None, root=ctx.root, training=scenario.name, agency=part)  # the app asks for the passphrase
    else:
        app = build_app(ctx.store, training=scenario.name, agency=part)
    app.run()
    return int(app.return_code or 0)


def _submission_and_flow(ctx: Context, submission_id: str) -> tuple[Any, Any]:
    from marac_tui.flow.loader import FlowError, load_named

    submission = ctx.store.load(submission_id)
    try:
        flow = load_named(submission.flow.name)
    except FlowError as exc:
        raise UserError(str(exc.problems[0])) from None
    return submission, flow


def check_submission(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.training.check import practice_check

    submission, flow = _submission_and_flow(ctx, args.id)
    findings = practice_check(submission, flow)
    if args.json:
        ctx.print_json([f.to_json() for f in findings])
        return 0
    if not findings:
        ctx.print(f"Practice check for {submission.case_ref}: nothing to look at again.")
        return 0
    ctx.print(f"Practice check for {submission.case_ref}: {len(findings)} point(s) to look at (advice only)")
    name_item = flow.perpetrators.name_item
    rule = None
    for finding in findings:
        if finding.rule != rule:
            rule = finding.rule
            ctx.print(f"\n{finding.title}\n  Why: {finding.why}")
        who = (
            "case"
            if finding.perpetrator is None
            else submission.perpetrators[finding.perpetrator].name(name_item, finding.perpetrator)
        )
        ctx.print(f"  - [{_safe(who)}] {_safe(finding.message)}")
    return 0


def _safe(text: str) -> str:
    """User text for a terminal: control characters (ANSI escapes) never reach it."""
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(text.split()))


def compare_submission(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.training.compare import compare
    from marac_tui.training.debrief import render_debrief
    from marac_tui.training.scenarios import load_scenario

    submission, flow = _submission_and_flow(ctx, args.id)
    name = args.scenario or submission.training
    if not name:
        raise UserError(f"submission {str(submission.id)[:8]} is not a training run: name one with --scenario NAME")
    scenario = load_scenario(name)
    if submission.flow.name not in scenario.agencies():
        flows = ", ".join(scenario.agencies())
        raise UserError(f"scenario {scenario.name!r} has no part in flow {submission.flow.name!r} (it has: {flows})")
    model = scenario.model_submission(submission.flow.name)
    title = f"{scenario.title} ({flow.title})" if scenario.multi_agency else scenario.title
    comparison = compare(submission, model, flow, title=title)
    if args.json:
        ctx.print_json(comparison.to_json())
    else:
        ctx.print(render_debrief(comparison, details=args.details))
    return 0
