"""Items in different flows that record the same thing in different words (`prompts/pack/related.yaml`),
so the pack can show agencies disagreeing across flows: probation recording good engagement while
the drug and alcohol service records that the court's treatment requirement is not being kept."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from marac_tui.paths import prompts_dir


class Related(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    label: str = Field(min_length=1, max_length=200)
    items: dict[str, dict[str, str]] = Field(min_length=2)

    def reading(self, item_id: str, value: object) -> str | None:
        """The shared reading of one answer, or None where the table does not compare it."""
        return self.items.get(item_id, {}).get(value) if isinstance(value, str) else None


@cache
def related_items() -> tuple[Related, ...]:
    import yaml

    raw = yaml.safe_load((prompts_dir() / "pack" / "related.yaml").read_text(encoding="utf-8")) or []
    return tuple(Related.model_validate(entry) for entry in raw)
