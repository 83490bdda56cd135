"""Element-by-element comparison of two surfaces.

Elements are matched by identity (see surface/keys.py), so the deployment prefix, renamed path
parameters and renamed schema components never look like removals. Attributes are compared one by
one; `enum` lists are left out because each enum value is an element of its own.
"""

from __future__ import annotations

import operator

from ..surface import Surface
from ..surface.keys import descends
from .attributes import attribute_changes
from .changes import Change

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..surface.model import Element


def diff_facts(old: Surface, new: Surface, counted: dict[tuple[str, str], int] | None = None) -> list[Change]:
    """What differs between two surfaces: elements added or removed, attributes changed. Facts only,
    in no particular order; the checker judges them (rule, level, breaking) and sorts them.

    `counted`: when given, the members of added and removed subtrees (the changes `with_parent`,
    never breaking: an added operation's parameters, bodies and fields, a new field's sub-fields)
    are not listed but counted there on their subtree's root, {(kind, root identity): count}. The
    migration guides, release notes and committed diffs read them so: from a dated version to v1
    they are 91-98% of 44,000 changes, which then need not be made, judged and sorted one by one. A
    member that the key grammar does not place under its root (keys.descends) stays listed."""
    changes: list[Change] = []
    differ: Callable[[tuple, tuple], bool]
    if old.has_rows or new.has_rows:
        # Cached surfaces compare their rows as they are: key (0) and attributes as canonical text (4).
        old_rows, new_rows = old.rows, new.rows
        differ = _rows_differ
    else:
        old_rows, new_rows = old.comparable(False), new.comparable(False)
        differ = operator.ne
    added_root = _Roots(new, old_rows) if counted is not None else None
    for identity, row in new_rows.items():
        before = old_rows.get(identity)
        if before is None:
            if added_root is not None and counted is not None:
                root = added_root(identity)
                if root is not None:
                    counted[("added", root)] = counted.get(("added", root), 0) + 1
                    continue
            key, kind, operation, location, attrs, parent = new.fields(identity)
            changes.append(Change("added", key, identity, kind, operation, location, after=attrs,
                                  with_parent=bool(parent) and parent not in old_rows))
        elif differ(before, row):  # key spelling or attributes differ
            changes.extend(_attribute_changes(old.element(identity), new.element(identity)))
    removed_root = _Roots(old, new_rows) if counted is not None else None
    for identity in old_rows.keys() - new_rows.keys():
        if removed_root is not None and counted is not None:
            root = removed_root(identity)
            if root is not None:
                counted[("removed", root)] = counted.get(("removed", root), 0) + 1
                continue
        element = old.element(identity)
        key, operation = _in_new_spelling(element, new_rows)
        changes.append(Change("removed", key, identity, element.kind, operation, element.location,
                              before=element.attrs,
                              with_parent=bool(element.parent) and element.parent not in new_rows))
    _mark_lifted_value_lists(changes, old, new)
    return changes


class _Roots:
    """The root of the subtree an element of `surface` arrived (or left) with, when the element is
    a member of one: its parent is missing from `other` too. The root is its highest ancestor
    missing from `other` (whose own parent `other` has). Members of an operation missing from
    `other` (most members, from a dated version to v1) are found at once, by their operation."""

    def __init__(self, surface: Surface, other: dict):
        self.other = other
        if surface.has_rows:  # row: (key, kind, operation, location, attrs, parent)
            rows = surface.rows
            self.parent: Callable[[str], str] = lambda identity: rows[identity][5]
            self.kind: Callable[[str], str] = lambda identity: rows[identity][1]
        else:
            elements = surface.elements
            self.parent = lambda identity: elements[identity].parent
            self.kind = lambda identity: elements[identity].kind
        self.memo: dict[str, str] = {}  # a member's parent -> the root above it
        # Every member of a whole operation: its identity starts with the operation's and a space,
        # as keys.descends requires, so it needs no walk up and no check.
        whole = {e.key: e.identity for e in surface.operations() if e.identity not in other}
        if not whole:
            self.in_whole: dict[str, str] = {}
        elif surface.has_rows:
            self.in_whole = {identity: whole[row[2]] for identity, row in surface.rows.items()
                             if row[2] in whole and row[1] != "operation"}
        else:
            self.in_whole = {identity: whole[e.operation] for identity, e in surface.elements.items()
                             if e.operation in whole and e.kind != "operation"}

    def __call__(self, identity: str) -> str | None:
        root = self.in_whole.get(identity)
        if root is not None:
            return root
        parent = self.parent(identity)
        if not parent or parent in self.other:
            return None  # a root itself (or an operation)
        root = self.memo.get(parent)
        if root is None:
            root = parent
            while (above := self.parent(root)) and above not in self.other:
                root = above
            self.memo[parent] = root
        return root if descends(root, self.kind(root), identity) else None


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
