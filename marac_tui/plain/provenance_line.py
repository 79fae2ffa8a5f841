"""The one optional line after a research answer: how the representative knows it.

Enter accepts what is offered; otherwise the line lists changes separated by commas, e.g.
`opinion, source OASys`, `nothing held`, `checked 28/11/2026`, `withhold: third-party information`.
The same rules as the app: withholding needs a reason, a date checked cannot be in the future, and
"not checked" keeps no source or date (the engine drops them when it stores the answer).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from marac_tui.engine.provenance import AnswerMeta
from marac_tui.flow.values import parse_date
from marac_tui.submission import Answer, Basis, Status

STATUS_WORDS = {
    "found": Status.found,
    "nothing held": Status.nothing_held,
    "none held": Status.nothing_held,
    "not checked": Status.not_checked,
    "not applicable": Status.not_applicable,
    "n/a": Status.not_applicable,
}
BASIS_WORDS = {"fact": Basis.fact, "opinion": Basis.opinion, "professional opinion": Basis.opinion}
SHARE_WORDS = ("share", "shared")
WITHHOLD_WORDS = ("withhold", "withheld")
WHAT_TO_TYPE = (
    "type found, nothing held, not checked, not applicable, source and a name, checked and a date, "
    "fact, opinion, share, or withhold: and the reason"
)


class ProvenanceError(ValueError):
    """A change that cannot be made; the message says what to type instead."""


def offered(answer: Answer, proposed_source: str | None = None, today: date | None = None) -> AnswerMeta:
    """What the line offers for a recorded answer, as the app's provenance strip does: the stored
    provenance, with Found, today and Fact where nothing is recorded, and `proposed_source` (the
    source the engine proposes) where the answer keeps none (a 'not checked' one), in case its
    status is changed."""
    return AnswerMeta(
        status=answer.status or Status.found,
        source=answer.source or proposed_source,
        checked_on=answer.checked_on or (today or date.today()),
        basis=answer.basis or Basis.fact,
        share=answer.share,
        withhold_reason=answer.withhold_reason,
    )


def _clauses(line: str) -> list[str]:
    """The changes on a line; a withholding takes the rest of the line as its reason (commas and all)."""
    clauses: list[str] = []
    rest = line.strip()
    while rest:
        if _head(rest)[0] in WITHHOLD_WORDS:
            clauses.append(rest)
            break
        head, _sep, rest = rest.replace(";", ",").partition(",")
        if head.strip():
            clauses.append(head.strip())
        rest = rest.strip()
    return clauses


def apply_changes(meta: AnswerMeta, line: str, sources: list[str], today: date | None = None) -> AnswerMeta:
    """`meta` with the changes typed on `line`; ProvenanceError names the first that cannot be made."""
    today = today or date.today()
    known = {source.lower(): source for source in sources}
    result = replace(meta)
    for clause in _clauses(line):
        words = " ".join(clause.lower().split())
        head, tail = _head(clause)
        if words in STATUS_WORDS:
            result.status = STATUS_WORDS[words]
        elif words in BASIS_WORDS:
            result.basis = BASIS_WORDS[words]
        elif words in SHARE_WORDS:
            result.share, result.withhold_reason = True, None
        elif head in WITHHOLD_WORDS:
            if not tail:
                raise ProvenanceError(
                    "withholding needs a reason: type withhold: and the reason, e.g. withhold: third-party information"
                )
            result.share, result.withhold_reason = False, tail
        elif head == "source":
            if not tail:
                raise ProvenanceError(f"say which source: type source and its name, e.g. source {_example(sources)}")
            result.source = known.get(tail.lower(), tail)
        elif words == "no source":
            result.source = None
        elif head in ("checked", "date"):
            result.checked_on = _checked(tail, today)
        elif words in known:
            result.source = known[words]
        elif _is_date(clause):
            result.checked_on = _checked(clause, today)
        else:
            raise ProvenanceError(f"{_quoted(clause)} is not a change I know: {WHAT_TO_TYPE}")
    return result


def _head(clause: str) -> tuple[str, str]:
    """The first word of a change (lower case) and what follows it, after an optional colon."""
    match = re.match(r"\s*([^\s:,;]*)\s*:?\s*(.*)$", clause, re.DOTALL)
    assert match is not None
    return match.group(1).lower(), match.group(2).strip()


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def _checked(text: str, today: date) -> date:
    text = text.removeprefix("on ").strip()
    if not text:
        raise ProvenanceError("say when you checked: type checked and a date, e.g. checked today or checked 28/11/2026")
    try:
        day = parse_date(text)
    except ValueError:
        raise ProvenanceError(
            f"{_quoted(text)} is not a date: type checked and a date such as 28/11/2026, 2026-11-28 or today"
        ) from None
    if day > today:
        raise ProvenanceError(f"{day:%d/%m/%Y} is in the future: type the date you checked, e.g. checked today")
    return day


def _example(sources: list[str]) -> str:
    return sources[1] if len(sources) > 1 else (sources[0] if sources else "PNC")


def _quoted(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
