"""The Chair's brief: every agency's shared research on one case joined person by person.

For each alleged perpetrator (matched across agencies): every risk flag with the agencies that raised
it and their shared answers; where agencies disagree; research no agency checked; the proposed actions
by heading with owner, due date and status, duplicates merged; the risks no action addresses. For
the case: who is not round the table, and the last meeting's actions that are not done, first.
Pure: it reads what `gather` collected and returns a `Pack`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from rapidfuzz import fuzz

from marac_tui.export.content import answer_text, find_item, item_label, meta_line, one_line
from marac_tui.export.report import DEFAULT_MARKING, actions_item
from marac_tui.flow.spec import NO, UNKNOWN, YES, Flow, Kind
from marac_tui.pack import model as m
from marac_tui.pack.agencies import ExpectedAgency, identify
from marac_tui.pack.gather import Contribution, Gathered, case_key
from marac_tui.pack.match import PersonRecord, cluster, matches, parse_dob
from marac_tui.pack.related import related_items
from marac_tui.submission import Action, ActionStatus, Answer, Perpetrator, Status

CHECKED = {Status.found, Status.nothing_held, Status.not_applicable}
SAME_ACTION = 90  # rapidfuzz token-set similarity from which two actions under one heading are one
TEXT_CONFLICTS = {"address"}  # free-text items whose different answers are a conflict
ADDRESS_SAME = 88
HEADING_ORDER = ("enforce", "disrupt", "manage", "support")

OtherCases = Callable[[list[PersonRecord]], list[m.OtherCase]]


@dataclass(frozen=True)
class Part:
    """One agency's research on one person: a perpetrator of one contribution."""

    contribution: Contribution
    index: int
    agency: str

    @property
    def perpetrator(self) -> Perpetrator:
        return self.contribution.submission.perpetrators[self.index]

    @property
    def flow(self) -> Flow | None:
        return self.contribution.flow

    @property
    def ref(self) -> str:
        return f"{self.contribution.sid}/{self.index + 1}"

    def answer(self, item_id: str) -> Answer | None:
        return self.perpetrator.answers.get(item_id) or self.contribution.submission.answers.get(item_id)


def _labels(contributions: Sequence[Contribution], expected: list[ExpectedAgency]) -> dict[str, str]:
    """The name the pack gives each contribution's agency; two from one agency are told apart."""
    names = {}
    for c in contributions:
        known = identify(expected, c.submission.flow.name, c.submission.header.agency)
        names[c.sid] = one_line(known.name if known else c.submission.header.agency or c.submission.flow.title
                                or c.submission.flow.name, 60)  # fmt: skip
    counts = Counter(names.values())
    for c in contributions:
        if counts[names[c.sid]] > 1:
            detail = c.submission.header.agency or c.submission.header.representative or c.sid[:8]
            names[c.sid] = f"{names[c.sid]} ({one_line(detail, 40)})"
    return names


def _aliases(answer: Answer | None) -> list[str]:
    value = answer.value if answer else None
    if not isinstance(value, list):
        return []
    return [one_line(e["name"], 80) for e in value if isinstance(e, dict) and isinstance(e.get("name"), str)]


def _record(part: Part, case_ref: str) -> PersonRecord:
    flow = part.flow
    name = part.perpetrator.name(flow.perpetrators.name_item if flow else "full_name", part.index)
    dob = part.perpetrator.answers.get("date_of_birth")
    return PersonRecord(
        ref=part.ref,
        name=name,
        dob=parse_dob(dob.value if dob else None),
        aliases=tuple(_aliases(part.perpetrator.answers.get("aliases"))),
        where=part.agency,
        case_ref=case_key(case_ref),
        group=part.contribution.sid,
    )


