"""Would version X accept this request body? jsonschema over the snapshot's own request schema.

The snapshot is registered whole (OpenAPI 3.1 schemas are JSON Schema 2020-12) so its `$ref`s
resolve through `referencing`. OpenAPI's `discriminator` is honoured where the schema has no
`oneOf` of its own (a base schema whose variants are reached only through the mapping). Errors are
turned into reasons a developer can act on: the missing field, the value and where it is not
allowed (with the allowed values), the wrong type; for a union, the variant the body was meant to
be (the one whose tag matched) rather than "not valid under any of the given schemas".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..surface.keys import display_path, shape_path, strip_deployment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


SNAPSHOT_URI = "urn:aoai-changelog:snapshot"
# A reason quotes at most this much of a value (a whole `messages` list is no help).
QUOTE_LIMIT = 80
MAX_REASONS = 20


def find_request(snapshot: dict, identity: str) -> dict | None:
    """{path, method, media_type, pointer, has_body} of the operation with `identity` in a snapshot."""
    for path, item in sorted(snapshot.get("paths", {}).items()):
        if not isinstance(item, dict):
            continue
        for method, operation in sorted(item.items()):
            if not isinstance(operation, dict) or method.upper() not in (
                    "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"):
                continue
            stripped, _ = strip_deployment(path)
            if f"{method.upper()} {shape_path(display_path(stripped))}" != identity:
                continue
            content = (operation.get("requestBody") or {}).get("content") or {}
            media = next((m for m in sorted(content) if "json" in m), None) or next(iter(sorted(content)), None)
            found = {"path": path, "method": method, "media_type": media, "has_body": media is not None,
                     "pointer": None}
            if media is not None and isinstance(content[media], dict) and "schema" in content[media]:
                steps = ("paths", path, method, "requestBody", "content", media, "schema")
                found["pointer"] = "/" + "/".join(_escape(p) for p in steps)
            return found
    return None


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _validator_class() -> type[Validator]:
    from jsonschema import Draft202012Validator, validators

    active: set[tuple[int, str]] = set()

    def discriminator(validator: Draft202012Validator, value: Any, instance: Any,
                      schema: dict) -> Iterator[ValidationError]:
        """Validate against the mapped variant when the schema itself has no oneOf/anyOf."""
        if not isinstance(instance, dict) or not isinstance(value, dict) or "oneOf" in schema or "anyOf" in schema:
            return
        tag = instance.get(value.get("propertyName"))
        target = (value.get("mapping") or {}).get(tag) if isinstance(tag, str) else None
        if not isinstance(target, str) or (id(instance), target) in active:
            return  # unknown tags are the tag property's own enum's business; a variant's allOf base comes back here
        active.add((id(instance), target))
        try:
            yield from validator.descend(instance, {"$ref": target})
        finally:
            active.discard((id(instance), target))

    return validators.extend(Draft202012Validator, {"discriminator": discriminator})


def make_validator(snapshot: dict, pointer: str) -> Validator:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(snapshot, default_specification=DRAFT202012)
    registry = Registry().with_resource(SNAPSHOT_URI, resource)
    return _validator_class()({"$ref": f"{SNAPSHOT_URI}#{pointer}"}, registry=registry)


def where(path: Iterable[str | int]) -> str:
    """`messages[0].role` for the deque ['messages', 0, 'role']; `(body)` for the body itself."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(body)"


def _quote(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number",
               type(None): "null"}


def _keyword_value(error: ValidationError) -> Any:
    """The schema's value for the keyword that failed (jsonschema sets it on every error a
    validator reports; its type says it may be unset, for errors made by hand)."""
    return error.validator_value


def _allowed(error: ValidationError) -> list:
    return list(_keyword_value(error)) if error.validator == "enum" else [_keyword_value(error)]


def explain(error: ValidationError) -> list[str]:
    """Reasons for one jsonschema error, in words about the body."""
    at = where(error.absolute_path)
    kind = error.validator
    if kind == "required":
        field = _required_field(error)
        return [f"missing required field `{field}`" + (f" at {at}" if error.absolute_path else "")]
    if kind in ("enum", "const"):
        allowed = ", ".join(_quote(v) for v in _allowed(error))
        return [f"value {_quote(error.instance)} not allowed at {at} (allowed: {allowed})"]
    if kind == "type":
        value = _keyword_value(error)
        expected = value if isinstance(value, str) else " or ".join(value)
        return [f"wrong type at {at}: expected {expected}, got {_JSON_TYPES.get(type(error.instance), 'value')}"]
    if kind in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        if isinstance(error.validator_value, dict):
            return _explain_extra_values(error, error.instance)
        return [f"field not allowed at {at}: {error.message.split('(', 1)[-1].rstrip(')')}"]
    if kind in ("oneOf", "anyOf"):
        return _explain_union(error)
    return [f"at {at}: {_short(error.message)}"]


def _explain_extra_values(error: ValidationError, instance: dict) -> list[str]:
    """Properties beyond `properties` whose values break the schema extra properties must follow:
    say what is wrong with each value (not "was unevaluated and invalid")."""
    declared = error.schema.get("properties") or {} if isinstance(error.schema, dict) else {}
    try:
        check = _validator_class()(_keyword_value(error))
        reasons: list[str] = []
        for name, value in instance.items():
            if name in declared:
                continue
            for sub in check.iter_errors(value):
                for step in reversed([*error.absolute_path, name]):
                    sub.path.appendleft(step)
                reasons.extend(r for r in explain(sub) if r not in reasons)
        if reasons:
            return reasons
    except Exception:  # noqa: BLE001 - a schema that needs the snapshot's registry: fall back to jsonschema's words
        pass
    return [f"at {where(error.absolute_path)}: {_short(error.message)}"]


