"""One small hand-made pair of specs per rule family: does each change get the right rule and verdict?"""

import copy
import json

import pytest

from aoai_changelog.checker import RULES
from aoai_changelog.diff import diff_surfaces
from aoai_changelog.store.snapshots import snapshot_from_file
from aoai_changelog.surface import surface_of

BASE = {
    "openapi": "3.0.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://{endpoint}/openai"}],
    "paths": {
        "/deployments/{deployment-id}/things": {
            "post": {
                "operationId": "Things_Create",
                "parameters": [
                    {"name": "deployment-id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "api-version", "in": "query", "required": True, "schema": {"type": "string", "example": "2024-01-01"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Res"}}}},
                    "default": {"description": "err", "content": {"application/json": {"schema": {"type": "object"}}}},
                },
            }
        },
        "/things/{thing-id}": {
            "get": {
                "parameters": [{"name": "thing-id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Res"}}}}},
            }
        },
    },
    "components": {"schemas": {
        "Req": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "maxLength": 10},
            "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
            "count": {"type": "integer"},
            "note": {"type": "string", "nullable": True},
        }},
        "Res": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "enum": ["ok", "failed"]},
            "size": {"type": "integer"},
        }},
    }},
}


def _surface(tmp_path, doc, name):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc))
    return surface_of(snapshot_from_file(path), name)


def _diff(tmp_path, mutate):
    new = copy.deepcopy(BASE)
    mutate(new)
    return diff_surfaces(_surface(tmp_path, BASE, "old"), _surface(tmp_path, new, "new")).changes


def _find(changes, key_end, rule=None):
    hits = [c for c in changes if c.key.endswith(key_end) and (rule is None or c.rule == rule)]
    assert hits, f"no change for ...{key_end} ({rule}); got {[(c.key, c.rule) for c in changes]}"
    return hits[0]


def req(doc):
    return doc["components"]["schemas"]["Req"]


def res(doc):
    return doc["components"]["schemas"]["Res"]