def _contributor(c: Contribution, agency: str) -> m.Contributor:
    h = c.submission.header
    basis = c.submission.answers.get("sharing_basis")
    item = find_item(c.flow, "sharing_basis")
    return m.Contributor(
        agency=agency,
        agency_answer=one_line(h.agency, 120) if h.agency else None,
        representative=one_line(h.representative, 120) if h.representative else None,
        flow=c.submission.flow.name,
        submission_id=c.sid,
        state=c.submission.state.value,
        origin=one_line(c.origin, 120),
        marac_date=h.marac_date,
        updated_at=c.submission.updated_at,
        sharing_basis=answer_text(item, basis.value) if basis is not None else None,
    )


# --- per person --------------------------------------------------------------------------------


def _evidence(part: Part, item_id: str) -> m.Evidence | None:
    answer = part.answer(item_id)
    if answer is None:
        return None
    return m.Evidence(
        item=item_id,
        label=item_label(part.flow, item_id),
        text=answer_text(find_item(part.flow, item_id), answer.value),
        provenance=meta_line(answer),
    )


def _risks(parts: list[Part]) -> dict[str, m.Risk]:
    risks: dict[str, m.Risk] = {}
    for part in parts:
        for flag in part.perpetrator.risks:
            risk = risks.setdefault(flag.id, m.Risk(id=flag.id, title=one_line(flag.title, 120), raised_by=[],
                                                    addressed=False))  # fmt: skip
            evidence = [e for e in (_evidence(part, c) for c in flag.cites) if e is not None]
            risk.raised_by.append(m.RaisedBy(agency=part.agency, evidence=evidence))
    return risks


def _comparable(flow: Flow | None, item_id: str) -> Kind | None:
    item = find_item(flow, item_id)
    if item is None:
        return None
    if item.kind in (Kind.yesno, Kind.choice, Kind.date, Kind.number) or item_id in TEXT_CONFLICTS:
        return item.kind
    return None


def _differ(kind: Kind, values: list[Any]) -> bool:
    if kind == Kind.yesno:
        return YES in values and NO in values
    known = [v for v in values if v not in (None, "", UNKNOWN)]
    if kind in (Kind.text, Kind.longtext):
        texts = [" ".join(str(v).split()).casefold() for v in known]
        return any(fuzz.token_sort_ratio(x, y) < ADDRESS_SAME for i, x in enumerate(texts) for y in texts[i + 1 :])
    return len({str(v) for v in known}) > 1


def _conflicts(parts: list[Part]) -> list[m.Conflict]:
    """Items two or more agencies answered for this person, with answers that disagree."""
    by_item: dict[str, list[tuple[Part, Answer]]] = {}
    for part in parts:
        for item_id, answer in part.perpetrator.answers.items():
            by_item.setdefault(item_id, []).append((part, answer))
    conflicts = []
    for item_id, answered in by_item.items():
        if len({p.agency for p, _ in answered}) < 2:
            continue
        answered = [(p, a) for p, a in answered if a.status is not Status.not_checked]
        kind = next((k for p, _ in answered if (k := _comparable(p.flow, item_id)) is not None), None)
        if kind is None or not _differ(kind, [a.value for _, a in answered]):
            continue
        first = answered[0][0]
        stances = [
            m.Stance(agency=p.agency, text=answer_text(find_item(p.flow, item_id), a.value), provenance=meta_line(a))
            for p, a in answered
            if a.value not in (None, "", UNKNOWN) and a.status is not Status.not_checked
        ]
        conflicts.append(m.Conflict(item=item_id, label=item_label(first.flow, item_id), stances=stances))
    return conflicts + _alias_conflict(by_item.get("aliases", [])) + _related_conflicts(parts)


def _alias_conflict(answered: list[tuple[Part, Answer]]) -> list[m.Conflict]:
    """Agencies that checked the person's other names and hold different ones: a previous surname only
    one agency knows is a name the others never searched under."""
    checked = [(p, a) for p, a in answered if a.status in CHECKED and isinstance(a.value, list)]
    names = [frozenset(_norm(n) for n in _aliases(a)) for _, a in checked]
    if len({p.agency for p, _ in checked}) < 2 or len(set(names)) < 2:
        return []
    stances = [
        m.Stance(agency=p.agency, text=answer_text(find_item(p.flow, "aliases"), a.value), provenance=meta_line(a))
        for p, a in checked
    ]
    return [m.Conflict(item="aliases", label=item_label(checked[0][0].flow, "aliases"), stances=stances)]


