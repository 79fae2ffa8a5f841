"""What every export shares, read as the user reads it: the internal copy's list of what was not
shared and why, the lawful basis line, labels, one-line cuts and plain readings of answers (found
missing by mutation testing: see the README's developer section)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.export import render
from marac_tui.export.content import (
    WithheldLine,
    answer_text,
    for_audience,
    item_label,
    one_line,
    sharing_basis,
    withheld_lines,
)
from marac_tui.flow.loader import load_flow, load_named
from marac_tui.flow.spec import Flow
from marac_tui.submission import Answer, FlowRef, Perpetrator, Status, Submission

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
REASON = "would alert him to the police interest"


@pytest.fixture
def flow() -> Flow:
    return load_flow(MINI)


def _withheld(value: object, reason: str = REASON) -> Answer:
    return Answer(value=value, status=Status.found, source="PNC", share=False, withhold_reason=reason)


def _submission() -> Submission:
    first = Perpetrator(answers={
        "name": Answer(value="Corin Ashdown"),
        "weapons": _withheld("yes", f"  {REASON}\x1b[31m "),
        "seen": Answer(value="2026-11-02", status=Status.found, source="PND"),
        "cars": _withheld([{"reg": "AB12 CDE", "colour": "red"}, {"reg": "XY34 ZZZ"}]),
    })  # fmt: skip
    second = Perpetrator(answers={"weapons": _withheld("no")})  # no name given yet
    return Submission(
        flow=FlowRef(name="mini", version="1"),
        answers={"case_ref": Answer(value="MC-1"), "several": _withheld("yes")},
        perpetrators=[first, second],
    )


def test_the_internal_list_names_whose_research_the_question_the_answer_and_why(flow: Flow) -> None:
    assert withheld_lines(_submission(), flow) == [
        WithheldLine("Case", "More than one?", "Yes", REASON),
        WithheldLine("Corin Ashdown", "Access to weapons?", "Yes", f"  {REASON}\\x1b[31m "),
        WithheldLine("Corin Ashdown", "Vehicles?", "AB12 CDE, red; XY34 ZZZ", REASON),
        WithheldLine("Perpetrator 2", "Access to weapons?", "No", REASON),
    ]


def test_without_its_flow_the_list_falls_back_to_raw_ids(flow: Flow) -> None:
    lines = withheld_lines(_submission(), None)
    assert [(w.where, w.label, w.text) for w in lines] == [
        ("Case", "several", "yes"),
        ("Perpetrator 1", "weapons", "yes"),  # no flow, so no name item to read the name from
        ("Perpetrator 1", "cars", "reg: AB12 CDE, colour: red; reg: XY34 ZZZ"),
        ("Perpetrator 2", "weapons", "no"),
    ]


def test_a_long_name_is_cut_on_one_line_in_the_list(flow: Flow) -> None:
    submission = _submission()
    submission.perpetrators[0].answers["name"] = Answer(value="Corin\nAshdown " + "x" * 90)
    where = withheld_lines(submission, flow)[1].where
    assert where == ("Corin Ashdown " + "x" * 90)[:79] + "…" and len(where) == 80


def test_the_internal_markdown_lists_every_withheld_answer_and_the_meeting_copy_none(flow: Flow) -> None:
    internal = render(_submission(), flow, "md", "internal").decode()
    section = internal.split("## Information not shared, and why", 1)[1]
    assert "| Case | More than one? | Yes | would alert him to the police interest |" in section
    assert "| Perpetrator 2 | Access to weapons? | No |" in section
    assert "Last seen?" not in section  # shared answers are not in the list
    meeting = render(_submission(), flow, "md", "meeting").decode()
    assert "Information not shared" not in meeting and REASON not in meeting


def test_the_lawful_basis_reads_as_its_label_with_the_details_for_other() -> None:
    housing = load_named("housing")
    chosen = {"sharing_basis": Answer(value="cda_s115")}
    assert sharing_basis(housing, chosen) == "Crime and Disorder Act 1998, section 115"
    other = {"sharing_basis": Answer(value="other"),
             "sharing_basis_details": Answer(value="Information sharing agreement,\x07 agreed by the DPO")}  # fmt: skip
    assert sharing_basis(housing, other) == "Other (Information sharing agreement,\\x07 agreed by the DPO)"
    assert sharing_basis(housing, {**other, "sharing_basis_details": Answer(value="")}) == "Other"
    assert sharing_basis(None, chosen) == "cda_s115"  # no flow: the stored value
    assert sharing_basis(housing, {}) == ""
    assert sharing_basis(housing, {"sharing_basis": Answer(value="")}) == ""
    long = {"sharing_basis": Answer(value="other"), "sharing_basis_details": Answer(value="y" * 300)}
    text = sharing_basis(housing, long)
    assert len(text) == 200 and text.startswith("Other (yyy") and text.endswith("…")


def test_one_line_cuts_at_the_limit_with_an_ellipsis() -> None:
    assert one_line("a\n b\tc") == "a b c"
    assert one_line("abcde", 5) == "abcde"  # exactly the limit: whole
    assert one_line("abcdef", 5) == "abcd…"
    assert one_line("abc  def", 5) == "abc…"  # the space before the cut is dropped
    assert one_line("x" * 10, None) == "x" * 10


def test_an_item_label_is_its_first_prompt_line_without_markdown(flow: Flow, tmp_path: Path) -> None:
    assert item_label(flow, "weapons") == "Access to weapons?"
    assert item_label(flow, "no_such_item") == "no_such_item"
    path = tmp_path / "mini.yaml"
    prompt = "\\n## Any **firearm** or `_shotgun_` certificate " + "w" * 200 + "?\\nMore"
    path.write_text(MINI.read_text(encoding="utf-8").replace('"Last seen?"', f'"{prompt}"'), encoding="utf-8")
    label = item_label(load_flow(path), "seen")
    assert label.startswith("Any firearm or shotgun certificate www") and label.endswith("…") and len(label) == 160


def test_answers_without_an_item_are_spelt_out() -> None:
    assert answer_text(None, ["a", "b"]) == "a; b"
    assert answer_text(None, []) == "None"
    assert answer_text(None, {"reg": "AB12 CDE", "colour": None}) == "reg: AB12 CDE, colour: —"
    assert answer_text(None, None) == "—"


def test_an_unknown_audience_is_named_with_the_ones_there_are() -> None:
    with pytest.raises(ValueError) as bad:
        for_audience(_submission(), "press")
    assert str(bad.value) == "unknown audience 'press' (audiences: meeting, internal)"


def test_clean_shows_line_ends_as_new_lines_and_broken_characters_as_replacements() -> None:
    from marac_tui.export.content import clean

    assert clean("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean("x\ud800y") == "x\ufffdy"  # a lone surrogate
    assert clean("x\uffffy\ufffez") == "x\ufffdy\ufffdz"  # not characters
    assert clean("bell\x07 esc\x1b[0m del\x7f") == "bell\\x07 esc\\x1b[0m del\\x7f"
    assert clean(12) == "12"


def test_a_repeat_answer_is_a_table_of_its_fields(flow: Flow) -> None:
    from marac_tui.export.content import repeat_table

    cars = flow.item("cars")
    value = [{"reg": "AB12 CDE", "colour": "red\x07"}, {"reg": "XY34 ZZZ"}]
    assert repeat_table(cars, value) == (["Registration", "Colour"], [["AB12 CDE", "red\\x07"], ["XY34 ZZZ", ""]])
    assert repeat_table(None, value) == (["reg", "colour"], [["AB12 CDE", "red\\x07"], ["XY34 ZZZ", ""]])
    assert repeat_table(cars, []) is None and repeat_table(cars, ["AB12 CDE"]) is None
    assert repeat_table(flow.item("weapons"), value) is None  # only a repeat item reads as a table


def test_the_provenance_line_joins_what_is_known() -> None:
    from datetime import date

    from marac_tui.export.content import meta_line
    from marac_tui.submission import Basis

    full = Answer(value="yes", status=Status.found, source="PNC\x1b", checked_on=date(2026, 11, 20), basis=Basis.opinion)
    assert meta_line(full) == "Found · PNC\\x1b · checked 20 Nov 2026 · Professional opinion"
    assert meta_line(Answer(value="MC-1")) is None  # a case detail has no provenance
    assert meta_line(Answer(value=None, status=Status.not_checked, source="PNC")) == "Not checked"


def test_the_meeting_copy_drops_a_yes_whose_only_follow_up_is_withheld(flow: Flow) -> None:
    """The flow given (here a file the store does not know by name) decides what a "Yes" would hint at."""
    person = Perpetrator(answers={
        "name": Answer(value="Corin Ashdown"),
        "weapons": Answer(value="yes", status=Status.found, source="PNC"),
        "weapon_kind": _withheld(["firearm"]),
        "seen": Answer(value="2026-11-02", status=Status.found, source="PND"),
    })  # fmt: skip
    sub = Submission(flow=FlowRef(name="mini", version="1"), answers={"case_ref": Answer(value="MC-1")}, perpetrators=[person])
    meeting = render(sub, flow, "md", "meeting").decode()
    assert "Last seen?" in meeting and "Access to weapons?" not in meeting and "Which?" not in meeting
    assert "Access to weapons?" in render(sub, flow, "md", "internal").decode()


def test_a_blank_prompt_labels_the_item_by_its_id(flow: Flow, tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace('"Last seen?"', '"  \\n  "'), encoding="utf-8")
    assert item_label(load_flow(path), "seen") == "seen"


def test_a_long_source_is_cut_in_the_provenance_line() -> None:
    from marac_tui.export.content import meta_line

    answer = Answer(value="yes", status=Status.found, source="Force intelligence system " + "z" * 100)
    status, source = meta_line(answer).split(" · ")
    assert status == "Found" and len(source) == 80 and source.startswith("Force intelligence system zzz")
    assert source.endswith("z…")


def test_a_long_field_prompt_is_cut_as_its_column_title(flow: Flow, tmp_path: Path) -> None:
    from marac_tui.export.content import repeat_table

    path = tmp_path / "mini.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace("prompt: Colour}", f"prompt: Colour {'c' * 80}}}"), encoding="utf-8")
    columns, rows = repeat_table(load_flow(path).item("cars"), [{"reg": "AB12 CDE", "colour": "blue"}])
    assert columns[0] == "Registration" and len(columns[1]) == 60 and columns[1].endswith("c…")
    assert rows == [["AB12 CDE", "blue"]]


def test_a_withholding_whose_reason_is_still_to_come_lists_no_reason(flow: Flow) -> None:
    """The chat keeps a withholding without its reason when the app closes mid-edit; the internal
    list shows the reason as empty, never one made up."""
    sub = _submission()
    sub.answers["case_ref"] = Answer(value="MC-1", share=False)
    case = [line for line in withheld_lines(sub, flow) if line.where == "Case"]
    assert [(line.label, line.text, line.reason) for line in case] == [
        ("Case reference?", "MC-1", ""), ("More than one?", "Yes", REASON)]


def test_a_retired_item_keeps_its_old_question_cut_to_one_line(flow: Flow, tmp_path: Path) -> None:
    old_question = "Is the person recorded as a fire-setter, " + "f" * 200 + "?"
    text = MINI.read_text(encoding="utf-8") + (
        'changes:\n  - version: "1"\n    retired:\n'
        f'      fire_setter: "{old_question}"\n      old_marker: "Any\\n  warning   marker?"\n'
    )
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    retiring = load_flow(path)
    label = item_label(retiring, "fire_setter")
    assert len(label) == 160 and label.startswith("Is the person recorded as a fire-setter, fff") and label.endswith("f…")
    assert item_label(retiring, "old_marker") == "Any warning marker?"
    assert item_label(retiring, "never_asked") == "never_asked" and item_label(None, "fire_setter") == "fire_setter"
