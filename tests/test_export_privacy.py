"""Property: whatever is withheld, no meeting output ever contains it, and the internal copy always does."""

from __future__ import annotations

import copy
import io
import json

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_cases import CASE, build

from marac_tui.export import render
from marac_tui.export.summary import build_summary, render_summary_markdown, render_summary_text
from marac_tui.flow.loader import load_named

ITEMS = ("aliases", "serial_perpetrator", "serial_details")


def _answers(withheld: list[frozenset[str]]) -> dict:
    """CASE with a unique marker in every value and reason, and the chosen items withheld."""
    answers = copy.deepcopy(CASE)
    for n, perpetrator in enumerate(answers["perpetrators"]):
        perpetrator["aliases"] = {"value": [{"name": f"ALIAS-{n}", "type": "nickname"}], "status": "found"}
        perpetrator["serial_perpetrator"] = {"value": "yes", "status": "found", "source": f"SOURCE-{n}"}
        perpetrator["serial_details"] = {"value": f"DETAIL-{n}", "status": "found"}
        for item in ITEMS:
            perpetrator[item]["share"] = item not in withheld[n]
            if item in withheld[n]:
                perpetrator[item]["reason"] = f"REASON-{n}-{item}"
    return answers


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    nested = [c.text for t in document.tables for r in t.rows for c in r.cells for i in c.tables for ir in i.rows
              for c in ir.cells]  # fmt: skip
    return "\n".join([p.text for p in document.paragraphs] + cells + nested)


def _outputs(submission, audience: str) -> str:
    flow = load_named("police")
    texts = [
        render(submission, flow, "md", audience).decode(),
        render(submission, flow, "json", audience).decode(),
        render(submission, flow, "csv", audience).decode("utf-8-sig"),
        _docx_text(render(submission, flow, "docx", audience)),
    ]
    if audience == "meeting":
        summary = build_summary(submission, flow)
        texts += [render_summary_text(summary), render_summary_markdown(summary)]
    return "\n".join(texts)


MARKERS = {"aliases": "ALIAS-{n}", "serial_perpetrator": "SOURCE-{n}", "serial_details": "DETAIL-{n}"}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.frozensets(st.sampled_from(ITEMS)), min_size=2, max_size=2))
def test_withheld_never_reaches_the_meeting_and_always_reaches_the_internal_copy(withheld) -> None:
    submission = build(_answers(withheld))
    meeting = _outputs(submission, "meeting")
    internal = _outputs(submission, "internal")
    assert "REASON-" not in meeting
    for n in (0, 1):
        for item in ITEMS:
            marker = MARKERS[item].format(n=n)
            # serial_perpetrator's only follow-up is serial_details: with it withheld, a bare "Yes"
            # would say something is held back, so the meeting sees neither (engine.followups)
            bare = item == "serial_perpetrator" and "serial_details" in withheld[n]
            if item in withheld[n]:
                assert marker not in meeting, (item, n)
                assert f"REASON-{n}-{item}" in internal
                assert marker in internal
            elif bare:
                assert marker not in meeting and marker in internal, (item, n)
            else:
                assert marker in meeting, (item, n)
    data = json.loads(render(submission, None, "json", "meeting"))
    for n, perpetrator in enumerate(data["perpetrators"]):
        assert all(answer["share"] for answer in perpetrator["answers"].values())
        assert not set(perpetrator["answers"]) & withheld[n]
