"""What counts as "an attribute change" of an element: one definition for `diff` and for
`history`/the site (which read the feature index). Kept import-free: `has` loads its neighbours.

Some attributes are bookkeeping (where an element came from, how far the walker went) or restate
other elements (an `enum` list: each value is an element of its own; an enum element's `value` is
its key). An operation's `server` and `path` are one fact, where it lives, compared as one `path`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # no `typing` import at run time: `has` imports this module's neighbours
if TYPE_CHECKING:
    from typing import Any

# Never compared: bookkeeping, or said by other elements.
BOOKKEEPING = frozenset({"enum", "value", "recursive", "truncated", "document", "path_parameters", "deployment_prefix"})
# Operation attributes compared together, as one `path` change.
LOCATION = ("server", "path")


def where(attrs: dict) -> str:
    """`{endpoint}/openai/v1 /chat/completions`: base URL and path of an operation, as one value."""
    server = attrs.get("server")
    return f"{server} {attrs.get('path')}" if server else str(attrs.get("path"))


def attribute_changes(kind: str, before: dict, after: dict) -> list[tuple[str, Any, Any]]:
    """[(attribute, before, after)] in attribute order: what changed between two states of one element."""
    out: list[tuple[str, Any, Any]] = []
    skip = BOOKKEEPING
    if kind == "operation":
        skip = BOOKKEEPING | set(LOCATION)
        if tuple(before.get(k) for k in LOCATION) != tuple(after.get(k) for k in LOCATION):
            out.append(("path", where(before), where(after)))
    for attribute in sorted((set(before) | set(after)) - skip):
        if not same_value(before.get(attribute), after.get(attribute)):
            out.append((attribute, before.get(attribute), after.get(attribute)))
    out.sort(key=lambda change: change[0])
    return out


# Attributes whose values are any JSON value (`default`) or a number that a document may also
# spell as a boolean (OpenAPI 3.0's `exclusiveMinimum: true`): schemaview.LIMIT_KEYS and `default`.
VALUE_ATTRIBUTES = frozenset({
    "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "pattern",
    "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
})


def same_value(before: Any, after: Any) -> bool:
    """Equal as JSON values: `==`, except that a boolean is never a number (Python says True == 1,
    so `default: 1` -> `default: true` would go unseen). 1 and 1.0 are one JSON number."""
    if before != after:
        return False
    if type(before) is bool or type(after) is bool:
        return type(before) is type(after)
    if type(before) is list:
        return all(same_value(b, a) for b, a in zip(before, after))
    if type(before) is dict:
        return all(same_value(value, after[key]) for key, value in before.items())
    return True


def same_attributes(before: dict, after: dict) -> bool:
    """Two equal (`==`) attribute dicts that are also equal as JSON (see same_value)."""
    return all(same_value(before[key], after[key]) for key in before.keys() & VALUE_ATTRIBUTES)
