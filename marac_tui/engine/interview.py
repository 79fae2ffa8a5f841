"""The interview: one submission walked through one flow. No UI; the TUI and `run` both drive it.

It validates answers, records them with their provenance, re-applies skip logic when an earlier
answer changes, computes the Chair's risk flags, and reports every change to `on_change`
(the store autosaves there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marac_tui.engine import asked, chair
from marac_tui.engine.chair import Suggestion
from marac_tui.engine.machine import DONE, FlowMachine
from marac_tui.engine.provenance import AnswerMeta, Prefill, default_meta, meta_fields, prefill, validate_meta
from marac_tui.engine.upgrade import upgrade
from marac_tui.flow.expr import compile_expression
from marac_tui.flow.spec import Flow, Item
from marac_tui.flow.values import AnswerError, coerce
from marac_tui.submission import HEADER_ITEMS, Answer, CaseHeader, FlowRef, Perpetrator, Position, RiskFlag, Status, Submission

__all__ = ["AnswerMeta", "Change", "Interview", "ProgressRow", "Suggestion"]


@dataclass(frozen=True)
class Change:
    """One recorded change: the item, whose research it is (None for the case), old → new."""

    item: str
    perpetrator: int | None
    old: Any
    new: Any


@dataclass(frozen=True)
class ProgressRow:
    """One line of the progress sidebar."""

    section: str
    item: str
    perpetrator: int | None
    state: str  # current, answered, found, nothing_held, not_checked, not_applicable, pending, skipped


@dataclass
class _MachineModel:
    state: str = field(default="")


class Interview:
    """Walk a submission through a flow with a transitions machine."""

    def __init__(
        self,
        flow: Flow,
        submission: Submission | None = None,
        on_change: Callable[[Interview, list[Change]], None] | None = None,
        prefill: bool = True,
    ) -> None:
        self.flow = flow
        self.prefill = prefill
        self.submission = submission or Submission(flow=FlowRef(name=flow.name, version=flow.version, title=flow.title))
        self.on_change = on_change
        # A draft begun with an earlier version of the flow is brought up to it (saved with the next change).
        self._upgrade = [Change(*c) for c in upgrade(flow, self.submission)]
        self.perpetrator = 0
        self.warnings: list[str] = []
        self._spec = FlowMachine(flow, self)
        self._model = _MachineModel()
        position = self.submission.position
        started = bool(self.submission.answers) or any(p.answers for p in self.submission.perpetrators)
        if position is not None and position.item in self._spec.states:
            initial = position.item
            self.perpetrator = min(position.perpetrator, self.perpetrator_count() - 1)
        else:
            initial = DONE if started else self._spec.order[0]
        self.machine = self._spec.build(self._model, initial)
        if self.current is not None and not self.relevant(self.current.id, self.perpetrator):
            self._model.skip()  # type: ignore[attr-defined]
        self._sync()

    # --- where we are --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._model.state

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def current(self) -> Item | None:
        return None if self.done else self.flow.item(self.state)

    @property
    def current_scope(self) -> int | None:
        """The perpetrator index of the current item, or None for a case item."""
        return None if self.done or self._spec.scope[self.state] == "case" else self.perpetrator

    def answers_for(self, perpetrator: int | None) -> dict[str, Answer]:
        return self.submission.answers if perpetrator is None else self.submission.perpetrators[perpetrator].answers

    def answer_of(self, item_id: str, perpetrator: int | None = None) -> Answer | None:
        scope = None if self._spec.scope[item_id] == "case" else (perpetrator or 0)
        if scope is not None and scope >= len(self.submission.perpetrators):
            return None
        return self.answers_for(scope).get(item_id)

    @property
    def current_answer(self) -> Answer | None:
        return None if self.done else self.answer_of(self.state, self.perpetrator)

    def can_go_back(self) -> bool:
        return bool(self._model.may_back())  # type: ignore[attr-defined]

    # --- what the machine asks of us ------------------------------------------------------------

    def values(self, perpetrator: int | None) -> dict[str, Any]:
        """The values visible to expressions: case answers plus one perpetrator's."""
        return asked.values(self.submission, perpetrator)

    def relevant(self, item_id: str, perpetrator: int) -> bool:
        return asked.relevant(self.flow, self.submission, item_id, perpetrator)

    def perpetrator_count(self) -> int:
        return asked.perpetrator_count(self.flow, self.submission)

    def perpetrator_name(self, index: int) -> str:
        return self.submission.perpetrators[index].name(self.flow.perpetrators.name_item, index)

    # --- moving ---------------------------------------------------------------------------------

    def default_meta(self, item: Item, value: Any) -> AnswerMeta:
        """The one-keystroke defaults for a research answer to `item` (see `provenance.default_meta`)."""
        return default_meta(self.flow, self.submission, item.id, self.current_scope, value, self.prefill)

    def proposed(self, item_id: str, perpetrator: int | None, value: Any) -> Prefill:
        """The provenance the chat proposes for this answer, and where it came from (see `prefill`)."""
        scope = None if self._spec.scope[item_id] == "case" else (perpetrator or 0)
        return prefill(self.flow, self.submission, item_id, scope, value, date.today())

    def check(self, item: Item, raw: Any) -> Any:
        """Validate `raw` for `item` in the current scope; the stored value or AnswerError."""
        value = coerce(item, raw, self.flow)
        if item.constraint and value is not None:
            if not compile_expression(item.constraint).truth(self.values(self.current_scope), this=value):
                raise AnswerError(item.id, item.constraint_message or f"does not satisfy {item.constraint}")
        return value

    def kept_meta(self, item: Item, raw: Any) -> AnswerMeta | None:
        """Answering the current item again (after going back) keeps the provenance already recorded;
        if the value changed, the status and date checked are worked out afresh. None: nothing to keep."""
        old = self.current_answer
        if old is None or old.status is None:
            return None
        try:
            same = self.check(item, raw) == old.value
        except AnswerError:
            return None
        return AnswerMeta(
            status=old.status if same else None,
            source=old.source,
            checked_on=old.checked_on if same else None,
            basis=old.basis,
            share=old.share,
            withhold_reason=old.withhold_reason,
        )

    def answer(self, raw: Any, meta: AnswerMeta | None = None) -> list[str]:
        """Record an answer to the current item and move on; returns warnings (dropped answers)."""
        item = self._require_current()
        value = self.check(item, raw)
        self._record(item, value, meta)
        self._model.answer()  # type: ignore[attr-defined]
        return self._after_move()

    def skip(self) -> list[str]:
        """Move on without an answer: a research item is recorded as 'not checked'."""
        item = self._require_current()
        if item.required:
            raise AnswerError(item.id, "an answer is required")
        if self.flow.is_research(item.id) and self.current_answer is None:
            self._record(item, None, AnswerMeta(status=Status.not_checked), assume=False)
        self._model.skip()  # type: ignore[attr-defined]
        return self._after_move()

    def rest_not_checked(self, whole_perpetrator: bool = False) -> int:
        """Record every remaining research item of the current section (or of the current perpetrator's
        research) as not checked, and move past them; returns how many were recorded.

        Answers already given are kept. It stops early at an item that is not research and has no
        answer yet (the actions, say), so nothing but research is passed over.
        """
        start = self._require_current()
        section = self.flow.section_of(start.id)
        scope = self.current_scope
        if whole_perpetrator and scope is None:
            raise AnswerError(start.id, "this is a case item, not a perpetrator's research")

        def inside() -> bool:
            here = self.current
            if here is None or self.current_scope != scope:
                return False
            return whole_perpetrator or self.flow.section_of(here.id) is section

        recorded = 0
        while inside():
            item = self.current
            assert item is not None
            if not self.flow.is_research(item.id) and self.current_answer is None:
                break
            recorded += self.current_answer is None
            self.skip()
        return recorded

    def back(self) -> bool:
        """Go to the previous item that is asked; False at the start."""
        moved = bool(self._model.back())  # type: ignore[attr-defined]
        if moved:
            self._after_move()
        return moved

    def jump(self, item_id: str, perpetrator: int = 0) -> None:
        """Go straight to an item (from the sidebar or the review); refuses one that is not asked."""
        if not self.flow.has_item(item_id):
            raise AnswerError(item_id, "no such item in this flow")
        scope = self._spec.scope[item_id]
        perpetrator = 0 if scope == "case" else perpetrator
        if perpetrator >= self.perpetrator_count():
            raise AnswerError(item_id, f"there is no perpetrator {perpetrator + 1}")
        if not self.relevant(item_id, perpetrator):
            raise AnswerError(item_id, "not asked, given the answers so far")
        self.perpetrator = perpetrator
        self.machine.set_state(item_id, model=self._model)
        self._after_move()

    def set_meta(self, item_id: str, perpetrator: int | None, meta: AnswerMeta, *, need_reason: bool = True) -> None:
        """Change the provenance of an existing answer (status, source, date, basis, sharing).
        `need_reason=False` keeps a withholding whose reason is still to come (the app is closing):
        the review lists it as a gap."""
        scope = None if self._spec.scope[item_id] == "case" else (perpetrator or 0)
        answers = self.answers_for(scope)
        old = answers.get(item_id)
        if old is None:
            raise AnswerError(item_id, "answer the item before describing its source")
        validate_meta(item_id, meta, need_reason)
        new = old.model_copy(update=meta_fields(meta))
        answers[item_id] = new
        self._notify([Change(item_id, scope, old.model_dump(mode="json"), new.model_dump(mode="json"))])

    # --- the Chair's view -----------------------------------------------------------------------

    def compute_risks(self, perpetrator: int) -> list[RiskFlag]:
        return chair.compute_risks(self.flow, self.values(perpetrator))

    def suggestions(self, perpetrator: int) -> list[Suggestion]:
        """The flow's actions that fit this perpetrator, each with its reasons."""
        return chair.suggestions(self.flow, self.submission.perpetrators[perpetrator].risks, self.values(perpetrator))

    def progress(self) -> list[ProgressRow]:
        """Every item's state, per perpetrator for theirs (each scope's values gathered once)."""
        count = self.perpetrator_count()
        visible = {scope: asked.values(self.submission, scope) for scope in [None, *range(count)]}
        rows = []
        for section, item in self.flow.all_items():
            scopes: list[int | None] = [None] if section.scope == "case" else list(range(count))
            for scope in scopes:
                rows.append(ProgressRow(section.id, item.id, scope, self._item_state(item, scope, visible[scope])))
        return rows

    def _item_state(self, item: Item, scope: int | None, visible: dict[str, Any]) -> str:
        if not self.done and item.id == self.state and (scope is None or scope == self.perpetrator):
            return "current"
        if item.when is not None and not compile_expression(item.when).truth(visible):
            return "skipped"
        answer = self.answer_of(item.id, scope)
        if answer is None:
            return "pending"
        return answer.status.value if answer.status else "answered"

    # --- internals -------------------------------------------------------------------------------

    def _require_current(self) -> Item:
        if self.current is None:
            raise AnswerError("interview", "the interview is complete; go back or jump to an item to change it")
        return self.current

    def _record(self, item: Item, value: Any, meta: AnswerMeta | None, assume: bool = True) -> None:
        """Store an answer; `assume=False` records only what `meta` says (a skip checked nothing)."""
        scope = self.current_scope
        answers = self.answers_for(scope)
        old = answers.get(item.id)
        if self.flow.is_research(item.id):
            base = self.default_meta(item, value) if assume else AnswerMeta()
            if meta is not None:
                base = base.merged(**{k: v for k, v in meta.__dict__.items() if k != "share"})
                base.share = meta.share
                base.withhold_reason = meta.withhold_reason
            validate_meta(item.id, base)
            new = Answer(value=value, **meta_fields(base))
            if old is not None and old.carried_from and new.status is Status.not_checked:
                new.carried_from = old.carried_from  # carried forward, and still to be re-checked
        else:
            new = Answer(value=value)
        answers[item.id] = new
        self._pending = [Change(item.id, scope, old.model_dump(mode="json") if old else None, new.model_dump(mode="json"))]

    def _after_move(self) -> list[str]:
        changes = getattr(self, "_pending", [])
        self._pending = []
        warnings = self._prune(changes)
        self._sync()
        self._notify(changes)
        self.warnings = warnings
        return warnings

    def _prune(self, changes: list[Change]) -> list[str]:
        """Re-apply skip logic everywhere: drop answers to items no longer asked."""
        warnings = []
        count = self.perpetrator_count()
        perpetrators = self.submission.perpetrators
        while len(perpetrators) < count:
            perpetrators.append(Perpetrator())
        while len(perpetrators) > count:
            dropped = perpetrators.pop()
            if dropped.answers:
                index = len(perpetrators)
                warnings.append(f"dropped the research on {dropped.name(self.flow.perpetrators.name_item, index)}")
                changes.append(Change("*", index, {k: a.value for k, a in dropped.answers.items()}, None))
        self.perpetrator = min(self.perpetrator, count - 1)
        # One pass in flow order is enough: a `when` reads only earlier items (flow check enforces it).
        # Each scope's values are gathered once and kept in step with what the pass removes.
        visible = {scope: asked.values(self.submission, scope) for scope in [None, *range(count)]}
        for section, item in self.flow.all_items():
            scopes: list[int | None] = [None] if section.scope == "case" else list(range(count))
            for scope in scopes:
                answers = self.answers_for(scope)
                if item.id in answers and item.when is not None and not compile_expression(item.when).truth(visible[scope]):
                    old = answers.pop(item.id)
                    for seen, values in visible.items():
                        if scope is None or seen == scope:
                            values.pop(item.id, None)
                    who = "" if scope is None else f" for {self.perpetrator_name(scope)}"
                    warnings.append(f"dropped the answer to {item.id}{who}: no longer asked")
                    changes.append(Change(item.id, scope, old.model_dump(mode="json"), None))
        return warnings

    def _sync(self) -> None:
        """Keep the derived parts of the submission (header, risks, position) up to date."""
        header = {k: self.submission.answers[k].value for k in HEADER_ITEMS if k in self.submission.answers}
        self.submission.header = CaseHeader(**header)
        for index, perpetrator in enumerate(self.submission.perpetrators):
            perpetrator.risks = self.compute_risks(index)
        self.submission.position = None if self.done else Position(item=self.state, perpetrator=self.perpetrator)
        self.submission.touch()

    def _notify(self, changes: list[Change]) -> None:
        if self.on_change is not None:
            changes, self._upgrade = [*self._upgrade, *changes], []
            self.on_change(self, changes)
