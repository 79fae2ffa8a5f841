"""Trainer mode: fictional scenarios, the practice check, and comparison with a model submission.

The TUI and the CLI call these; none of them imports Textual.
"""

from marac_tui.training.check import Finding, practice_check
from marac_tui.training.compare import Comparison, compare
from marac_tui.training.debrief import render_debrief
from marac_tui.training.scenarios import Scenario, list_scenarios, load_scenario, reset_training, start_training

__all__ = [
    "Comparison",
    "Finding",
    "Scenario",
    "compare",
    "list_scenarios",
    "load_scenario",
    "practice_check",
    "render_debrief",
    "reset_training",
    "start_training",
]
