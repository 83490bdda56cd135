"""Grouping shared by the human formats: by operation, then location, breaking first."""

from __future__ import annotations

from itertools import groupby

from ..changes import LEVEL_ORDER, Change, sort_key


def by_operation(changes: list[Change]):
    """[(operation, [(location, [changes])])], operations with breaking changes first."""
    ordered = sorted(changes, key=sort_key)
    groups = []
    for operation, op_group in groupby(ordered, key=lambda c: c.operation):
        op_changes = list(op_group)
        locations = []
        for location, loc_group in groupby(op_changes, key=lambda c: c.location):
            loc_changes = sorted(loc_group, key=lambda c: (not c.breaking, LEVEL_ORDER[c.level], c.key, c.attribute or ""))
            locations.append((location, loc_changes))
        groups.append((operation, locations, any(c.breaking for c in op_changes)))
    groups.sort(key=lambda g: (not g[2], g[0]))
    return [(op, locations) for op, locations, _ in groups]


def location_title(location: str) -> str:
    if location == "":
        return "operation"
    if location in ("path", "query", "querystring", "header", "cookie"):
        return f"{location} parameters"
    if location == "request":
        return "request body"
    if location.endswith(".header"):
        return f"response {location.split('.')[1]} headers"
    return f"response {location.split('.', 1)[1]}"


def version_label(side: dict) -> str:
    return side.get("id", "?")


def subject_and_rest(change: Change) -> tuple[str, str]:
    """A change's subject (the key without the operation, which the group heading already shows)
    and what happened: ('request max_tokens', ': field added')."""
    key, rest = change.key, ": " + change.message
    if key.startswith(change.operation + " "):
        key = key[len(change.operation) + 1:]
    return key, rest


def operation_source(result, operation: str) -> str:
    """`FILE:LINE` of an operation in the user's file (the new one first), or '' when unknown."""
    for side, described in (("to", result.target), ("from", result.source)):
        line = result.lines.get(side, {}).get(operation)
        if line is not None and "file" in described:
            return f"{described['file']}:{line}"
    return ""


def change_source(result, change, heading: str) -> str:
    """`FILE:LINE` of a change's own element when it is known and is not the operation's line
    already shown in the heading (`heading`, from operation_source), else ''."""
    if "file" not in result.source and "file" not in result.target:
        return ""
    where = result.location(change)
    if where is None or where[1] is None:
        return ""
    text = f"{where[0]}:{where[1]}"
    return "" if text == heading else text
