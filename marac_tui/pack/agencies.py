"""The agencies expected round the table, and which of them a submission comes from.

The list is data (`prompts/pack/agencies.yaml`); a coordinator replaces it with
`expected-agencies.yaml` in the store folder or `pack --expected FILE`.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from marac_tui.errors import UserError
from marac_tui.paths import prompts_dir

LOCAL_FILE = "expected-agencies.yaml"
MAX_BYTES = 256 * 1024


class ExpectedAgency(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    flows: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    why: str = Field(min_length=1, max_length=400)


def default_path() -> Path:
    return prompts_dir() / "pack" / "agencies.yaml"


def load_expected(path: Path | None = None, root: Path | None = None) -> list[ExpectedAgency]:
    """The expected agencies: from `path`, else the store folder's own list, else the shipped one."""
    import yaml

    if path is None and root is not None and (Path(root) / LOCAL_FILE).is_file():
        path = Path(root) / LOCAL_FILE
    path = Path(path) if path is not None else default_path()
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the expected agencies: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise UserError(f"{path}: too large for a list of agencies (over {MAX_BYTES // 1024} KiB)")
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UserError(f"{path}{f':{mark.line + 1}' if mark else ''}: not valid YAML") from None
    if not isinstance(data, list):
        raise UserError(f"{path}: give a list of agencies (name, flows, words, why)")
    agencies = []
    for n, entry in enumerate(data, start=1):
        try:
            agencies.append(ExpectedAgency.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            raise UserError(f"{path}: agency {n}: {where}: {first['msg']}") from None
    return agencies


def identify(expected: list[ExpectedAgency], flow: str, agency_text: str | None) -> ExpectedAgency | None:
    """The expected agency a submission comes from: by words in its agency answer (a housing officer
    may answer another agency's flow), else by its flow."""
    text = (agency_text or "").casefold()
    for agency in expected:
        if any(re.search(rf"\b{re.escape(word.casefold())}", text) for word in agency.words):
            return agency
    return next((agency for agency in expected if flow in agency.flows), None)
