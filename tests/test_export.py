"""The research form and JSON exports: what the meeting gets, and what it must never get."""

from __future__ import annotations

import io
import json
import stat
from typing import Any

import docx
import jsonschema
import pytest
from markdown_it import MarkdownIt
from test_export_cases import CASE, build, with_name

from marac_tui.errors import UserError
from marac_tui.export import export_submission, render
from marac_tui.flow.loader import load_named
from marac_tui.flow.spec import Kind
from marac_tui.flow.values import display
from marac_tui.submission import Submission, submission_schema


def docx_text(data: bytes) -> tuple[str, str]:
    """(body text including nested tables, header and footer text) of a DOCX."""
    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []

    def walk_tables(tables: list[Any]) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    walk_tables(cell.tables)

    parts.extend(p.text for p in document.paragraphs)
    walk_tables(document.tables)
    margins = [p.text for s in document.sections for hf in (s.header, s.footer) for p in hf.paragraphs]
    return "\n".join(parts), "\n".join(margins)


def answer_texts(submission: Submission, shared: bool) -> list[str]:
    """What a reader should find for every (shared or withheld) answer, read through the flow."""
    flow = load_named("police")
    texts = []
    for answers in [submission.answers, *(p.answers for p in submission.perpetrators)]:
        for item_id, answer in answers.items():
            if answer.share != shared or answer.value is None:
                continue
            item = flow.item(item_id)
            if item.kind == Kind.repeat:
                fields = {f.id: f for f in item.fields or ()}
                texts += [display(fields[k], v) for entry in answer.value for k, v in entry.items()]
            elif item.kind == Kind.actions:
                texts += [a["text"] for a in answer.value]
            else:
                texts.append(display(item, answer.value))
            if not shared:
                texts.append(answer.withhold_reason)
    return texts


@pytest.fixture(scope="module")
def submission() -> Submission:
    return build()


def test_meeting_docx_has_the_marking_every_shared_answer_and_nothing_withheld(submission: Submission) -> None:
    body, margins = docx_text(render(submission, load_named("police"), "docx", "meeting"))
    assert "OFFICIAL-SENSITIVE" in margins
    for text in ["MC-2026-0917", "10 Dec 2026", "DS Oriel Penhallow", "Westmere Police Safeguarding Hub"]:
        assert text in body
    for text in answer_texts(submission, shared=True):
        assert text in body, text
    assert "Found · PNC · checked 19 Nov 2026 · Fact" in body
    assert "Professional opinion" in body
    assert "SECRET" not in body + margins
    assert "Information not shared" not in body
    distinctive = [t for t in answer_texts(submission, shared=False) if "SECRET" in t or t == "Previous surname"]
    assert len(distinctive) == 6  # alias, its type, detail and three reasons
    for text in distinctive:
        assert text not in body


