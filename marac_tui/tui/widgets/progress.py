"""The progress sidebar: every section and item (per perpetrator), marked by state; select to jump.
Below it, the risk flags raised so far for each perpetrator.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from marac_tui.engine.interview import Interview, ProgressRow
from marac_tui.flow.spec import Flow
from marac_tui.tui.widgets.literal import literal

MARKS = {
    "current": ("▶", "bold reverse"),
    "answered": ("✓", ""),
    "found": ("●", ""),
    "nothing_held": ("∅", ""),
    "not_checked": ("?", "bold"),
    "not_applicable": ("–", "dim"),
    "pending": ("·", "dim"),
    "skipped": ("⤼", "dim strike"),
}
LEGEND = "▶ now ✓ answered ● found ∅ nothing held ? not checked – n/a · to do ⤼ skipped"


def in_asking_order(rows: list[ProgressRow], flow: Flow) -> list[ProgressRow]:
    """Progress rows in the order the interview asks them: case items, each perpetrator's block, the rest."""
    scopes = {s.id: s.scope for s in flow.sections}
    first_perp = next((i for i, r in enumerate(rows) if r.perpetrator is not None), len(rows))
    head = [r for r in rows[:first_perp] if scopes[r.section] == "case"]
    block = sorted((r for r in rows if r.perpetrator is not None), key=lambda r: r.perpetrator or 0)
    tail = [r for r in rows[first_perp:] if r.perpetrator is None]
    return head + block + tail


def short_prompt(prompt: str, limit: int = 34) -> str:
    first = re.sub(r"[*_`#>\[\]]", "", prompt.strip().splitlines()[0] if prompt.strip() else "")
    return first if len(first) <= limit else first[: limit - 1] + "…"


class ProgressSidebar(Vertical):
    """Sections and items with their state, and the risk flags raised."""

    class JumpRequested(Message):
        """The user picked an item in the sidebar."""

        def __init__(self, item_id: str, perpetrator: int | None) -> None:
            super().__init__()
            self.item_id = item_id
            self.perpetrator = perpetrator

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._leaves: dict[tuple[str, int | None], TreeNode] = {}
        self._shape: list[tuple[str, str, int | None]] = []
        self._states: dict[tuple[str, int | None], str] = {}
        self._names: list[str] = []
        self._risks_shown: str | None = None

    def compose(self) -> ComposeResult:
        tree: Tree[tuple[str, int | None]] = Tree("Progress", id="progress-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static(LEGEND, classes="legend")
        yield Static("", id="risk-flags")

    def show(self, interview: Interview) -> None:
        """Bring the sidebar up to date; rebuilds only when the shape (perpetrators) changed."""
        rows = interview.progress()
        shape = [(r.section, r.item, r.perpetrator) for r in rows]
        names = [interview.perpetrator_name(i) for i in range(len(interview.submission.perpetrators))]
        if shape != self._shape or names != self._names:
            self._build(interview, rows)
            self._shape, self._names = shape, names
        else:
            for row in rows:  # relabel only what changed: a Tree refresh per leaf is not free
                if self._states.get((row.item, row.perpetrator)) != row.state:
                    self._leaves[(row.item, row.perpetrator)].set_label(self._label(interview, row))
        self._states = {(r.item, r.perpetrator): r.state for r in rows}
        self._show_current(interview)
        self._show_risks(interview)

    def _label(self, interview: Interview, row: ProgressRow) -> Text:
        mark, style = MARKS.get(row.state, ("·", ""))
        item = interview.flow.item(row.item)
        return Text.assemble((f"{mark} ", style), (short_prompt(item.prompt), style))

    def _build(self, interview: Interview, rows: list[ProgressRow]) -> None:
        tree = self.query_one("#progress-tree", Tree)
        tree.clear()
        self._leaves = {}
        sections = {s.id: s for s in interview.flow.sections}
        people: dict[int, TreeNode] = {}
        parents: dict[tuple[str, int | None], TreeNode] = {}
        order = in_asking_order(rows, interview.flow)
        for row in order:
            key = (row.section, row.perpetrator)
            if key not in parents:
                title = sections[row.section].title
                if row.perpetrator is None:
                    parents[key] = tree.root.add(Text(title, style="bold"), expand=True)
                else:
                    if row.perpetrator not in people:
                        name = interview.perpetrator_name(row.perpetrator)
                        people[row.perpetrator] = tree.root.add(literal(name, 60, style="bold"), expand=True)
                    parents[key] = people[row.perpetrator].add(Text(title), expand=False)
            leaf = parents[key].add_leaf(self._label(interview, row), data=(row.item, row.perpetrator))
            self._leaves[(row.item, row.perpetrator)] = leaf

    def _show_current(self, interview: Interview) -> None:
        if interview.done:
            return
        leaf = self._leaves.get((interview.state, interview.current_scope))
        if leaf is None:
            return
        node = leaf.parent
        while node is not None:
            if not node.is_expanded:  # expanding an open node still re-lays the whole tree out
                node.expand()
            node = node.parent
        tree = self.query_one("#progress-tree", Tree)
        tree.call_after_refresh(tree.scroll_to_node, leaf, animate=False)

    def _show_risks(self, interview: Interview) -> None:
        text = Text("Risk flags raised\n", style="bold")
        any_raised = False
        for index, person in enumerate(interview.submission.perpetrators):
            if person.risks:
                any_raised = True
                text.append_text(literal(interview.perpetrator_name(index), 60, style="underline"))
                text.append("\n")
                for risk in person.risks:
                    text.append(f" ⚑ {risk.title}\n")
        if not any_raised:
            text.append("none yet", style="dim")
        if text.plain != self._risks_shown:
            self._risks_shown = text.plain
            self.query_one("#risk-flags", Static).update(text)

    @on(Tree.NodeSelected)
    def _jump(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            item_id, perpetrator = event.node.data
            self.post_message(self.JumpRequested(item_id, perpetrator))
