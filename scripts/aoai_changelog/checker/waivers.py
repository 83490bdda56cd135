"""--ignore FILE: changes a team has accepted, each with a reason, so that CI stops failing on them.

The file is YAML or JSON: a list (or `{"waivers": [...]}`) of entries, each with a `reason` and a
`rule` id, a `key`, or both (then both must match):

    - rule: response-enum-value-added
      reason: our client ignores unknown enum values
    - key: POST /chat/completions request functions
      reason: deprecated upstream; we moved to tools in 2024
    - rule: request-property-removed
      key: POST /completions
      reason: we do not call /completions

A key waives that element and everything under it (`POST /completions` covers its fields too).
"""

from __future__ import annotations

from pathlib import Path

from ..diff.changes import Change, DiffResult
from ..errors import WaiverFileError

_FIELDS = {"rule", "key", "reason"}
_BELOW = (" ", ".", "[", "{", "<", "=")


class Waiver:
    __slots__ = ("rule", "key", "reason")

    def __init__(self, rule: str | None, key: str | None, reason: str):
        self.rule, self.key, self.reason = rule, key, reason

    def covers(self, change: Change) -> bool:
        if self.rule is not None and change.rule != self.rule:
            return False
        if self.key is not None and not (change.key == self.key or
                                         (change.key.startswith(self.key) and change.key[len(self.key)] in _BELOW)):
            return False
        return True

    def __repr__(self) -> str:
        return f"Waiver(rule={self.rule!r}, key={self.key!r})"


def load_waivers(path: str | Path) -> list[Waiver]:
    """The waivers of a file; a one-line WaiverFileError for anything malformed."""
    from ..load import read_structured
    from .rules import RULES

    data = read_structured(Path(path))
    if isinstance(data, dict) and set(data) == {"waivers"}:
        data = data["waivers"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise WaiverFileError(path, "expected a list of waivers (each with a rule or key, and a reason)")
    waivers = []
    for number, entry in enumerate(data, 1):
        where = f"waiver {number}"
        if not isinstance(entry, dict):
            raise WaiverFileError(path, f"{where}: expected a mapping with rule/key and reason")
        unknown = sorted(set(map(str, entry)) - _FIELDS)
        if unknown:
            raise WaiverFileError(path, f"{where}: unknown field {unknown[0]!r} (fields: key, reason, rule)")
        rule, key, reason = entry.get("rule"), entry.get("key"), entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise WaiverFileError(path, f"{where}: every waiver needs a reason")
        if rule is None and key is None:
            raise WaiverFileError(path, f"{where}: name a rule id, a key, or both")
        for name, value in (("rule", rule), ("key", key)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise WaiverFileError(path, f"{where}: {name} must be a non-empty string")
        if rule is not None and rule not in RULES:
            raise WaiverFileError(path, f"{where}: unknown rule id {rule!r} (see changelog/rules.md)")
        waivers.append(Waiver(rule, key.strip() if key else None, reason.strip()))
    return waivers


def apply_waivers(result: DiffResult, waivers: list[Waiver]) -> tuple[DiffResult, list[tuple[Change, Waiver]]]:
    """(the result without the waived changes, [(waived change, the waiver that covers it)])."""
    result.require_every_change("waivers")
    kept, waived = [], []
    for change in result.changes:
        waiver = next((w for w in waivers if w.covers(change)), None)
        if waiver is None:
            kept.append(change)
        else:
            waived.append((change, waiver))
    narrowed = DiffResult(result.source, result.target, kept)
    narrowed.lines = result.lines
    return narrowed, waived
