"""Element-by-element comparison of two surfaces.

Elements are matched by identity (see surface/keys.py), so the deployment prefix, renamed path
parameters and renamed schema components never look like removals. Attributes are compared one by
one; `enum` lists are left out because each enum value is an element of its own.
"""

from __future__ import annotations

import operator

from ..surface import Surface
from .attributes import attribute_changes
from .changes import Change

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Container

    from ..surface.model import Element


def diff_facts(old: Surface, new: Surface, leave_out: Container[str] = ()) -> list[Change]:
    """What differs between two surfaces: elements added or removed, attributes changed. Facts only,
    in no particular order; the checker judges them (rule, level, breaking) and sorts them.

    `leave_out`: identities of added elements not to report (members_of_added_operations)."""
    changes: list[Change] = []
    differ: Callable[[tuple, tuple], bool]
    if old.has_rows or new.has_rows:
        # Cached surfaces compare their rows as they are: key (0) and attributes as canonical text (4).
        old_rows, new_rows = old.rows, new.rows
        differ = _rows_differ
    else:
        old_rows, new_rows = old.comparable(False), new.comparable(False)
        differ = operator.ne
    for identity, row in new_rows.items():
        before = old_rows.get(identity)
        if before is None:
            if identity in leave_out:
                continue
            key, kind, operation, location, attrs, parent = new.fields(identity)
            changes.append(Change("added", key, identity, kind, operation, location, after=attrs,
                                  with_parent=bool(parent) and parent not in old_rows))
        elif differ(before, row):  # key spelling or attributes differ
            changes.extend(_attribute_changes(old.element(identity), new.element(identity)))
    for identity in old_rows.keys() - new_rows.keys():
        element = old.element(identity)
        key, operation = _in_new_spelling(element, new_rows)
        changes.append(Change("removed", key, identity, element.kind, operation, element.location,
                              before=element.attrs,
                              with_parent=bool(element.parent) and element.parent not in new_rows))
    _mark_lifted_value_lists(changes, old, new)
    return changes


def members_of_added_operations(old: Surface, new: Surface) -> dict[str, str]:
    """{identity: operation key} of the elements of `new` that belong to an operation `old` lacks
    (the operation itself not included): its parameters, bodies, fields and values, all added with
    it and none breaking. A migration guide or release notes name added operations only, and the
    committed diffs only count their members: from a dated version to v1 they are 85% of the
    44,000 changes, which a diff need not make, judge and sort one by one."""
    old_rows = old.rows if old.has_rows else old.elements
    added = {e.key for e in new.operations() if e.identity not in old_rows}
    if not added:
        return {}
    if new.has_rows:  # row: (key, kind, operation, ...)
        return {identity: row[2] for identity, row in new.rows.items() if row[2] in added and row[1] != "operation"}
    return {identity: e.operation for identity, e in new.elements.items()
            if e.operation in added and e.kind != "operation"}


def _rows_differ(a: tuple, b: tuple) -> bool:
    return a[0] != b[0] or a[4] != b[4]


def _mark_lifted_value_lists(changes: list[Change], old: Surface, new: Surface) -> None:
    """An enum value removed from a value that lists no values any more was not taken away: the
    list itself was lifted (a plain string that used to list six values accepts them all still).
    The other way round is left as it is: a value that newly lists values may still accept any
    string beside them (anyOf [string, enum]), which the element model does not tell apart."""
    removed = [c for c in changes if c.element == "enum" and c.kind == "removed" and not c.with_parent]
    if not removed:
        return
    listing = _parents_of_values(new)
    for change in removed:
        change.list_lifted = old.element(change.identity).parent not in listing


def _parents_of_values(surface: Surface) -> set[str]:
    """Identities of the elements that list enum values in this surface."""
    if surface.has_rows:
        return {row[5] for row in surface.rows.values() if row[1] == "enum"}
    return {e.parent for e in surface.elements.values() if e.kind == "enum"}


def _in_new_spelling(element: Element, new_rows: dict) -> tuple[str, str]:
    """(key, operation) of a removed element, spelled as its operation is in the new surface: an
    operation whose path parameters were renamed is one operation, under one name, in one diff."""
    op_identity = " ".join(element.identity.split(" ", 2)[:2])
    op_row = new_rows.get(op_identity) if element.kind != "operation" else None
    if op_row is None or op_row[0] == element.operation:
        return element.key, element.operation
    return op_row[0] + element.key[len(element.operation):], op_row[0]


def _attribute_changes(old: Element, new: Element) -> list[Change]:
    out = [Change("changed", new.key, new.identity, new.kind, new.operation, new.location, attribute,
                  before=before, after=after)
           for attribute, before, after in attribute_changes(old.kind, old.attrs, new.attrs)]
    if old.kind == "parameter" and old.location == "path" and old.key != new.key:
        out.append(Change("changed", new.key, new.identity, new.kind, new.operation, new.location, "name",
                          before=old.key.rsplit(" ", 1)[-1], after=new.key.rsplit(" ", 1)[-1]))
    return out
