"""Element-by-element comparison of two surfaces.

Elements are matched by identity (see surface/keys.py), so the deployment prefix, renamed path
parameters and renamed schema components never look like removals. Attributes are compared one by
one; `enum` lists are left out because each enum value is an element of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from ..surface import Surface
from ..surface.keys import descends
from ..surface.model import Element, Group
from .attributes import attribute_changes, same_attributes
from .changes import Change


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
    old_groups, new_groups = old.by_operation(), new.by_operation()
    if old_groups is None or new_groups is None:
        # Rows: (key, kind, operation, location, attrs, parent). Cached surfaces compare theirs as
        # they are (attributes as canonical text); two fresh from files compare attributes as dicts.
        if old.has_rows or new.has_rows:
            old_rows, new_rows = old.rows, new.rows
        else:
            old_rows, new_rows = old.rows_with_dicts(), new.rows_with_dicts()
        added = {e.key: e.identity for e in new.operations() if e.identity not in old_rows}
        removed = {e.key: e.identity for e in old.operations() if e.identity not in new_rows}
        return _diff_rows(old, new, old_rows, new_rows, counted, added, removed)
    # Memoised surfaces, operation by operation (see Surface.by_operation): an operation made from
    # the same inputs on both sides (one digest) has equal rows and is passed over; one on a side
    # only was added or removed whole, its members counted at once; the rest compare row by row.
    for operation in sorted(old_groups.keys() | new_groups.keys()):
        before, after = old_groups.get(operation), new_groups.get(operation)
        if before is not None and after is not None:
            if before.digest != after.digest:
                changes += _group_changes(old, new, before, after, counted)
        elif counted is None:
            changes += _diff_rows(old, new, before.rows if before else {}, after.rows if after else {}, None, {}, {})
        elif after is not None:
            changes.append(_added(new, operation, after.rows[operation], {}))
            _count(counted, "added", {operation: len(after.rows) - 1})
        elif before is not None:
            changes.append(_removed(old.element(operation, before.rows[operation]), {}))
            _count(counted, "removed", {operation: len(before.rows) - 1})
    return changes


# While a build makes its diffs (remembering_pairs): (old digest, new digest, members counted or
# listed) -> (the changes, the members counted). Two groups' changes depend on their rows only,
# which their digests fix, and a build compares one pair of groups again and again (a dated
# version to v1, then the next dated version, which shares most of its operations, to v1): 689 of
# its 1,966 pairs. The changes are shared, read-only once judged (their verdicts depend on
# themselves only). Off otherwise: a long-lived process would keep every change it ever made.
_PAIRS: dict[tuple[bytes, bytes, bool], tuple[list[Change], dict[tuple[str, str], int] | None]] | None = None


@contextmanager
def remembering_pairs() -> Iterator[None]:
    """Diffs in this block take the changes of a pair of groups met before from the first diff that
    compared them; they are forgotten after."""
    global _PAIRS
    outer, _PAIRS = _PAIRS, {}
    try:
        yield
    finally:
        _PAIRS = outer


def _group_changes(old: Surface, new: Surface, before: Group, after: Group,
                   counted: dict[tuple[str, str], int] | None) -> list[Change]:
    """_diff_rows of one operation's groups on each side (see remembering_pairs)."""
    if _PAIRS is None:
        return _diff_rows(old, new, before.rows, after.rows, counted, {}, {})
    key = (before.digest, after.digest, counted is None)
    known = _PAIRS.get(key)
    if known is None:
        found: dict[tuple[str, str], int] | None = None if counted is None else {}
        known = _PAIRS[key] = (_diff_rows(old, new, before.rows, after.rows, found, {}, {}), found)
    changes, found = known
    if counted is not None and found:
        for where, number in found.items():
            counted[where] = counted.get(where, 0) + number
    return changes


