"""Surfaces of many snapshots, each operation walked once per distinct content.

Revisions of one version, and neighbouring versions, share most of their operations unchanged. An
operation's elements depend only on the operation object, where it lives (path, deployment prefix,
server) and the component schemas it can reach: through `$ref`s (including discriminator mappings)
and, for a Swagger-style base, through the subtypes that extend it. So each operation gets a
content digest over exactly those inputs, and its rows are computed once per digest and replayed
for every snapshot with the same digest. The result is the surface `surface_of` gives, row for row.

An operation walked anew still has most of its fields unchanged: the walker keeps the walk below a
field whose schemas are plain `$ref`s, keyed by a digest of everything they reach (closure_key),
and replays it under another field's path wherever the same components are met (walker.Subtree).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable
from typing import Any

from .model import Group, Surface, rows_of
from .schemaview import REF_PREFIX
from .walker import MAX_SURFACE_ELEMENTS, Subtree, _Walker, report_cuts, surface_of

_REF = re.compile(r'"' + re.escape(REF_PREFIX) + r'((?:[^"\\]|\\.)*)"')

# json.dumps(value, ensure_ascii=False), without making an encoder per call.
_TEXT = json.JSONEncoder(ensure_ascii=False).encode
# digest -> the Group of one operation; lives as long as the process (one build).
_MEMO: dict[bytes, Group] = {}
# (the components' keys, base left out, kind, tag skipped) -> the walk below a field (walker.Subtree):
# an operation walked anew (one of its components changed) replays the fields that did not change.
_SUBTREES: dict[Hashable, Subtree] = {}


def memoised_group(digest: bytes) -> Group | None:
    """The group of that digest, if this process walked it (the surface cache's loads reuse it)."""
    return _MEMO.get(digest)


def forget_memo() -> None:
    """Drop the memo (a build, once every surface is in the cache, keeps none of it in memory)."""
    _MEMO.clear()
    _SUBTREES.clear()


def forget_subtrees() -> None:
    """Drop the walks below fields, keeping the operations' groups (once every surface is made,
    only whole groups are asked for again)."""
    _SUBTREES.clear()


def component_texts(schemas: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    """{name: (JSON text, content digest)} of each component schema. The snapshot loader makes it
    once (its structure check skips schemas already checked) and hands it to the memo."""
    out = {}
    for name, schema in schemas.items():
        text = _TEXT(schema)
        out[name] = (text, _digest(text))
    return out


def operation_texts(snapshot: dict) -> dict[int, tuple[str, bytes]]:
    """{id(operation object): (JSON text, content digest)} of each operation under `paths`, by the
    methods the structure check reads as operations (what memoised_surface_of digests; the check
    skips ones equal to an operation it checked before). Anything not shaped like paths of
    operations is left for that check to report."""
    from ..load.structure import METHODS

    paths = snapshot.get("paths")
    out = {}
    for item in paths.values() if isinstance(paths, dict) else ():
        for method in METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                text = _TEXT(operation)
                out[id(operation)] = (text, _digest(text))
    return out


def _digest(text: str) -> bytes:
    # (A lone surrogate, which JSON allows in a string, is hashed as it is, not refused.)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _names_in(text: str) -> set[str]:
    """Component names that JSON text refers to (any string value `#/components/schemas/NAME`)."""
    return {json.loads(f'"{m}"') if "\\" in m else m for m in _REF.findall(text)}


class _Components:
    """Per snapshot: a digest of each component schema and the components each one can reach."""

    def __init__(self, components: dict[str, Any], subtypes: dict[str, list[str]],
                 texts: dict[str, tuple[str, bytes]] | None = None):
        self.digest: dict[str, bytes] = {}
        self.edges: dict[str, set[str]] = {}
        self._reach: dict[str, bytes] = {}  # name -> digest of all it reaches (see closure_key)
        if texts is None or texts.keys() != components.keys():
            texts = component_texts(components)
        for name, (text, digest) in texts.items():
            self.digest[name] = digest
            self.edges[name] = _names_in(text) | set(subtypes.get(name, ()))

    def closure_key(self, name: str) -> tuple[str, bytes]:
        """`name` and a digest of every component reachable from it (names and contents): equal keys,
        in any two snapshots, mean the walk below a `$ref` to it gives equal elements."""
        found = self._reach.get(name)
        if found is None:
            self._digest_components(name)
            found = self._reach[name]
        return name, found

    def _digest_components(self, root: str) -> None:
        """Give `root` and everything it reaches a digest (in `_reach`): per strongly connected
        component (Tarjan's algorithm, without recursion), over its members' names and contents and
        its successors' digests. Components reached before keep theirs."""
        order: dict[str, int] = {root: 0}
        low = {root: 0}
        stack, on_stack = [root], {root}
        calls = [(root, iter(sorted(self.edges.get(root, ()))))]
        while calls:
            node, successors = calls[-1]
            for successor in successors:
                if successor in self._reach:
                    continue
                if successor not in order:
                    order[successor] = low[successor] = len(order)
                    stack.append(successor)
                    on_stack.add(successor)
                    calls.append((successor, iter(sorted(self.edges.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], order[successor])
            else:
                calls.pop()
                if calls:
                    caller = calls[-1][0]
                    low[caller] = min(low[caller], low[node])
                if low[node] == order[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    inside = set(members)
                    beyond = sorted({self._reach[s] for m in members for s in self.edges.get(m, ()) if s not in inside})
                    digest = hashlib.blake2b(repr((sorted((m, self.digest.get(m)) for m in members), beyond)).encode(),
                                             digest_size=16).digest()
                    for member in members:
                        self._reach[member] = digest


class _SubtreeMemo:
    """The walker's subtree memo, keyed for one snapshot: a field whose schemas are all plain
    `$ref`s is keyed by what each reaches (closure_key), which holds in any snapshot."""

    def __init__(self, components: _Components):
        self.components = components

    def key(self, schemas: list, exclude: str | None, kind: str, skip: str | None) -> tuple | None:
        refs = []
        for schema in schemas:
            ref = schema.get("$ref") if type(schema) is dict and len(schema) == 1 else None
            if type(ref) is not str or not ref.startswith(REF_PREFIX):
                return None  # written in place: its subtree is the enclosing field's to keep
            refs.append(self.components.closure_key(ref[len(REF_PREFIX):]))
        return tuple(refs), exclude, kind, skip

    def get(self, key: Hashable) -> Subtree | None:
        return _SUBTREES.get(key)

    def put(self, key: Hashable, subtree: Subtree) -> None:
        _SUBTREES[key] = subtree


def memoised_surface_of(snapshot: dict, version: str, texts: dict[str, tuple[str, bytes]] | None = None,
                        operations: dict[int, tuple[str, bytes]] | None = None) -> Surface:
    """`surface_of(snapshot, version)`, reusing the rows of operations already walked in this process.
    `texts` and `operations`: the snapshot's component_texts and operation_texts, if the caller has
    them. The surface keeps its rows by operation (Surface.groups): an operation walked once is one
    Group in every surface that has it."""
    walker = _Walker(snapshot)
    components = _Components(walker.flattener.components, walker.flattener.subtypes, texts)
    walker.subtrees = _SubtreeMemo(components)
    groups: list[Group] = []
    size = 0
    for method, path, stripped, had_prefix, op in walker.operation_calls(snapshot):
        known = operations.get(id(op)) if operations else None
        op_text = known[0] if known else _TEXT(op)
        server = walker.servers.get(op.get("x-aoai-document")) if isinstance(op, dict) else None
        # What the operation refers to, each with the digest of everything it reaches in turn.
        reach = sorted(components.closure_key(name) for name in _names_in(op_text))
        digest = hashlib.blake2b(repr((method, path, stripped, had_prefix, server, op_text, reach)).encode(),
                                 digest_size=20).digest()
        recorded = _MEMO.get(digest)
        if recorded is None:
            walker.elements = {}
            walker.operation(method, path, stripped, had_prefix, op)
            rows = rows_of(walker.elements)
            # The operation's own element (the walk adds it first). Without one, "" is no
            # operation identity, and Surface.by_operation declines the groups.
            operation = next((identity for identity, row in rows.items() if row[1] == "operation"), "")
            recorded = _MEMO[digest] = Group(operation, digest, rows)
        groups.append(recorded)
        size += len(recorded.rows)
        if size >= MAX_SURFACE_ELEMENTS // 2:
            # Near the whole-surface budget, whose truncation depends on walking order: walk it whole.
            return surface_of(snapshot, version)
    report_cuts(version, walker.cut)
    return Surface(version, groups=groups)
