"""Merge the converted documents of one version into a single OpenAPI 3.1 snapshot."""

from __future__ import annotations

import json
from typing import Any

from ..errors import UserError

REF_PREFIX = "#/components/schemas/"


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if (key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX)
                    and value[len(REF_PREFIX):] in renames):
                out[key] = REF_PREFIX + renames[value[len(REF_PREFIX):]]
            elif key == "mapping" and isinstance(value, dict):
                out[key] = {k: _rename_refs({"$ref": v}, renames)["$ref"] for k, v in value.items()}
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node


def merge_documents(version: str, parts: list[tuple[str, dict]], provenance: list[dict]) -> dict:
    """`parts` is [(source name, converted document)], the first one wins names that collide.

    A component name used by two documents for different shapes is kept apart: the later document's
    schema is renamed `<source>.<Name>` (and its references with it). Same name, same shape: one copy.
    """
    paths: dict[str, dict] = {}
    schemas: dict[str, Any] = {}
    for source, part in parts:
        renames = {}
        for name, schema in part["schemas"].items():
            if name in schemas and not _same(schemas[name], schema):
                renames[name] = f"{source}.{name}"
        part_paths = _rename_refs(part["paths"], renames) if renames else part["paths"]
        part_schemas = _rename_refs(part["schemas"], renames) if renames else part["schemas"]
        for name, schema in part_schemas.items():
            schemas[renames.get(name, name)] = schema
        for path, operations in part_paths.items():
            target = paths.setdefault(path, {})
            for method, operation in operations.items():
                if method in target:
                    raise UserError(
                        f"{version}: {method.upper()} {path} is defined by both the "
                        f"{target[method]['x-aoai-document']} and the {source} document"
                    )
                target[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Azure OpenAI {version} (aoai-changelog facts-only snapshot)", "version": version},
        "x-aoai-snapshot": {"version": version, "documents": provenance},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
