"""Three agencies' research on one fictional case, for the meeting-pack tests.

Police (police flow), probation (probation flow) and a housing provider (housing flow) research the
same alleged perpetrator, spelled differently and with aliases.
They disagree on weapons and on the address; police and probation propose the same disruption plan.
Withheld texts carry SECRET so a test can look for any leak. Every name and place is invented.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.store import Store
from marac_tui.submission import Submission

CASE_REF = "MC-2026-0555"
MEETING = "2026-12-10"

POLICE: dict[str, Any] = {
    "case_ref": CASE_REF,
    "marac_date": MEETING,
    "representative": "DC Ines Marlowe",
    "agency": "Hollinsby Police Public Protection",
    "more_than_one": "no",
    "perpetrators": [{
        "full_name": "Dallas Harrow",
        "date_of_birth": {"value": "1986-05-14", "status": "found", "source": "PNC", "checked": "2026-11-30"},
        "address": {"value": "22 Tanner's Row, Hollinsby", "source": "Force system", "checked": "2026-11-30"},
        "aliases": {"value": [{"name": "Dal", "type": "nickname", "source": "PND"}], "status": "found",
                    "source": "PND", "checked": "2026-11-30"},
        "serial_perpetrator": {"value": "no", "source": "PNC", "checked": "2026-11-30"},
        "threats_to_kill": {"value": "yes", "source": "Intelligence", "checked": "2026-11-30", "share": False,
                            "reason": "SECRET-REASON-POLICE live covert operation"},
        "threats_to_kill_details": {"value": "SECRET-DETAIL-POLICE overheard threat on a recorded call",
                                    "share": False, "reason": "SECRET-REASON-POLICE-2 covert source"},
        "stalking": {"value": "yes", "source": "Force system", "checked": "2026-11-30"},
        "stalking_details": {"value": "Waits outside the victim's workplace most evenings.",
                             "source": "Force system", "checked": "2026-11-30"},
        "weapons": {"value": "no", "source": "PNC", "checked": "2026-11-30"},
        "actions": [
            {"heading": "disrupt", "text": "Disruption plan with one named police contact", "agency": "Police",
             "addresses": ["stalking"], "suggestion": "disruption_plan"},
            {"heading": "enforce", "text": "Arrest and charge for the stalking disclosed", "agency": "Police",
             "addresses": ["stalking"]},
        ],
    }],
}  # fmt: skip

PROBATION: dict[str, Any] = {
    "case_ref": CASE_REF,
    "marac_date": MEETING,
    "representative": "Owen Treadgold",
    "agency": "Hollinsby Probation Delivery Unit",
    "more_than_one": "no",
    "perpetrators": [{
        "full_name": "Dal Harrow",
        "date_of_birth": {"value": "1986-05-14", "status": "found", "source": "nDelius", "checked": "2026-12-01"},
        "address": {"value": "Flat 3, 9 Mill Lane, Hollinsby", "source": "nDelius", "checked": "2026-12-01"},
        "supervision_status": {"value": "licence", "source": "nDelius", "checked": "2026-12-01"},
        "weapons": {"value": "yes", "source": "OASys", "checked": "2026-12-01"},
        "weapon_types": {"value": ["shotgun"], "source": "OASys", "checked": "2026-12-01"},
        "weapons_licensed": {"value": "licensed", "source": "OASys", "checked": "2026-12-01"},
        "actions": [
            {"heading": "disrupt", "text": "Disruption plan with one named police contact", "agency": "Police",
             "addresses": ["weapons"], "suggestion": "disruption_plan"},
            {"heading": "disrupt", "text": "Ask the firearms licensing unit to review the shotgun certificate",
             "agency": "Police", "addresses": ["weapons"], "suggestion": "firearms_review"},
        ],
    }],
}  # fmt: skip

HOUSING: dict[str, Any] = {
    "case_ref": CASE_REF,
    "marac_date": MEETING,
    "representative": "Keri Ashdown",
    "agency": "Hollinsby Homes tenancy team",
    "sharing_basis": "dpa_safeguarding",
    "more_than_one": "yes",
    "perpetrator_count": 2,
    "perpetrators": [
        {"full_name": "Dallas Harrow",
         "address": {"value": "22 Tanners Row, Hollinsby", "source": "Other", "checked": "2026-11-29"},
         "risk_to_professionals": {"value": "yes", "source": "Other", "checked": "2026-11-29"},
         "risk_to_professionals_details": {"value": "Shouted threats at a housing officer in October.",
                                           "source": "Other", "checked": "2026-11-29"}},
        {"full_name": "Maureen Harrow",
         "date_of_birth": {"value": "1961-02-03", "source": "Other", "checked": "2026-11-29"},
         "address": {"value": "22 Tanners Row, Hollinsby", "source": "Other", "checked": "2026-11-29"}},
    ],
}  # fmt: skip

AGENCIES = {"police": POLICE, "probation": PROBATION, "housing": HOUSING}
FLOWS = {"police": "police", "probation": "probation", "housing": "housing"}


def build(flow: str, answers: dict[str, Any]) -> Submission:
    """A submission exactly as `marac-tui run` makes it."""
    interview = Interview(load_named(flow), prefill=False)
    run_answers(interview, copy.deepcopy(answers), warn=lambda _w: None)
    return interview.submission


def three_agencies() -> dict[str, Submission]:
    return {name: build(FLOWS[name], answers) for name, answers in AGENCIES.items()}


def stored(data_dir: Path, submissions: dict[str, Submission] | None = None) -> Store:
    store = Store.init(data_dir)
    for submission in (submissions or three_agencies()).values():
        store.save(submission)
    return store
