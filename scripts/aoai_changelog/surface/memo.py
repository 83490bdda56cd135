"""Surfaces of many snapshots, each operation walked once per distinct content.

Revisions of one version, and neighbouring versions, share most of their operations unchanged. An
operation's elements depend only on the operation object, where it lives (path, deployment prefix,
server) and the component schemas it can reach: through `$ref`s (including discriminator mappings)
and, for a Swagger-style base, through the subtypes that extend it. So each operation gets a
content digest over exactly those inputs, and its rows are computed once per digest and replayed
for every snapshot with the same digest. The result is the surface `surface_of` gives, row for row.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from .model import Group, Surface
from .schemaview import REF_PREFIX
from .walker import MAX_SURFACE_ELEMENTS, _Walker, report_cuts, surface_of

_REF = re.compile(r'"' + re.escape(REF_PREFIX) + r'((?:[^"\\]|\\.)*)"')

# json.dumps(value, ensure_ascii=False), without making an encoder per call.
_TEXT = json.JSONEncoder(ensure_ascii=False).encode
# digest -> the Group of one operation; lives as long as the process (one build).
_MEMO: dict[bytes, Group] = {}


def memoised_group(digest: bytes) -> Group | None:
    """The group of that digest, if this process walked it (the surface cache's loads reuse it)."""
    return _MEMO.get(digest)


def forget_memo() -> None:
    """Drop the memo (a build, once every surface is in the cache, keeps none of it in memory)."""
    _MEMO.clear()


def component_texts(schemas: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    """{name: (JSON text, content digest)} of each component schema. The snapshot loader makes it
    once (its structure check skips schemas already checked) and hands it to the memo."""
    out = {}
    for name, schema in schemas.items():
        text = _TEXT(schema)
        out[name] = (text, hashlib.blake2b(text.encode(), digest_size=16).digest())
    return out


def _names_in(text: str) -> set[str]:
    """Component names that JSON text refers to (any string value `#/components/schemas/NAME`)."""
    return {json.loads(f'"{m}"') if "\\" in m else m for m in _REF.findall(text)}


class _Components:
    """Per snapshot: a digest of each component schema and the components each one can reach."""

    def __init__(self, components: dict[str, Any], subtypes: dict[str, list[str]],
                 texts: dict[str, tuple[str, bytes]] | None = None):
        self.digest: dict[str, bytes] = {}
        self.edges: dict[str, set[str]] = {}
        if texts is None or texts.keys() != components.keys():
            texts = component_texts(components)
        for name, (text, digest) in texts.items():
            self.digest[name] = digest
            self.edges[name] = _names_in(text) | set(subtypes.get(name, ()))

    def closure(self, names: set[str]) -> list[str]:
        seen = set(names)
        stack = list(names)
        while stack:
            for target in self.edges.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return sorted(seen)


def memoised_surface_of(snapshot: dict, version: str, texts: dict[str, tuple[str, bytes]] | None = None) -> Surface:
    """`surface_of(snapshot, version)`, reusing the rows of operations already walked in this process.
    `texts`: the snapshot's component_texts, if the caller has them. The surface keeps its rows by
    operation (Surface.groups): an operation walked once is one Group in every surface that has it."""
    walker = _Walker(snapshot)
    components = _Components(walker.flattener.components, walker.flattener.subtypes, texts)
    groups: list[Group] = []
    size = 0
    for method, path, stripped, had_prefix, op in walker.operation_calls(snapshot):
        op_text = _TEXT(op)
        server = walker.servers.get(op.get("x-aoai-document")) if isinstance(op, dict) else None
        reach = components.closure(_names_in(op_text))
        digest = hashlib.blake2b(
            repr((method, path, stripped, had_prefix, server, op_text,
                  [(name, components.digest.get(name)) for name in reach])).encode(),
            digest_size=20).digest()
        recorded = _MEMO.get(digest)
        if recorded is None:
            walker.elements = {}
            walker.operation(method, path, stripped, had_prefix, op)
            rows = Surface(version, elements=walker.elements).rows
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
