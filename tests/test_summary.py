"""The Chair's one-page summary: who, the risks and the answers behind them, actions, gaps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from test_export_cases import build, with_name

from marac_tui.export.summary import WIDTH, build_summary, render_summary_markdown, render_summary_text
from marac_tui.flow.loader import load_named
from marac_tui.store import Store
from marac_tui.submission import Status

SERIAL_PROMPT = load_named("police").item("serial_perpetrator").prompt


def test_summary_data_has_each_flag_with_only_shared_evidence_actions_and_gaps() -> None:
    submission = build()
    summary = build_summary(submission, load_named("police"))
    assert (summary.case_ref, summary.marac_date, summary.marking) == ("MC-2026-0917", "10 Dec 2026", "OFFICIAL-SENSITIVE")
    corwin, belinda = summary.perpetrators
    assert (corwin.name, belinda.name) == ("Corwin Ashgrove", "Belinda Strake")

    assert [(r.title, [(e.label, e.text) for e in r.evidence]) for r in corwin.risks] == [
        ("Serial perpetrator", [(SERIAL_PROMPT, "Yes")])
    ]
    # Belinda's flag was raised by a withheld answer: the Chair sees the flag, and no quotation.
    assert [(r.title, r.evidence) for r in belinda.risks] == [("Serial perpetrator", [])]

    actions = {h.title: [(a.text, a.agency, a.addresses) for a in h.actions] for h in corwin.actions}
    assert actions == {
        "Enforce": [],
        "Disrupt": [],
        "Manage": [("Refer for multi-agency management as a serial perpetrator", "Police", ["Serial perpetrator"])],
        "Support & change": [("Offer a place on a behaviour-change programme", "Probation", [])],
    }
    assert corwin.gaps == [] and belinda.gaps == ["Serial perpetrator"]

    flow = load_named("police")
    for brief, perpetrator in zip(summary.perpetrators, submission.perpetrators, strict=True):
        expected = [
            flow.item(k).prompt for k, a in perpetrator.answers.items() if a.status == Status.not_checked and a.share
        ]
        assert brief.not_checked == expected
        assert sum(count for _, count in brief.not_checked_areas) == len(expected)


def test_summary_text_lists_every_flag_and_gap_on_one_page_without_withheld_text() -> None:
    submission = build()
    text = render_summary_text(build_summary(submission, load_named("police")))
    assert "SECRET" not in text and "Harrowgate" not in text
    lines = text.splitlines()
    assert lines[0] == "CHAIR'S SUMMARY · OFFICIAL-SENSITIVE"
    assert "Alleged perpetrators (2): Corwin Ashgrove; Belinda Strake" in text
    assert "1. CORWIN ASHGROVE" in lines and "2. BELINDA STRAKE" in lines
    assert text.count("! Serial perpetrator") == 2
    assert f"{SERIAL_PROMPT} — Yes" in " ".join(line.strip() for line in lines)
    assert "  No action addresses: Serial perpetrator" in lines
    assert "No actions under: Enforce, Disrupt" in text
    assert "Not checked" in text
    assert len(lines) <= 60 and max(map(len, lines)) <= WIDTH


def test_summary_markdown_is_escaped_and_has_the_same_content() -> None:
    submission = build(with_name("[red]# Zed | *Ward*"))
    text = render_summary_markdown(build_summary(submission, load_named("police")))
    html = MarkdownIt("commonmark").render(text)
    assert "<h2>1. [red]# Zed | *Ward*</h2>" in html
    assert "No action addresses: Serial perpetrator" in html
    assert "SECRET" not in text


def test_summary_command_prints_the_plain_text(data_dir: Path) -> None:
    submission = build(with_name("Nyx \x1b[2J Fairweather"))
    Store(data_dir).save(submission)
    env = {**os.environ, "MARAC_TUI_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "marac_tui", "summary", str(submission.id)[:8]],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == render_summary_text(build_summary(submission, load_named("police")))
    assert "\x1b" not in done.stdout and "NYX \\X1B[2J FAIRWEATHER" in done.stdout


def test_summary_to_a_file_is_private_and_not_overwritten(data_dir: Path, tmp_path: Path, capsys) -> None:
    from marac_tui.cli import main

    submission = build()
    Store(data_dir).save(submission)
    out = tmp_path / "chair.md"
    assert main(["summary", str(submission.id), "--format", "md", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_summary_markdown(build_summary(submission, load_named("police")))
    assert out.stat().st_mode & 0o777 == 0o600
    assert main(["summary", str(submission.id), "--out", str(out)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err


def test_a_draft_with_research_not_done_never_reads_as_no_gaps() -> None:
    from marac_tui.engine.interview import Interview
    from marac_tui.export.markdown import render_markdown
    from marac_tui.export.report import build_report

    flow = load_named("police")
    interview = Interview(flow, prefill=False)
    answers = {"case_ref": "MC-2026-0918", "marac_date": "2026-12-10", "representative": "DC Ottilie Brambleworth",
               "agency": "Eastmere Police", "more_than_one": "no", "full_name": "Corvin Ashdale"}
    while interview.state != "relationship_to_victim":
        interview.answer(answers[interview.state]) if interview.state in answers else interview.skip()
    summary = build_summary(interview.submission, flow)
    text = render_summary_text(summary)
    assert "Gaps\n  none" not in text
    assert "Not checked (" in text and "items)" in text  # every research item is still to do
    form = render_markdown(build_report(interview.submission, flow, "meeting"))
    assert "No gaps" not in form and "Not checked (" in form