def _diff_rows(old: Surface, new: Surface, old_rows: dict[str, tuple], new_rows: dict[str, tuple],
               counted: dict[tuple[str, str], int] | None, added: dict[str, str],
               removed: dict[str, str]) -> list[Change]:
    """diff_facts on rows of `old` and `new`: all of them, or one operation's on each side. `added`
    and `removed`: the operations added and removed whole, {key: identity} (members counted on them)."""
    changes: list[Change] = []
    roots: list[str] = []  # the root of each member counted, once per member
    added_root = _Roots(new_rows, old_rows, added) if counted is not None else None
    for identity, row in new_rows.items():
        before = old_rows.get(identity)
        if before is row:  # loaded surfaces share their equal rows (store/snapshots.py)
            continue
        if before is None:
            if added_root is not None:
                root = added_root(identity, row)
                if root is not None:
                    roots.append(root)
                    continue
            changes.append(_added(new, identity, row, old_rows))
        elif (before[0] != row[0] or before[4] != row[4]  # key spelling or attributes differ
              or (type(row[4]) is dict and not same_attributes(before[4], row[4]))):  # `1` is no `true`
            changes.extend(_attribute_changes(old.element(identity, before), new.element(identity, row)))
    _count(counted, "added", Counter(roots))
    roots = []
    removed_root = _Roots(old_rows, new_rows, removed) if counted is not None else None
    gone = []
    for identity in old_rows.keys() - new_rows.keys():
        if removed_root is not None:
            root = removed_root(identity, old_rows[identity])
            if root is not None:
                roots.append(root)
                continue
        gone.append(_removed(old.element(identity, old_rows[identity]), new_rows))
    _count(counted, "removed", Counter(roots))
    _mark_lifted_value_lists(gone, old_rows, new_rows)
    return changes + gone


def _added(new: Surface, identity: str, row: tuple, old_rows: dict[str, tuple]) -> Change:
    return Change("added", row[0], identity, row[1], row[2], row[3], after=new.element(identity, row).attrs,
                  with_parent=bool(row[5]) and row[5] not in old_rows)


def _removed(element: Element, new_rows: dict[str, tuple]) -> Change:
    key, operation = _in_new_spelling(element, new_rows)
    return Change("removed", key, element.identity, element.kind, operation, element.location,
                  before=element.attrs, with_parent=bool(element.parent) and element.parent not in new_rows)


def _count(counted: dict[tuple[str, str], int] | None, kind: str, members: Mapping[str, int]) -> None:
    """Add `members` ({root: how many}) to `counted`."""
    if counted is None:
        return
    for root, number in members.items():
        if number:
            counted[(kind, root)] = counted.get((kind, root), 0) + number


class _Roots:
    """The root of the subtree an element of `rows` (a surface's) arrived (or left) with, when the
    element is a member of one: its parent is missing from `other` too. The root is its highest
    ancestor missing from `other` (whose own parent `other` has). Members of an operation missing
    from `other` (`whole`, {key: identity}) are found at once, by their operation: every member of
    one has an identity that starts with the operation's and a space, as keys.descends requires."""

    def __init__(self, rows: dict[str, tuple], other: dict, whole: dict[str, str]):
        self.rows, self.other, self.whole = rows, other, whole
        self.memo: dict[str, str] = {}  # a member's parent -> the root above it

    def __call__(self, identity: str, row: tuple) -> str | None:
        root = self.whole.get(row[2]) if self.whole else None
        if root is not None and root != identity:
            return root
        parent = row[5]
        if not parent or parent in self.other:
            return None  # a root itself (or an operation)
        root = self.memo.get(parent)
        if root is None:
            root = parent
            while (above := self.rows[root][5]) and above not in self.other:
                root = above
            self.memo[parent] = root
        return root if descends(root, self.rows[root][1], identity) else None


def _mark_lifted_value_lists(removed: list[Change], old_rows: dict[str, tuple], new_rows: dict[str, tuple]) -> None:
    """An enum value removed from a value that lists no values any more was not taken away: the
    list itself was lifted (a plain string that used to list six values accepts them all still).
    The other way round is left as it is: a value that newly lists values may still accept any
    string beside them (anyOf [string, enum]), which the element model does not tell apart.
    (The value's parent is of its operation: `new_rows` may be the operation's rows only.)"""
    removed = [c for c in removed if c.element == "enum" and not c.with_parent]
    if not removed:
        return
    listing = {row[5] for row in new_rows.values() if row[1] == "enum"}  # elements that list values
    for change in removed:
        change.list_lifted = old_rows[change.identity][5] not in listing


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