def _required_field(error: ValidationError) -> str:
    """The one missing field a `required` error is about (jsonschema makes one error per field and
    names it in the message as a Python literal)."""
    import ast

    suffix = " is a required property"
    if error.message.endswith(suffix):
        try:
            name = ast.literal_eval(error.message[: -len(suffix)])
            if isinstance(name, str):
                return name
        except (ValueError, SyntaxError):
            pass
    missing = [f for f in _keyword_value(error) if isinstance(error.instance, dict) and f not in error.instance]
    return missing[0] if missing else error.message


def _short(message: str) -> str:
    return message if len(message) <= 2 * QUOTE_LIMIT else message[: 2 * QUOTE_LIMIT - 1] + "…"


def _explain_union(error: ValidationError) -> list[str]:
    """A union the body fits none of: name the variant it was meant to be, or the tag values allowed."""
    if not error.context:
        return [f"at {where(error.absolute_path)}: the value fits more than one of the allowed shapes"]
    branches: dict[str | int, list] = defaultdict(list)
    for sub in error.context:
        branches[sub.schema_path[0]].append(sub)
    tagged = {b: [e for e in errs if e.validator in ("enum", "const")] for b, errs in branches.items()}
    if all(tagged.values()):
        paths = {tuple(e.absolute_path) for errs in tagged.values() for e in errs}
        if len(paths) == 1:  # every variant refused the same tag value: list the values they take
            first = next(iter(tagged.values()))[0]
            allowed = []
            for errs in tagged.values():
                for v in _allowed(errs[0]):
                    if v not in allowed:
                        allowed.append(v)
            return [f"value {_quote(first.instance)} not allowed at {where(first.absolute_path)} "
                    f"(allowed: {', '.join(_quote(v) for v in allowed)})"]

    here = list(error.absolute_path)
    shapes = [e for errs in branches.values() for e in errs if e.validator == "type" and list(e.absolute_path) == here]
    if len({e.schema_path[0] for e in shapes}) == len(branches):  # no variant takes this kind of value
        expected: list[str] = []
        for e in shapes:
            for t in ([e.validator_value] if isinstance(e.validator_value, str) else e.validator_value):
                if t not in expected:
                    expected.append(t)
        return [f"wrong type at {where(here)}: expected {' or '.join(expected)}, got "
                f"{_JSON_TYPES.get(type(error.instance), 'value')}"]

    def rank(branch: str | int) -> tuple:
        errs = branches[branch]
        wrong_shape = any(e.validator == "type" and list(e.absolute_path) == list(error.absolute_path) for e in errs)
        return (bool(tagged[branch]), wrong_shape, len(errs), branch)

    best = min(branches, key=rank)
    reasons: list[str] = []
    for sub in branches[best]:
        for reason in explain(sub):
            if reason not in reasons:
                reasons.append(reason)
    return reasons


def reasons_for(validator: Validator, body: Any) -> list[str]:
    from jsonschema.exceptions import relevance

    reasons: list[str] = []
    for error in sorted(validator.iter_errors(body), key=relevance):
        for reason in explain(error):
            if reason not in reasons:
                reasons.append(reason)
    reasons.sort()
    return reasons[:MAX_REASONS] + ([f"… and {len(reasons) - MAX_REASONS} more"] if len(reasons) > MAX_REASONS else [])


def known_request_paths(rows: dict[str, tuple], operation_key: str) -> tuple[set[str], set[str]]:
    """(field paths of the request body, paths below which anything goes) from a surface's rows;
    variant labels are erased (`messages[]<developer>.content` -> `messages[].content`)."""
    import json

    known: set[str] = set()
    open_below: set[str] = set()
    prefix = f"{operation_key} request "
    for key, kind, operation, location, attrs, _parent in rows.values():
        if operation != operation_key or location != "request" or not key.startswith(prefix):
            continue
        path = _erase_labels(key[len(prefix):])
        if kind == "enum":
            continue
        known.add(path)
        if '"recursive"' in attrs or '"truncated"' in attrs:
            facts = json.loads(attrs)
            if facts.get("recursive") or facts.get("truncated"):
                open_below.add(path)
    return known, open_below


def _erase_labels(path: str) -> str:
    out, depth = [], 0
    for ch in path:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def unknown_fields(body: Any, known: set[str], open_below: set[str]) -> list[str]:
    """Fields of the body that the version's request schema does not name (most schemas let them
    through, so they are warnings: a misspelt or too-new field is silently ignored)."""
    found: list[str] = []
    has_children = {p.rsplit(".", 1)[0] for p in known if "." in p}
    has_children |= {p[:-2] for p in known | has_children if p.endswith(("[]", "{}"))}

    def walk(value: Any, path: str, shown: list) -> None:
        if path in open_below:
            return
        if isinstance(value, dict):
            if path and (f"{path}{{}}" in known or f"{path}{{}}" in has_children):
                for name, item in value.items():
                    walk(item, f"{path}{{}}", [*shown, name])
                return
            if path and path not in has_children:
                return  # a free-form object: anything goes
            for name, item in value.items():
                child = f"{path}.{name}" if path else name
                if child in known:
                    walk(item, child, [*shown, name])
                else:
                    found.append(where([*shown, name]))
        elif isinstance(value, list) and (f"{path}[]" in known or f"{path}[]" in has_children):
            for i, item in enumerate(value):
                walk(item, f"{path}[]", [*shown, i])

    if known:
        walk(body, "", [])
    return sorted(set(found))
