"""JSON: `{"from", "to", "summary", "changes"}`, validated by schema/diff.schema.json."""

from __future__ import annotations

from ..jsonout import canonical_json
from ..diff import DiffResult


def render(result: DiffResult) -> str:
    return canonical_json(result.to_json())
