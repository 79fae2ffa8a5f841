"""The submission as JSON, valid against `marac-tui schema` for either audience."""

from __future__ import annotations

import json

from marac_tui.export.content import INTERNAL, for_audience
from marac_tui.submission import Submission


def render_json(submission: Submission, audience: str = INTERNAL) -> bytes:
    """The full submission (internal), or with every withheld answer removed (meeting)."""
    data = for_audience(submission, audience).to_json()
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
