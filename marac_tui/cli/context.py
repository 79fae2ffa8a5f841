"""What every command handler gets: the chosen data directory and a lazily opened store."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from marac_tui.paths import data_dir


@dataclass
class Context:
    data_dir: str | None = None
    out: Any = None

    @cached_property
    def root(self) -> Path:
        return data_dir(self.data_dir)

    @cached_property
    def store(self):  # noqa: ANN201 - imported lazily to keep start-up light
        from marac_tui.store import Store

        return Store(self.root)

    def print(self, *parts: Any) -> None:
        print(*parts, file=self.out or sys.stdout)

    def print_json(self, data: Any) -> None:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str), file=self.out or sys.stdout)
