"""Rules for elements added or removed: parameters, properties, variants, headers, enum values."""

from __future__ import annotations

from ..diff.changes import Change
from .rules import rule_for

_SUBJECT = {"parameter": "parameter", "field": "property", "variant": "variant", "header": "header",
            "enum": "enum-value"}
_NOUN = {"parameter": "parameter", "field": "field", "variant": "variant", "header": "response header", "enum": "value"}


def facts(change: Change) -> tuple[str, str, str, bool, bool]:
    """Everything the verdict on an element added or removed depends on: its kind, the event, the
    side, whether it is required, whether its value list was lifted (the checker memoises on this)."""
    attrs = change.after if change.kind == "added" else change.before
    return change.element, change.kind, change.side, bool((attrs or {}).get("required")), change.list_lifted


def classify(change: Change) -> tuple[str, str]:
    element, kind, side, required, lifted = facts(change)  # nothing else of the change is read
    subject = _SUBJECT[element]
    event = kind
    if kind == "added" and side == "request" and required and subject in ("parameter", "property"):
        event += "-required"
    noun = _NOUN[element]
    what = "required " + noun if required and kind == "added" and side == "request" else noun
    if lifted:
        return rule_for(side, subject, "unlisted").id, f"{what} {kind}: no values are listed any more"
    return rule_for(side, subject, event).id, f"{what} {kind}"
