"""Outputs for the meeting: Word research form, Markdown, JSON, CSV and the Chair's summary.

The TUI and the CLI both call `render` / `export_submission`. The audience decides what is in it:
'meeting' (the default) leaves out every withheld answer; 'internal' keeps them, with the reasons.
"""

from __future__ import annotations

from pathlib import Path

from marac_tui.export.content import AUDIENCES, INTERNAL, MEETING, flow_for
from marac_tui.export.report import DEFAULT_MARKING
from marac_tui.flow.spec import Flow
from marac_tui.submission import Submission

FORMATS = ("json", "md", "docx", "csv")

__all__ = ["AUDIENCES", "DEFAULT_MARKING", "FORMATS", "INTERNAL", "MEETING", "export_submission", "render"]


def render(
    submission: Submission, flow: Flow | None, fmt: str, audience: str = MEETING, marking: str = DEFAULT_MARKING
) -> bytes:
    """The export's bytes. `flow` gives the labels; None falls back to raw item ids."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r} (audiences: {', '.join(AUDIENCES)})")
    if fmt == "json":
        from marac_tui.export.json_export import render_json

        return render_json(submission, audience)
    if fmt == "csv":
        from marac_tui.export.csv_export import render_csv

        return render_csv([submission], audience)
    if fmt in ("md", "docx"):
        from marac_tui.export.report import build_report

        report = build_report(submission, flow, audience, marking)
        if fmt == "md":
            from marac_tui.export.markdown import render_markdown

            return render_markdown(report).encode("utf-8")
        from marac_tui.export.docx_export import render_docx

        return render_docx(report)
    raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")


def export_submission(
    submission: Submission,
    fmt: str,
    audience: str,
    path: str | Path,
    force: bool = False,
    marking: str = DEFAULT_MARKING,
) -> Path:
    """Render and write one export (atomic, 0600, no overwrite unless `force`); returns the path.

    Raises UserError for a missing folder or an existing file.
    """
    from marac_tui.export.writer import write_private

    data = render(submission, flow_for(submission), fmt, audience, marking)
    return write_private(Path(path), data, force=force)
