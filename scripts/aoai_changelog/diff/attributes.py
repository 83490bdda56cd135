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
        if before.get(attribute) != after.get(attribute):
            out.append((attribute, before.get(attribute), after.get(attribute)))
    out.sort(key=lambda change: change[0])
    return out
