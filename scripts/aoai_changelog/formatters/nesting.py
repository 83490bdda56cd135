"""Nested elements by reference: the members of an added (or removed) subtree, found from its root.

An added operation brings its parameters, bodies, fields and enum values with it; a diff lists
them as changes `with_parent: true`. The committed diffs (changelog/diffs/*.json) list only the
root of each such subtree, with `nested` (how many) and `identity`: the members themselves are
the elements of changelog/features.json present in the diff's TO version (for an addition) or
FROM version (for a removal) whose identity descends from the root's identity, by this grammar:

    operation   identity + " " + ...                    (its parameters, bodies and their fields)
    body        identity + " " + ...  or  identity + ".header " + ...   (fields, response headers)
    any other   identity + one of  . [ { < =  + ...   (sub-fields, items, map values, variants, values)

This is listed in schema/diff.schema.json; tests/test_nesting.py checks it against full diffs.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..surface.keys import descends

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..diff.changes import Change


def _candidate_roots(identity: str) -> Iterable[int]:
    """Lengths at which a root's identity could end inside `identity`, longest first."""
    for i in range(len(identity) - 1, 0, -1):
        if identity[i] in " .[{<=":
            yield i


def nest(changes: list, left_out: dict[tuple[str, str], int] | None = None) -> tuple[list, dict[int, int]]:
    """(changes without the members of listed subtrees, {id(root change): member count}).
    `left_out`: members the diff counted instead of listing, {(kind, root identity): count}
    (DiffResult.left_out), added to their root's count.

    A listed member whose root cannot be found by the grammar (never in the real specifications, but
    a key grammar can be fooled by property names that hold separators) stays in the list: nothing a
    reader needs is ever dropped. (A diff counts a member instead of listing it only where the
    grammar places it under its root: keys.descends.)"""
    roots: dict[tuple[str, str], object] = {}
    counts: dict[int, int] = {}
    for change in changes:
        if not change.with_parent and change.kind in ("added", "removed"):
            roots[(change.kind, change.identity)] = change
            if left_out and (change.kind, change.identity) in left_out:
                counts[id(change)] = left_out[(change.kind, change.identity)]
    kept = []
    for change in changes:
        if change.with_parent:
            root = _root_of(change, roots)
            if root is not None:
                counts[id(root)] = counts.get(id(root), 0) + 1
                continue
        kept.append(change)
    return kept, counts


def _root_of(change: Change, roots: dict) -> Change | None:
    for end in _candidate_roots(change.identity):
        root = roots.get((change.kind, change.identity[:end]))
        if root is not None and descends(root.identity, root.element, change.identity):
            return root
    return None


def members_in_index(index: dict, identity: str, kind: str, version: str, timeline: str = "versions") -> list[str]:
    """The reader's side: identities of the members of the subtree rooted at `identity` (an element
    of kind `kind`) present in `version`, from a feature index (changelog/features.json, parsed)."""
    from bisect import bisect_left

    position = index["timelines"][timeline].index(version)
    identities = list(index["elements"])  # written sorted by identity (featureindex.dump_index)
    if any(a > b for a, b in zip(identities, identities[1:])):
        identities.sort()
    out = []
    for i in range(bisect_left(identities, identity), len(identities)):
        candidate = identities[i]
        if not candidate.startswith(identity):
            break
        runs = index["elements"][candidate]["present"].get(timeline, [])
        if descends(identity, kind, candidate) and any(a <= position <= b for a, b in runs):
            out.append(candidate)
    return out
