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
from marac_tui.tui.widgets.scrollbar import strip_scrollbars

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
        self._leaves: dict[tuple[str, int | None], TreeNode[tuple[str, int | None]]] = {}
        self._rows: dict[tuple[str, int | None], ProgressRow] = {}  # every row, by (item, perpetrator)
        self._unbuilt: dict[int, list[ProgressRow]] = {}  # a collapsed section node's rows, by node id
        self._interview: Interview | None = None
        self._shape: list[tuple[str, str, int | None]] = []
        self._names: list[str] = []
        self._risks_shown: str | None = None

    def compose(self) -> ComposeResult:
        tree: Tree[tuple[str, int | None]] = Tree("Progress", id="progress-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static(LEGEND, classes="legend")
        yield Static("", id="risk-flags")

    def on_mount(self) -> None:
        strip_scrollbars(self.query_one("#progress-tree", Tree))

    def show(self, interview: Interview) -> None:
        """Bring the sidebar up to date; rebuilds only when the shape (perpetrators) changed."""
        self._interview = interview
        rows = interview.progress()
        shape = [(r.section, r.item, r.perpetrator) for r in rows]
        names = [interview.perpetrator_name(i) for i in range(len(interview.submission.perpetrators))]
        before, self._rows = self._rows, {(r.item, r.perpetrator): r for r in rows}
        if shape != self._shape or names != self._names:
            self._build(interview, rows)
            self._shape, self._names = shape, names
        else:
            for key, leaf in self._leaves.items():  # relabel only what changed: a Tree refresh per leaf is not free
                row = self._rows[key]
                if before[key].state != row.state:
                    leaf.set_label(self._label(interview, row))
        self._show_current(interview)
        self._show_risks(interview)

    def leaf(self, item_id: str, perpetrator: int | None = None) -> TreeNode[tuple[str, int | None]]:
        """The tree node of an item (its section's items are added if they were not yet)."""
        if (item_id, perpetrator) not in self._leaves:
            for node in self._all_nodes():
                if any((r.item, r.perpetrator) == (item_id, perpetrator) for r in self._unbuilt.get(node.id, [])):
                    self._add_leaves(node)
        return self._leaves[(item_id, perpetrator)]

    def labels(self) -> dict[tuple[str, int | None], str]:
        """Every item's label as the sidebar shows it (building collapsed sections' leaves)."""
        for node in self._all_nodes():
            self._add_leaves(node)
        return {key: str(leaf.label) for key, leaf in self._leaves.items()}

    def _all_nodes(self) -> list[TreeNode[tuple[str, int | None]]]:
        tree: Tree[tuple[str, int | None]] = self.query_one("#progress-tree", Tree)
        found, queue = [], list(tree.root.children)
        while queue:
            node = queue.pop()
            found.append(node)
            queue.extend(node.children)
        return found

    def _label(self, interview: Interview, row: ProgressRow) -> Text:
        mark, style = MARKS.get(row.state, ("·", ""))
        item = interview.flow.item(row.item)
        return Text.assemble((f"{mark} ", style), (short_prompt(item.prompt), style))

    def _build(self, interview: Interview, rows: list[ProgressRow]) -> None:
        """Sections and perpetrators now; a collapsed section's items when it is first opened (six
        perpetrators' research is hundreds of leaves nobody sees until they open the section)."""
        tree: Tree[tuple[str, int | None]] = self.query_one("#progress-tree", Tree)
        tree.clear()
        self._leaves, self._unbuilt = {}, {}
        sections = {s.id: s for s in interview.flow.sections}
        people: dict[int, TreeNode[tuple[str, int | None]]] = {}
        parents: dict[tuple[str, int | None], TreeNode[tuple[str, int | None]]] = {}
        for row in in_asking_order(rows, interview.flow):
            key = (row.section, row.perpetrator)
            if key not in parents:
                title = sections[row.section].title
                if row.perpetrator is None:
                    parents[key] = tree.root.add(Text(title, style="bold"), expand=True)
                else:
                    if row.perpetrator not in people:
                        name = interview.perpetrator_name(row.perpetrator)
                        people[row.perpetrator] = tree.root.add(literal(name, 60, style="bold"), expand=True)
                    parents[key] = people[row.perpetrator].add(Text(title), expand=False, allow_expand=True)
            self._unbuilt.setdefault(parents[key].id, []).append(row)
        for key, node in parents.items():
            if key[1] is None:  # case sections are open from the start
                self._add_leaves(node)

    def _add_leaves(self, node: TreeNode[tuple[str, int | None]]) -> None:
        interview = self._interview
        rows = self._unbuilt.pop(node.id, None)
        if rows is None or interview is None:
            return
        for row in rows:
            leaf = node.add_leaf(self._label(interview, self._rows[(row.item, row.perpetrator)]),
                                 data=(row.item, row.perpetrator))  # fmt: skip
            self._leaves[(row.item, row.perpetrator)] = leaf

    @on(Tree.NodeExpanded)
    def _opened(self, event: Tree.NodeExpanded[tuple[str, int | None]]) -> None:
        self._add_leaves(event.node)

    def _show_current(self, interview: Interview) -> None:
        if interview.done:
            return
        if (interview.state, interview.current_scope) not in self._rows:
            return
        leaf = self.leaf(interview.state, interview.current_scope)
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
