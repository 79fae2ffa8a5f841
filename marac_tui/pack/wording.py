"""How the pack's parts read, shared by the Markdown, the Word document and the Chair screen, so all
three say the same thing. Plain text only; each renderer escapes it for its own medium."""

from __future__ import annotations

from datetime import date

from marac_tui.pack import model as m
from marac_tui.submission import ACTION_STATUS_LABELS, ActionStatus

TITLE = "MARAC meeting pack"
FOR_CHAIR = "For the Chair: what each agency shared for this meeting, joined person by person. " \
            "Research an agency withheld is not in it."  # fmt: skip


def day(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else "—"


def counted(n: int, one: str, many: str) -> str:
    """'1 agency', '3 agencies'."""
    return f"{n} {one if n == 1 else many}"


def status_label(status: ActionStatus | None, on: date | None = None, note: str | None = None) -> str:
    """'Agreed (reported 11 Dec 2026): note', as the action's tracking last reported it."""
    if status is None:
        return "not recorded"
    text = ACTION_STATUS_LABELS[status] + (f" (reported {day(on)})" if on else "")
    return text + (f": {note}" if note else "")


def due_label(due: date | None, overdue: bool) -> str:
    return day(due) + (" — OVERDUE" if overdue else "")


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def action_cells(action: m.Action) -> tuple[str, str, str, str]:
    """Owner, due, status and who proposed it; where merged agencies differ, each is named."""
    tracks = action.proposed_by
    owners = ", ".join(action.owners) or "—"
    named = _distinct([t.owner or "" for t in tracks])
    if named:
        owners += f" ({', '.join(named)})"

    def per_agency(values: list[str]) -> str:
        if len(set(values)) <= 1:
            return values[0] if values else "—"
        return "; ".join(f"{t.agency}: {v}" for t, v in zip(tracks, values, strict=True))

    due = per_agency([due_label(t.due, t.overdue) for t in tracks])
    status = per_agency([status_label(t.status, t.status_date, t.note) for t in tracks])
    return owners, due, status, ", ".join(_distinct([t.agency for t in tracks]))


def earlier_cells(action: m.EarlierAction) -> list[str]:
    owner = action.owner_agency or "—"
    if action.owner:
        owner += f" ({action.owner})"
    status = status_label(action.status, action.status_date, action.note)
    return [action.person, action.heading, action.text, owner, due_label(action.due, action.overdue), status]


EARLIER_COLUMNS = ["Person", "Heading", "Action", "Owner", "Due", "Status"]
ACTION_COLUMNS = ["Action", "Owner", "Due", "Status", "Proposed by", "Addresses"]
CONTRIBUTOR_COLUMNS = ["Agency", "Representative", "Submission", "Sharing basis", "From"]


def contributor_cells(c: m.Contributor) -> list[str]:
    submission = f"{c.flow}, {c.state}, {c.submission_id[:8]}"
    return [c.agency, c.representative or "—", submission, c.sharing_basis or "—", c.origin]


def identity_line(person: m.Person) -> str:
    parts = [f"Date of birth {day(person.date_of_birth)}"]
    if person.other_names:
        parts.append("also recorded as " + ", ".join(person.other_names))
    if person.aliases:
        parts.append("aliases " + ", ".join(person.aliases))
    parts.append("named by " + ", ".join(person.agencies))
    return "; ".join(parts)


def match_line(person: m.Person, link: m.MatchLink) -> str:
    agencies = {r.ref: f"{r.agency} ({r.name})" for r in person.records}
    decision = "confirmed by the Chair" if link.decision == "confirmed" else "proposed"
    return f"{agencies.get(link.a, link.a)} = {agencies.get(link.b, link.b)}: {', '.join(link.reasons)} [{decision}]"


def evidence_text(evidence: list[m.Evidence]) -> str:
    if not evidence:
        return "on information not shared at the meeting"
    return "; ".join(f"{e.label}: {e.text}" + (f" ({e.provenance})" if e.provenance else "") for e in evidence)


def stance_text(stance: m.Stance) -> str:
    return f"{stance.agency}: {stance.text}" + (f" ({stance.provenance})" if stance.provenance else "")


def other_case_line(other: m.OtherCase) -> str:
    return f"{other.case_ref or '(no case ref)'} ({other.agency}, {day(other.marac_date)}): {', '.join(other.reasons)}"


def record_key(ref: str) -> str:
    """A record reference as the Chair types it: the submission id's first 8 characters and the number."""
    sid, _, number = ref.rpartition("/")
    return f"{sid[:8]}/{number}"


def _who(item: m.Unchecked) -> str:
    """'not checked by Police and Housing; not answered yet by Probation'."""
    groups: dict[str, list[str]] = {}
    for entry in item.agencies:
        agency, _, what = entry.rpartition(": ")
        groups.setdefault(what, []).append(agency)
    return "; ".join(f"{what} by {_and(names)}" for what, names in groups.items())


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def unchecked_by_area(person: m.Person) -> list[tuple[str, str]]:
    """Research no agency checked, one line per research area, items grouped by who left them:
    ('Offending (3)', 'Arson; Stalking: not checked by Police and Housing')."""
    areas: dict[str, dict[str, list[str]]] = {}
    counts: dict[str, int] = {}
    for item in person.not_checked:
        areas.setdefault(item.area, {}).setdefault(_who(item), []).append(item.label)
        counts[item.area] = counts.get(item.area, 0) + 1
    return [
        (f"{area} ({counts[area]})", " · ".join(f"{'; '.join(labels)} — {who}" for who, labels in by_who.items()))
        for area, by_who in areas.items()
    ]
