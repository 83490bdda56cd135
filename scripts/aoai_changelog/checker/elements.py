"""Rules for elements added or removed: parameters, properties, variants, headers, enum values."""

from __future__ import annotations

from ..diff.changes import Change
from .rules import rule_for

_SUBJECT = {"parameter": "parameter", "field": "property", "variant": "variant", "header": "header",
            "enum": "enum-value"}
_NOUN = {"parameter": "parameter", "field": "field", "variant": "variant", "header": "response header", "enum": "value"}


def classify(change: Change) -> tuple[str, str]:
    subject = _SUBJECT[change.element]
    side = change.side
    attrs = change.after if change.kind == "added" else change.before
    required = bool((attrs or {}).get("required"))
    event = change.kind
    if change.kind == "added" and side == "request" and required and subject in ("parameter", "property"):
        event += "-required"
    noun = _NOUN[change.element]
    what = "required " + noun if required and change.kind == "added" and side == "request" else noun
    if change.list_lifted:
        return rule_for(side, subject, "unlisted").id, f"{what} {change.kind}: no values are listed any more"
    return rule_for(side, subject, event).id, f"{what} {change.kind}"
