"""Every rule id in checker/rules.py is produced by something we can run, or waived with a reason.

Evidence: the hand-made rule fixtures (test_diff_rules.py), one attribute event on each kind of value
on each side (below: the same event on a request parameter, a request property, a response header,
... as oasdiff's rule_symmetry_test does), and the committed diffs of the real upstream history.
A rule that none of them produces is either dead or untested: add a fixture, or a waiver saying why
it cannot happen in a small spec.
"""

import copy
import json
import re

import pytest

from aoai_changelog.checker import RULES
from aoai_changelog.diff import diff_surfaces
from aoai_changelog.store.snapshots import snapshot_from_file
from aoai_changelog.surface import surface_of
from conftest import ROOT

_CIRCLE = {"type": "object", "properties": {"type": {"type": "string", "enum": ["circle"]}, "r": {"type": "number"}}}
_SQUARE = {"type": "object", "properties": {"type": {"type": "string", "enum": ["square"]}, "side": {"type": "number"}}}


def _body() -> dict:
    return {"type": "object", "properties": {"count": {"type": "integer"}, "shape": {"oneOf": [_CIRCLE, _SQUARE]}}}


BASE = {
    "openapi": "3.0.0",
    "info": {"title": "t", "version": "1"},
    "paths": {"/things": {"post": {
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer"}}],
        "requestBody": {"content": {"application/json": {"schema": _body()}}},
        "responses": {"200": {"description": "OK", "headers": {"x-h": {"schema": {"type": "integer"}}},
                              "content": {"application/json": {"schema": _body()}}}},
    }}},
}


class Value:
    """Where one kind of value lives in BASE: its schema, and where its `required` is said."""

    def __init__(self, doc: dict, side: str, subject: str):
        op = doc["paths"]["/things"]["post"]
        holder = op["requestBody"] if side == "request" else op["responses"]["200"]
        body = holder["content"]["application/json"]["schema"]
        self.holder: dict = {}
        if subject == "parameter":
            self.holder = op["parameters"][0]
            self.schema = self.holder["schema"]
        elif subject == "header":
            self.holder = op["responses"]["200"]["headers"]["x-h"]
            self.schema = self.holder["schema"]
        elif subject == "property":
            self.schema, self.body, self.name = body["properties"]["count"], body, "count"
        else:  # a variant of a union
            variant = body["properties"]["shape"]["oneOf"][0]
            self.schema, self.body, self.name = variant, variant, "r"

    def require(self) -> None:
        if self.holder:
            self.holder["required"] = True
        else:
            self.body.setdefault("required", []).append(self.name)


# event -> (change to the old spec, change to the new spec)
EVENTS = {
    "type-changed": (None, lambda v: v.schema.update(type="string" if v.schema["type"] != "string" else "integer")),
    "type-widened": (None, lambda v: v.schema.update(type="number")),
    "type-narrowed": (lambda v: v.schema.update(type="number"), None),
    "format-changed": (None, lambda v: v.schema.update(format="int64")),
    "became-required": (None, lambda v: v.require()),
    "became-optional": (lambda v: v.require(), None),
    "became-nullable": (None, lambda v: v.schema.update(nullable=True)),
    "became-non-nullable": (lambda v: v.schema.update(nullable=True), None),
    "default-changed": (None, lambda v: v.schema.update(default=5)),
    "limit-tightened": (None, lambda v: v.schema.update(maximum=5)),
    "limit-relaxed": (lambda v: v.schema.update(maximum=5), None),
    "deprecated": (None, lambda v: v.schema.update(deprecated=True)),
    "undeprecated": (lambda v: v.schema.update(deprecated=True), None),
    "read-only-changed": (None, lambda v: v.schema.update(readOnly=True)),
    "write-only-changed": (None, lambda v: v.schema.update(writeOnly=True)),
    "additional-properties-changed": (None, lambda v: v.schema.update(additionalProperties=True)),
    "enum-lifted": (lambda v: v.schema.update(enum=[1, 2]), None),
    "discriminator-added": (None, lambda v: v.schema.update(discriminator={"propertyName": "type"})),
    "discriminator-removed": (lambda v: v.schema.update(discriminator={"propertyName": "type"}), None),
    "discriminator-changed": (lambda v: v.schema.update(discriminator={"propertyName": "type"}),
                              lambda v: v.schema.update(discriminator={"propertyName": "kind"})),
}

def _op(doc: dict) -> dict:
    return doc["paths"]["/things"]["post"]


def _rename_path_parameter(doc: dict, name: str) -> None:
    _op(doc)["parameters"].append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
    doc["paths"][f"/things/{{{name}}}"] = doc["paths"].pop("/things")


def _set_union_discriminator(doc: dict, tag: str) -> None:
    op = _op(doc)
    for holder in (op["requestBody"], op["responses"]["200"]):
        holder["content"]["application/json"]["schema"]["properties"]["shape"]["discriminator"] = {"propertyName": tag}