@pytest.mark.parametrize("mutate, key_end, rule, breaking, level", [
    (lambda d: req(d)["properties"].update(extra={"type": "string"}), "request extra", "request-property-added", False, "info"),
    (lambda d: (req(d)["properties"].update(extra={"type": "string"}), req(d)["required"].append("extra")),
     "request extra", "request-property-added-required", True, "error"),
    (lambda d: req(d)["properties"].pop("count"), "request count", "request-property-removed", True, "error"),
    (lambda d: res(d)["properties"].pop("size"), "response.200 size", "response-property-removed", True, "error"),
    (lambda d: res(d)["properties"].update(extra={"type": "string"}), "response.200 extra", "response-property-added", False, "info"),
    (lambda d: req(d)["properties"]["mode"].update(enum=["a"]), "request mode=b", "request-enum-value-removed", True, "error"),
    (lambda d: req(d)["properties"]["mode"].update(enum=["a", "b", "c"]), "request mode=c", "request-enum-value-added", False, "info"),
    (lambda d: res(d)["properties"]["status"].update(enum=["ok", "failed", "paused"]), "response.200 status=paused", "response-enum-value-added", False, "warning"),
    (lambda d: res(d)["properties"]["status"].update(enum=["ok"]), "response.200 status=failed", "response-enum-value-removed", False, "info"),
    (lambda d: req(d)["properties"]["count"].update(type="string"), "request count", "request-property-type-changed", True, "error"),
    (lambda d: req(d)["properties"]["count"].update(type="number"), "request count", "request-property-type-widened", False, "info"),
    (lambda d: req(d)["required"].append("count"), "request count", "request-property-became-required", True, "error"),
    (lambda d: res(d)["required"].clear(), "response.200 id", "response-property-became-optional", True, "warning"),
    (lambda d: req(d)["properties"]["note"].pop("nullable"), "request note", "request-property-became-non-nullable", True, "error"),
    (lambda d: res(d)["properties"]["size"].update(nullable=True), "response.200 size", "response-property-became-nullable", True, "warning"),
    (lambda d: req(d)["properties"]["mode"].update(default="b"), "request mode", "request-property-default-changed", False, "warning"),
    (lambda d: req(d)["properties"]["name"].update(maxLength=5), "request name", "request-property-limit-tightened", True, "error"),
    (lambda d: req(d)["properties"]["name"].update(maxLength=50), "request name", "request-property-limit-relaxed", False, "info"),
    (lambda d: req(d)["properties"]["count"].update(deprecated=True), "request count", "request-property-deprecated", False, "warning"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["parameters"].append(
        {"name": "x-extra", "in": "header", "required": True, "schema": {"type": "string"}}),
     "header x-extra", "request-parameter-added-required", True, "error"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"].pop("200"),
     "POST /things response.200", "response-success-status-removed", True, "error"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"]["200"]["content"].update(
        {"text/event-stream": {"schema": {"type": "string"}}}), "POST /things response.200", "response-media-type-added", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"].update(deprecated=True),
     "POST /things", "operation-deprecated", False, "warning"),
    (lambda d: d["paths"].pop("/things/{thing-id}"), "GET /things/{thing_id}", "operation-removed", True, "error"),
    (lambda d: d["paths"].update({"/new": {"get": {"responses": {"200": {"description": "OK"}}}}}), "GET /new", "operation-added", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"].update(operationId="createThing"),
     "POST /things", "operation-id-changed", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["parameters"].pop(1),
     "query api-version", "request-parameter-removed", False, "warning"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"].pop("requestBody"),
     "POST /things request", "request-body-removed", True, "error"),
    (lambda d: d["paths"]["/things/{thing-id}"]["get"].update(requestBody={"content": {"application/json": {"schema": {"type": "object"}}}}),
     "GET /things/{thing_id} request", "request-body-added", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["requestBody"].pop("required"),
     "POST /things request", "request-body-became-optional", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["requestBody"]["content"].update(
        {"multipart/form-data": {"schema": {"type": "object"}}}), "POST /things request", "request-media-type-added", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["requestBody"].update(
        content={"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Req"}}}), "POST /things request", "request-media-type-removed", True, "error"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"]["200"]["content"].update(
        {"application/json": {"schema": {"type": "string"}}}) or d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"]["200"].update(
        content={"text/plain": {"schema": {"type": "string"}}}), "POST /things response.200", "response-media-type-removed", True, "warning"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"].update({"202": {"description": "Accepted"}}),
     "POST /things response.202", "response-status-added", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"].pop("default"),
     "POST /things response.default", "response-non-success-status-removed", False, "info"),
    (lambda d: d["paths"]["/deployments/{deployment-id}/things"]["post"]["responses"]["200"].update(
        headers={"x-request-id": {"schema": {"type": "string"}}}), "response.200.header x-request-id", "response-header-added", False, "info"),
    (lambda d: res(d)["properties"]["size"].update(type="string"), "response.200 size", "response-property-type-changed", True, "error"),
    (lambda d: res(d)["properties"]["size"].update(format="int32"), "response.200 size", "response-property-format-changed", False, "warning"),
    (lambda d: res(d)["properties"]["size"].update(readOnly=True), "response.200 size", "response-property-read-only-changed", False, "warning"),
    (lambda d: res(d)["properties"]["size"].update(maximum=5), "response.200 size", "response-property-limit-tightened", False, "info"),
    (lambda d: req(d)["properties"]["count"].update(additionalProperties=True, type="object"), "request count", "request-property-additional-properties-changed", False, "warning"),
    (lambda d: req(d)["properties"].update(count={"oneOf": [  # an existing field becomes a union: its variants are new
        {"type": "object", "properties": {"type": {"type": "string", "enum": ["circle"]}, "r": {"type": "number"}}},
        {"type": "object", "properties": {"type": {"type": "string", "enum": ["square"]}, "side": {"type": "number"}}}]}),
     "request count<circle>", "request-variant-added", False, "info"),
])
def test_rule(tmp_path, mutate, key_end, rule, breaking, level):
    change = _find(_diff(tmp_path, mutate), key_end, rule)
    assert (change.breaking, change.level) == (breaking, level)
    # The verdict is the rule's own (not the "with its parent" downgrade), and the message names the element.
    assert not change.with_parent and (RULES[rule].level, RULES[rule].breaking) == (level, breaking)
    assert change.text.startswith(change.key + ": ") and len(change.text) > len(change.key) + 4, change.text


def test_operation_moved_out_of_the_deployment_prefix(tmp_path):
    def move(d):
        d["paths"]["/things"] = d["paths"].pop("/deployments/{deployment-id}/things")
        d["paths"]["/things"]["post"]["parameters"].pop(0)
    changes = _diff(tmp_path, move)
    moved = _find(changes, "POST /things", "operation-moved")
    assert "/deployments/{deployment-id}/things" in moved.before and moved.after.endswith(" /things")
    assert not [c for c in changes if c.kind in ("added", "removed")], "a move is not a removal plus an addition"


