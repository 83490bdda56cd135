"""Rules for request bodies and responses (statuses and media types)."""

from __future__ import annotations

from ..diff.changes import Change
from .rules import rule_for


def classify(change: Change) -> tuple[str, str]:
    if change.location == "request":
        if change.kind == "added":
            required = bool((change.after or {}).get("required"))
            return ("request-body-added-required" if required else "request-body-added"), "request body added"
        if change.kind == "removed":
            return "request-body-removed", "request body removed"
        if change.attribute == "required":
            return ("request-body-became-required" if change.after else "request-body-became-optional"), \
                f"request body now {'required' if change.after else 'optional'}"
        return _media_types(change, "request")
    status = change.location.split(".", 1)[1]
    if change.kind == "added":
        return "response-status-added", f"new response status {status}"
    if change.kind == "removed":
        rule = "response-success-status-removed" if status.startswith("2") else "response-non-success-status-removed"
        return rule, f"response status {status} removed"
    return _media_types(change, "response")


def _media_types(change: Change, side: str) -> tuple[str, str]:
    if change.attribute != "media_types":
        # The body's own value facts (type, format, enum, ...) change like a field's.
        from . import values

        return values.classify(change)
    before, after = set(change.before or []), set(change.after or [])
    removed, added = sorted(before - after), sorted(after - before)
    if removed:
        also = f"; {', '.join(added)} added" if added else ""
        return rule_for(side, "media-type", "removed").id, f"media type {', '.join(removed)} removed{also}"
    return rule_for(side, "media-type", "added").id, f"media type {', '.join(added)} added"
