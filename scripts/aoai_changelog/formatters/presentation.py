"""How a change is shown to a person, in every human format (terminal text, Markdown, migration
guides, the site's change pages): level marks and badges, the order and titles of locations,
grouping by operation, a change's subject and what happened (from its structured `key` and
`message`, never from its one-line `text` cut apart), the summary line and how a value is shown
(one way, in a change's message and in an element's history). Escaping for each
medium is escaping.py's job; the formats call it on what this module returns.

No import of changes.py at run time: changes.py takes its location order from here."""

from __future__ import annotations

from itertools import groupby

TYPE_CHECKING = False  # `has` imports this module: not even `typing` on its start-up path

if TYPE_CHECKING:
    from ..diff.changes import Change, DiffResult

# Terminal marks and Markdown badges for a change's level (error, warning, info).
LEVEL_MARK = {"error": "!!", "warning": " !", "info": "  "}
LEVEL_BADGE = {"error": "🔴", "warning": "🟠", "info": "🟢"}
# Order of a change's levels, most severe first.
LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}
# Where a change is, in the order an operation is read: the operation itself, its parameters, the
# request body, then its responses (response.* and anything else come last, by name).
_LOCATION_ORDER = {"": 0, "path": 1, "query": 2, "querystring": 2, "header": 3, "cookie": 4, "request": 5}


def location_rank(location: str) -> tuple[int, str]:
    """Sort key of a location: `location_rank("query") < location_rank("request") < location_rank("response.200")`."""
    return (_LOCATION_ORDER.get(location, 6), location)


def by_operation(changes: list[Change]) -> list[tuple[str, list[tuple[str, list[Change]]]]]:
    """[(operation, [(location, [changes])])], operations with breaking changes first."""
    from ..diff.changes import sort_key

    ordered = sorted(changes, key=sort_key)
    groups = []
    for operation, op_group in groupby(ordered, key=lambda c: c.operation):
        op_changes = list(op_group)
        locations = []
        for location, loc_group in groupby(op_changes, key=lambda c: c.location):
            loc_changes = sorted(loc_group,
                                 key=lambda c: (not c.breaking, LEVEL_ORDER[c.level], c.key, c.attribute or ""))
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
    return subject_and_rest_of(change.key, change.operation, change.message)


def subject_and_rest_of(key: str, operation: str, message: str) -> tuple[str, str]:
    """`subject_and_rest` from the fields of a change (as a stored diff gives them)."""
    if key.startswith(operation + " "):
        key = key[len(operation) + 1:]
    return key, ": " + message


def summary_counts(summary: dict) -> str:
    """The counts of a diff's summary line: `12 changes (3 added, 1 removed, 8 changed), 2 breaking;
    operations: 0 added, 0 removed, 4 changed` (numbers only: nothing to escape)."""
    ops = summary["operations"]
    return (f"{summary['total']} changes ({summary['added']} added, {summary['removed']} removed, "
            f"{summary['changed']} changed), {summary['breaking']} breaking; "
            f"operations: {ops['added']} added, {ops['removed']} removed, {ops['changed']} changed")


def display_value(value: object) -> str:
    """A value as a person reads it, in a change's message (`type integer -> string`, `nullable
    (none) -> true`) and in an element's history: lists joined with |, absence as (none), booleans
    as JSON spells them, anything else as str() gives it (numbers as JSON spells them too; a mapping
    in Python's spelling: the wording of the published diffs, kept stable). No `json` import: the
    `history` command's start-up pays for none."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def operation_source(result: DiffResult, operation: str) -> str:
    """`FILE:LINE` of an operation in the user's file (the new one first), or '' when unknown."""
    for side, described in (("to", result.target), ("from", result.source)):
        line = result.lines.get(side, {}).get(operation)
        if line is not None and "file" in described:
            return f"{described['file']}:{line}"
    return ""


def change_source(result: DiffResult, change: Change, heading: str) -> str:
    """`FILE:LINE` of a change's own element when it is known and is not the operation's line
    already shown in the heading (`heading`, from operation_source), else ''."""
    if "file" not in result.source and "file" not in result.target:
        return ""
    where = result.location(change)
    if where is None or where[1] is None:
        return ""
    text = f"{where[0]}:{where[1]}"
    return "" if text == heading else text
