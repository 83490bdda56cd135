"""The rule registry: one record per rule id, each id written out here (grep finds it). Ids are
stable: users filter on them and waive them.

A record says what it judges (side, subject, event: `request` `property` `became-optional`) and its
verdict (level, breaking) with a one-line meaning. Classifiers find records with `rule(id)` or
`rule_for(side, subject, event)`; either raises an error naming what is missing, so a classifier
that meets a new kind of change fails loudly instead of inventing an id.

Direction matters. What a client SENDS (request side) breaks when it is narrowed: a removed field,
a new required field, a removed enum value, a tighter limit. What a client RECEIVES (response side)
breaks when it is widened or taken away: a removed field, a new type, a field that may now be
missing or null. New enum values in a response are a warning: strict clients may not expect them.
"""

from __future__ import annotations

ERROR, WARNING, INFO = "error", "warning", "info"


class Rule:
    """One rule. (A plain class: dataclasses cost a diff more import time than they save.)"""

    __slots__ = ("id", "side", "subject", "event", "level", "breaking", "meaning")

    def __init__(self, id: str, side: str, subject: str, event: str, level: str, breaking: bool,
                 meaning: str | None = None):
        self.id, self.side, self.subject, self.event = id, side, subject, event
        self.level, self.breaking = level, breaking
        self.meaning = meaning if meaning is not None else VALUE_EVENT_MEANINGS[event]

    def __repr__(self) -> str:
        return f"Rule({self.id!r}, {self.level}, breaking={self.breaking})"


# What an attribute change of a value means, the same for every subject on either side.
VALUE_EVENT_MEANINGS = {
    "type-changed": "the type changed incompatibly",
    "type-widened": "more types are accepted",
    "type-narrowed": "fewer types are returned",
    "format-changed": "the format changed",
    "became-required": "now required",
    "became-optional": "now optional (a response field may be missing)",
    "became-nullable": "now nullable (a response value may be null)",
    "became-non-nullable": "no longer nullable",
    "default-changed": "the default value changed: same request, other behaviour",
    "limit-tightened": "a limit got stricter (minimum, maximum, length, items, pattern)",
    "limit-relaxed": "a limit got looser",
    "deprecated": "now deprecated",
    "undeprecated": "no longer deprecated",
    "read-only-changed": "readOnly changed",
    "write-only-changed": "writeOnly changed",
    "discriminator-changed": "the discriminator property changed",
    "discriminator-added": "the value is now a union told apart by a discriminator (its new variants are reported on "
        "their own)",
    "discriminator-removed": "the value is no longer a union (its removed variants are reported on their own)",
    "additional-properties-changed": "free-form keys are now allowed or refused",
}