def test_docx_shows_research_areas_risks_actions_under_headings_and_gaps(submission: Submission) -> None:
    document = docx.Document(io.BytesIO(render(submission, load_named("police"), "docx", "meeting")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Alleged perpetrator 1: Corwin Ashgrove" in headings
    assert "Alleged perpetrator 2: Belinda Strake" in headings
    for title in ["Personal details", "Serial perpetrator", "Risks for the Chair", "Proposed actions", "Gaps"]:
        assert title in headings
    assert [h for h in headings if h in ("Enforce", "Disrupt", "Manage", "Support & change")] == [
        "Enforce", "Disrupt", "Manage", "Support & change"
    ] * 2  # fmt: skip
    body, _ = docx_text(render(submission, load_named("police"), "docx", "meeting"))
    assert "No action addresses: Serial perpetrator" in body  # Belinda's risk has no action
    alias_tables = [t for t in document.tables for row in t.rows for c in row.cells for t in c.tables]
    assert [[c.text for c in row.cells] for row in alias_tables[0].rows] == [
        ["Alias", "Type of alias", "Where found"],
        ["Cor Ash", "Nickname", "PND"],
        ["ashgrove_77", "Online handle", "Intelligence"],
    ]


def test_internal_docx_lists_withheld_answers_with_their_reasons(submission: Submission) -> None:
    body, margins = docx_text(render(submission, load_named("police"), "docx", "internal", marking="OFFICIAL"))
    assert "OFFICIAL" in margins and "OFFICIAL-SENSITIVE" not in margins
    assert "Information not shared, and why" in body
    assert "INTERNAL COPY" in body
    for text in answer_texts(submission, shared=False) + answer_texts(submission, shared=True):
        assert text in body, text


def test_markdown_meeting_has_no_withheld_text_and_internal_has_reasons(submission: Submission) -> None:
    flow = load_named("police")
    meeting = render(submission, flow, "md", "meeting").decode()
    internal = render(submission, flow, "md", "internal").decode()
    assert meeting.startswith("**OFFICIAL-SENSITIVE**")
    assert "SECRET" not in meeting
    assert "Corwin Ashgrove" in meeting and "Refer for multi-agency management" in meeting
    assert "## Information not shared, and why" in internal
    for n in (1, 2, 3):
        assert f"SECRET-REASON-{n}" in internal


HOSTILE = "[red]# x | y *z* <b>w</b> [/] `c` ![i](http://e.invalid)"


def test_markdown_escapes_hostile_names_so_they_add_no_structure() -> None:
    submission = build(with_name(HOSTILE))
    text = render(submission, load_named("police"), "md", "meeting").decode()
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert not kinds & {"link_open", "image", "html_inline", "html_block", "code_inline"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "x | y" not in " ".join(h for h in headings if not h.startswith("Alleged"))
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "[red]# x | y *z* &lt;b&gt;w&lt;/b&gt; [/] `c` ![i](http://e.invalid)" in rendered
    assert "<em>z</em>" not in rendered
    rows = [t for t in tokens if t.type == "tr_open"]
    cells_per_row = [sum(1 for _ in _row_cells(tokens, tokens.index(r))) for r in rows]
    assert all(n in (2, 3, 4, 6) for n in cells_per_row)  # header table 2, alias tables 3, action tables 6


def _row_cells(tokens: list[Any], start: int) -> list[Any]:
    cells = []
    for token in tokens[start + 1 :]:
        if token.type == "tr_close":
            break
        if token.type in ("td_open", "th_open"):
            cells.append(token)
    return cells


def test_hostile_and_control_characters_never_break_the_docx() -> None:
    name = "Jon [/] Doe \x1b[31mRED\x1b[0m \x00 #1"
    submission = build(with_name(name))
    body, _ = docx_text(render(submission, load_named("police"), "docx", "meeting"))
    assert "Jon [/] Doe \\x1b[31mRED\\x1b[0m \\x00 #1" in body


def test_json_is_valid_for_both_audiences_and_meeting_drops_withheld(submission: Submission) -> None:
    validator = jsonschema.Draft202012Validator(submission_schema())
    meeting = json.loads(render(submission, None, "json", "meeting"))
    internal = json.loads(render(submission, None, "json", "internal"))
    validator.validate(meeting)
    validator.validate(internal)
    assert internal == json.loads(json.dumps(submission.to_json()))
    assert "SECRET" not in json.dumps(meeting)
    belinda = meeting["perpetrators"][1]
    assert set(belinda["answers"]) == {"full_name", "actions"} | {
        k for k, a in submission.perpetrators[1].answers.items() if a.share
    }
    assert belinda["risks"] == [{"id": "serial", "title": "Serial perpetrator", "cites": []}]
    assert Submission.model_validate(meeting).perpetrators[0].answers.keys() == submission.perpetrators[0].answers.keys()


def test_exports_work_without_the_flow_using_raw_ids(submission: Submission) -> None:
    orphan = submission.model_copy(update={"flow": submission.flow.model_copy(update={"name": "retired_flow"})})
    text = render(orphan, None, "md", "meeting").decode()
    assert "serial\\_details" in text and "Two earlier partners" in text
    assert "SECRET" not in text
    body, _ = docx_text(render(orphan, None, "docx", "meeting"))
    assert "Cor Ash" in body and "SECRET" not in body


def test_export_submission_writes_private_files_and_refuses_to_overwrite(submission: Submission, tmp_path) -> None:
    target = tmp_path / "form.docx"
    assert export_submission(submission, "docx", "meeting", target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert docx.Document(str(target))
    with pytest.raises(UserError, match="already exists; use --force"):
        export_submission(submission, "md", "meeting", target)
    export_submission(submission, "md", "meeting", target, force=True)
    assert target.read_text(encoding="utf-8").startswith("**OFFICIAL")
    with pytest.raises(UserError, match="is not a folder"):
        export_submission(submission, "json", "meeting", tmp_path / "missing" / "x.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.docx"]  # no temporary files left


def test_case_fixture_is_not_modified_by_exports(submission: Submission) -> None:
    before = submission.to_json()
    for fmt in ("json", "md", "docx", "csv"):
        render(submission, load_named("police"), fmt, "meeting")
    assert submission.to_json() == before
    assert CASE["perpetrators"][1]["serial_details"]["share"] is False
