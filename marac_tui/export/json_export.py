"""The full submission as JSON, valid against `marac-tui schema`."""

from __future__ import annotations

import json

from marac_tui.submission import Submission


def render_json(submission: Submission) -> bytes:
    return (json.dumps(submission.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