# side: request (what a client sends), response (what it receives), '' (the operation itself).
RULE_LIST: tuple[Rule, ...] = (
    # Operations
    Rule("operation-added", "", "operation", "added", INFO, False, "a new operation"),
    Rule("operation-removed", "", "operation", "removed", ERROR, True, "the operation no longer exists"),
    Rule("operation-moved", "", "operation", "moved", WARNING, True,
         "the operation's base URL or path prefix changed (e.g. /deployments/{deployment-id}/... to the v1 "
         "path): clients must call a new URL"),
    Rule("operation-path-parameter-renamed", "", "operation", "path-parameter-renamed", INFO, False,
         "a path parameter got a new name; the URL shape is the same"),
    Rule("operation-id-changed", "", "operation", "id-changed", INFO, False,
         "the operationId changed (affects generated SDK method names only)"),
    Rule("operation-deprecated", "", "operation", "deprecated", WARNING, False, "the operation is now deprecated"),
    Rule("operation-undeprecated", "", "operation", "undeprecated", INFO, False,
         "the operation is no longer deprecated"),
    # Request bodies, response statuses, media types
    Rule("request-body-added", "request", "body", "added", INFO, False,
         "the operation now accepts an optional request body"),
    Rule("request-body-added-required", "request", "body", "added-required", ERROR, True,
         "the operation now requires a request body"),
    Rule("request-body-removed", "request", "body", "removed", ERROR, True,
         "the operation no longer accepts a request body"),
    Rule("request-body-became-required", "request", "body", "became-required", ERROR, True,
         "the request body is now required"),
    Rule("request-body-became-optional", "request", "body", "became-optional", INFO, False,
         "the request body is now optional"),
    Rule("request-media-type-added", "request", "media-type", "added", INFO, False,
         "a new request media type is accepted"),
    Rule("request-media-type-removed", "request", "media-type", "removed", ERROR, True,
         "a request media type is no longer accepted"),
    Rule("response-status-added", "response", "status", "added", INFO, False, "a new response status"),
    Rule("response-success-status-removed", "response", "success-status", "removed", ERROR, True,
         "a 2xx response status is no longer returned"),
    Rule("response-non-success-status-removed", "response", "non-success-status", "removed", INFO, False,
         "a non-2xx response status is no longer documented"),
    Rule("response-media-type-added", "response", "media-type", "added", INFO, False, "a new response media type"),
    Rule("response-media-type-removed", "response", "media-type", "removed", WARNING, True,
         "a response media type is no longer returned"),
    # Elements added or removed
    Rule("request-parameter-added", "request", "parameter", "added", INFO, False, "a new optional parameter"),
    Rule("request-parameter-added-required", "request", "parameter", "added-required", ERROR, True,
         "a new required parameter"),
    Rule("request-parameter-removed", "request", "parameter", "removed", WARNING, False,
         "a parameter is no longer documented: servers usually ignore it, but what it did is gone"),
    Rule("request-parameter-renamed", "request", "parameter", "renamed", INFO, False,
         "a path parameter at the same position got a new name"),
    Rule("request-property-added", "request", "property", "added", INFO, False, "a new optional request field"),
    Rule("request-property-added-required", "request", "property", "added-required", ERROR, True,
         "a new required request field"),
    Rule("request-property-removed", "request", "property", "removed", ERROR, True,
         "a request field is no longer accepted"),
    Rule("response-property-added", "response", "property", "added", INFO, False, "a new response field"),
    Rule("response-property-removed", "response", "property", "removed", ERROR, True,
         "a response field is no longer returned"),
    Rule("request-variant-added", "request", "variant", "added", INFO, False,
         "a new variant of a polymorphic request value (e.g. a new data source or message role)"),
    Rule("request-variant-removed", "request", "variant", "removed", ERROR, True,
         "a variant of a polymorphic request value is no longer accepted"),
    Rule("response-variant-added", "response", "variant", "added", WARNING, False,
         "a new variant of a polymorphic response value: clients may meet a type they do not know"),
    Rule("response-variant-removed", "response", "variant", "removed", INFO, False,
         "a variant of a polymorphic response value is no longer returned"),
    Rule("request-enum-value-added", "request", "enum-value", "added", INFO, False, "a new accepted value"),
    Rule("request-enum-value-removed", "request", "enum-value", "removed", ERROR, True,
         "a value is no longer accepted"),
    Rule("response-enum-value-added", "response", "enum-value", "added", WARNING, False,
         "a new value in a response: strict clients may not expect it"),
    Rule("response-enum-value-removed", "response", "enum-value", "removed", INFO, False,
         "a value is no longer returned"),
    Rule("request-enum-value-unlisted", "request", "enum-value", "unlisted", INFO, False,
         "the value lists no values any more: every value of its type is accepted, this one too"),
    Rule("response-enum-value-unlisted", "response", "enum-value", "unlisted", WARNING, False,
         "the value lists no values any more: strict clients may meet values they do not know"),
    Rule("response-header-added", "response", "header", "added", INFO, False, "a new response header"),
    Rule("response-header-removed", "response", "header", "removed", WARNING, True,
         "a response header is no longer returned"),
    Rule("request-parameter-type-declared", "request", "parameter", "type-declared", INFO, False,
         "a parameter now declares the type string: a parameter is text on the wire, so what may be sent is the same"),
    # Attribute changes of a request parameter (meaning: VALUE_EVENT_MEANINGS)
    Rule("request-parameter-type-changed", "request", "parameter", "type-changed", ERROR, True),
    Rule("request-parameter-type-widened", "request", "parameter", "type-widened", INFO, False),
    Rule("request-parameter-format-changed", "request", "parameter", "format-changed", WARNING, False),
    Rule("request-parameter-became-required", "request", "parameter", "became-required", ERROR, True),
    Rule("request-parameter-became-optional", "request", "parameter", "became-optional", INFO, False),
    Rule("request-parameter-became-nullable", "request", "parameter", "became-nullable", INFO, False),
    Rule("request-parameter-became-non-nullable", "request", "parameter", "became-non-nullable", ERROR, True),
    Rule("request-parameter-default-changed", "request", "parameter", "default-changed", WARNING, False),
    Rule("request-parameter-limit-tightened", "request", "parameter", "limit-tightened", ERROR, True),
    Rule("request-parameter-limit-relaxed", "request", "parameter", "limit-relaxed", INFO, False),
    Rule("request-parameter-deprecated", "request", "parameter", "deprecated", WARNING, False),
    Rule("request-parameter-undeprecated", "request", "parameter", "undeprecated", INFO, False),
    Rule("request-parameter-read-only-changed", "request", "parameter", "read-only-changed", WARNING, False),
    Rule("request-parameter-write-only-changed", "request", "parameter", "write-only-changed", WARNING, False),
    Rule("request-parameter-discriminator-changed", "request", "parameter", "discriminator-changed", WARNING, True),
    Rule("request-parameter-discriminator-added", "request", "parameter", "discriminator-added", INFO, False),
    Rule("request-parameter-discriminator-removed", "request", "parameter", "discriminator-removed", INFO, False),
    Rule("request-parameter-additional-properties-changed", "request", "parameter",
         "additional-properties-changed", WARNING, False),
    # Attribute changes of a request property (meaning: VALUE_EVENT_MEANINGS)
    Rule("request-property-type-changed", "request", "property", "type-changed", ERROR, True),
    Rule("request-property-type-widened", "request", "property", "type-widened", INFO, False),
    Rule("request-property-format-changed", "request", "property", "format-changed", WARNING, False),
    Rule("request-property-became-required", "request", "property", "became-required", ERROR, True),
    Rule("request-property-became-optional", "request", "property", "became-optional", INFO, False),
    Rule("request-property-became-nullable", "request", "property", "became-nullable", INFO, False),
    Rule("request-property-became-non-nullable", "request", "property", "became-non-nullable", ERROR, True),
    Rule("request-property-default-changed", "request", "property", "default-changed", WARNING, False),
    Rule("request-property-limit-tightened", "request", "property", "limit-tightened", ERROR, True),
    Rule("request-property-limit-relaxed", "request", "property", "limit-relaxed", INFO, False),
    Rule("request-property-deprecated", "request", "property", "deprecated", WARNING, False),
    Rule("request-property-undeprecated", "request", "property", "undeprecated", INFO, False),
    Rule("request-property-read-only-changed", "request", "property", "read-only-changed", WARNING, False),
    Rule("request-property-write-only-changed", "request", "property", "write-only-changed", WARNING, False),
    Rule("request-property-discriminator-changed", "request", "property", "discriminator-changed", WARNING, True),
    Rule("request-property-discriminator-added", "request", "property", "discriminator-added", INFO, False),
    Rule("request-property-discriminator-removed", "request", "property", "discriminator-removed", INFO, False),
    Rule("request-property-additional-properties-changed", "request", "property",
         "additional-properties-changed", WARNING, False),
    # Attribute changes of a request variant (meaning: VALUE_EVENT_MEANINGS)
    Rule("request-variant-type-changed", "request", "variant", "type-changed", ERROR, True),
    Rule("request-variant-type-widened", "request", "variant", "type-widened", INFO, False),
    Rule("request-variant-format-changed", "request", "variant", "format-changed", WARNING, False),
    Rule("request-variant-became-required", "request", "variant", "became-required", ERROR, True),
    Rule("request-variant-became-optional", "request", "variant", "became-optional", INFO, False),
    Rule("request-variant-became-nullable", "request", "variant", "became-nullable", INFO, False),
    Rule("request-variant-became-non-nullable", "request", "variant", "became-non-nullable", ERROR, True),
    Rule("request-variant-default-changed", "request", "variant", "default-changed", WARNING, False),
    Rule("request-variant-limit-tightened", "request", "variant", "limit-tightened", ERROR, True),
    Rule("request-variant-limit-relaxed", "request", "variant", "limit-relaxed", INFO, False),
    Rule("request-variant-deprecated", "request", "variant", "deprecated", WARNING, False),
    Rule("request-variant-undeprecated", "request", "variant", "undeprecated", INFO, False),
    Rule("request-variant-read-only-changed", "request", "variant", "read-only-changed", WARNING, False),
    Rule("request-variant-write-only-changed", "request", "variant", "write-only-changed", WARNING, False),
    Rule("request-variant-discriminator-changed", "request", "variant", "discriminator-changed", WARNING, True),
    Rule("request-variant-discriminator-added", "request", "variant", "discriminator-added", INFO, False),
    Rule("request-variant-discriminator-removed", "request", "variant", "discriminator-removed", INFO, False),
    Rule("request-variant-additional-properties-changed", "request", "variant",
         "additional-properties-changed", WARNING, False),
    # Attribute changes of a response property (meaning: VALUE_EVENT_MEANINGS)
    Rule("response-property-type-changed", "response", "property", "type-changed", ERROR, True),
    Rule("response-property-type-narrowed", "response", "property", "type-narrowed", INFO, False),
    Rule("response-property-format-changed", "response", "property", "format-changed", WARNING, False),
    Rule("response-property-became-required", "response", "property", "became-required", INFO, False),
    Rule("response-property-became-optional", "response", "property", "became-optional", WARNING, True),
    Rule("response-property-became-nullable", "response", "property", "became-nullable", WARNING, True),
    Rule("response-property-became-non-nullable", "response", "property", "became-non-nullable", INFO, False),
    Rule("response-property-default-changed", "response", "property", "default-changed", INFO, False),
    Rule("response-property-limit-tightened", "response", "property", "limit-tightened", INFO, False),
    Rule("response-property-limit-relaxed", "response", "property", "limit-relaxed", WARNING, False),
    Rule("response-property-deprecated", "response", "property", "deprecated", WARNING, False),
    Rule("response-property-undeprecated", "response", "property", "undeprecated", INFO, False),
    Rule("response-property-read-only-changed", "response", "property", "read-only-changed", WARNING, False),
    Rule("response-property-write-only-changed", "response", "property", "write-only-changed", WARNING, False),
    Rule("response-property-discriminator-changed", "response", "property", "discriminator-changed", WARNING, True),
    Rule("response-property-discriminator-added", "response", "property", "discriminator-added", INFO, False),
    Rule("response-property-discriminator-removed", "response", "property", "discriminator-removed", INFO, False),
    Rule("response-property-additional-properties-changed", "response", "property",
         "additional-properties-changed", INFO, False),
    # Attribute changes of a response variant (meaning: VALUE_EVENT_MEANINGS)
    Rule("response-variant-type-changed", "response", "variant", "type-changed", ERROR, True),
    Rule("response-variant-type-narrowed", "response", "variant", "type-narrowed", INFO, False),
    Rule("response-variant-format-changed", "response", "variant", "format-changed", WARNING, False),
    Rule("response-variant-became-required", "response", "variant", "became-required", INFO, False),
    Rule("response-variant-became-optional", "response", "variant", "became-optional", WARNING, True),
    Rule("response-variant-became-nullable", "response", "variant", "became-nullable", WARNING, True),
    Rule("response-variant-became-non-nullable", "response", "variant", "became-non-nullable", INFO, False),
    Rule("response-variant-default-changed", "response", "variant", "default-changed", INFO, False),
    Rule("response-variant-limit-tightened", "response", "variant", "limit-tightened", INFO, False),
    Rule("response-variant-limit-relaxed", "response", "variant", "limit-relaxed", WARNING, False),
    Rule("response-variant-deprecated", "response", "variant", "deprecated", WARNING, False),
    Rule("response-variant-undeprecated", "response", "variant", "undeprecated", INFO, False),
    Rule("response-variant-read-only-changed", "response", "variant", "read-only-changed", WARNING, False),
    Rule("response-variant-write-only-changed", "response", "variant", "write-only-changed", WARNING, False),
    Rule("response-variant-discriminator-changed", "response", "variant", "discriminator-changed", WARNING, True),
    Rule("response-variant-discriminator-added", "response", "variant", "discriminator-added", INFO, False),
    Rule("response-variant-discriminator-removed", "response", "variant", "discriminator-removed", INFO, False),
    Rule("response-variant-additional-properties-changed", "response", "variant",
         "additional-properties-changed", INFO, False),
    # Attribute changes of a response header (meaning: VALUE_EVENT_MEANINGS)
    Rule("response-header-type-changed", "response", "header", "type-changed", ERROR, True),
    Rule("response-header-type-narrowed", "response", "header", "type-narrowed", INFO, False),
    Rule("response-header-format-changed", "response", "header", "format-changed", WARNING, False),
    Rule("response-header-became-required", "response", "header", "became-required", INFO, False),
    Rule("response-header-became-optional", "response", "header", "became-optional", WARNING, True),
    Rule("response-header-became-nullable", "response", "header", "became-nullable", WARNING, True),
    Rule("response-header-became-non-nullable", "response", "header", "became-non-nullable", INFO, False),
    Rule("response-header-default-changed", "response", "header", "default-changed", INFO, False),
    Rule("response-header-limit-tightened", "response", "header", "limit-tightened", INFO, False),
    Rule("response-header-limit-relaxed", "response", "header", "limit-relaxed", WARNING, False),
    Rule("response-header-deprecated", "response", "header", "deprecated", WARNING, False),
    Rule("response-header-undeprecated", "response", "header", "undeprecated", INFO, False),
    Rule("response-header-read-only-changed", "response", "header", "read-only-changed", WARNING, False),
    Rule("response-header-write-only-changed", "response", "header", "write-only-changed", WARNING, False),
    Rule("response-header-discriminator-changed", "response", "header", "discriminator-changed", WARNING, True),
    Rule("response-header-discriminator-added", "response", "header", "discriminator-added", INFO, False),
    Rule("response-header-discriminator-removed", "response", "header", "discriminator-removed", INFO, False),
    Rule("response-header-additional-properties-changed", "response", "header",
         "additional-properties-changed", INFO, False),
)

RULES: dict[str, Rule] = {r.id: r for r in RULE_LIST}
_BY_PARTS: dict[tuple[str, str, str], Rule] = {(r.side, r.subject, r.event): r for r in RULE_LIST}


def rule(rule_id: str) -> Rule:
    """The record of a rule id."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise LookupError(f"no rule {rule_id!r} in checker/rules.py (add a Rule record for it)") from None


def rule_for(side: str, subject: str, event: str) -> Rule:
    """The rule that judges `event` on a `subject` of `side` (e.g. request, property, became-optional)."""
    try:
        return _BY_PARTS[(side, subject, event)]
    except KeyError:
        raise LookupError(f"no rule for the event {event!r} of a {side or 'operation'} {subject} in checker/rules.py "
                          "(add a Rule record for it)") from None


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
    for rule_id in sorted(RULES):
        record = RULES[rule_id]
        lines.append(f"| `{rule_id}` | {record.level} | {'yes' if record.breaking else 'no'} | {record.meaning} |")
    return "\n".join(lines) + "\n"