def _related_conflicts(parts: list[Part]) -> list[m.Conflict]:
    """Items of different flows that record the same thing (prompts/pack/related.yaml), read differently."""
    conflicts = []
    for group in related_items():
        readings: list[tuple[Part, str, Answer, str]] = []
        for part in parts:
            for item_id in group.items:
                answer = part.perpetrator.answers.get(item_id)
                if answer is None or answer.status is Status.not_checked or find_item(part.flow, item_id) is None:
                    continue
                reading = group.reading(item_id, answer.value)
                if reading is not None:
                    readings.append((part, item_id, answer, reading))
        if len({item for _, item, _, _ in readings}) < 2 or len({r for *_, r in readings}) < 2:
            continue  # one flow's item alone is a same-item comparison, made above
        stances = [
            m.Stance(agency=p.agency,
                     text=f"{item_label(p.flow, item_id)}: {answer_text(find_item(p.flow, item_id), a.value)}",
                     provenance=meta_line(a))  # fmt: skip
            for p, item_id, a, _ in readings
        ]
        conflicts.append(m.Conflict(item=group.id, label=one_line(group.label, 200), stances=stances))
    return conflicts


def _unchecked(parts: list[Part]) -> list[m.Unchecked]:
    """Research items that some agency asked and none checked (found, nothing held, not applicable)."""
    checked: set[str] = set()
    open_items: dict[str, list[str]] = {}
    where: dict[str, tuple[str, str]] = {}
    for part in parts:
        for item_id, answer in part.perpetrator.answers.items():
            if answer.status in CHECKED:
                checked.add(item_id)
            elif answer.status is Status.not_checked:
                open_items.setdefault(item_id, []).append(f"{part.agency}: not checked")
        for item_id in part.contribution.pending.get(part.index, []):
            open_items.setdefault(item_id, []).append(f"{part.agency}: not answered yet")
        for item_id in open_items:
            if item_id not in where and find_item(part.flow, item_id) is not None and part.flow is not None:
                where[item_id] = (item_label(part.flow, item_id), one_line(part.flow.section_of(item_id).title, 80))
    return [
        m.Unchecked(item=item_id, label=where.get(item_id, (item_id, "Other"))[0],
                    area=where.get(item_id, (item_id, "Other"))[1], agencies=who)  # fmt: skip
        for item_id, who in open_items.items()
        if item_id not in checked
    ]


def _tracking(part: Part, action: Action, today: date) -> m.Tracking:
    """What the agency recorded about one action: owner agency and person, due date, status as last
    reported, with its date and note."""
    return m.Tracking(
        agency=part.agency,
        owner_agency=one_line(action.agency, 80) if action.agency else None,
        owner=one_line(action.owner, 80) if action.owner else None,
        due=action.due,
        status=action.status,
        status_date=action.status_date,
        note=one_line(action.note, 200) if action.note else None,
        overdue=action.overdue(today),
        submission_id=part.contribution.sid,
        action_id=action.id,
    )