@pytest.mark.parametrize("new_name, rules", [
    ("thing_id", {"operation-path-parameter-renamed"}),  # same key spelling: only the operation's path says it
    ("id", {"operation-path-parameter-renamed", "request-parameter-renamed"}),
])
def test_path_parameter_rename_is_reported_as_such(tmp_path, new_name, rules):
    def rename(d):
        op = d["paths"].pop("/things/{thing-id}")
        op["get"]["parameters"][0]["name"] = new_name
        d["paths"][f"/things/{{{new_name}}}"] = op
    changes = _diff(tmp_path, rename)
    assert {c.rule for c in changes} == rules
    assert not any(c.breaking for c in changes)


def test_new_subtree_lists_every_member_but_only_the_root_counts(tmp_path):
    def add(d):
        req(d)["properties"]["options"] = {"type": "object", "required": ["flag"], "properties": {
            "flag": {"type": "boolean"}, "level": {"type": "string", "enum": ["lo", "hi"]}}}
    changes = _diff(tmp_path, add)
    root = _find(changes, "request options")
    assert (root.rule, root.with_parent) == ("request-property-added", False)
    flag = _find(changes, "request options.flag")
    assert flag.rule == "request-property-added-required" and flag.with_parent and not flag.breaking
    assert _find(changes, "request options.level=hi").with_parent


def test_prose_example_and_component_renames_are_not_changes(tmp_path):
    def cosmetic(d):
        d["info"]["description"] = "new words"
        op = d["paths"]["/deployments/{deployment-id}/things"]["post"]
        op["summary"] = "Creates things, now with more words."
        op["parameters"][1]["schema"]["example"] = "2099-01-01"
        schemas = d["components"]["schemas"]
        schemas["CreateThingRequest"] = schemas.pop("Req")
        schemas["CreateThingRequest"]["properties"]["name"]["description"] = "The name, described."
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/CreateThingRequest"
        schemas["Res"]["properties"]["id"]["example"] = "abc"
    assert _diff(tmp_path, cosmetic) == []


def test_every_registered_rule_is_documented():
    from conftest import ROOT

    doc = (ROOT / "changelog" / "rules.md").read_text()
    for rule in RULES:
        assert f"`{rule}`" in doc, rule


def test_variant_added_to_a_response_is_a_warning_and_removed_from_a_request_breaks(tmp_path):
    union = {"oneOf": [
        {"type": "object", "properties": {"type": {"type": "string", "enum": ["circle"]}, "r": {"type": "number"}}},
        {"type": "object", "properties": {"type": {"type": "string", "enum": ["square"]}, "side": {"type": "number"}}}]}
    base = copy.deepcopy(BASE)
    req(base)["properties"]["shape"] = copy.deepcopy(union)
    res(base)["properties"]["shape"] = copy.deepcopy(union)
    new = copy.deepcopy(base)
    req(new)["properties"]["shape"]["oneOf"].pop()
    res(new)["properties"]["shape"]["oneOf"].append(
        {"type": "object", "properties": {"type": {"type": "string", "enum": ["star"]}, "points": {"type": "integer"}}})
    changes = diff_surfaces(_surface(tmp_path, base, "old"), _surface(tmp_path, new, "new")).changes
    removed = _find(changes, "request shape<square>", "request-variant-removed")
    assert removed.breaking and removed.level == "error"
    added = _find(changes, "response.200 shape<star>", "response-variant-added")
    assert not added.breaking and added.level == "warning"
    assert _find(changes, "response.200 shape.type=star", "response-enum-value-added")


@pytest.mark.parametrize(("before", "after"), [(1, True), (0, False), ([1], [True]), ({"a": 1}, {"a": True})])
def test_a_default_that_turns_from_a_number_into_a_boolean_is_a_change(tmp_path, before, after):
    """Python says True == 1: compared as JSON values they differ, whether the surfaces come fresh
    from files (attributes as dicts) or from the cache (attributes as text), as the index says."""
    from aoai_changelog.diff import diff_facts
    from aoai_changelog.surface import Surface

    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    req(old)["properties"]["count"]["default"] = before
    req(new)["properties"]["count"]["default"] = after
    fresh = (_surface(tmp_path, old, "old"), _surface(tmp_path, new, "new"))
    cached = tuple(Surface(s.version, rows=dict(s.rows)) for s in fresh)
    for pair in (fresh, cached):
        found = [(c.attribute, c.before, c.after) for c in diff_facts(*pair) if c.key.endswith("request count")]
        assert found == [("default", before, after)]
    # A number spelled otherwise is the same JSON number: no change.
    req(new)["properties"]["count"]["default"] = 1.0 if before == 1 else before
    assert not [c for c in diff_facts(fresh[0], _surface(tmp_path, new, "same")) if c.key.endswith("request count")]
