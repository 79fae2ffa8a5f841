"""The actions editor: take suggested actions for this perpetrator's risk flags, add your own
(heading, text, agency, risks addressed), and see which raised risk no action addresses yet.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from marac_tui.engine.chair import Suggestion
from marac_tui.flow.spec import Flow, Item
from marac_tui.submission import RiskFlag
from marac_tui.tui.widgets.answers import AnswerInput, ChecklistList
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal, one_line


class OwnActionForm(Vertical):
    """Your own action: heading, what, who, and the risks it addresses."""

    DEFAULT_CSS = """
    OwnActionForm { height: auto; }
    OwnActionForm Horizontal { height: auto; margin: 1 0 0 0; }
    OwnActionForm Static { width: 12; color: $text-muted; }
    OwnActionForm Static.wide { width: 1fr; margin: 1 0 0 0; }
    OwnActionForm Input { width: 1fr; margin: 0; }
    """

    def __init__(self, flow: Flow, risks: list[RiskFlag]) -> None:
        super().__init__(classes="entry-form")
        self.flow = flow
        self.risks = risks

    def compose(self) -> ComposeResult:
        headings = " · ".join(f"{n} {h.title}" for n, h in enumerate(self.flow.action_headings, 1))
        for label, placeholder, box in (
            ("Heading *", headings, "own-heading"),
            ("Action *", "What will be done", "own-text"),
            ("Agency", "Who will do it", "own-agency"),
        ):
            with Horizontal():
                yield Static(label)
                yield Input(placeholder=placeholder, id=box, compact=True)
        yield Static("Risks it addresses (Space to tick, Enter to save the action, Esc to cancel)", classes="wide")
        yield ChecklistList(*[Selection(Text(r.title), r.id) for r in self.risks], id="own-risks")

    def on_mount(self) -> None:
        for box in self.query(Input):
            quiet_cursor(box)
        self.query_one("#own-heading", Input).focus()

    def action(self) -> dict[str, Any]:
        """The action as entered; raises ValueError naming the first problem."""
        headings = self.flow.action_headings
        raw = self.query_one("#own-heading", Input).value.strip()
        heading = None
        if raw.isdigit() and 1 <= int(raw) <= len(headings):
            heading = headings[int(raw) - 1].id
        for h in headings:
            if raw.lower() in (h.id, h.title.lower()):
                heading = h.id
        if heading is None:
            raise ValueError(f"Heading: choose one of {', '.join(h.title for h in headings)} (or its number)")
        text = self.query_one("#own-text", Input).value.strip()
        if not text:
            raise ValueError("Action: say what will be done")
        action: dict[str, Any] = {"heading": heading, "text": text}
        agency = self.query_one("#own-agency", Input).value.strip()
        if agency:
            action["agency"] = agency
        action["addresses"] = list(self.query_one("#own-risks", SelectionList).selected)
        return action


class ActionsEditor(AnswerInput):
    """Suggested and own actions for one perpetrator; Enter (in the suggestions) sends them all."""

    BINDINGS = [
        Binding("a", "add_own", "Add own action", show=False),
        Binding("x,delete", "remove_own", "Remove", show=False),
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
        actions = list(value or [])
        self.taken = {a["suggestion"]: a for a in actions if a.get("suggestion")}
        self.own: list[dict[str, Any]] = [a for a in actions if not a.get("suggestion")]
        self.form_open = False

    def controls(self) -> ComposeResult:
        raised = ", ".join(r.title for r in self.risks) or "none so far"
        yield Static(literal(f"Risk flags raised for {self.who}: {raised}", 600), classes="risks-line")
        yield Static("", id="gaps")
        if self.suggestions:
            yield Static("Suggested actions (Space to take one):", classes="field-label")
            yield ChecklistList(
                *[Selection(self._suggestion_text(s), s.id, s.id in self.taken) for s in self.suggestions],
                id="suggestions",
            )
        yield Static("Your own actions (a to add, x to remove):", classes="field-label")
        yield OptionList(id="own-actions")
        yield Vertical(id="form-slot")

    def keys_help(self) -> str:
        return "Space take · a add your own · x remove · Enter (in the list) or Ctrl+J when done"

    def _suggestion_text(self, s: Suggestion) -> Text:
        owner = f" ({s.action.owner})" if s.action.owner else ""
        return Text(f"{self.flow.heading_title(s.action.heading)}: {s.action.text}{owner}")

    def on_mount(self) -> None:
        self._refresh()

    def focus_input(self) -> None:
        target = "#suggestions" if self.suggestions else "#own-actions"
        self.query_one(target).focus()

    def actions(self) -> list[dict[str, Any]]:
        """Taken suggestions (in the flow's order), then own actions."""
        raised = {r.id for r in self.risks}
        chosen = set(self.query_one("#suggestions", SelectionList).selected) if self.suggestions else set()
        result = []
        for s in self.suggestions:
            if s.id in chosen:
                addresses = [r for r in s.action.addresses if r in raised] or list(s.action.addresses)
                action = {"heading": s.action.heading, "text": s.action.text, "addresses": addresses, "suggestion": s.id}
                if s.action.owner:
                    action["agency"] = s.action.owner
                result.append(self.taken.get(s.id, action))
        return result + self.own

    def _refresh(self) -> None:
        own = self.query_one("#own-actions", OptionList)
        previous = own.highlighted or 0
        own.clear_options()
        own.add_options(
            [Option(one_line(f"{self.flow.heading_title(a['heading'])}: {a['text']}", 100)) for a in self.own]
        )
        own.display = bool(self.own)
        if self.own:
            own.highlighted = min(previous, len(self.own) - 1)
        addressed = {r for a in self.actions() for r in a.get("addresses", [])}
        gaps = [r.title for r in self.risks if r.id not in addressed]
        line = self.query_one("#gaps", Static)
        line.set_class(bool(gaps), "gap")
        if gaps:
            line.update(Text(f"No action yet addresses: {', '.join(gaps)}", style="bold"))
        elif self.risks:
            line.update(Text("Every risk flag raised has an action."))
        else:
            line.update(Text("No risk flags raised; add actions if the meeting needs them."))

    @on(SelectionList.SelectedChanged)
    def _taken_changed(self, event: SelectionList.SelectedChanged) -> None:
        if event.selection_list.id == "suggestions":
            self._refresh()

    @on(ChecklistList.Send)
    async def _send_or_save(self, event: ChecklistList.Send) -> None:
        event.stop()
        if self.form_open:
            await self._save_own()
        else:
            self.action_send()

    def action_send(self) -> None:
        if self.form_open:
            return
        self.submit(self.actions())

    async def action_add_own(self) -> None:
        if self.form_open:
            return
        self.form_open = True
        await self.query_one("#form-slot").mount(OwnActionForm(self.flow, self.risks))

    async def action_cancel(self) -> None:
        if not self.form_open:
            from textual.actions import SkipAction

            raise SkipAction()
        await self._close_form()

    async def _close_form(self) -> None:
        self.form_open = False
        self.clear_error()
        await self.query_one("#form-slot").remove_children()
        self._refresh()
        self.focus_input()

    def action_remove_own(self) -> None:
        own = self.query_one("#own-actions", OptionList)
        if not self.form_open and own.has_focus and own.highlighted is not None and self.own:
            del self.own[own.highlighted]
            self._refresh()

    @on(Input.Submitted)
    async def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["own-heading", "own-text", "own-agency"]
        index = order.index(event.input.id or "")
        target = f"#{order[index + 1]}" if index + 1 < len(order) else "#own-risks"
        self.query_one(target).focus()

    async def _save_own(self) -> None:
        try:
            action = self.query(OwnActionForm).first().action()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.own.append(action)
        await self._close_form()