# Changes of the operation and its body: (change to the old spec, change to the new spec).
OTHER_EVENTS = [
    (lambda d: _op(d).update(deprecated=True), None),                                   # operation-undeprecated
    (None, lambda d: _op(d)["requestBody"].update(required=True)),                      # request-body-became-required
    # request-parameter-type-declared
    (lambda d: _op(d)["parameters"][0].update(schema={}),
     lambda d: _op(d)["parameters"][0].update(schema={"type": "string"})),
    (lambda d: _rename_path_parameter(d, "thing-id"), lambda d: _rename_path_parameter(d, "thing_id")),
    # The union property's discriminator names another tag, on both sides at once.
    (lambda d: _set_union_discriminator(d, "type"), lambda d: _set_union_discriminator(d, "kind")),
]
VALUES = [("request", "parameter"), ("request", "property"), ("request", "variant"),
          ("response", "property"), ("response", "variant"), ("response", "header")]

# Rules no runnable evidence produces, each with the reason. A waiver for a rule that something does
# produce fails the test: the list only shrinks.
WAIVERS = {
    "a discriminator is a fact of a union in the real specs (oneOf with a tag); set on a plain value or a variant, "
    "as EVENTS does, it makes no element change: only the committed diffs produce the others": [
        "request-parameter-discriminator-added", "request-parameter-discriminator-changed",
        "request-parameter-discriminator-removed",
        "request-variant-discriminator-added", "request-variant-discriminator-changed",
        "request-variant-discriminator-removed", "response-header-discriminator-added",
        "response-header-discriminator-changed", "response-header-discriminator-removed",
        "response-property-discriminator-removed",
        "response-variant-discriminator-added", "response-variant-discriminator-changed",
        "response-variant-discriminator-removed",
    ],
    "a variant is one member of a union, neither required nor optional itself (the union's property is; "
    "a variant's own fields are reported as properties)": [
        "request-variant-became-optional", "request-variant-became-required",
        "response-variant-became-optional", "response-variant-became-required",
    ],
    "a variant is an object schema told apart by its tag; a small spec cannot widen or narrow it to other "
    "types without making it another variant (type-changed is produced)": [
        "request-variant-type-widened", "response-variant-type-narrowed",
    ],
}


def _surface(tmp_path, doc: dict, name: str):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc))
    return surface_of(snapshot_from_file(path), name)


def _event_rules(tmp_path) -> set[str]:
    produced = set()
    old_base = _surface(tmp_path, BASE, "base")
    for side, subject in VALUES:
        for old_change, new_change in EVENTS.values():
            old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
            if old_change:
                old_change(Value(old, side, subject))
            if new_change:
                new_change(Value(new, side, subject))
            before = old_base if old_change is None else _surface(tmp_path, old, "old")
            produced |= {c.rule for c in diff_surfaces(before, _surface(tmp_path, new, "new")).changes}
    for old_change, new_change in OTHER_EVENTS:
        old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
        for change, doc in ((old_change, old), (new_change, new)):
            if change:
                change(doc)
        produced |= {c.rule
                     for c in diff_surfaces(_surface(tmp_path, old, "old"), _surface(tmp_path, new, "new")).changes}
    return produced


def _fixture_rules(tmp_path) -> set[str]:
    import test_diff_rules

    cases = next(m for m in test_diff_rules.test_rule.pytestmark if m.name == "parametrize").args[1]
    return {c.rule for mutate, *_ in cases for c in test_diff_rules._diff(tmp_path, mutate)}


def _committed_rules() -> set[str]:
    diffs = ROOT / "changelog" / "diffs"
    if not diffs.is_dir():
        pytest.skip(f"no committed diffs in {diffs}")
    return {m for path in diffs.glob("*.json") for m in re.findall(r'"rule": ?"([a-z-]+)"', path.read_text())}


def test_every_rule_is_produced_by_a_fixture_or_waived_with_a_reason(tmp_path):
    waived = {rule_id: reason for reason, ids in WAIVERS.items() for rule_id in ids}
    assert all(len(reason) > 40 for reason in WAIVERS), "a waiver needs a reason"
    assert set(waived) <= set(RULES), f"waivers for unknown rules: {sorted(set(waived) - set(RULES))}"
    produced = _event_rules(tmp_path) | _fixture_rules(tmp_path) | _committed_rules()
    assert produced <= set(RULES), f"rules produced but not registered: {sorted(produced - set(RULES))}"
    stale = sorted(set(waived) & produced)
    assert not stale, f"waived but produced (remove the waiver): {stale}"
    missing = sorted(set(RULES) - produced - set(waived))
    assert not missing, f"{len(missing)} rules produced by no fixture and not waived: {missing}"


def test_every_rule_id_is_written_out_in_checker():
    """`grep RULE_ID scripts/aoai_changelog/checker/` finds each one: no id is assembled at import."""
    text = "".join(p.read_text() for p in (ROOT / "scripts" / "aoai_changelog" / "checker").glob("*.py"))
    assert [rule_id for rule_id in RULES if f'"{rule_id}"' not in text] == []
