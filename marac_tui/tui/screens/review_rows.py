"""What the review screen lists: every answer by section and perpetrator, its provenance, and its gaps.

Built as plain data (no widgets) so the screen stays small and the rules are easy to test. Every piece
of user text goes through `clean`/`one_line` and into `Content` as data, never as markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from textual.content import Content

from marac_tui.engine import gaps as found_gaps
from marac_tui.engine.gaps import GapKind
from marac_tui.engine.interview import Interview
from marac_tui.export.content import answer_text, item_label, meta_line, one_line
from marac_tui.flow.spec import Item, Kind
from marac_tui.submission import Answer

VALUE_CHARS = 300
NOT_ANSWERED = GapKind.not_answered.value
NOT_CHECKED = GapKind.not_checked.value
NO_SOURCE = GapKind.no_source.value
NO_DATE = GapKind.no_date.value
NO_REASON = GapKind.no_reason.value
NO_ACTION = GapKind.no_action.value


@dataclass(frozen=True)
class Row:
    """One line of the review: a heading (no key) or something the user can select.

    `key` is (item id, perpetrator index, None for a case item) for rows that can be edited in place.
    """

    prompt: Content
    key: tuple[str, int | None] | None = None
    gaps: tuple[str, ...] = ()
    heading: bool = False


def answer_gaps(interview: Interview, item: Item, answer: Answer | None) -> tuple[str, ...]:
    """The gaps of one asked item, as `engine.gaps` finds them (the summary and exports count the same)."""
    return tuple(kind.value for kind in found_gaps.answer_gaps(interview.flow, item, answer))


def _value_text(item: Item, answer: Answer) -> str:
    if item.kind == Kind.actions:
        return f"{len(answer.value or [])} action(s), listed under the risks below"
    text = answer_text(item, answer.value)
    line = one_line(text, VALUE_CHARS)
    if len(text) > VALUE_CHARS:
        line += f" ({len(text):,} characters in all)"
    return line


def _answer_row(interview: Interview, item: Item, scope: int | None) -> Row:
    answer = interview.answer_of(item.id, scope)
    gaps = answer_gaps(interview, item, answer)
    parts: list[str | tuple[str, str] | Content] = [(item_label(interview.flow, item.id), "bold")]
    if answer is not None:
        if answer.value is not None:
            parts += ["\n  ", _value_text(item, answer)]
        research = interview.flow.is_research(item.id)
        meta = [meta_line(answer) or ""] if research else []
        if answer.share and research and answer.value is not None:
            meta.append("shared at the meeting")
        if any(meta):
            parts += ["\n  ", (" · ".join(m for m in meta if m), "$text-muted")]
        if not answer.share:
            reason = one_line(answer.withhold_reason or "", 200) or "no reason given"
            parts += ["\n  ", (f"Withheld from the meeting: {reason}", "italic")]
    for gap in gaps:
        parts += ["\n  ", (f"⚠ {gap}", "bold $warning")]
    return Row(Content.assemble(*parts), key=(item.id, scope), gaps=gaps)


def _heading(text: str, top: bool = False) -> Row:
    style = "bold reverse $primary" if top else "bold underline $accent"
    return Row(Content.styled(one_line(text, 160), style), heading=True)


def _risk_rows(interview: Interview, index: int) -> list[Row]:
    perpetrator = interview.submission.perpetrators[index]
    flow = interview.flow
    plan = ("actions", index) if flow.has_item("actions") else None  # selecting a risk goes to the actions
    rows = [_heading("Risks for the Chair")]
    unaddressed = {risk.id for risk in perpetrator.gaps()}
    for risk in perpetrator.risks:
        parts: list[str | tuple[str, str]] = [("! ", "bold $error"), (one_line(risk.title, 160), "bold")]
        for cite in risk.cites:
            answer = interview.answer_of(cite, index) if flow.has_item(cite) else None
            value = answer_text(flow.item(cite), answer.value) if answer is not None else ""
            parts += ["\n  ", (f"{item_label(flow, cite)}: ", "$text-muted"), one_line(value, 120)]
        gaps = (NO_ACTION,) if risk.id in unaddressed else ()
        if gaps:
            parts += ["\n  ", ("⚠ No action addresses this risk", "bold $warning")]
        rows.append(Row(Content.assemble(*parts), key=plan, gaps=gaps))
    if not perpetrator.risks:
        rows.append(Row(Content.styled("No risk flags raised so far", "$text-muted"), key=None))
    rows.append(_heading("Actions"))
    actions = perpetrator.actions()
    titles = {rule.id: rule.title for rule in flow.risks}
    for action in actions:
        owner = f" — {one_line(action.agency, 80)}" if action.agency else ""
        risks = ", ".join(titles.get(risk, risk) for risk in action.addresses)
        addresses = f" (addresses: {one_line(risks, 160)})" if risks else ""
        parts = [(f"{flow.heading_title(action.heading)}: ", "bold"), f"{one_line(action.text, 200)}{owner}{addresses}"]
        rows.append(Row(Content.assemble(*parts), key=plan))
    if not actions:
        rows.append(Row(Content.styled("No actions yet", "$text-muted"), key=plan))
    return rows


def _scope_rows(interview: Interview, scope: int | None) -> list[Row]:
    rows: list[Row] = []
    for section in interview.flow.sections:
        if (section.scope == "case") != (scope is None):
            continue
        asked = [item for item in section.items if interview.relevant(item.id, scope or 0)]
        if not asked:
            continue
        rows.append(_heading(section.title))
        rows += [_answer_row(interview, item, scope) for item in asked]
    return rows


def _finding_rows(interview: Interview, findings: list) -> list[Row]:
    """Findings grouped by rule: the rule and why it matters once, then one row per finding."""
    rows: list[Row] = []
    by_rule: dict[str, list] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    for group in by_rule.values():
        rows.append(_heading(f"{group[0].title} ({len(group)})"))
        if group[0].why:
            rows.append(Row(Content.styled(one_line(group[0].why, 400), "italic $text-muted"), heading=True))
        for finding in group:
            who = finding.perpetrator
            where = "" if who is None else f"{one_line(interview.perpetrator_name(who), 60)}: "
            key = (finding.item, finding.perpetrator) if finding.item else None
            rows.append(Row(Content.assemble(("• ", "bold"), where, one_line(finding.message, 300)), key=key))
    return rows


def review_rows(interview: Interview, findings: list | None = None) -> list[Row]:
    """Every row of the review, in interview order, then the practice-check findings."""
    rows = [_heading("Case", top=True), *_scope_rows(interview, None)]
    for index in range(len(interview.submission.perpetrators)):
        name = one_line(interview.perpetrator_name(index), 120)
        rows.append(_heading(f"Alleged perpetrator {index + 1}: {name}", top=True))
        rows += _scope_rows(interview, index)
        rows += _risk_rows(interview, index)
    if findings:
        rows.append(_heading("Practice check", top=True))
        rows += _finding_rows(interview, findings)
    return rows


def gap_counts(rows: list[Row]) -> Counter[str]:
    """The gaps marked on the rows, by kind (the same as `engine.gaps.find_gaps`; a test checks it)."""
    return Counter(gap for row in rows for gap in row.gaps)


def gap_summary(rows: list[Row]) -> str:
    """'3 gaps: 2 not checked · 1 no source', or a plain all-clear. The rows' gaps are `engine.gaps`'
    (a test checks they agree), the one count the Chair's summary and the exports show too."""
    counts = gap_counts(rows)
    total = sum(counts.values())
    if not total:
        return "No gaps: every asked item is answered, sourced and dated, and every risk has an action."
    kinds = " · ".join(_counted(counts[kind.value], kind) for kind in GapKind if counts[kind.value])
    return f"{total} gap{'s' if total != 1 else ''}: {kinds}"


def _counted(n: int, kind: GapKind) -> str:
    """'1 risk with no action', '3 risks with no action', '2 not checked'."""
    words = kind.value.lower()
    if n != 1 and kind is GapKind.no_action:
        words = words.replace("risk", "risks", 1)
    return f"{n} {words}"
