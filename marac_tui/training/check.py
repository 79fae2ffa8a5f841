"""The practice check: advice on how well a submission was researched, not whether it is valid.

It runs on any submission (training or real). Each finding names the rule, the item, whose research
it is, what is wrong, and why it matters in one sentence read from `prompts/practice/<rule>.md`.
The word lists the rules use live in `prompts/practice/words.yaml`, so a trainer can tune them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from marac_tui.errors import UserError
from marac_tui.flow.expr import compile_expression
from marac_tui.flow.spec import UNKNOWN, Flow, Item, Kind
from marac_tui.paths import prompts_dir
from marac_tui.submission import Action, Answer, Basis, Perpetrator, Status, Submission

PRACTICE_DIR = "practice"
CHECKED = (Status.found, Status.nothing_held)
TEXT_KINDS = {Kind.text, Kind.longtext, Kind.repeat, Kind.group}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES = (
    Rule("not_checked", "Items not checked"),
    Rule("no_source", "No source or date checked"),
    Rule("opinion_as_fact", "Opinion recorded as fact"),
    Rule("withheld_no_reason", "Withheld without a reason"),
    Rule("risk_without_action", "Risk with no action addressing it"),
    Rule("victim_only_actions", "No action addresses the perpetrator's behaviour"),
    Rule("more_than_one_unconfirmed", "More than one perpetrator not confirmed"),
)
RULE_TITLES = {rule.id: rule.title for rule in RULES}


@dataclass(frozen=True)
class Finding:
    """One piece of advice: rule, item, perpetrator index (None for the case), what, and why."""

    rule: str
    item: str | None
    perpetrator: int | None
    message: str
    why: str

    @property
    def title(self) -> str:
        return RULE_TITLES.get(self.rule, self.rule)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "title": self.title}


@dataclass(frozen=True)
class Words:
    """The configurable word lists (see prompts/practice/words.yaml)."""

    opinion: tuple[str, ...]
    victim: tuple[str, ...]
    perpetrator: tuple[str, ...]
    placeholder_reasons: tuple[str, ...]

    def pattern(self, name: str) -> re.Pattern[str]:
        return _word_pattern(getattr(self, name))


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words or phrases, case-insensitive; spaces in a phrase match any run of whitespace."""
    alternatives = sorted((r"\s+".join(map(re.escape, w.split())) for w in words if w.strip()), key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def _practice_file(flow: Flow | None, name: str) -> Path:
    """prompts/practice/<name> next to the flow if a trainer put one there, else the shipped one."""
    root = getattr(flow, "_prompts_root", None) if flow is not None else None
    if root is not None and (Path(root) / PRACTICE_DIR / name).is_file():
        return Path(root) / PRACTICE_DIR / name
    return prompts_dir() / PRACTICE_DIR / name


@cache
def _load_words(path: Path) -> Words:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: cannot read the practice word lists: {exc}") from None

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise UserError(f"{path}: {key} must be a list of words or phrases (quote yes/no)")
        return tuple(value)

    return Words(words("opinion_words"), words("victim_words"), words("perpetrator_words"), words("placeholder_reasons"))


def load_words(flow: Flow | None = None) -> Words:
    return _load_words(_practice_file(flow, "words.yaml"))


@cache
def _why(path: Path) -> str:
    """The first paragraph of a practice prompt, on one line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip() and not p.lstrip().startswith("#")]
    return " ".join(paragraphs[0].split()) if paragraphs else ""


def why(rule: str, flow: Flow | None = None) -> str:
    """Why a rule matters, in one sentence, from prompts/practice/<rule>.md."""
    return _why(_practice_file(flow, f"{rule}.md"))


# --- helpers --------------------------------------------------------------------------------------


ACRONYMS = {
    "it": "IT", "pnc": "PNC", "pnd": "PND", "cp": "CP", "id": "ID", "ccb": "CCB", "dvds": "DVDS", "pdp": "PDP",
    "iom": "IOM", "matac": "MATAC", "visor": "ViSOR", "mappa": "MAPPA", "dash": "DASH", "dapo": "DAPO",
    "hdc": "HDC", "da": "DA", "asb": "ASB", "mha": "MHA", "cto": "CTO", "mh": "MH", "fgm": "FGM",
    "rosh": "RoSH", "cafcass": "Cafcass",
}  # fmt: skip


def label(item_id: str) -> str:
    """A short human name for an item id: `threats_to_kill` → "Threats to kill", `it_systems` → "IT systems"."""
    words = [ACRONYMS.get(w, w) for w in item_id.split("_")]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else text


def phrase(item_id: str) -> str:
    """The label for use inside a sentence: "threats to kill", "IT systems"."""
    first = item_id.split("_")[0]
    text = label(item_id)
    return text if first in ACRONYMS else text[0].lower() + text[1:]


def _relevant(item: Item, values: dict[str, Any]) -> bool:
    return item.when is None or compile_expression(item.when).truth(values)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def actions_item(flow: Flow) -> str | None:
    """The id of the perpetrator-scope actions item (normally `actions`)."""
    return next((i.id for s, i in flow.all_items() if s.scope == "perpetrator" and i.kind == Kind.actions), None)


def addresses_perpetrator(action: Action, words: Words, names: tuple[str, ...] = ()) -> bool:
    """Whether an action is about the perpetrator's behaviour rather than only the victim's safety.

    An action is *victim-only* when it addresses no risk flag, was not taken from the flow's
    suggestions, mentions a victim-support word (victim, IDVA, safety plan, refuge...) and mentions
    no perpetrator word (perpetrator, arrest, bail, MAPPA...) nor the perpetrator's name.
    Every other action counts as addressing the perpetrator.
    """
    if action.addresses or action.suggestion:
        return True
    text = action.text
    if words.pattern("perpetrator").search(text) or (names and _word_pattern(names).search(text)):
        return True
    return not words.pattern("victim").search(text)


def _name_parts(perpetrator: Perpetrator, name_item: str | None) -> tuple[str, ...]:
    answer = perpetrator.answers.get(name_item or "")
    if answer is None or not isinstance(answer.value, str):
        return ()
    return tuple(part for part in answer.value.split() if len(part) > 2)


# --- the rules ------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, submission: Submission, flow: Flow) -> None:
        self.submission = submission
        self.flow = flow
        self.words = load_words(flow)
        self.findings: list[Finding] = []

    def add(self, rule: str, item: str | None, perpetrator: int | None, message: str) -> None:
        self.findings.append(Finding(rule, item, perpetrator, message, why(rule, self.flow)))

    def scopes(self) -> list[tuple[int | None, dict[str, Answer], dict[str, Any]]]:
        case = self.submission.answers
        case_values = {k: a.value for k, a in case.items()}
        scopes: list[tuple[int | None, dict[str, Answer], dict[str, Any]]] = [(None, case, case_values)]
        for index, perpetrator in enumerate(self.submission.perpetrators):
            values = {**case_values, **{k: a.value for k, a in perpetrator.answers.items()}}
            scopes.append((index, perpetrator.answers, values))
        return scopes

    def run(self) -> list[Finding]:
        for scope, answers, values in self.scopes():
            wanted = "case" if scope is None else "perpetrator"
            for section, item in self.flow.all_items():
                if section.scope != wanted or not _relevant(item, values):
                    continue
                answer = answers.get(item.id)
                if self.flow.is_research(item.id):
                    self.research(item, scope, answer)
                if answer is not None:
                    self.withheld(item, scope, answer)
        self.actions()
        self.more_than_one()
        order = {rule.id: n for n, rule in enumerate(RULES)}
        return sorted(self.findings, key=lambda f: order[f.rule])

    def research(self, item: Item, scope: int | None, answer: Answer | None) -> None:
        if answer is None or answer.status in (None, Status.not_checked):
            how = "not answered yet" if answer is None else "marked not checked"
            self.add("not_checked", item.id, scope, f"{label(item.id)}: {how}")
            return
        if answer.status in CHECKED:
            missing = [what for what, have in (("no source", answer.source), ("no date checked", answer.checked_on)) if not have]
            if missing:
                self.add("no_source", item.id, scope, f"{label(item.id)}: {' and '.join(missing)}")
        if answer.basis == Basis.fact and item.kind in TEXT_KINDS:
            hits = list(
                dict.fromkeys(
                    m.group(0).lower() for s in _strings(answer.value) for m in self.words.pattern("opinion").finditer(s)
                )
            )
            if hits:
                quoted = ", ".join(f'"{h}"' for h in hits)
                self.add("opinion_as_fact", item.id, scope, f"{label(item.id)}: says {quoted} but is marked fact")

    def withheld(self, item: Item, scope: int | None, answer: Answer) -> None:
        if answer.share:
            return
        reason = " ".join((answer.withhold_reason or "").split())
        placeholders = {p.lower() for p in self.words.placeholder_reasons}
        if not re.search(r"\w", reason):
            self.add("withheld_no_reason", item.id, scope, f"{label(item.id)}: withheld with no reason")
        elif reason.lower().strip(" .") in placeholders:
            self.add(
                "withheld_no_reason", item.id, scope, f"{label(item.id)}: withheld, but the reason ({reason!r}) does not say why"
            )

    def actions(self) -> None:
        item_id = actions_item(self.flow)
        if item_id is None:
            return
        item = self.flow.item(item_id)
        case_values = {k: a.value for k, a in self.submission.answers.items()}
        for index, perpetrator in enumerate(self.submission.perpetrators):
            values = {**case_values, **{k: a.value for k, a in perpetrator.answers.items()}}
            if not _relevant(item, values):
                continue
            who = perpetrator.name(self.flow.perpetrators.name_item, index)
            for risk in perpetrator.gaps(item_id):
                self.add("risk_without_action", item_id, index, f"risk \u201c{risk.title}\u201d has no action addressing it")
            actions = perpetrator.actions(item_id)
            names = _name_parts(perpetrator, self.flow.perpetrators.name_item)
            if not any(addresses_perpetrator(a, self.words, names) for a in actions):
                if actions:
                    message = f"all {len(actions)} action(s) are about the victim's safety; none addresses {who}'s behaviour"
                else:
                    message = f"no actions recorded; none addresses {who}'s behaviour"
                self.add("victim_only_actions", item_id, index, message)

    def more_than_one(self) -> None:
        if not self.flow.has_item("more_than_one"):
            return
        answer = self.submission.answers.get("more_than_one")
        if answer is None or answer.value in (None, "", UNKNOWN):
            state = "not answered" if answer is None or answer.value is None else f"answered {UNKNOWN!r}"
            self.add("more_than_one_unconfirmed", "more_than_one", None, f"More than one perpetrator: {state}")


def practice_check(submission: Submission, flow: Flow) -> list[Finding]:
    """Every finding for a submission, ordered by rule (see RULES)."""
    return _Checker(submission, flow).run()
