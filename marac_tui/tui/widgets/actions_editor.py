"""The actions editor: the plan for one perpetrator. Take the suggestions that fit (each shown in full,
with one line on why it is offered), add your own, and give every action its owner, due date and
status; a line at the top names each raised risk no action addresses yet.

While an action is being added or edited, its form takes the editor's whole room, so every field is
in view at 80×24 as at 120×40.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from marac_tui.engine.chair import Suggestion
from marac_tui.export.content import item_label
from marac_tui.flow.spec import Flow, Item
from marac_tui.flow.spec import Option as FlowOption
from marac_tui.flow.values import parse_date
from marac_tui.submission import ACTION_STATUS_LABELS, Action, ActionStatus, RiskFlag, StatusReport, new_action_id
from marac_tui.tui.widgets.answers import AnswerInput
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal
from marac_tui.tui.widgets.option_lists import TICKED, UNTICKED, Checklist

STATUSES = list(ActionStatus)


def _pick(raw: str, choices: list[tuple[str, str]], what: str) -> str:
    """A value from its number (1-based), its id or its label, case-insensitive; ValueError names the field."""
    text = raw.strip().lower()
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1][0]
    for value, label in choices:
        if text in (value.lower(), label.lower(), value.replace("_", " ")):
            return value
    numbered = ", ".join(f"{n} {label}" for n, (_, label) in enumerate(choices, 1))
    raise ValueError(f"{what}: choose one of {numbered}")


def _numbered(choices: list[tuple[str, str]]) -> str:
    return " · ".join(f"{n} {label}" for n, (_, label) in enumerate(choices, 1))


class SuggestionList(OptionList):
    """The suggestions that fit: each in full (wrapped, never cut) with its reason on the next line.
    Space (or a click) ticks [x] or unticks [ ]; Enter sends the plan. Letters are the editor's keys."""

    DEFAULT_CSS = """
    SuggestionList { height: auto; max-height: 40vh; }
    """
    BINDINGS = [
        Binding("space", "tick", "Take", show=False),
        Binding("enter", "send", "Done", show=False),
    ]

    class Changed(Message):
        """A suggestion was ticked or unticked."""

    def __init__(self, flow: Flow, suggestions: list[Suggestion], taken: set[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow = flow
        self.suggestions = suggestions
        self.ticked = {s.id for s in suggestions if s.id in taken}

    def on_mount(self) -> None:
        self.add_options([Option(self.prompt_for(s), id=s.id) for s in self.suggestions])
        self.highlighted = 0 if self.suggestions else None

    @property
    def selected(self) -> list[str]:
        """The ticked suggestion ids, in the flow's order."""
        return [s.id for s in self.suggestions if s.id in self.ticked]

    def prompt_for(self, s: Suggestion) -> Text:
        owner = f" ({s.action.owner})" if s.action.owner else ""
        ticked = s.id in self.ticked
        box = (TICKED, "bold") if ticked else (UNTICKED, "dim")
        head = f"{self.flow.heading_title(s.action.heading)}: {s.action.text}{owner}"
        reason = s.reason(lambda item_id: item_label(self.flow, item_id))
        return Text.assemble(box, " ", (head, "bold" if ticked else ""), "\n    ", ("why: " + reason, "italic"))

    def set_ticked(self, suggestion_id: str, ticked: bool) -> None:
        index = next(i for i, s in enumerate(self.suggestions) if s.id == suggestion_id)
        (self.ticked.add if ticked else self.ticked.discard)(suggestion_id)
        self.replace_option_prompt_at_index(index, self.prompt_for(self.suggestions[index]))

    def action_tick(self) -> None:
        if self.highlighted is None:
            return
        s = self.suggestions[self.highlighted]
        self.set_ticked(s.id, s.id not in self.ticked)
        self.post_message(self.Changed())

    def action_send(self) -> None:
        self.post_message(Checklist.Send())

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()


class ActionForm(Vertical):
    """One action: heading, what, owner agency and named owner, due date, status, risks it addresses.
    Enter moves to the next field; Enter in the risks list (or Ctrl+J anywhere) saves; Esc cancels."""

    DEFAULT_CSS = """
    ActionForm { height: auto; padding: 0 1; border: round $primary; }
    ActionForm Horizontal { height: auto; }
    ActionForm .field-name { width: 14; color: $text-muted; height: 1; }
    ActionForm Input { width: 1fr; margin: 0; }
    ActionForm .field-hint { color: $text-muted; height: auto; }
    ActionForm > .field-label { margin: 0; }
    ActionForm Checklist { height: auto; max-height: 100; }
    """
    FIELDS = ["form-heading", "form-text", "form-agency", "form-owner", "form-due", "form-status"]

    def __init__(self, flow: Flow, risks: list[RiskFlag], action: dict[str, Any] | None = None) -> None:
        super().__init__(classes="entry-form")
        self.flow = flow
        self.risks = risks
        self.editing = action
        self.headings = [(h.id, h.title) for h in flow.action_headings]
        self.statuses = [(s.value, ACTION_STATUS_LABELS[s]) for s in STATUSES]

    def compose(self) -> ComposeResult:
        a = self.editing or {}
        self.border_title = "Edit the action: owner, due date, status" if self.editing else "Add your own action"
        heading = next((t for h, t in self.headings if h == a.get("heading")), "")
        status = ACTION_STATUS_LABELS[ActionStatus(a.get("status", ActionStatus.proposed))]
        due = date.fromisoformat(a["due"]).strftime("%d/%m/%Y") if a.get("due") else ""
        rows = [
            ("Heading *", "form-heading", heading, _numbered(self.headings)),
            ("Action *", "form-text", a.get("text", ""), "What will be done"),
            ("Agency", "form-agency", a.get("agency", ""), "The agency that owns it"),
            ("Owner", "form-owner", a.get("owner", ""), "A named person, if agreed"),
            ("Due", "form-due", due, "DD/MM/YYYY, or leave empty"),
            ("Status", "form-status", status, _numbered(self.statuses)),
        ]
        for label, box, value, hint in rows:
            with Horizontal():
                yield Static(Text(label), classes="field-name")
                yield Input(value=value, placeholder=hint, id=box, compact=True)
        yield Static(Text(f"Headings: {_numbered(self.headings)}"), classes="field-hint")
        yield Static(Text(f"Status: {_numbered(self.statuses)}"), classes="field-hint")
        yield Static(Text("Risks it addresses (Space ticks [x] or unticks [ ]):"), classes="field-label")
        risk_options = [FlowOption(value=r.id, label=r.title) for r in self.risks]
        checklist = Checklist(id="form-risks")
        self._risk_options = (risk_options, [r for r in a.get("addresses", []) if r in {o.value for o in risk_options}])
        yield checklist

    def on_mount(self) -> None:
        for box in self.query(Input):
            quiet_cursor(box)
        options, ticked = self._risk_options
        self.query_one("#form-risks", Checklist).show_checklist(options, ticked)
        self.query_one("#form-heading", Input).focus()

    def _value(self, box: str) -> str:
        return self.query_one(f"#{box}", Input).value.strip()

    def action(self) -> dict[str, Any]:
        """The action as entered (as stored: JSON values); ValueError names the first field that is wrong."""
        heading = _pick(self._value("form-heading"), self.headings, "Heading")
        text = " ".join(self._value("form-text").split())
        if not text:
            raise ValueError("Action: say what will be done")
        due_text = self._value("form-due")
        try:
            due = parse_date(due_text) if due_text else None
        except ValueError as exc:
            raise ValueError(f"Due: {exc}") from None
        status = ActionStatus(_pick(self._value("form-status") or "1", self.statuses, "Status"))
        old = self.editing or {}
        action: dict[str, Any] = {
            **{k: v for k, v in old.items() if k in ("id", "suggestion", "status_date", "note", "history")},
            "heading": heading,
            "text": text,
            "addresses": self.query_one("#form-risks", Checklist).selected,
            "status": status.value,
        }
        for key, box in (("agency", "form-agency"), ("owner", "form-owner")):
            if value := " ".join(self._value(box).split()):
                action[key] = value
        if due is not None:
            action["due"] = due.isoformat()
        if status.value != old.get("status", ActionStatus.proposed.value) or (not old and status is not ActionStatus.proposed):
            today = date.today()
            report = StatusReport(status=status, on=today)
            action["status_date"] = today.isoformat()
            action["history"] = [*old.get("history", []), report.model_dump(mode="json", exclude_none=True)]
            action.pop("note", None)
        action.setdefault("id", new_action_id())
        return Action.model_validate(action).model_dump(mode="json", exclude_none=True)


class ActionsEditor(AnswerInput):
    """The plan for one perpetrator; Enter in the suggestions (or Ctrl+J) sends it."""

    TALL = True
    DEFAULT_CSS = """
    ActionsEditor #lists { height: auto; }
    ActionsEditor #plan { height: auto; max-height: 30vh; }
    ActionsEditor #form-slot { height: auto; }
    """
    BINDINGS = [
        Binding("a", "add_own", "Add own action", show=False),
        Binding("e", "edit", "Edit owner, due date, status", show=False),
        Binding("x,delete", "remove", "Remove", show=False),
        Binding("ctrl+enter,alt+enter,ctrl+j", "send", "Done", show=False),
        Binding("escape", "cancel", show=False),
    ]

    def __init__(self, item: Item, value: Any = None, *, flow: Flow, risks: list[RiskFlag],
                 suggestions: list[Suggestion], who: str = "") -> None:  # fmt: skip
        super().__init__(item, value)
        self.flow = flow
        self.risks = risks
        self.suggestions = suggestions
        self.who = who
        self.plan: list[dict[str, Any]] = [self._with_id(a) for a in (value or [])]
        self.form_open = False

    @staticmethod
    def _with_id(action: dict[str, Any]) -> dict[str, Any]:
        return action if action.get("id") else {**action, "id": new_action_id()}

    # --- layout ----------------------------------------------------------------------------------

    def controls(self) -> ComposeResult:
        raised = ", ".join(r.title for r in self.risks) or "none so far"
        with Vertical(id="lists"):
            yield Static(literal(f"Risk flags raised for {self.who}: {raised}", 600), classes="risks-line")
            yield Static("", id="gaps")
            if self.suggestions:
                yield Static(Text("Suggested actions that fit (Space takes one; each says why it is offered):"),
                             classes="field-label")  # fmt: skip
                yield SuggestionList(self.flow, self.suggestions, self._taken(), id="suggestions")
            yield Static(Text("The plan (a add your own · e owner, due date, status · x remove):"),
                         classes="field-label plan-label")  # fmt: skip
            yield OptionList(id="plan")
        yield Vertical(id="form-slot")

    def _taken(self) -> set[str]:
        return {a["suggestion"] for a in self.plan if a.get("suggestion")}

    ROOM = "90%"  # of the interview's body: the plan and its form need more room than one question

    def on_mount(self) -> None:
        super().on_mount()
        if self.parent is not None:
            self.parent.styles.max_height = self.ROOM
        for line in self.query("#lists > Static"):  # compact: the suggestions get the room (inline beats app.tcss)
            line.styles.margin = (1, 0, 0, 0) if line.has_class("plan-label") else 0
        self._refresh()

    def keys_help(self) -> str:
        if self.form_open:
            return "Enter next field · Space ticks a risk · Ctrl+J saves · Esc cancels"
        return "Space take · a add · e edit owner, due date, status · x remove · Enter (in the suggestions) or Ctrl+J when done"

    def _show_keys(self) -> None:
        self.query_one(".keys", Static).update(Text(self.keys_help()))

    def focus_target(self) -> Widget | None:
        if self.form_open:
            return self.query_one("#form-heading", Input)
        return self.query_one("#suggestions" if self.suggestions else "#plan")

    def actions(self) -> list[dict[str, Any]]:
        """The plan as it will be saved: taken suggestions in the flow's order, then the rest as added."""
        order = {s.id: n for n, s in enumerate(self.suggestions)}
        taken = sorted((a for a in self.plan if a.get("suggestion") in order), key=lambda a: order[a["suggestion"]])
        return taken + [a for a in self.plan if a.get("suggestion") not in order]

    def _plan_line(self, action: dict[str, Any]) -> Text:
        tracked = Action.model_validate(action)
        owners = " / ".join(x for x in (tracked.agency, tracked.owner) if x) or "no owner yet"
        status = ACTION_STATUS_LABELS[tracked.status]
        if tracked.status_date:
            status += f" (reported {tracked.status_date:%d %b %Y})"
        due = f"due {tracked.due:%d %b %Y}" if tracked.due else "no due date"
        head = f"{self.flow.heading_title(tracked.heading)}: {tracked.text}"
        return Text.assemble((head, "bold"), "\n    ", (f"{owners} · {due} · {status} · id {tracked.id}", "italic"))

    def _refresh(self) -> None:
        plan = self.query_one("#plan", OptionList)
        previous = plan.highlighted or 0
        plan.clear_options()
        actions = self.actions()
        plan.add_options([Option(self._plan_line(a), id=a["id"]) for a in actions])
        plan.display = bool(actions)
        if actions:
            plan.highlighted = min(previous, len(actions) - 1)
        addressed = {r for a in actions for r in a.get("addresses", [])}
        gaps = [r.title for r in self.risks if r.id not in addressed]
        line = self.query_one("#gaps", Static)
        line.set_class(bool(gaps), "gap")
        if gaps:
            line.update(Text(f"No action yet addresses: {', '.join(gaps)}", style="bold"))
        elif self.risks:
            line.update(Text("Every risk flag raised has an action."))
        else:
            line.update(Text("No risk flags raised; add actions if the meeting needs them."))

    # --- taking suggestions ----------------------------------------------------------------------

    @on(SuggestionList.Changed)
    def _taken_changed(self, event: SuggestionList.Changed) -> None:
        event.stop()
        ticked = set(self.query_one(SuggestionList).selected)
        self.plan = [a for a in self.plan if not a.get("suggestion") or a["suggestion"] in ticked or
                     a["suggestion"] not in {s.id for s in self.suggestions}]  # fmt: skip
        raised = {r.id for r in self.risks}
        for s in self.suggestions:
            if s.id in ticked and s.id not in self._taken():
                action: dict[str, Any] = {
                    "id": new_action_id(),
                    "heading": s.action.heading,
                    "text": s.action.text,
                    "addresses": [r for r in s.action.addresses if r in raised] or list(s.action.addresses),
                    "suggestion": s.id,
                    "status": ActionStatus.proposed.value,
                }
                if s.action.owner:
                    action["agency"] = s.action.owner
                self.plan.append(action)
        self._refresh()

    @on(Checklist.Send)
    async def _send_or_save(self, event: Checklist.Send) -> None:
        event.stop()
        if self.form_open:
            await self._save_form()
        else:
            self.action_send()

    @on(OptionList.OptionSelected, "#plan")
    async def _plan_enter(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.action_edit()

    def action_send(self) -> None:
        if self.form_open:
            self.run_worker(self._save_form())
            return
        self.submit(self.actions())

    # --- the form --------------------------------------------------------------------------------

    async def _open_form(self, action: dict[str, Any] | None) -> None:
        self.form_open = True
        self.clear_error()
        self.query_one("#lists").display = False
        self._show_keys()
        await self.query_one("#form-slot").mount(ActionForm(self.flow, self.risks, action))
        if isinstance(self.parent, Widget):
            self.parent.scroll_home(animate=False)

    async def action_add_own(self) -> None:
        if not self.form_open:
            await self._open_form(None)

    def _highlighted(self) -> dict[str, Any] | None:
        plan = self.query_one("#plan", OptionList)
        actions = self.actions()
        if plan.highlighted is None or not actions:
            return None
        return actions[min(plan.highlighted, len(actions) - 1)]

    async def action_edit(self) -> None:
        if self.form_open:
            return
        action = self._highlighted()
        if action is None or not self.query_one("#plan", OptionList).has_focus:
            self.show_error("Move to an action in the plan (Tab) to edit its owner, due date or status.")
            return
        await self._open_form(action)

    async def action_cancel(self) -> None:
        if not self.form_open:
            from textual.actions import SkipAction

            raise SkipAction()
        await self._close_form()

    async def _close_form(self) -> None:
        self.form_open = False
        self.clear_error()
        await self.query_one("#form-slot").remove_children()
        self.query_one("#lists").display = True
        self._show_keys()
        self._refresh()
        self.focus_input()

    def action_remove(self) -> None:
        plan = self.query_one("#plan", OptionList)
        action = self._highlighted()
        if self.form_open or not plan.has_focus or action is None:
            return
        self.plan = [a for a in self.plan if a["id"] != action["id"]]
        if action.get("suggestion") and self.suggestions:
            suggestions = self.query_one(SuggestionList)
            if action["suggestion"] in suggestions.ticked:
                suggestions.set_ticked(action["suggestion"], False)
        self._refresh()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        order = ActionForm.FIELDS
        index = order.index(event.input.id or "")
        target = f"#{order[index + 1]}" if index + 1 < len(order) else "#form-risks"
        self.query_one(target).focus()

    async def _save_form(self) -> None:
        form = self.query(ActionForm).first()
        try:
            action = form.action()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if form.editing is None:
            self.plan.append(action)
        else:
            self.plan = [action if a["id"] == action["id"] else a for a in self.plan]
        await self._close_form()
