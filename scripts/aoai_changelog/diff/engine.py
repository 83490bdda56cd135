"""Element-by-element comparison of two surfaces.

Elements are matched by identity (see surface/keys.py), so the deployment prefix, renamed path
parameters and renamed schema components never look like removals. Attributes are compared one by
one; `enum` lists are left out because each enum value is an element of its own.
"""

from __future__ import annotations

from ..checker import classify
from ..surface import Surface
from ..changes import Change, DiffResult, sort_key

# Attributes that restate what other elements or attributes already say, or that are bookkeeping.
IGNORED_ATTRIBUTES = frozenset({"enum", "value", "recursive", "truncated", "document", "path_parameters", "deployment_prefix"})
# Operation attributes compared together: where the operation lives.
LOCATION_ATTRIBUTES = ("server", "path")


def diff_surfaces(old: Surface, new: Surface, source: dict | None = None, target: dict | None = None) -> DiffResult:
    changes: list[Change] = []
    as_text = old.has_rows or new.has_rows
    old_rows, new_rows = old.comparable(as_text), new.comparable(as_text)
    for identity, row in new_rows.items():
        before = old_rows.get(identity)
        if before is None:
            element = new.element(identity)
            changes.append(Change("added", element.key, identity, element.kind, element.operation, element.location,
                                  after=element.attrs, with_parent=bool(element.parent) and element.parent not in old_rows))
        elif before != row:  # key spelling or attributes differ
            changes.extend(_attribute_changes(old.element(identity), new.element(identity)))
    for identity in old_rows.keys() - new_rows.keys():
        element = old.element(identity)
        changes.append(Change("removed", element.key, identity, element.kind, element.operation, element.location,
                              before=element.attrs, with_parent=bool(element.parent) and element.parent not in new_rows))
    for change in changes:
        classify(change)
    changes.sort(key=sort_key)
    return DiffResult(source or {"id": old.version}, target or {"id": new.version}, changes)


def _attribute_changes(old, new) -> list[Change]:
    out = []
    a, b = old.attrs, new.attrs
    if old.kind == "operation":
        where_a = tuple(a.get(k) for k in LOCATION_ATTRIBUTES)
        where_b = tuple(b.get(k) for k in LOCATION_ATTRIBUTES)
        if where_a != where_b:
            out.append(Change("changed", new.key, new.identity, new.kind, new.operation, new.location, "path",
                              before=_where(a), after=_where(b)))
        skip = IGNORED_ATTRIBUTES | set(LOCATION_ATTRIBUTES)
    else:
        skip = IGNORED_ATTRIBUTES
    for attribute in sorted((set(a) | set(b)) - skip):
        if a.get(attribute) != b.get(attribute):
            out.append(Change("changed", new.key, new.identity, new.kind, new.operation, new.location, attribute,
                              before=a.get(attribute), after=b.get(attribute)))
    if old.kind == "parameter" and old.location == "path" and old.key != new.key:
        out.append(Change("changed", new.key, new.identity, new.kind, new.operation, new.location, "name",
                          before=old.key.rsplit(" ", 1)[-1], after=new.key.rsplit(" ", 1)[-1]))
    return out


def _where(attrs: dict) -> str:
    """`{endpoint}/openai/v1 /chat/completions`: base URL and path of an operation, as one value."""
    server = attrs.get("server")
    return f"{server} {attrs.get('path')}" if server else str(attrs.get("path"))