def _risk_title(part: Part, risk_id: str, risks: dict[str, m.Risk]) -> str:
    if risk_id in risks:
        return risks[risk_id].title
    flow = part.flow
    title = next((r.title for r in flow.risks if r.id == risk_id), None) if flow else None
    return one_line(title or risk_id, 120)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _actions(parts: list[Part], risks: dict[str, m.Risk], today: date) -> tuple[list[m.HeadingActions], set[str]]:
    """Actions by heading, an action proposed by several agencies shown once; and the risk ids they
    address."""
    merged: dict[str, list[tuple[m.Action, str | None]]] = {}
    titles: dict[str, str] = {}
    addressed: set[str] = set()
    for part in parts:
        for action in part.perpetrator.actions(actions_item(part.flow)):
            heading = action.heading
            flow = part.flow
            titles.setdefault(heading, one_line(flow.heading_title(heading) if flow else heading, 80))
            addressed |= set(action.addresses)
            text = one_line(action.text, 400)
            addresses = [_risk_title(part, r, risks) for r in action.addresses]
            tracking = _tracking(part, action, today)
            group = merged.setdefault(heading, [])
            same = next((entry for entry, suggestion in group
                         if (action.suggestion and suggestion == action.suggestion)
                         or fuzz.token_set_ratio(_norm(entry.text), _norm(text)) >= SAME_ACTION), None)  # fmt: skip
            if same is None:
                owners = [tracking.owner_agency] if tracking.owner_agency else []
                group.append((m.Action(heading=heading, text=text, owners=owners, addresses=addresses,
                                       proposed_by=[tracking]), action.suggestion))  # fmt: skip
                continue
            same.proposed_by.append(tracking)
            if tracking.owner_agency and tracking.owner_agency not in same.owners:
                same.owners.append(tracking.owner_agency)
            same.addresses += [a for a in addresses if a not in same.addresses]
    order = [h for h in HEADING_ORDER if h in merged] + [h for h in merged if h not in HEADING_ORDER]
    return [m.HeadingActions(heading=h, title=titles[h], actions=[a for a, _ in merged[h]]) for h in order], addressed


def _person(key: str, parts: list[Part], links: list[m.MatchLink], today: date) -> m.Person:
    records = [
        m.Record(ref=p.ref, agency=p.agency, name=one_line(r.name, 120), date_of_birth=r.dob, aliases=list(r.aliases))
        for p in parts
        for r in [_record(p, "")]
    ]
    names = Counter(_norm(r.name) for r in records)
    top = names.most_common(1)[0][0]
    name = next(r.name for r in records if _norm(r.name) == top)
    others = list(dict.fromkeys(r.name for r in records if _norm(r.name) != top))
    dobs = Counter(r.date_of_birth for r in records if r.date_of_birth)
    aliases = list(dict.fromkeys(a for r in records for a in r.aliases))
    risks = _risks(parts)
    actions, addressed = _actions(parts, risks, today)
    for risk_id, risk in risks.items():
        risk.addressed = risk_id in addressed
    return m.Person(
        key=key,
        name=name,
        other_names=others,
        date_of_birth=dobs.most_common(1)[0][0] if dobs else None,
        aliases=aliases,
        agencies=list(dict.fromkeys(p.agency for p in parts)),
        records=records,
        matches=links,
        risks=list(risks.values()),
        conflicts=_conflicts(parts),
        not_checked=_unchecked(parts),
        actions=actions,
        unaddressed=[r.title for r in risks.values() if not r.addressed],
    )


# --- the case ------------------------------------------------------------------------------------


def _absent(expected: list[ExpectedAgency], contributions: Sequence[Contribution]) -> list[m.Absent]:
    present = {
        known.name
        for c in contributions
        if (known := identify(expected, c.submission.flow.name, c.submission.header.agency)) is not None
    }
    return [m.Absent(agency=a.name, why=a.why) for a in expected if a.name not in present]


# Last meeting's open actions, most pressing first: reported not done, then overdue, then by status.
OPEN_ORDER = (ActionStatus.not_done, ActionStatus.in_progress, ActionStatus.agreed, ActionStatus.proposed)


