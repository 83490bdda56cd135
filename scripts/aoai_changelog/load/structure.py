"""The shape of what the pipeline reads from a document, checked before anything uses it.

Not the OpenAPI meta-schema: only the parts we read, with the types we rely on (a mapping where we
read a mapping, a list of strings where we read names, ...). Everything else in a document is
ignored. A `{"$ref": "..."}` object may stand wherever an object is expected. The first violation is
reported as one line with its JSON pointer: `/paths/~1chat/post/responses: expected a mapping, found
an integer (5)`.

The shapes are a small schema language of our own (SHAPES below), read by an iterative walker: a
JSON Schema validator over the recursive schema objects of the 1.5 MB v1 document takes seconds;
this takes a few hundredths.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..errors import UserError
from .files import escape_token

# A shape is: a type name ("string", "boolean", "strings" = list of strings, "any"),
# ("map", SHAPE) a mapping of any keys to SHAPE, ("list", SHAPE), ("either", SHAPE, SHAPE, ...),
# or the name of an object shape in SHAPES: {key: SHAPE} for the keys we read (others are ignored).
_SCHEMA = "schema"
# The keys of a path item that hold an operation (what the check reads as one).
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
SHAPES: dict[str, dict[str, Any]] = {
    "document": {
        "paths": ("map", "pathItem"), "components": "components", "definitions": ("map", _SCHEMA),
        "parameters": ("map", "parameter"), "responses": ("map", "response"),
        "servers": ("list", "server"), "host": "string", "basePath": "string",
        "consumes": "strings", "produces": "strings", "x-ms-parameterized-host": "parameterizedHost",
    },
    "components": {
        "schemas": ("map", _SCHEMA), "parameters": ("map", "parameter"), "requestBodies": ("map", "requestBody"),
        "responses": ("map", "response"), "headers": ("map", "header"),
    },
    "server": {"url": "string"},
    "parameterizedHost": {"hostTemplate": "string"},
    "pathItem": {"parameters": ("list", "parameter"), **dict.fromkeys(METHODS, "operation")},
    "operation": {
        "operationId": "string", "deprecated": "boolean", "tags": "strings", "parameters": ("list", "parameter"),
        "requestBody": "requestBody", "responses": ("map", "response"), "consumes": "strings", "produces": "strings",
    },
    "parameter": {
        "name": "string", "in": "string", "required": "boolean", "deprecated": "boolean", "schema": _SCHEMA,
        "content": ("map", "media"), "items": _SCHEMA, "enum": ("list", "any"),
    },
    "requestBody": {"content": ("map", "media"), "required": "boolean"},
    "media": {"schema": _SCHEMA, "itemSchema": _SCHEMA},
    "response": {"content": ("map", "media"), "schema": _SCHEMA, "headers": ("map", "header")},
    "header": {"schema": _SCHEMA, "required": "boolean"},
    _SCHEMA: {
        "type": ("either", "string", "strings"), "format": "string", "enum": ("list", "any"), "required": "strings",
        "properties": ("map", _SCHEMA), "items": ("either", _SCHEMA, ("list", _SCHEMA)),
        "additionalProperties": ("either", "boolean", _SCHEMA), "allOf": ("list", _SCHEMA),
        "oneOf": ("list", _SCHEMA), "anyOf": ("list", _SCHEMA), "not": ("either", "boolean", _SCHEMA),
        "discriminator": ("either", "string", "discriminator"), "nullable": "boolean", "x-nullable": "boolean",
        "readOnly": "boolean", "writeOnly": "boolean", "deprecated": "boolean", "x-ms-discriminator-value": "string",
    },
    "discriminator": {"propertyName": "string", "mapping": ("map", "string")},
}
# Object shapes that may also be written as a boolean (JSON Schema's `true`/`false` schemas).
_BOOLEAN_OK = {_SCHEMA}
_SCALARS = ("string", "boolean", "strings")
# Required keys of object shapes (a parameter is nothing without its name and location).
_REQUIRED = {"parameter": ("name", "in")}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        text = repr(value)
        return f"a number ({text if len(text) < 20 else text[:17] + '...'})"
    if isinstance(value, str):
        return f"a string ({value[:30]!r})" if len(value) <= 30 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null" if value is None else type(value).__name__


def _expected(shape: Any) -> str:
    if isinstance(shape, tuple):
        if shape[0] == "map":
            return "a mapping"
        if shape[0] == "list":
            return "a list"
        return " or ".join(_expected(s) for s in shape[1:])
    return {"string": "a string", "boolean": "a boolean", "strings": "a list of strings", "any": "anything"}.get(
        shape, "a mapping" if shape != _SCHEMA else "a schema (a mapping or a boolean)")


def _fits(value: Any, shape: Any) -> bool:
    """Does `value` have the outer type of `shape`? (Its contents are checked by the walk.)"""
    if isinstance(shape, tuple):
        if shape[0] == "map":
            return isinstance(value, dict)
        if shape[0] == "list":
            return isinstance(value, list)
        return any(_fits(value, s) for s in shape[1:])
    if shape == "any":
        return True
    if shape == "string":
        return isinstance(value, str)
    if shape == "boolean":
        return isinstance(value, bool)
    if shape == "strings":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, dict) or (shape in _BOOLEAN_OK and isinstance(value, bool))


def _spell(pointer: Any) -> str:
    """A JSON pointer (RFC 6901) from a (parent, token) chain."""
    tokens = []
    while pointer is not None:
        pointer, token = pointer
        tokens.append(escape_token(str(token)))
    return "/" + "/".join(reversed(tokens)) if tokens else "/"


def check_structure(document: dict, label: str, known: Collection[int] = ()) -> None:
    """Raise a one-line UserError at the first value whose type is not what the pipeline reads.
    `known`: ids of schema and operation objects in `document` whose content is known to pass (one
    equal to a schema or an operation checked before: revisions share most of theirs)."""
    seen: set[tuple[int, Any]] = set()
    # Pointers are kept as (parent, token) chains and spelled out only for the error message.
    stack: list[tuple[Any, Any, Any]] = [(document, "document", None)]
    while stack:
        value, shape, pointer = stack.pop()
        if known and (shape == _SCHEMA or shape == "operation") and id(value) in known:
            continue
        if not _fits(value, shape):
            raise UserError(f"{label}: {_spell(pointer)}: expected {_expected(shape)}, found {_kind(value)}")
        if isinstance(shape, tuple):
            if shape[0] == "either":  # the first alternative the value fits decides how to go on
                stack.append((value, next(s for s in shape[1:] if _fits(value, s)), pointer))
            elif shape[0] == "map":
                stack.extend((v, shape[1], (pointer, k)) for k, v in value.items())
            else:
                stack.extend((v, shape[1], (pointer, i)) for i, v in enumerate(value))
            continue
        if not isinstance(value, dict) or shape not in SHAPES:
            continue
        marker = (id(value), shape)
        if marker in seen:  # shared by YAML aliases: checked once
            continue
        seen.add(marker)
        if "$ref" in value:
            if not isinstance(value["$ref"], str):
                raise UserError(f"{label}: {_spell((pointer, '$ref'))}: expected a string, "
                                f"found {_kind(value['$ref'])}")
            if shape != _SCHEMA:  # a reference object: its siblings are not read
                continue
        for key in _REQUIRED.get(shape, ()):
            if key not in value:
                raise UserError(f"{label}: {_spell(pointer)}: '{key}' is missing")
        fields = SHAPES[shape]
        for key, child in value.items():
            sub = fields.get(key)
            if sub is None or sub == "any":
                continue
            if sub in _SCALARS:  # checked here: most values are names and flags (no stack round trip)
                if not _fits(child, sub):
                    raise UserError(f"{label}: {_spell((pointer, key))}: expected {_expected(sub)}, "
                                    f"found {_kind(child)}")
                continue
            stack.append((child, sub, (pointer, key)))
