"""The prefill rule: a research answer's proposed source and fact/opinion follow the previous checked
answer in the same research area (this person's first, then another's), else the flow's default,
and the proposal says where it came from."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from marac_tui.engine.interview import Interview
from marac_tui.engine.provenance import AnswerMeta, origin_note, prefill
from marac_tui.flow.loader import load_named
from marac_tui.submission import Answer, Basis, FlowRef, Perpetrator, Status, Submission

FLOW = load_named("police")
TODAY = date(2026, 12, 1)
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
PERSONAL = ["date_of_birth", "address", "homeless", "aliases"]  # one research area (Personal details)


def submission(*people: dict[str, Answer]) -> Submission:
    return Submission(flow=FlowRef(name="police", version=FLOW.version),
                      perpetrators=[Perpetrator(answers=dict(p)) for p in people] or [Perpetrator()])  # fmt: skip


def checked(source: str | None, basis: Basis | None, minutes: int, status: Status = Status.found) -> Answer:
    return Answer(value="x", status=status, source=source, checked_on=TODAY, basis=basis,
                  answered_at=T0 + timedelta(minutes=minutes))  # fmt: skip


def test_a_new_area_gets_the_flows_default_and_says_so() -> None:
    proposed = prefill(FLOW, submission(), "date_of_birth", 0, "1990-03-01", TODAY)
    assert proposed.meta == AnswerMeta(status=Status.found, source="PNC", checked_on=TODAY, basis=Basis.fact)
    assert (proposed.source_from, proposed.basis_from) == (None, None)
    assert origin_note(FLOW, proposed) == "first answer in Personal details: the flow's default source"


def test_source_and_opinion_follow_the_previous_answer_in_the_same_area() -> None:
    sub = submission({"date_of_birth": checked("PND", Basis.opinion, 1)})
    proposed = prefill(FLOW, sub, "address", 0, "14 Larch Rise", TODAY)
    assert (proposed.meta.source, proposed.meta.basis) == ("PND", Basis.opinion)
    assert proposed.source_from == proposed.basis_from == ("date_of_birth", 0)
    assert origin_note(FLOW, proposed) == "source and fact/opinion as for “Date of birth?”"


def test_another_area_does_not_inherit_a_source() -> None:
    """The reported fault: IT skills inherited a firearms-licensing source from another area."""
    sub = submission({"weapons": checked("NFLMS (firearms licensing)", Basis.opinion, 5)})
    proposed = prefill(FLOW, sub, "vehicles", 0, [], TODAY)
    assert (proposed.meta.source, proposed.meta.basis) == ("PNC", Basis.fact)
    assert proposed.meta.status is Status.nothing_held  # an empty list: nothing held


def test_an_item_the_flow_names_a_source_for_gets_it_and_the_area_does_not_follow_it() -> None:
    """ViSOR for the ViSOR question, though the area so far was checked on PNC; the next question
    follows PNC again, not ViSOR."""
    assert FLOW.item("visor").source == "ViSOR" and FLOW.item("iom").source is None
    sub = submission({"supervision_status": checked("PNC", Basis.fact, 1)})
    proposed = prefill(FLOW, sub, "visor", 0, "no", TODAY)
    assert (proposed.meta.source, proposed.source_named, proposed.source_from) == ("ViSOR", True, None)
    assert origin_note(FLOW, proposed) == "the source the flow names for this question; fact/opinion as for “Is the person under probation…”"
    first = prefill(FLOW, submission(), "visor", 0, "no", TODAY)
    assert origin_note(FLOW, first) == "the source the flow names for this question"
    sub.perpetrators[0].answers["visor"] = checked("ViSOR", Basis.opinion, 2)
    after = prefill(FLOW, sub, "iom", 0, "no", TODAY)
    assert (after.meta.source, after.source_from) == ("PNC", ("supervision_status", 0))
    assert (after.meta.basis, after.basis_from) == (Basis.opinion, ("visor", 0))  # fact/opinion still follows


def test_the_latest_checked_answer_wins_and_not_checked_ones_are_passed_over() -> None:
    sub = submission({
        "date_of_birth": checked("PNC", Basis.fact, 1),
        "address": checked("Force system", Basis.opinion, 3),
        "homeless": checked(None, None, 9, Status.not_checked),  # nothing looked at: nothing to follow
    })  # fmt: skip
    proposed = prefill(FLOW, sub, "aliases", 0, [], TODAY)
    assert (proposed.meta.source, proposed.meta.basis) == ("Force system", Basis.opinion)
    assert proposed.source_from == ("address", 0)


def test_source_and_basis_may_come_from_different_answers() -> None:
    sub = submission({"date_of_birth": checked("PND", Basis.fact, 1), "address": checked(None, Basis.opinion, 2)})
    proposed = prefill(FLOW, sub, "homeless", 0, "no", TODAY)
    assert (proposed.meta.source, proposed.meta.basis, proposed.meta.status) == ("PND", Basis.opinion,
                                                                                Status.nothing_held)  # fmt: skip
    assert origin_note(FLOW, proposed) == (
        "source as for “Date of birth?”, fact/opinion as for “Current address, and when was it last…”")


def test_this_persons_answers_come_first_then_another_persons_in_the_same_area() -> None:
    first = {"date_of_birth": checked("PND", Basis.fact, 10)}
    second = {"date_of_birth": checked("Intelligence", Basis.opinion, 1)}
    sub = submission(first, second)
    assert prefill(FLOW, sub, "address", 1, "x", TODAY).meta.source == "Intelligence"  # their own, though older
    assert prefill(FLOW, submission(first, {}), "address", 1, "x", TODAY).meta.source == "PND"  # the other's


def test_the_item_itself_is_not_its_own_origin() -> None:
    sub = submission({"address": checked("Other", Basis.opinion, 1)})
    assert prefill(FLOW, sub, "address", 0, "x", TODAY).source_from is None


def test_status_follows_the_value_and_not_checked_says_it_keeps_nothing() -> None:
    proposed = prefill(FLOW, submission(), "homeless", 0, "unknown", TODAY)
    assert proposed.meta.status is Status.not_checked
    assert origin_note(FLOW, proposed) == "not checked: no source or date kept"


def test_the_interview_records_the_area_rule_in_the_chat_and_nothing_extra_from_a_file() -> None:
    chat = Interview(FLOW)
    given = {"case_ref": "MC-1", "marac_date": "2026-12-10", "representative": "DC Vell", "agency": "Police",
             "more_than_one": "no",
             "full_name": "Corin Ashdown"}
    while chat.state != "date_of_birth":
        if chat.state in given:
            chat.answer(given[chat.state])
        else:
            chat.skip()
    chat.answer("1990-03-01", AnswerMeta(source="PND", basis=Basis.opinion))
    chat.answer("14 Larch Rise")
    address = chat.submission.perpetrators[0].answers["address"]
    assert (address.source, address.basis, address.checked_on) == ("PND", Basis.opinion, date.today())
    file = Interview(FLOW, prefill=False)
    assert file.default_meta(FLOW.item("address"), "x") == AnswerMeta(status=Status.found)


AREAS = {s.id: [i.id for i in s.items if FLOW.is_research(i.id)] for s in FLOW.sections if s.scope == "perpetrator"}
SOURCES = st.sampled_from(["PNC", "PND", "Force system", "Intelligence", None])
BASES = st.sampled_from([Basis.fact, Basis.opinion, None])
STATUSES = st.sampled_from(list(Status))


@settings(max_examples=200, deadline=None)
@given(
    answers=st.lists(st.tuples(st.sampled_from([i for ids in AREAS.values() for i in ids]), st.integers(0, 1),
                               SOURCES, BASES, STATUSES), max_size=12),  # fmt: skip
    target=st.sampled_from([i for ids in AREAS.values() for i in ids]),
    who=st.integers(0, 1),
)
def test_the_proposal_only_ever_follows_a_checked_answer_in_the_same_area(answers, target, who) -> None:  # noqa: ANN001
    people: list[dict[str, Answer]] = [{}, {}]
    for minute, (item, person, source, basis, status) in enumerate(answers):
        people[person][item] = checked(source, basis, minute, status)
    proposed = prefill(FLOW, submission(*people), target, who, "x", TODAY)
    area = FLOW.section_of(target).id
    for origin, field in ((proposed.source_from, "source"), (proposed.basis_from, "basis")):
        if origin is None:
            continue
        item, person = origin
        answer = people[person][item]
        assert FLOW.section_of(item).id == area and item != target
        if field == "source":  # an answer to an item with its own named source is not followed
            assert FLOW.item(item).source is None and FLOW.item(target).source is None
        assert answer.status in (Status.found, Status.nothing_held)
        assert getattr(answer, field) == getattr(proposed.meta, field)
        # nothing of this person's in the area that is newer (or, for another's, at all) and usable was passed over
        usable = [a for k, a in people[who].items() if FLOW.section_of(k).id == area and k != target
                  and a.status in (Status.found, Status.nothing_held) and getattr(a, field) is not None
                  and (field == "basis" or FLOW.item(k).source is None)]  # fmt: skip
        if person == who:
            assert not [a for a in usable if a.answered_at > answer.answered_at]
        else:
            assert not usable
    if proposed.source_from is None:
        assert proposed.meta.source == (FLOW.item(target).source or FLOW.sources[0])
    assert proposed.source_named == (FLOW.item(target).source is not None)
    if proposed.basis_from is None:
        assert proposed.meta.basis is Basis.fact


def test_the_date_checked_follows_the_last_answer_given_today_else_today() -> None:
    """Research entered the day after the checks keeps their day, in every area; a later sitting
    (yesterday's answers) starts from today again."""
    now = datetime.now(timezone.utc)
    earlier = Answer(value="x", status=Status.found, source="PND", checked_on=date(2026, 11, 20), basis=Basis.fact,
                     answered_at=now)  # fmt: skip
    today = now.astimezone().date()
    proposed = prefill(FLOW, submission({"weapons": earlier}), "address", 0, "x", today)
    assert proposed.meta.checked_on == date(2026, 11, 20) and proposed.date_from == ("weapons", 0)
    assert origin_note(FLOW, proposed).endswith("; date checked as for “Does the person have access to weapons?”")
    assert proposed.meta.source == "PNC"  # the source, though, only within the area
    yesterday = earlier.model_copy(update={"answered_at": now - timedelta(days=1)})
    assert prefill(FLOW, submission({"weapons": yesterday}), "address", 0, "x", today).meta.checked_on == today
    unchecked = earlier.model_copy(update={"status": Status.not_checked})
    assert prefill(FLOW, submission({"weapons": unchecked}), "address", 0, "x", today).date_from is None


def test_a_short_label_is_the_first_line_cut_between_words(tmp_path: Path) -> None:
    from marac_tui.engine.provenance import short_label
    from marac_tui.flow.loader import load_flow

    mini = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
    prompts = {
        '"Access to weapons?"': '"Has the person been seen near the school?"',  # 41 characters
        '"Which?"': '"Checked on the `PNC` and the *HOLMES BOX*, then the local index?"',
        '"Last seen?"': '"\\n  Any     court orders;  bail conditions, curfews or tags?\\nSay which court."',
    }
    for old, new in prompts.items():
        mini = mini.replace(old, new)
    (tmp_path / "labels.yaml").write_text(mini, encoding="utf-8")
    flow = load_flow(tmp_path / "labels.yaml")
    assert short_label(flow, "weapons") == "Has the person been seen near the…"
    assert short_label(flow, "weapons", 41) == "Has the person been seen near the school?"
    assert short_label(flow, "weapon_kind") == "Checked on the PNC and the HOLMES BOX…"
    assert short_label(flow, "seen") == "Any court orders; bail conditions…"
    blank = mini.replace('"Licensed?"', '"  \\n  "')
    (tmp_path / "blank.yaml").write_text(blank, encoding="utf-8")
    assert short_label(load_flow(tmp_path / "blank.yaml"), "licensed") == "licensed"  # a blank prompt: its id


def test_the_date_checked_passes_over_unsuitable_answers_and_the_item_itself() -> None:
    now = datetime.now(timezone.utc)
    today = now.astimezone().date()

    def given(checked_on: date | None, ago: timedelta, status: Status = Status.found) -> Answer:
        return Answer(value="x", status=status, source="PND", checked_on=checked_on, answered_at=now - ago)

    before = {
        "homeless": given(None, timedelta(minutes=1), Status.not_checked),  # nothing was checked
        "pnc_id": given(date(2026, 11, 2), timedelta(days=1)),  # yesterday's sitting
        "weapons": given(date(2026, 11, 19), timedelta(minutes=5)),
    }
    proposed = prefill(FLOW, submission(before), "address", 0, "x", today)
    assert (proposed.meta.checked_on, proposed.date_from) == (date(2026, 11, 19), ("weapons", 0))
    later = {**before, "visor": given(today, timedelta(minutes=2))}  # the latest was checked today: today
    assert prefill(FLOW, submission(later), "address", 0, "x", today).meta.checked_on == today
    own = prefill(FLOW, submission({"address": given(date(2026, 11, 19), timedelta(minutes=1))}), "address", 0, "x", today)
    assert (own.meta.checked_on, own.date_from) == (today, None)  # answering again does not follow itself


def test_case_research_items_follow_the_case_answers(tmp_path: Path) -> None:
    """A flow may make a case item research (a trainer's flow: the case's own checks)."""
    from marac_tui.flow.loader import load_flow

    mini = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
    close = "    title: Close\n    items:\n"
    assert close in mini
    mini = mini.replace(close, close.replace("    items:", "    research: true\n    items:")
                        + '      - {id: register, kind: yesno, prompt: "Housing register checked?"}\n')  # fmt: skip
    (tmp_path / "case-research.yaml").write_text(mini, encoding="utf-8")
    flow = load_flow(tmp_path / "case-research.yaml")
    now = datetime.now(timezone.utc)
    today = now.astimezone().date()
    register = Answer(value="yes", status=Status.found, source="Housing register", checked_on=date(2026, 11, 19),
                      basis=Basis.opinion, answered_at=now)  # fmt: skip
    sub = Submission(flow=FlowRef(name="mini", version="1"), answers={"register": register}, perpetrators=[Perpetrator()])
    notes = prefill(flow, sub, "notes", None, "Seen at the register office", today)
    assert (notes.meta.source, notes.meta.basis, notes.source_from) == ("Housing register", Basis.opinion, ("register", None))
    weapons = prefill(flow, sub, "weapons", 0, "no", today)
    assert (weapons.meta.source, weapons.meta.checked_on, weapons.date_from) == ("PNC", date(2026, 11, 19), ("register", None))
    again = Interview(flow, sub).proposed("register", None, "yes")  # answering it again does not follow itself
    assert (again.meta.checked_on, again.date_from) == (today, None)
