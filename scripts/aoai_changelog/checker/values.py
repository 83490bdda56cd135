"""Rules for attribute changes of a value (a parameter, field, variant or header)."""

from __future__ import annotations

from ..diff.changes import Change
from ..formatters.presentation import display_value
from .rules import rule_for

# A body's own value (its type, format, enum) is judged as a property's: the same direction rules.
_SUBJECT = {"parameter": "parameter", "field": "property", "variant": "variant", "header": "header", "body": "property"}
# Lower bounds: a bigger number is stricter. Upper bounds: a smaller number is stricter.
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_OTHER_LIMITS = ("pattern", "multipleOf", "uniqueItems")
# Attributes whose every change is one event, whatever the direction.
_CHANGED = {
    "format": "format-changed", "default": "default-changed", "readOnly": "read-only-changed",
    "writeOnly": "write-only-changed", "additionalProperties": "additional-properties-changed",
}


def _types(value: object) -> set:
    if value is None:
        return set()
    return set(value) if isinstance(value, list) else {value}


def _widened(before: object, after: object) -> bool:
    """`after` accepts everything `before` did (integer -> number counts as a widening)."""
    old, new = _types(before), _types(after)
    if "number" in new:
        new = new | {"integer"}
    return bool(old) and old <= new


def _limit_tightened(attribute: str, before: object, after: object) -> bool:
    if before is None:
        return True
    if after is None:
        return False
    if attribute in _LOWER and isinstance(before, (int, float)) and isinstance(after, (int, float)):
        return after > before
    if attribute in _UPPER and isinstance(before, (int, float)) and isinstance(after, (int, float)):
        return after < before
    return True  # a changed pattern or multipleOf: assume the worst


def _type_event(change: Change) -> str:
    """No declared type means any value. Sent values break when narrowed, received ones when widened."""
    before, after = change.before, change.after
    if change.side == "request":
        if after is None or _widened(before, after):
            return "type-widened"
        if before is None and change.element == "parameter" and _types(after) == {"string"}:
            return "type-declared"
        return "type-changed"
    if before is None or _widened(after, before):
        return "type-narrowed"
    return "type-changed"


def classify(change: Change) -> tuple[str, str]:
    side, subject = change.side, _SUBJECT[change.element]
    attribute, before, after = change.attribute, change.before, change.after
    if attribute == "name":
        return rule_for("request", "parameter", "renamed").id, f"path parameter renamed {before} -> {after}"
    if attribute == "type":
        return (rule_for(side, subject, _type_event(change)).id,
                f"type {display_value(before)} -> {display_value(after)}")
    if attribute == "discriminator":
        event = ("discriminator-added" if before is None else "discriminator-removed" if after is None
                 else "discriminator-changed")
        return rule_for(side, subject, event).id, f"discriminator {display_value(before)} -> {display_value(after)}"
    if attribute in _CHANGED:
        return (rule_for(side, subject, _CHANGED[attribute]).id,
                f"{attribute} {display_value(before)} -> {display_value(after)}")
    if attribute == "required":
        event = "became-required" if after else "became-optional"
        return rule_for(side, subject, event).id, f"{event.replace('-', ' ')}"
    if attribute == "nullable":
        event = "became-nullable" if after else "became-non-nullable"
        return rule_for(side, subject, event).id, f"{event.replace('-', ' ')}"
    if attribute in _LOWER or attribute in _UPPER or attribute in _OTHER_LIMITS:
        event = "limit-tightened" if _limit_tightened(attribute, before, after) else "limit-relaxed"
        return rule_for(side, subject, event).id, f"{attribute} {display_value(before)} -> {display_value(after)}"
    if attribute == "deprecated":
        event = "deprecated" if after else "undeprecated"
        return rule_for(side, subject, event).id, f"{'deprecated' if after else 'no longer deprecated'}"
    raise ValueError(f"no rule for attribute {attribute!r} of {change.element}")
