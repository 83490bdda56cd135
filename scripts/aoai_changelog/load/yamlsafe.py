"""YAML read as JSON-shaped data, with bounds: what an OpenAPI document can mean, and nothing that
can make a small file cost gigabytes.

- Aliases: PyYAML shares an anchored value between its aliases, but every later stage walks the
  document as a tree, so 2 KB of nested aliases is billions of nodes. Before anything is built, the
  node graph is measured as the tree it stands for; past ALIAS_BUDGET extra nodes, or on an alias
  that contains itself, the file is refused.
- Values: timestamps stay the strings they are written as (`2024-01-01`, not a date object JSON
  cannot hold); `!!binary`, `!!set`, `!!omap` and `!!pairs` are refused; mapping keys become strings
  as JSON would have them (`200`, `true`, `null`); a key that is a list or a mapping is refused.
- Duplicate keys: the last one wins, as in JSON, and each is reported (`duplicates`).
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import UserError

# Nodes that aliases may add to a document (the real upstream YAML files add a few thousand).
ALIAS_BUDGET = 1_000_000
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _where(node: Any) -> str:
    mark = getattr(node, "start_mark", None)
    return f"line {mark.line + 1} column {mark.column + 1}" if mark else "?"


def key_text(key: Any) -> str | None:
    """A mapping key as JSON would have it; None for a key that cannot be one (a list, a mapping)."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return repr(key) if isinstance(key, float) else str(key)
    return None


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def check_expansion(root: yaml.Node, label: str) -> None:
    """Refuse a node graph whose tree is more than ALIAS_BUDGET nodes larger than the graph itself,
    or that contains itself. Iterative, each node measured once: linear in the file, never in the tree."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        ident = id(node)
        if finished:
            on_path.discard(ident)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[ident] = size
            if size - len(sizes) > ALIAS_BUDGET:
                raise UserError(f"{label}: YAML aliases expand past {ALIAS_BUDGET:,} extra nodes (at {_where(node)}): "
                                "refused (an alias bomb?)")
            continue
        if ident in sizes:
            continue
        if ident in on_path:
            raise UserError(f"{label}: a YAML alias contains itself (at {_where(node)}): refused")
        on_path.add(ident)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~10x faster on the 1 MB documents


class BoundedLoader(_BASE):  # type: ignore[misc, valid-type]
    """SafeLoader (C parser where available) with the rules of the module docstring."""

    label = "?"
    has_anchors = True

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        if self.has_anchors:
            check_expansion(node, self.label)
        return self.construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        explicit = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        self.flatten_mapping(node)  # `<<: *base` merges come first; explicit keys override them
        merged = len(node.value) - explicit
        mapping: dict[str, Any] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            key = key_text(self.construct_object(key_node, deep=deep))
            if key is None:
                raise UserError(f"{self.label}: a mapping key that is a list or a mapping at {_where(key_node)}")
            if index >= merged and key in mapping and len(self.duplicates) < 100:
                self.duplicates.append(f"duplicate key '{key}' at {_where(key_node)}")
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_timestamp_text(self, node: yaml.ScalarNode) -> str:
        return self.construct_scalar(node)

    def refuse_non_json(self, node: yaml.Node) -> None:
        tag = node.tag.rsplit(":", 1)[-1]
        raise UserError(f"{self.label}: a !!{tag} value at {_where(node)}: not JSON data, which an OpenAPI document is")


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedLoader.construct_timestamp_text)
for _tag in ("binary", "set", "omap", "pairs"):
    BoundedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", BoundedLoader.refuse_non_json)


def load_yaml(raw: bytes, label: str) -> tuple[Any, list[str]]:
    """(data, duplicate-key notes). yaml.YAMLError propagates for the caller's one-line message."""
    loader = BoundedLoader(raw)
    loader.label = label
    loader.has_anchors = b"&" in raw  # no anchor, no alias: nothing to measure
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()
