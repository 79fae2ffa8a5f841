"""Compare a trainee's submission with a scenario's model submission, item by item.

Scoring, per item the model answered (points are fixed by the model, so totals compare):
- finding (1): model *found* → trainee found, scaled by how close the value is; model *nothing
  held* → trainee also nothing held. Case and name items score their value the same way.
- source (1): the trainee recorded a source and a date checked (when the model has them).
- basis (1): fact/opinion as the model has it.
- sharing (1, when either side withheld): both withheld.
- actions: one point per risk flag of the model's perpetrator that a trainee action addresses,
  plus one for at least one action addressing the perpetrator's behaviour.
Perpetrators are matched by name when both are named, otherwise by order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from marac_tui.submission import HEADER_ITEMS
from marac_tui.flow.spec import NO, Flow, Item, Kind
from marac_tui.flow.values import display
from marac_tui.submission import Answer, Perpetrator, Status, Submission
from marac_tui.training.check import actions_item, addresses_perpetrator, load_words

CHECKED = (Status.found, Status.nothing_held)
FULL = 0.999


def percent(earned: float, possible: float) -> int:
    """Whole percent; 100 only when nothing was lost, so a small slip never rounds up to perfect."""
    if earned >= possible:
        return 100
    return min(99, round(100 * earned / possible))


@dataclass
class ItemResult:
    """One item for one perpetrator (None for the case): what happened and the points."""

    section: str
    item: str
    perpetrator: int | None
    outcome: str  # found, partly, missed, agreed, not_checked, added, differs
    earned: float
    possible: float
    trainee: str
    model: str
    notes: list[str] = field(default_factory=list)
    source_points: tuple[float, float] = (0, 0)
    basis_points: tuple[float, float] = (0, 0)
    share_points: tuple[float, float] = (0, 0)


@dataclass
class SectionScore:
    id: str
    title: str
    earned: float = 0
    possible: float = 0

    @property
    def percent(self) -> int | None:
        return None if not self.possible else percent(self.earned, self.possible)


@dataclass
class PerpetratorMatch:
    model_index: int
    trainee_index: int | None
    model_name: str
    trainee_name: str | None
    model_risks: list[str]
    raised: list[str]
    addressed: list[str]


@dataclass
class Comparison:
    scenario: str | None
    title: str | None
    items: list[ItemResult]
    sections: list[SectionScore]
    perpetrators: list[PerpetratorMatch]
    extra_perpetrators: list[str]
    strengths: list[str] = field(default_factory=list)
    look_again: list[str] = field(default_factory=list)

    @property
    def earned(self) -> float:
        return sum(r.earned for r in self.items)

    @property
    def possible(self) -> float:
        return sum(r.possible for r in self.items)

    @property
    def percent(self) -> int:
        return 100 if not self.possible else percent(self.earned, self.possible)

    def who(self, perpetrator: int | None) -> str:
        return "Case" if perpetrator is None else self.perpetrators[perpetrator].model_name

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["percent"] = self.percent
        data["sections"] = [{**asdict(s), "percent": s.percent} for s in self.sections]
        return data


# --- values ---------------------------------------------------------------------------------------


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def value_score(item: Item, model: Any, trainee: Any) -> float:
    """How close the trainee's value is to the model's, from 0 to 1."""
    if model is None or model == [] or model == "":
        return 1.0 if trainee in (None, [], "") else 0.0
    if trainee is None:
        return 0.0
    match item.kind:
        case Kind.longtext:
            return 1.0  # free text: finding it is what counts; the debrief shows both wordings
        case Kind.text:
            a, b = _norm(model), _norm(trainee)
            return 1.0 if a == b or (b and (a in b or b in a)) else 0.5
        case Kind.multichoice:
            wanted, ticked = set(model), set(trainee or [])
            return len(wanted & ticked) / len(wanted | ticked) if wanted | ticked else 1.0
        case Kind.repeat:
            first = item.fields[0].id if item.fields else None
            keys = {_norm(e.get(first, "")) for e in trainee if isinstance(e, dict)}
            return sum(_norm(e.get(first, "")) in keys for e in model) / len(model)
        case Kind.group:
            fields = item.fields or []
            return sum(value_score(f, model.get(f.id), (trainee or {}).get(f.id)) for f in fields) / max(len(fields), 1)
    return 1.0 if _norm(model) == _norm(trainee) else 0.0


def _repeat_notes(item: Item, model: list[dict[str, Any]], trainee: list[dict[str, Any]] | None) -> list[str]:
    first = item.fields[0].id if item.fields else ""
    have = {_norm(e.get(first, "")) for e in trainee or []}
    want = {_norm(e.get(first, "")) for e in model}
    notes = [f"missing entry: {e.get(first)}" for e in model if _norm(e.get(first, "")) not in have]
    notes += [f"entry not in the model: {e.get(first)}" for e in trainee or [] if _norm(e.get(first, "")) not in want]
    return notes


def _shown(item: Item, answer: Answer | None) -> str:
    if answer is None:
        return "not answered"
    status = answer.status
    if status in (Status.not_checked, Status.not_applicable):
        return status.value.replace("_", " ")
    text = display(item, answer.value)
    if status == Status.nothing_held and answer.value in (None, [], NO):
        text = "nothing held"
    return f"{text} ({answer.source})" if answer.source else text


# --- matching -------------------------------------------------------------------------------------


def match_perpetrators(model: list[Perpetrator], trainee: list[Perpetrator], name_item: str | None) -> dict[int, int]:
    """model index → trainee index: same name first (when both are named), then by order."""

    def name(p: Perpetrator) -> str:
        answer = p.answers.get(name_item or "")
        return _norm(answer.value) if answer is not None and isinstance(answer.value, str) else ""

    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, mp in enumerate(model):
        for j, tp in enumerate(trainee):
            if j not in used and name(mp) and name(mp) == name(tp):
                pairs[i] = j
                used.add(j)
                break
    for i in range(len(model)):
        if i not in pairs and i < len(trainee) and i not in used:
            pairs[i] = i
            used.add(i)
    return pairs


# --- scoring --------------------------------------------------------------------------------------


def _score_item(flow: Flow, item: Item, scope: int | None, m: Answer | None, t: Answer | None) -> ItemResult | None:
    section = flow.section_of(item.id).id
    shown = (_shown(item, t), _shown(item, m))
    research = flow.is_research(item.id)
    model_status = m.status if m is not None else None
    if m is None or (research and model_status not in CHECKED):
        if t is not None and (t.status == Status.found if research else t.value not in (None, [], "")):
            return ItemResult(section, item.id, scope, "added", 0, 0, *shown, ["the model has nothing for this item"])
        return None
    if not research:
        score = value_score(item, m.value, t.value if t else None)
        outcome = "agreed" if score >= FULL else ("missed" if t is None else "differs")
        return ItemResult(section, item.id, scope, outcome, score, 1, *shown)
    given = t if t is not None and t.status in CHECKED else None  # the trainee checked this item
    notes: list[str] = []
    if model_status == Status.found:
        score = value_score(item, m.value, t.value) if t is not None and t.status == Status.found else 0.0
        outcome = "missed" if not score else ("found" if score >= FULL else "partly")
        if item.kind == Kind.repeat and t is not None and t.status == Status.found:
            notes += _repeat_notes(item, m.value or [], t.value)
    else:
        score = 1.0 if t is not None and t.status == Status.nothing_held else 0.0
        outcome = "agreed" if score else ("added" if t is not None and t.status == Status.found else "not_checked")
    source = (1.0 if given and given.source and given.checked_on else 0.0, 1.0) if m.source and m.checked_on else (0.0, 0.0)
    basis = (1.0 if given and given.basis == m.basis else 0.0, 1.0) if m.basis else (0.0, 0.0)
    trainee_withheld = t is not None and not t.share
    share = (0.0, 0.0)
    if not m.share or trainee_withheld:
        share = (1.0 if (not m.share and trainee_withheld) else 0.0, 1.0)
        if not m.share and not trainee_withheld:
            notes.append(f"the model withholds this: {m.withhold_reason}")
        elif m.share and trainee_withheld:
            notes.append("you withheld this; the model shares it")
    if given and m.basis and given.basis != m.basis:
        notes.append(f"the model records this as {m.basis.value}")
    if given and not (given.source and given.checked_on):
        notes.append("no source or date checked")
    earned = score + source[0] + basis[0] + share[0]
    possible = 1 + source[1] + basis[1] + share[1]
    return ItemResult(section, item.id, scope, outcome, earned, possible, *shown, notes, source, basis, share)


def _score_actions(flow: Flow, item_id: str, scope: int, mp: Perpetrator, tp: Perpetrator | None, words: Any) -> ItemResult:
    section = flow.section_of(item_id).id
    actions = tp.actions(item_id) if tp is not None else []
    addressed = {r for a in actions for r in a.addresses}
    wanted = list(mp.risks)
    hits = [r for r in wanted if r.id in addressed]
    names = tuple(n for n in (tp.name(flow.perpetrators.name_item, scope).split() if tp else []) if len(n) > 2)
    behaviour = any(addresses_perpetrator(a, words, names) for a in actions)
    earned, possible = len(hits) + (1 if behaviour else 0), len(wanted) + 1
    notes = [f"no action addresses: {r.title}" for r in wanted if r.id not in addressed]
    if not behaviour:
        notes.append("no action addresses the perpetrator's behaviour")
    outcome = "found" if earned == possible else ("partly" if earned else "missed")
    trainee = f"{len(actions)} action(s)" if tp is not None else "not answered"
    return ItemResult(section, item_id, scope, outcome, earned, possible, trainee, f"{len(mp.actions(item_id))} action(s)", notes)


def compare(submission: Submission, model: Submission, flow: Flow, title: str | None = None) -> Comparison:
    """Score `submission` against the scenario's `model`, item by item and per section."""
    from marac_tui.training.debrief import look_again, strengths

    name_item = flow.perpetrators.name_item
    pairs = match_perpetrators(model.perpetrators, submission.perpetrators, name_item)
    act_id = actions_item(flow)
    words = load_words(flow)
    items: list[ItemResult] = []
    matches: list[PerpetratorMatch] = []
    for section, item in flow.all_items():
        if section.scope != "case" or item.id in HEADER_ITEMS:
            continue
        result = _score_item(flow, item, None, model.answers.get(item.id), submission.answers.get(item.id))
        if result is not None:
            items.append(result)
    for i, mp in enumerate(model.perpetrators):
        j = pairs.get(i)
        tp = submission.perpetrators[j] if j is not None else None
        for section, item in flow.all_items():
            if section.scope != "perpetrator":
                continue
            if item.id == act_id:
                items.append(_score_actions(flow, item.id, i, mp, tp, words))
                continue
            result = _score_item(flow, item, i, mp.answers.get(item.id), tp.answers.get(item.id) if tp else None)
            if result is not None:
                items.append(result)
        addressed = {r for a in (tp.actions(act_id) if tp and act_id else []) for r in a.addresses}
        matches.append(
            PerpetratorMatch(
                model_index=i,
                trainee_index=j,
                model_name=mp.name(name_item, i),
                trainee_name=tp.name(name_item, j) if tp is not None and j is not None else None,
                model_risks=[r.title for r in mp.risks],
                raised=[r.title for r in mp.risks if tp is not None and r.id in {x.id for x in tp.risks}],
                addressed=[r.title for r in mp.risks if r.id in addressed],
            )
        )
    extra = [p.name(name_item, j) for j, p in enumerate(submission.perpetrators) if j not in pairs.values()]
    sections = [SectionScore(s.id, s.title) for s in flow.sections]
    by_id = {s.id: s for s in sections}
    for result in items:
        by_id[result.section].earned += result.earned
        by_id[result.section].possible += result.possible
    comparison = Comparison(
        scenario=model.training,
        title=title,
        items=items,
        sections=[s for s in sections if s.possible],
        perpetrators=matches,
        extra_perpetrators=extra,
    )
    comparison.strengths = strengths(comparison, flow)
    comparison.look_again = look_again(comparison, flow)
    return comparison