def _earlier_actions(gathered: Gathered, labels: dict[str, str], today: date) -> list[m.EarlierAction]:
    """The last meeting's actions that are not done: from the store's submissions for that meeting
    (their tracking as reported since), else from the last meeting's pack. Reported not done first,
    then overdue ones, then in progress, agreed and proposed; by due date within each."""
    found: list[m.EarlierAction] = []
    dates = [c.submission.header.marac_date for c in gathered.earlier if c.submission.header.marac_date]
    last = max(dates) if dates else None
    seen: set[tuple[str, str]] = set()
    for c in gathered.earlier:
        if c.submission.header.marac_date != last:
            continue
        for index, perpetrator in enumerate(c.submission.perpetrators):
            part = Part(c, index, labels[c.sid])
            for action in perpetrator.actions(actions_item(c.flow)):
                seen |= {(c.sid, action.id), (c.sid, _norm(action.text))}  # a pack from before ids: by text
                if not action.open:
                    continue
                heading = c.flow.heading_title(action.heading) if c.flow else action.heading
                name = perpetrator.name(c.flow.perpetrators.name_item if c.flow else "full_name", index)
                found.append(_earlier(last, name, heading, action.text, _tracking(part, action, today), today))
    packs = [p for p in gathered.earlier_packs if gathered.marac_date is None or p.marac_date is None
             or p.marac_date < gathered.marac_date]  # fmt: skip
    if packs:
        previous = max(packs, key=lambda p: (p.marac_date or date.min, p.built_at))
        for person in previous.people:
            for group in person.actions:
                for item in group.actions:
                    for track in item.proposed_by:
                        keys = {(track.submission_id, track.action_id or ""), (track.submission_id, _norm(item.text))}
                        if keys & seen or track.status is ActionStatus.done:
                            continue
                        seen |= keys
                        found.append(_earlier(previous.marac_date, person.name, group.title, item.text, track, today))

    return sorted(found, key=_pressing)


def _pressing(action: m.EarlierAction) -> tuple[bool, bool, int, date]:
    status = action.status or ActionStatus.proposed
    rank = OPEN_ORDER.index(status) if status in OPEN_ORDER else len(OPEN_ORDER)
    return status is not ActionStatus.not_done, not action.overdue, rank, action.due or date.max


def _earlier(when: date | None, person: str, heading: str, text: str, track: m.Tracking, today: date) -> m.EarlierAction:
    return m.EarlierAction(
        marac_date=when,
        person=one_line(person, 120),
        heading=one_line(heading, 80),
        text=one_line(text, 400),
        owner_agency=track.owner_agency,
        owner=track.owner,
        due=track.due,
        status=track.status,
        status_date=track.status_date,
        note=track.note,
        agency=track.agency,
        overdue=track.due is not None and track.due < today,
        action_id=track.action_id,
    )


def build_pack(
    gathered: Gathered,
    expected: list[ExpectedAgency],
    decisions: Sequence[m.Decision] = (),
    *,
    marking: str = DEFAULT_MARKING,
    other_cases: OtherCases | None = None,
    now: datetime | None = None,
) -> m.Pack:
    """The Chair's brief for the gathered case."""
    now = now or datetime.now(timezone.utc)
    labels = {**_labels(gathered.earlier, expected), **_labels(gathered.current, expected)}
    parts = [Part(c, i, labels[c.sid]) for c in gathered.current for i in range(len(c.submission.perpetrators))]
    by_ref = {p.ref: p for p in parts}
    records = [_record(p, gathered.case_ref) for p in parts]
    found = matches(records)
    confirmed = [(d.a, d.b) for d in decisions if d.kind == "confirm"]
    split = [(d.a, d.b) for d in decisions if d.kind == "split"]
    people = cluster(records, found, confirmed, split)
    persons = []
    for n, group in enumerate(people.groups, start=1):
        members = set(group)
        links = [
            m.MatchLink(a=x.a, b=x.b, weight=x.weight, reasons=list(x.reasons),
                        decision="confirmed" if x.confirmed else "proposed")  # fmt: skip
            for x in people.links
            if x.a in members and x.b in members
        ]
        person = _person(f"P{n}", [by_ref[ref] for ref in group], links, now.date())
        if other_cases is not None:
            person.other_cases = other_cases([r for r in records if r.ref in members])
        persons.append(person)
    return m.Pack(
        case_ref=one_line(gathered.case_ref, 80),
        marac_date=gathered.marac_date,
        built_at=now,
        marking=one_line(marking, 80),
        contributors=[_contributor(c, labels[c.sid]) for c in gathered.current],
        people=persons,
        absent=_absent(expected, gathered.current),
        earlier_actions=_earlier_actions(gathered, labels, now.date()),
        decisions=list(decisions),
        notes=[one_line(n, 300) for n in gathered.notes],
    )
