"""The rule registry: id -> (level, breaking, meaning). Ids are stable: users filter on them.

Direction matters. What a client SENDS (request side) breaks when it is narrowed: a removed field,
a new required field, a removed enum value, a tighter limit. What a client RECEIVES (response side)
breaks when it is widened or taken away: a removed field, a new type, a field that may now be
missing or null. New enum values in a response are a warning: strict clients may not expect them.
"""

from __future__ import annotations

ERROR, WARNING, INFO = "error", "warning", "info"

RULES: dict[str, tuple[str, bool, str]] = {
    # operations
    "operation-added": (INFO, False, "a new operation"),
    "operation-removed": (ERROR, True, "the operation no longer exists"),
    "operation-moved": (WARNING, True, "the operation's base URL or path prefix changed "
                        "(e.g. /deployments/{deployment-id}/... to the v1 path): clients must call a new URL"),
    "operation-path-parameter-renamed": (INFO, False, "a path parameter got a new name; the URL shape is the same"),
    "operation-id-changed": (INFO, False, "the operationId changed (affects generated SDK method names only)"),
    "operation-deprecated": (WARNING, False, "the operation is now deprecated"),
    "operation-undeprecated": (INFO, False, "the operation is no longer deprecated"),
    # request bodies, response statuses, media types
    "request-body-added": (INFO, False, "the operation now accepts an optional request body"),
    "request-body-added-required": (ERROR, True, "the operation now requires a request body"),
    "request-body-removed": (ERROR, True, "the operation no longer accepts a request body"),
    "request-body-became-required": (ERROR, True, "the request body is now required"),
    "request-body-became-optional": (INFO, False, "the request body is now optional"),
    "request-media-type-added": (INFO, False, "a new request media type is accepted"),
    "request-media-type-removed": (ERROR, True, "a request media type is no longer accepted"),
    "response-status-added": (INFO, False, "a new response status"),
    "response-success-status-removed": (ERROR, True, "a 2xx response status is no longer returned"),
    "response-non-success-status-removed": (INFO, False, "a non-2xx response status is no longer documented"),
    "response-media-type-added": (INFO, False, "a new response media type"),
    "response-media-type-removed": (WARNING, True, "a response media type is no longer returned"),
    # elements added or removed
    "request-parameter-added": (INFO, False, "a new optional parameter"),
    "request-parameter-added-required": (ERROR, True, "a new required parameter"),
    "request-parameter-removed": (WARNING, False, "a parameter is no longer documented: "
                                  "servers usually ignore it, but what it did is gone"),
    "request-parameter-renamed": (INFO, False, "a path parameter at the same position got a new name"),
    "request-property-added": (INFO, False, "a new optional request field"),
    "request-property-added-required": (ERROR, True, "a new required request field"),
    "request-property-removed": (ERROR, True, "a request field is no longer accepted"),
    "response-property-added": (INFO, False, "a new response field"),
    "response-property-removed": (ERROR, True, "a response field is no longer returned"),
    "request-variant-added": (INFO, False, "a new variant of a polymorphic request value (e.g. a new data source or message role)"),
    "request-variant-removed": (ERROR, True, "a variant of a polymorphic request value is no longer accepted"),
    "response-variant-added": (WARNING, False, "a new variant of a polymorphic response value: clients may meet a type they do not know"),
    "response-variant-removed": (INFO, False, "a variant of a polymorphic response value is no longer returned"),
    "request-enum-value-added": (INFO, False, "a new accepted value"),
    "request-enum-value-removed": (ERROR, True, "a value is no longer accepted"),
    "response-enum-value-added": (WARNING, False, "a new value in a response: strict clients may not expect it"),
    "response-enum-value-removed": (INFO, False, "a value is no longer returned"),
    "response-header-added": (INFO, False, "a new response header"),
    "response-header-removed": (WARNING, True, "a response header is no longer returned"),
    "request-parameter-type-declared": (INFO, False, "a parameter now declares the type string: "
                                        "a parameter is text on the wire, so what may be sent is the same"),
}

# Attribute changes of a value, for each subject on each side.
_SUBJECTS = {"request": ("parameter", "property", "variant"), "response": ("property", "variant", "header")}
_VALUE_EVENTS = {
    # event: (request level, request breaking, response level, response breaking, meaning)
    "type-changed": (ERROR, True, ERROR, True, "the type changed incompatibly"),
    "type-widened": (INFO, False, None, None, "more types are accepted"),
    "type-narrowed": (None, None, INFO, False, "fewer types are returned"),
    "format-changed": (WARNING, False, WARNING, False, "the format changed"),
    "became-required": (ERROR, True, INFO, False, "now required"),
    "became-optional": (INFO, False, WARNING, True, "now optional (a response field may be missing)"),
    "became-nullable": (INFO, False, WARNING, True, "now nullable (a response value may be null)"),
    "became-non-nullable": (ERROR, True, INFO, False, "no longer nullable"),
    "default-changed": (WARNING, False, INFO, False, "the default value changed: same request, other behaviour"),
    "limit-tightened": (ERROR, True, INFO, False, "a limit got stricter (minimum, maximum, length, items, pattern)"),
    "limit-relaxed": (INFO, False, WARNING, False, "a limit got looser"),
    "deprecated": (WARNING, False, WARNING, False, "now deprecated"),
    "undeprecated": (INFO, False, INFO, False, "no longer deprecated"),
    "read-only-changed": (WARNING, False, WARNING, False, "readOnly changed"),
    "write-only-changed": (WARNING, False, WARNING, False, "writeOnly changed"),
    "discriminator-changed": (WARNING, True, WARNING, True, "the discriminator property changed"),
    # A value that becomes a union (or stops being one): what may be sent or received changes only
    # through its variants and tag values, each reported with its own verdict.
    "discriminator-added": (INFO, False, INFO, False, "the value is now a union told apart by a discriminator "
                            "(its new variants are reported on their own)"),
    "discriminator-removed": (INFO, False, INFO, False, "the value is no longer a union (its removed variants are reported on their own)"),
    "additional-properties-changed": (WARNING, False, INFO, False, "free-form keys are now allowed or refused"),
}
for _side, _subjects in _SUBJECTS.items():
    for _subject in _subjects:
        for _event, (_ql, _qb, _rl, _rb, _meaning) in _VALUE_EVENTS.items():
            level, breaking = (_ql, _qb) if _side == "request" else (_rl, _rb)
            if level is not None:
                RULES[f"{_side}-{_subject}-{_event}"] = (level, breaking, _meaning)


def rules_markdown() -> str:
    """The rule reference (changelog/rules.md and the site's rules page), generated from RULES."""
    lines = [
        "# Rule ids",
        "",
        "Every change that `aoai-changelog diff` reports carries one of these stable rule ids, a level",
        "(error, warning, info) and a `breaking` flag. Direction matters: a request (what a client sends)",
        "breaks when it is narrowed, a response (what a client receives) when it is widened or taken away.",
        "An element added or removed together with its parent (`with_parent: true`) is always reported",
        "at level info and never as breaking: the parent's change is the one that counts.",
        "",
        "| rule | level | breaking | meaning |",
        "|---|---|---|---|",
    ]
    for rule in sorted(RULES):
        level, breaking, meaning = RULES[rule]
        lines.append(f"| `{rule}` | {level} | {'yes' if breaking else 'no'} | {meaning} |")
    return "\n".join(lines) + "\n"
