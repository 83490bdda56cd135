"""Schema objects, facts only, in OpenAPI 3.1 spelling.

Kept: the keywords that say what a client may send or will receive (types, formats, enums, required,
nullability, defaults, limits, read/write-only, deprecation, composition, discriminators, x-ms-* flags).
Dropped: every keyword that carries upstream prose (description, title, example(s), externalDocs,
x-oai*/x-stainless* presentation hints). What is dropped never reaches specs/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# Keywords whose values are plain facts, copied as they are.
VALUE_KEYWORDS = frozenset({
    "type", "format", "enum", "const", "default", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "readOnly", "writeOnly", "deprecated", "contentMediaType", "contentEncoding",
})
# Keywords whose value is one schema (or a boolean, for additionalProperties and friends).
SCHEMA_KEYWORDS = ("items", "additionalProperties", "unevaluatedProperties", "not", "contentSchema", "propertyNames")
# Keywords whose value is a list of schemas.
SCHEMA_LIST_KEYWORDS = ("allOf", "anyOf", "oneOf", "prefixItems")
# Keywords whose value maps names to schemas.
SCHEMA_MAP_KEYWORDS = ("properties", "patternProperties")
# Upstream prose, wherever it appears inside an x-ms-* extension.
PROSE_KEYS = frozenset({"description", "summary", "title", "example", "examples", "externalDocs", "x-ms-examples"})

RefMapper = Callable[[str, Path], str]


def strip_prose(value: Any) -> Any:
    """A copy of an extension value without any prose keys, at any depth."""
    if isinstance(value, dict):
        return {k: strip_prose(v) for k, v in value.items() if k not in PROSE_KEYS}
    if isinstance(value, list):
        return [strip_prose(v) for v in value]
    return value


def extension_facts(node: dict) -> dict:
    """The x-ms-* flags of any object, prose removed (x-ms-examples is prose: dropped)."""
    return {k: strip_prose(v) for k, v in node.items() if k.startswith("x-ms-") and k not in PROSE_KEYS}


class SchemaConverter:
    """Converts schema objects of one upstream document; `map_ref` rewrites each `$ref` it meets."""

    def __init__(self, swagger2: bool, map_ref: RefMapper):
        self.swagger2 = swagger2
        self.map_ref = map_ref

    def convert(self, node: Any, file: Path) -> Any:
        if not isinstance(node, dict):
            # `true`/`false` schemas (additionalProperties: true) are facts too.
            return node if isinstance(node, bool) else {}
        out: dict[str, Any] = {}
        if "$ref" in node:
            out["$ref"] = self.map_ref(node["$ref"], file)
        for key, value in node.items():
            if key in VALUE_KEYWORDS:
                out[key] = value
            elif key in SCHEMA_KEYWORDS:
                out[key] = (self.convert(value, file) if not isinstance(value, list)
                            else [self.convert(v, file) for v in value])
            elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                out[key] = [self.convert(v, file) for v in value]
            elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
                out[key] = {name: self.convert(sub, file) for name, sub in value.items()}
            elif key == "required" and isinstance(value, list):
                out["required"] = sorted({str(v) for v in value})
            elif key == "discriminator":
                out["discriminator"] = self._discriminator(value, file)
            elif key.startswith("x-ms-") and key not in PROSE_KEYS:
                out[key] = strip_prose(value)
        self._modernize(node, out)
        return out

    def _discriminator(self, value: Any, file: Path) -> dict:
        if isinstance(value, str):  # Swagger 2.0: just the property name
            return {"propertyName": value}
        if not isinstance(value, dict):
            return {}
        out: dict[str, Any] = {}
        if "propertyName" in value:
            out["propertyName"] = value["propertyName"]
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            # A mapping value is a $ref or, in OpenAPI 3.x, a bare component name.
            out["mapping"] = {
                str(tag): self.map_ref(target if ("/" in target or "#" in target)
                                       else f"#/components/schemas/{target}", file)
                for tag, target in mapping.items() if isinstance(target, str)
            }
        return out

    def _modernize(self, source: dict, out: dict) -> None:
        """Older spellings to OpenAPI 3.1: file type, boolean exclusive limits, nullable."""
        if out.get("type") == "file":  # Swagger 2.0
            out["type"] = "string"
            out.setdefault("format", "binary")
        for flag, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if isinstance(out.get(flag), bool):
                if out[flag] and limit in out:
                    out[flag] = out.pop(limit)
                else:
                    del out[flag]
        nullable = source.get("nullable") is True or source.get("x-nullable") is True
        if not nullable:
            return
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list):
            if "null" not in kind:
                out["type"] = [*kind, "null"]
        else:
            # No type to widen (a $ref or a composition): the 3.1 spelling is anyOf with null.
            inner = dict(out)
            out.clear()
            out["anyOf"] = [inner, {"type": "null"}]
